// CA faults (issue 7): a full issuance through the real wildcert::Client against the mock ACME
// server with faults injected (tests/mock_acme: 5xx with and without Retry-After, a dropped
// connection, a stall past the read timeout, malformed JSON, a wrong Content-Type, a chain cut
// in the middle). Transient faults on requests that may be repeated end in success; the rest
// end in a clear error naming the URL, after a bounded number of requests, with nothing under
// live/ and every record the exec provider added removed again.
#include "tests/mock_acme/mock_acme.hpp"
#include "tests/mock_acme/soa_responder.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <unistd.h>

using namespace wildcert;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Short enough to keep the suite fast, long enough for a loaded machine: the stall faults
// sleep k_stall, well past k_read_timeout.
constexpr auto k_read_timeout = 300ms;
constexpr auto k_stall = 700ms;
constexpr auto k_backoff = 20ms;
constexpr int k_attempts = 4; // acme::RetryPolicy's default

class FaultyCa {
public:
    explicit FaultyCa(std::vector<mock_acme::Fault> faults) : FaultyCa(script(std::move(faults))) {}
    explicit FaultyCa(mock_acme::Script script) : m_ca(std::move(script)) {
        static std::atomic<int> counter{0};
        m_dir = fs::temp_directory_path() / ("wildcert-faults-test-" + std::to_string(::getpid()) +
                                             "-" + std::to_string(counter++));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        REQUIRE(m_ca.start().ok());
        REQUIRE(m_dns.start().ok());
        // The exec provider logs each action, so the test sees what was added and removed.
        const auto hook = m_dir / "hook.sh";
        {
            std::ofstream out(hook);
            out << "#!/bin/sh\necho \"$WILDCERT_ACTION $WILDCERT_FQDN $WILDCERT_VALUE\" >> "
                << (m_dir / "dns.log").string() << "\n";
        }
        fs::permissions(hook, fs::perms::owner_all);
    }
    ~FaultyCa() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    FaultyCa(const FaultyCa&) = delete;
    FaultyCa& operator=(const FaultyCa&) = delete;

    mock_acme::MockAcme& ca() { return m_ca; }

    Result<IssuedCertificate> issue(std::function<bool()> cancelled = {}) {
        const auto path = m_dir / "profile.toml";
        {
            std::ofstream out(path);
            out << "[acme]\ndirectory = \"" << m_ca.directory_url()
                << "\"\naccept_terms = true\naccount_key = \"ec-p256\"\n\n"
                << "[dns]\nprovider = \"exec\"\nresolvers = [\"" << m_dns.address()
                << "\"]\npropagation_check = \"none\"\n\n[dns.exec]\ncommand = \""
                << (m_dir / "hook.sh").string() << "\"\n\n"
                << "[[certificate]]\nname = \"demo\"\ndomains = [\"*.demo.test\", \"demo.test\"]\n";
        }
        auto profile = load_profile(path);
        REQUIRE_MESSAGE(profile.ok(), profile.error().message);
        const auto certificate = profile->certificates.front();
        ClientOptions options;
        options.state_dir = m_dir / "state";
        options.http_read_timeout = k_read_timeout;
        options.retry_backoff = k_backoff;
        options.cancelled = std::move(cancelled);
        auto client = Client::create(std::move(profile).value(), std::move(options));
        REQUIRE_MESSAGE(client.ok(), client.error().message);
        const auto started = std::chrono::steady_clock::now();
        auto issued = client->issue(certificate);
        m_took = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - started);
        return issued;
    }

    [[nodiscard]] std::chrono::milliseconds took() const { return m_took; }

    // "add <fqdn> <value>" and "remove <fqdn> <value>" lines, as the provider saw them.
    [[nodiscard]] std::vector<std::string> dns_actions(std::string_view action) const {
        std::ifstream in(m_dir / "dns.log");
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);) {
            if (line.rfind(std::string(action) + " ", 0) == 0)
                lines.push_back(line.substr(action.size() + 1));
        }
        std::sort(lines.begin(), lines.end());
        return lines;
    }

    [[nodiscard]] bool live_is_empty() const {
        const auto live = m_dir / "state" / "live" / "demo";
        return !fs::exists(live) || fs::is_empty(live);
    }

    // Every value added was removed again, and there were some.
    void require_records_removed() const {
        const auto added = dns_actions("add");
        CHECK(added.size() == 2);
        CHECK(dns_actions("remove") == added);
    }

private:
    static mock_acme::Script script(std::vector<mock_acme::Fault> faults) {
        mock_acme::Script s;
        s.faults = std::move(faults);
        return s;
    }

    mock_acme::MockAcme m_ca;
    mock_acme::SoaResponder m_dns;
    fs::path m_dir;
    std::chrono::milliseconds m_took{0};
};

