#include "core/propagation_wait.hpp"

#include "core/challenge_records.hpp"
#include "core/wait_status.hpp"
#include "core/waiting.hpp"
#include "dns/propagation.hpp"

namespace wildcert::core {

Result<void> wait_until_served(const std::vector<TxtRecord>& records, const DnsSettings& dns,
                               dns::Discovery& discovery, const std::function<bool()>& cancelled,
                               const ProgressLog& log) {
    if (dns.propagation_check != PropagationCheck::none) {
        WILDCERT_TRY(const auto targets, propagation_targets(records, dns, discovery));
        std::size_t checks = 0;
        for (const auto& target : targets)
            checks += target.servers.size();
        log.info("dns: checking " + std::to_string(targets.size()) + " name(s) at " +
                 std::to_string(checks) + " server address(es)");
        dns::PropagationOptions options;
        options.timeout = dns.propagation_timeout;
        options.interval = dns.polling_interval;
        options.cancelled = cancelled;
        options.progress = [&log](const dns::PropagationProgress& progress) {
            if (progress.round_ended) {
                for (const auto& line : propagation_detail(progress))
                    log.debug(line);
            }
            log.status(propagation_status(progress));
        };
        const auto waited = dns::wait_for_propagation(targets, options);
        log.status({});
        WILDCERT_TRY(const auto stats, waited);
        // The benchmark (scripts/bench_propagation.sh) reads this line.
        log.info("dns: all " + std::to_string(checks) + " server address(es) serve all " +
                 std::to_string(targets.size()) + " name(s) after " +
                 std::to_string(stats.elapsed.count()) + " ms (" + std::to_string(stats.rounds) +
                 " round(s), " + std::to_string(stats.queries) + " queries)");
    }
    if (dns.propagation_wait.count() > 0) {
        log.info("dns: waiting a further " + std::to_string(dns.propagation_wait.count()) +
                 "ms (dns.propagation_wait)");
        WILDCERT_CHECK(sleep_for(dns.propagation_wait, cancelled));
    }
    return {};
}

} // namespace wildcert::core
