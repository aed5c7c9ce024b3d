#include "dns/propagation.hpp"

#include "dns/propagation_loop.hpp"
#include "dns/query.hpp"
#include "dns/rcode.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

namespace wildcert::dns {
namespace {

using Clock = std::chrono::steady_clock;

struct Pair {
    const PropagationTarget* target;
    const AuthoritativeServer* server;
    ServerCheck outcome;
};

// Runs every check of a round on a small pool of threads; each pair is written by one thread.
void run_round(std::vector<Pair>& pairs, const CheckFunction& check) {
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
        for (std::size_t i = next++; i < pairs.size(); i = next++)
            pairs[i].outcome = check(*pairs[i].target, *pairs[i].server);
    };
    const std::size_t count = std::min(pairs.size(), k_max_parallel_checks);
    if (count <= 1) {
        worker();
        return;
    }
    std::vector<std::jthread> threads;
    threads.reserve(count);
    for (std::size_t i = 0; i < count; ++i)
        threads.emplace_back(worker);
}

std::string seconds_text(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    if (ms % 1000 == 0)
        return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

// One summary line that names the first failing server (a pipeline keeps only the last line
// of stderr), then one line per failing (name, server) pair.
std::string failure_report(const std::vector<Pair>& pairs, std::chrono::milliseconds timeout) {
    std::vector<std::string> lines;
    for (const auto& pair : pairs) {
        if (pair.outcome.complete)
            continue;
        lines.push_back(pair.target->fqdn + " at " + pair.server->name + " (" +
                        pair.server->address.to_string() + "): " + pair.outcome.problem);
    }
    std::string report = "TXT records not served by every authoritative server after " +
                         seconds_text(timeout) + " (" + std::to_string(lines.size()) + " of " +
                         std::to_string(pairs.size()) + " checks failing";
    if (!lines.empty())
        report += "; " + lines.front();
    report += ")";
    for (const auto& line : lines)
        report += "\n  " + line;
    return report;
}

// Sleeps until `until` in short steps; false when cancelled meanwhile.
bool sleep_until(Clock::time_point until, const PropagationOptions& options,
                 const LoopClock& clock) {
    for (;;) {
        if (options.cancelled && options.cancelled())
            return false;
        const auto now = clock.now();
        if (now >= until)
            return true;
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        clock.sleep(std::clamp(left, std::chrono::milliseconds(1), k_sleep_step));
    }
}

} // namespace

ServerCheck judge_answer(const std::vector<std::string>& expected,
                         const Result<TxtAnswer>& answer) {
    if (!answer) {
        // The query error names the server and the question again; the line already does.
        const auto& message = answer.error().message;
        const auto colon = message.rfind(": ");
        return ServerCheck{false, colon == std::string::npos ? message : message.substr(colon + 2)};
    }
    if (answer->rcode != 0)
        return ServerCheck{false, rcode_name(answer->rcode)};
    std::size_t missing = 0;
    for (const auto& value : expected) {
        if (std::find(answer->values.begin(), answer->values.end(), value) == answer->values.end())
            ++missing;
    }
    if (missing == 0)
        return ServerCheck{true, {}};
    const auto count = answer->values.size();
    return ServerCheck{false, "missing " + std::to_string(missing) + " of " +
                                  std::to_string(expected.size()) + " values (has " +
                                  std::to_string(count) + " TXT record" + (count == 1 ? "" : "s") +
                                  ")"};
}

Result<void> run_propagation_loop(const std::vector<PropagationTarget>& targets,
                                  const PropagationOptions& options, const CheckFunction& check,
                                  const LoopClock& clock) {
    std::vector<Pair> pairs;
    for (const auto& target : targets) {
        for (const auto& server : target.servers)
            pairs.push_back(Pair{&target, &server, {}});
    }
    if (pairs.empty())
        return {};
    const auto started = clock.now();
    const auto deadline = started + options.timeout;
    for (;;) {
        const auto round_started = clock.now();
        run_round(pairs, check);
        const auto waiting = static_cast<std::size_t>(std::count_if(
            pairs.begin(), pairs.end(), [](const Pair& pair) { return !pair.outcome.complete; }));
        if (waiting == 0)
            return {};
        if (options.cancelled && options.cancelled())
            return make_error(ErrorKind::interrupted, "interrupted while waiting for DNS "
                                                      "propagation");
        if (clock.now() >= deadline)
            return make_error(ErrorKind::timeout, failure_report(pairs, options.timeout));
        if (options.progress)
            options.progress("waiting for " + std::to_string(waiting) + " of " +
                             std::to_string(pairs.size()) + " server checks");
        // The last round runs at the deadline, so a record that shows up late still counts.
        const auto next_round = std::min(round_started + options.interval, deadline);
        if (!sleep_until(next_round, options, clock))
            return make_error(ErrorKind::interrupted, "interrupted while waiting for DNS "
                                                      "propagation");
    }
}

Result<void> wait_for_propagation(const std::vector<PropagationTarget>& targets,
                                  const PropagationOptions& options) {
    const CheckFunction check = [&options](const PropagationTarget& target,
                                           const AuthoritativeServer& server) {
        return judge_answer(target.values,
                            query_txt(server.address, target.fqdn, options.query_timeout));
    };
    const LoopClock clock{
        [] { return Clock::now(); },
        [](std::chrono::milliseconds step) { std::this_thread::sleep_for(step); }};
    return run_propagation_loop(targets, options, check, clock);
}

} // namespace wildcert::dns