mock_acme::Fault fault(std::string prefix, mock_acme::FaultKind kind, int count = 1) {
    mock_acme::Fault f;
    f.path_prefix = std::move(prefix);
    f.kind = kind;
    f.count = count;
    f.stall = k_stall;
    return f;
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A failed run: a clear error of this kind naming the URL part, nothing installed, records
// added and removed.
void require_clean_failure(FaultyCa& t, const Result<IssuedCertificate>& issued, ErrorKind kind,
                           std::string_view url_part, std::string_view cause) {
    REQUIRE_FALSE(issued.ok());
    INFO(issued.error().message);
    CHECK(issued.error().kind == kind);
    CHECK(contains(issued.error().message, t.ca().base_url() + std::string(url_part)));
    CHECK(contains(issued.error().message, cause));
    CHECK(t.live_is_empty());
    t.require_records_removed();
}

} // namespace

TEST_SUITE("acme faults") {
    TEST_CASE("a 500 on an order poll is retried and the issuance succeeds") {
        FaultyCa t({fault("/order/", mock_acme::FaultKind::status_500)});
        const auto issued = t.issue();
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        CHECK(t.ca().faults_applied(0) == 1);
        CHECK(t.ca().fault_matches(0) >= 2); // the retry, then later polls
        CHECK_FALSE(t.live_is_empty());
        t.require_records_removed();
    }

    TEST_CASE("a 500 that never ends: bounded attempts, then an error naming the URL") {
        FaultyCa t({fault("/cert/", mock_acme::FaultKind::status_500, -1)});
        const auto issued = t.issue();
        require_clean_failure(t, issued, ErrorKind::acme, "/cert/", "gave up after 4 attempts");
        CHECK(contains(issued.error().message, "serverInternal"));
        CHECK(t.ca().fault_matches(0) == k_attempts);
    }

    TEST_CASE("503 with Retry-After on newOrder is retried after the wait") {
        FaultyCa t({fault("/new-order", mock_acme::FaultKind::status_503_retry_after)});
        const auto issued = t.issue();
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        CHECK(t.ca().fault_matches(0) == 2);
        const auto orders = t.ca().requests_to("/new-order");
        REQUIRE(orders.size() == 1); // the faulted one never reached the handler
        CHECK(t.took() >= 1s);       // Retry-After: 1 was honoured
        CHECK(t.ca().jws_rejections() == 0);
    }

    TEST_CASE("SIGINT during a long Retry-After ends the wait at once, records removed") {
        auto overload = fault("/order/", mock_acme::FaultKind::status_503_retry_after, -1);
        overload.retry_after = "30";
        FaultyCa t({overload});
        // Interrupted as soon as the CA has said "come back in 30 s", as a signal would.
        auto& ca = t.ca();
        const auto issued = t.issue([&ca] { return ca.faults_applied(0) > 0; });
        REQUIRE_FALSE(issued.ok());
        INFO(issued.error().message);
        CHECK(issued.error().kind == ErrorKind::interrupted);
        CHECK(contains(issued.error().message, "interrupted while waiting to retry"));
        CHECK(t.took() < 10s); // not the 30 s the CA asked for
        CHECK(t.ca().fault_matches(0) == 1);
        CHECK(t.live_is_empty());
        t.require_records_removed();
    }

    TEST_CASE("503 without Retry-After on newOrder is not sent again") {
        FaultyCa t({fault("/new-order", mock_acme::FaultKind::status_503)});
        const auto issued = t.issue();
        REQUIRE_FALSE(issued.ok());
        CHECK(issued.error().kind == ErrorKind::acme);
        CHECK(contains(issued.error().message, t.ca().base_url() + "/new-order"));
        CHECK(t.ca().fault_matches(0) == 1);
        CHECK(t.dns_actions("add").empty());
        CHECK(t.live_is_empty());
    }

    TEST_CASE("a 500 to finalize is not sent again: the CA may have acted") {
        FaultyCa t({fault("/finalize/", mock_acme::FaultKind::status_500)});
        const auto issued = t.issue();
        require_clean_failure(t, issued, ErrorKind::acme, "/order/", "finalize: serverInternal");
        CHECK(t.ca().fault_matches(0) == 1);
    }

    TEST_CASE("a connection dropped mid-answer on a poll is retried") {
        FaultyCa t({fault("/authz/", mock_acme::FaultKind::drop_connection)});
        const auto issued = t.issue();
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        CHECK(t.ca().faults_applied(0) == 1);
        t.require_records_removed();
    }

    TEST_CASE("a connection dropped after a challenge answer is an error, not a resend") {
        FaultyCa t({fault("/chall/", mock_acme::FaultKind::drop_connection)});
        const auto issued = t.issue();
        require_clean_failure(t, issued, ErrorKind::network, "/chall/", "no complete response");
        // One answer per challenge at most (two names): the dropped one was not sent again.
        CHECK(t.ca().faults_applied(0) == 1);
        CHECK(t.ca().fault_matches(0) <= 2);
    }

    TEST_CASE("a stall past the read timeout on the certificate download is retried") {
        FaultyCa t({fault("/cert/", mock_acme::FaultKind::stall)});
        const auto issued = t.issue();
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        CHECK(t.ca().fault_matches(0) == 2);
        CHECK_FALSE(t.live_is_empty());
    }

    TEST_CASE("a CA that always stalls: bounded attempts, then a timeout naming the URL") {
        FaultyCa t({fault("/order/", mock_acme::FaultKind::stall, -1)});
        const auto issued = t.issue();
        require_clean_failure(t, issued, ErrorKind::network, "/order/", "gave up after 4 attempts");
        CHECK(t.ca().fault_matches(0) == k_attempts);
        // Four read timeouts and three short pauses, not an unbounded wait.
        CHECK(t.took() < 10s);
    }

    TEST_CASE("malformed JSON is a clear error naming the URL, not retried") {
        FaultyCa t({fault("/finalize/", mock_acme::FaultKind::malformed_json)});
        const auto issued = t.issue();
        require_clean_failure(t, issued, ErrorKind::acme, "/order/", "finalize: ");
        CHECK(t.ca().fault_matches(0) == 1);
    }

    TEST_CASE("an HTML page instead of JSON names the URL and the Content-Type") {
        FaultyCa t({fault("/finalize/", mock_acme::FaultKind::wrong_content_type)});
        const auto issued = t.issue();
        require_clean_failure(t, issued, ErrorKind::acme, "/order/", "text/html");
        CHECK(t.ca().fault_matches(0) == 1);
    }

    TEST_CASE("a chain cut inside a PEM block is refused before anything is installed") {
        FaultyCa t({fault("/cert/", mock_acme::FaultKind::truncated_chain)});
        const auto issued = t.issue();
        REQUIRE_FALSE(issued.ok());
        INFO(issued.error().message);
        CHECK(contains(issued.error().message, "no matching END line"));
        CHECK(t.live_is_empty());
        t.require_records_removed();
    }
}

