#include "dns/propagation.hpp"

#include "common/cancellable_wait.hpp"
#include "dns/asker.hpp"
#include "dns/propagation_loop.hpp"
#include "dns/query.hpp"
#include "dns/rcode.hpp"

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <thread>

namespace wildcert::dns {
namespace {

using Clock = std::chrono::steady_clock;

struct Pair {
    const PropagationTarget* target;
    const AuthoritativeServer* server;
    ServerCheck outcome;
    bool asked = false;
};

// When the last question may be sent: the round that starts at the deadline still gets one
// query timeout to hear its answers, and nothing is asked after that, however many checks a
// round still has (the timeout holds with hundreds of servers, or servers that never answer).
Clock::time_point last_question_at(Clock::time_point started, const PropagationOptions& options) {
    return started + options.timeout + options.query_timeout;
}

// Runs job(i) for every i < count on a small pool of threads; each i is run by one thread.
void run_parallel(std::size_t count, const std::function<void(std::size_t)>& job) {
    std::atomic<std::size_t> next{0};
    const auto worker = [&] {
        for (std::size_t i = next++; i < count; i = next++)
            job(i);
    };
    const std::size_t threads_wanted = std::min(count, k_max_parallel_checks);
    if (threads_wanted <= 1) {
        worker();
        return;
    }
    std::vector<std::jthread> threads;
    threads.reserve(threads_wanted);
    for (std::size_t i = 0; i < threads_wanted; ++i)
        threads.emplace_back(worker);
}

std::string server_label(const AuthoritativeServer& server) {
    return server.name + " (" + server.address.to_string() + ")";
}

// SOA serials of every authoritative server of every zone with a failing check, so the report
// can say "ns2 is at serial 5 while ns1 is at 6": a secondary that has not transferred yet.
struct ZoneSerials {
    std::map<std::string,
             std::vector<std::pair<const AuthoritativeServer*, std::optional<std::uint32_t>>>>
        by_zone;

