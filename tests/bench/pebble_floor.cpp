// The least an ACME client can do per certificate, for scripts/bench_pebble_floor.sh: one
// account, then for each certificate newOrder, its authorizations, every dns-01 challenge
// answered, authorizations polled, finalize, order polled, chain downloaded. No DNS, no state
// directory, no locks, no checks beyond RFC 8555's statuses. Run against a Pebble with
// PEBBLE_VA_ALWAYS_VALID=1 it shows what that Pebble allows, to compare wildcert's fleet
// renewal with. Prints one line of figures; exit 1 on the first failure.
//
// Usage: pebble-floor DIRECTORY-URL CA-BUNDLE COUNT CONCURRENCY
#include "acme/acme_client.hpp"
#include "acme/order.hpp"
#include "core/acme_session.hpp"
#include "core/progress_log.hpp"
#include "crypto/csr.hpp"
#include "crypto/private_key.hpp"
#include "store/state_dir.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace wildcert;
using namespace std::chrono_literals;

namespace {

// A poll every 10 ms: faster than wildcert's backoff, so the loop waits on the CA only.
constexpr auto k_poll = 10ms;
constexpr int k_max_polls = 30000; // 300 s per object, then the run fails

Result<void> await_authorization(acme::AcmeClient& acme, const std::string& url) {
    for (int poll = 0; poll < k_max_polls; ++poll) {
        WILDCERT_TRY(const auto authorization, acme::fetch_authorization(acme, url));
        if (authorization.status == AcmeStatus::valid)
            return {};
        if (authorization.status != AcmeStatus::pending &&
            authorization.status != AcmeStatus::processing)
            return acme::authorization_failure(authorization, authorization.identifier);
        std::this_thread::sleep_for(k_poll);
    }
    return make_error(ErrorKind::timeout, "authorization " + url + " never became valid");
}

Result<acme::Order> await_order(acme::AcmeClient& acme, acme::Order order, AcmeStatus wanted) {
    for (int poll = 0; poll < k_max_polls && order.status != wanted; ++poll) {
        if (order.status == AcmeStatus::invalid)
            return make_error(ErrorKind::acme, "order " + order.url + " is invalid");
        std::this_thread::sleep_for(k_poll);
        WILDCERT_TRY(order, acme::fetch_order(acme, order.url));
    }
    if (order.status != wanted)
        return make_error(ErrorKind::timeout, "order " + order.url + " never got there");
    return order;
}

// One certificate: *.cNNN.floor.test and cNNN.floor.test, as the fleet benchmark orders.
Result<void> issue_one(acme::AcmeClient& acme, std::mutex& new_order_mutex, std::size_t index) {
    const auto base = "c" + std::to_string(index) + ".floor.test";
    const std::vector<std::string> names{"*." + base, base};
    acme::Order order;
    {
        // Pebble 2.4 deadlocks under concurrent newOrder (core/order_placement.cpp), as
        // wildcert does: one at a time.
        const std::lock_guard serial(new_order_mutex);
        WILDCERT_TRY(order, acme::new_order(acme, names));
    }
    std::vector<std::string> answered;
    for (const auto& url : order.authorizations) {
        WILDCERT_TRY(const auto authorization, acme::fetch_authorization(acme, url));
        if (authorization.status == AcmeStatus::valid)
            continue;
        const auto* challenge = authorization.challenge("dns-01");
        if (challenge == nullptr)
            return make_error(ErrorKind::acme, "no dns-01 challenge in " + url);
        WILDCERT_CHECK(acme::answer_challenge(acme, challenge->url));
        answered.push_back(url);
    }
    for (const auto& url : answered)
        WILDCERT_CHECK(await_authorization(acme, url));
    WILDCERT_TRY(order, await_order(acme, std::move(order), AcmeStatus::ready));
    WILDCERT_TRY(const auto key, crypto::PrivateKey::generate(KeyType::ec_p256));
    WILDCERT_TRY(const auto csr, crypto::make_csr_der(key, names));
    WILDCERT_TRY(order, acme::finalize_order(acme, order, csr));
    WILDCERT_TRY(order, await_order(acme, std::move(order), AcmeStatus::valid));
    WILDCERT_TRY(const auto pem, acme::download_certificate(acme, order.certificate));
    if (acme::count_pem_certificates(pem) == 0)
        return make_error(ErrorKind::acme, "no certificate in " + order.certificate);
    return {};
}

int usage() {
    std::fprintf(stderr, "usage: pebble-floor DIRECTORY-URL CA-BUNDLE COUNT CONCURRENCY\n");
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 5)
        return usage();
    const std::string directory = argv[1];
    const std::filesystem::path bundle = argv[2];
    const long count = std::strtol(argv[3], nullptr, 10);
    const long concurrency = std::strtol(argv[4], nullptr, 10);
    if (count < 1 || concurrency < 1 || concurrency > 256)
        return usage();

    // The account key lives in a scratch state directory, removed at the end.
    auto pattern = (std::filesystem::temp_directory_path() / "pebble-floor.XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
        return 1;
    const std::filesystem::path scratch = pattern;
    struct Removed {
        std::filesystem::path path;
        ~Removed() {
            std::error_code ignored;
            std::filesystem::remove_all(path, ignored);
        }
    } const removed{scratch};

    auto state_dir = store::StateDir::open(scratch / "state");
    if (!state_dir.ok()) {
        std::fprintf(stderr, "pebble-floor: %s\n", state_dir.error().message.c_str());
        return 1;
    }
    http::Options options;
    options.ca_bundle = bundle;
    core::AcmeSession session(options, acme::RetryPolicy{});
    const core::ProgressLog log{{}};
    AcmeSettings settings;
    settings.directory_url = directory;
    settings.accept_terms = true;
    if (const auto account = session.ensure_account(settings, *state_dir, log, {});
        !account.ok()) {
        std::fprintf(stderr, "pebble-floor: %s\n", account.error().message.c_str());
        return 1;
    }

    const auto started = std::chrono::steady_clock::now();
    std::mutex new_order_mutex;
    std::atomic<std::size_t> next{0};
    std::atomic<bool> failed{false};
    std::mutex error_mutex;
    std::string first_error;
    {
        std::vector<std::jthread> workers;
        for (long worker = 0; worker < concurrency; ++worker) {
            workers.emplace_back([&] {
                http::Client http(options);
                auto acme = session.acme->clone_over(http);
                for (std::size_t i = next++; i < static_cast<std::size_t>(count) && !failed;
                     i = next++) {
                    if (const auto issued = issue_one(acme, new_order_mutex, i); !issued.ok()) {
                        const std::lock_guard lock(error_mutex);
                        if (!failed.exchange(true))
                            first_error = issued.error().message;
                    }
                }
            });
        }
    }
    const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - started;
    if (failed) {
        std::fprintf(stderr, "pebble-floor: %s\n", first_error.c_str());
        return 1;
    }
    std::printf("%ld certificates, %ld at once: %.3f s (%.1f certificates/s)\n", count,
                concurrency, wall.count(), static_cast<double>(count) / wall.count());
    return 0;
}