// A hostile CA (hardening issue items 6, 10, 11): the mock's hostile scripts.
TEST_SUITE("hostile ca") {
    TEST_CASE("a chain of more certificates than allowed is refused before it is installed") {
        mock_acme::Script script;
        script.chain_padding = 10; // leaf + CA + 10: 12 certificates, far below 4 MiB
        FaultyCa t(script);
        const auto issued = t.issue();
        REQUIRE_FALSE(issued.ok());
        INFO(issued.error().message);
        CHECK(contains(issued.error().message, "the chain holds 12 certificates, more than the "
                                               "10 allowed"));
        CHECK(t.live_is_empty());
        t.require_records_removed();
    }

    TEST_CASE("an authorization for another name: an error before any DNS record") {
        mock_acme::Script script;
        script.authz_identifier = "victim.example.test";
        FaultyCa t(script);
        const auto issued = t.issue();
        REQUIRE_FALSE(issued.ok());
        INFO(issued.error().message);
        CHECK(issued.error().kind == ErrorKind::acme);
        CHECK(contains(issued.error().message, "victim.example.test\", a name"));
        CHECK(t.dns_actions("add").empty());
        CHECK(t.ca().requests_to("/chall/").empty());
    }

    TEST_CASE("thousands of authorizations: none fetched, no DNS record") {
        mock_acme::Script script;
        script.extra_authorizations = 3000;
        FaultyCa t(script);
        const auto issued = t.issue();
        REQUIRE_FALSE(issued.ok());
        INFO(issued.error().message);
        CHECK(contains(issued.error().message, "3002 authorizations for 2 name(s)"));
        CHECK(t.ca().requests_to("/authz/").empty());
        CHECK(t.dns_actions("add").empty());
    }

    TEST_CASE("a problem detail with terminal escapes reaches the message escaped") {
        mock_acme::Script script;
        script.new_order_refusals.push_back(
            mock_acme::simple_problem(403, "rejectedIdentifier", "x\x1b[2Jy\x07\rforged"));
        FaultyCa t(script);
        const auto issued = t.issue();
        REQUIRE_FALSE(issued.ok());
        INFO(issued.error().message);
        CHECK(contains(issued.error().message, "x\\x1b[2Jy\\x07\\x0dforged"));
        CHECK_FALSE(contains(issued.error().message, "\x1b"));
        CHECK_FALSE(contains(issued.error().message, "\r"));
    }
}