    [[nodiscard]] std::optional<std::uint32_t> of(const std::string& zone,
                                                  const AuthoritativeServer& server) const {
        const auto found = by_zone.find(zone);
        if (found == by_zone.end())
            return std::nullopt;
        for (const auto& [known, serial] : found->second) {
            if (known->name == server.name && known->address == server.address)
                return serial;
        }
        return std::nullopt;
    }
};

ZoneSerials collect_serials(const std::vector<Pair>& pairs, const SerialFunction& serial,
                            const LoopClock& clock, Clock::time_point last_question) {
    ZoneSerials serials;
    if (!serial)
        return serials;
    std::set<std::string> failing_zones;
    for (const auto& pair : pairs) {
        if (!pair.outcome.complete && !pair.target->zone.empty())
            failing_zones.insert(pair.target->zone);
    }
    std::vector<std::pair<std::string, const AuthoritativeServer*>> questions;
    for (const auto& pair : pairs) {
        if (!failing_zones.contains(pair.target->zone) || pair.server->recursive)
            continue;
        const bool asked = std::any_of(questions.begin(), questions.end(), [&](const auto& q) {
            return q.first == pair.target->zone && q.second->address == pair.server->address;
        });
        if (!asked)
            questions.emplace_back(pair.target->zone, pair.server);
    }
    std::vector<std::optional<std::uint32_t>> answers(questions.size());
    run_parallel(questions.size(), [&](std::size_t i) {
        if (clock.now() < last_question) // past it, the report goes without this serial
            answers[i] = serial(questions[i].first, *questions[i].second);
    });
    for (std::size_t i = 0; i < questions.size(); ++i)
        serials.by_zone[questions[i].first].emplace_back(questions[i].second, answers[i]);
    return serials;
}

std::string serial_text(const std::optional<std::uint32_t>& serial) {
    return serial ? "serial " + std::to_string(*serial) : "no SOA";
}

std::string seconds_text(std::chrono::milliseconds duration) {
    const auto ms = duration.count();
    if (ms % 1000 == 0)
        return std::to_string(ms / 1000) + "s";
    return std::to_string(ms) + "ms";
}

// One summary line that names the first failing server (a pipeline keeps only the last line
// of stderr), then one line per failing (name, server) pair, then the SOA serials of each
// zone with a failing check.
std::string failure_report(const std::vector<Pair>& pairs, std::chrono::milliseconds timeout,
                           const ZoneSerials& serials) {
    std::vector<std::string> lines;
    for (const auto& pair : pairs) {
        if (pair.outcome.complete)
            continue;
        std::string line =
            pair.target->fqdn + " at " + server_label(*pair.server) + ": " + pair.outcome.problem;
        if (serials.by_zone.contains(pair.target->zone) && !pair.server->recursive)
            line += "; zone " + pair.target->zone + " " +
                    serial_text(serials.of(pair.target->zone, *pair.server));
        lines.push_back(std::move(line));
    }
    std::string report = "TXT records not served by every authoritative server after " +
                         seconds_text(timeout) + " (" + std::to_string(lines.size()) + " of " +
                         std::to_string(pairs.size()) + " checks failing";
    if (!lines.empty())
        report += "; " + lines.front();
    report += ")";
    for (const auto& line : lines)
        report += "\n  " + line;
    for (const auto& [zone, servers] : serials.by_zone) {
        report += "\n  zone " + zone + " serials:";
        for (std::size_t i = 0; i < servers.size(); ++i)
            report += std::string(i == 0 ? " " : ", ") + server_label(*servers[i].first) + " " +
                      serial_text(servers[i].second);
    }
    return report;
}

// How often a pause between rounds repeats the progress report, so a countdown can move.
constexpr std::chrono::seconds k_progress_tick{1};

std::chrono::milliseconds time_left(Clock::time_point deadline, Clock::time_point now) {
    return std::max(std::chrono::milliseconds(0),
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now));
}

PropagationProgress progress_of(const std::vector<Pair>& pairs) {
    PropagationProgress progress;
    progress.total = pairs.size();
    for (const auto& pair : pairs) {
        if (pair.outcome.complete) {
            ++progress.served;
            continue;
        }
        progress.pending.push_back(
            PendingCheck{pair.target->fqdn, server_label(*pair.server), pair.outcome.problem});
    }
    return progress;
}

// Sleeps until `until` in short steps, repeating `progress` (when wanted) once a second with the
// time left before `deadline`; false when cancelled meanwhile.
bool sleep_until(Clock::time_point until, Clock::time_point deadline, PropagationProgress& progress,
                 const PropagationOptions& options, const LoopClock& clock) {
    auto next_tick = clock.now() + k_progress_tick;
    for (;;) {
        if (options.cancelled && options.cancelled())
            return false;
        const auto now = clock.now();
        if (now >= until)
            return true;
        if (options.progress && now >= next_tick) {
            progress.left = time_left(deadline, now);
            options.progress(progress);
            next_tick += k_progress_tick;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - now);
        clock.sleep(std::clamp(left, std::chrono::milliseconds(1), k_sleep_step));
    }
}

} // namespace

ServerCheck judge_answer(const std::vector<std::string>& expected, const Result<TxtAnswer>& answer,
                         bool require_authoritative) {
    if (!answer) {
        // The query error names the server and the question again; the line already does.
        const auto& message = answer.error().message;
        const auto colon = message.rfind(": ");
        return ServerCheck{false, colon == std::string::npos ? message : message.substr(colon + 2)};
    }
    std::vector<std::string> missing;
    for (const auto& value : expected) {
        if (std::find(answer->values.begin(), answer->values.end(), value) == answer->values.end())
            missing.push_back(value);
    }
    // The values are public (they are what the CA will read); naming them lets a user grep
    // the server's zone for exactly what is absent.
    std::string lacking;
    for (const auto& value : missing)
        lacking += (lacking.empty() ? "\"" : ", \"") + value + "\"";
    if (answer->rcode != 0)
        return ServerCheck{false, rcode_name(answer->rcode) + " (lacks " + lacking + ")"};
    // RFC 1034 §4.3.1/§6.2.7: an authoritative answer carries AA. Without it the server only
    // relays (or caches) someone else's data: a lame delegation, whatever values it shows.
    if (require_authoritative && !answer->authoritative)
        return ServerCheck{false, "not authoritative for the name (lame delegation)"};
    if (missing.empty())
        return ServerCheck{true, {}};
    const auto count = answer->values.size();
    return ServerCheck{false, "missing " + std::to_string(missing.size()) + " of " +
                                  std::to_string(expected.size()) + " values (has " +
                                  std::to_string(count) + " TXT record" + (count == 1 ? "" : "s") +
                                  "): " + lacking};
}

Result<PropagationStats> run_propagation_loop(const std::vector<PropagationTarget>& targets,
                                              const PropagationOptions& options,
                                              const CheckFunction& check, const LoopClock& clock,
                                              const SerialFunction& serial) {
    std::vector<Pair> pairs;
    for (const auto& target : targets) {
        for (const auto& server : target.servers)
            pairs.push_back(Pair{&target, &server, {}});
    }
    PropagationStats stats;
    if (pairs.empty())
        return stats;
    const auto started = clock.now();
    const auto deadline = started + options.timeout;
    const auto last_question = last_question_at(started, options);
    for (;;) {
        const auto round_started = clock.now();
        // Only the checks that still fail are repeated: a server that served every value
        // keeps it (we never remove before validation), so asking it again is wasted traffic.
        std::vector<std::size_t> open;
        for (std::size_t i = 0; i < pairs.size(); ++i) {
            if (!pairs[i].outcome.complete)
                open.push_back(i);
        }
        std::atomic<std::size_t> asked{0};
        run_parallel(open.size(), [&](std::size_t i) {
            auto& pair = pairs[open[i]];
            if (clock.now() >= last_question || (options.cancelled && options.cancelled())) {
                if (!pair.asked)
                    pair.outcome = ServerCheck{false, "not asked within the timeout (too many "
                                                      "servers, or too slow, for it)"};
                return;
            }
            pair.outcome = check(*pair.target, *pair.server);
            pair.asked = true;
            ++asked;
        });
        ++stats.rounds;
        stats.checks += asked;
        const auto waiting = static_cast<std::size_t>(std::count_if(
            pairs.begin(), pairs.end(), [](const Pair& pair) { return !pair.outcome.complete; }));
        if (waiting == 0) {
            stats.elapsed =
                std::chrono::duration_cast<std::chrono::milliseconds>(clock.now() - started);
            return stats;
        }
        if (options.cancelled && options.cancelled())
            return make_error(ErrorKind::interrupted, "interrupted while waiting for DNS "
                                                      "propagation");
        if (clock.now() >= deadline)
            return make_error(ErrorKind::timeout,
                              failure_report(pairs, options.timeout,
                                             collect_serials(pairs, serial, clock, last_question)));
        auto progress = progress_of(pairs);
        if (options.progress) {
            progress.left = time_left(deadline, clock.now());
            progress.round_ended = true;
            options.progress(progress);
            progress.round_ended = false;
        }
        // The last round runs at the deadline, so a record that shows up late still counts.
        const auto next_round = std::min(round_started + options.interval, deadline);
        if (!sleep_until(next_round, deadline, progress, options, clock))
            return make_error(ErrorKind::interrupted, "interrupted while waiting for DNS "
                                                      "propagation");
    }
}

Result<PropagationStats> wait_for_propagation(const std::vector<PropagationTarget>& targets,
                                              const PropagationOptions& options) {
    const detail::CountingAsker asker(options.asker ? options.asker : detail::network_asker());
    // The loop starts no question after this; each one waits at most until then.
    const auto last_question = last_question_at(Clock::now(), options);
    const auto query_timeout = [&] {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(last_question - Clock::now());
        return std::min(options.query_timeout, std::max(left, std::chrono::milliseconds(1)));
    };
    const CheckFunction check = [&](const PropagationTarget& target,
                                    const AuthoritativeServer& server) {
        return judge_answer(
            target.values,
            query_txt(asker, server.address, target.fqdn, server.recursive, query_timeout()),
            !server.recursive);
    };
    const SerialFunction serial = [&](const std::string& zone, const AuthoritativeServer& server) {
        auto answer = query_soa_serial(asker, server.address, zone, query_timeout());
        return answer ? *answer : std::nullopt;
    };
    // A cancellation cuts the sleep short; the loop reports it.
    const LoopClock clock{[] { return Clock::now(); },
                          [&options](std::chrono::milliseconds step) {
                              (void)common::wait_for(step, options.cancelled);
                          }};
    WILDCERT_TRY(auto stats, run_propagation_loop(targets, options, check, clock, serial));
    stats.queries = asker.count();
    return stats;
}

} // namespace wildcert::dns
