// The issuance flow against the in-process mock ACME server (tests/mock_acme): what Pebble 2.4
// cannot show. Each test drives the real wildcert::Client (exec provider /bin/true,
// propagation_check = "none", zone discovery answered by a local SOA responder).
#include "acme/acme_client.hpp"
#include "core/renewal_decision.hpp"
#include "crypto/base64.hpp"
#include "http/http_client.hpp"
#include "tests/mock_acme/mock_acme.hpp"
#include "tests/mock_acme/soa_responder.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace wildcert;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

class Flow {
public:
    explicit Flow(mock_acme::Script script) : m_ca(std::move(script)) {
        static std::atomic<int> counter{0};
        m_dir = fs::temp_directory_path() / ("wildcert-flow-test-" + std::to_string(::getpid()) +
                                             "-" + std::to_string(counter++));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir);
        REQUIRE(m_ca.start().ok());
        REQUIRE(m_dns.start().ok());
    }
    ~Flow() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    Flow(const Flow&) = delete;
    Flow& operator=(const Flow&) = delete;

    mock_acme::MockAcme& ca() { return m_ca; }
    // The [[certificate]] domains array contents for the next runs.
    void set_domains(std::string domains) { m_domains = std::move(domains); }
    const fs::path& state_dir() const { return m_dir; }

    // Client::decide_renewal for the profile's only certificate.
    Result<RenewalDecision> decide(std::chrono::system_clock::time_point now) {
        auto profile = load_profile(m_dir / "profile.toml");
        REQUIRE(profile.ok());
        const auto certificate = profile->certificates.front();
        ClientOptions options;
        options.state_dir = m_dir / "state";
        auto client = Client::create(std::move(profile).value(), std::move(options));
        REQUIRE(client.ok());
        return client->decide_renewal(certificate, now);
    }

    // One run of `wildcert issue` for the profile's only certificate; `extra` goes into its
    // [[certificate]] table.
    Result<IssuedCertificate> issue(const std::string& extra = "") {
        const auto path = m_dir / "profile.toml";
        {
            std::ofstream out(path);
            out << "[acme]\ndirectory = \"" << m_ca.directory_url()
                << "\"\naccept_terms = true\naccount_key = \"ec-p256\"\n\n"
                << "[dns]\nprovider = \"exec\"\nresolvers = [\"" << m_dns.address()
                << "\"]\npropagation_check = \"none\"\n\n[dns.exec]\ncommand = \"/bin/true\"\n\n"
                << "[[certificate]]\nname = \"demo\"\ndomains = [" << m_domains << "]\n"
                << extra << "\n";
        }
        auto profile = load_profile(path);
        REQUIRE_MESSAGE(profile.ok(), profile.error().message);
        const auto certificate = profile->certificates.front();
        ClientOptions options;
        options.state_dir = m_dir / "state";
        options.log = [this](LogLevel, std::string_view line) {
            m_log += std::string(line) + "\n";
        };
        auto client = Client::create(std::move(profile).value(), std::move(options));
        REQUIRE_MESSAGE(client.ok(), client.error().message);
        return client->issue(certificate);
    }

    [[nodiscard]] bool logged(std::string_view text) const {
        return m_log.find(text) != std::string::npos;
    }
    [[nodiscard]] const std::string& log() const { return m_log; }

    [[nodiscard]] std::string live_cert() const {
        std::ifstream in(m_dir / "state" / "live" / "demo" / "cert.pem");
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }

private:
    mock_acme::MockAcme m_ca;
    mock_acme::SoaResponder m_dns;
    fs::path m_dir;
    std::string m_log;
    std::string m_domains = R"("*.demo.test", "demo.test")";
};

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// The smallest gap between consecutive requests of `requests` (all of one resource).
std::chrono::milliseconds smallest_gap(const std::vector<mock_acme::RecordedRequest>& requests) {
    auto smallest = std::chrono::milliseconds::max();
    for (std::size_t i = 1; i < requests.size(); ++i)
        smallest = std::min(smallest, std::chrono::duration_cast<std::chrono::milliseconds>(
                                          requests[i].at - requests[i - 1].at));
    return smallest;
}

// A test-side base64url, independent of src/crypto, for the expected CertID.
std::string b64url(const std::vector<std::uint8_t>& bytes) {
    static constexpr char k_alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    for (const auto byte : bytes) {
        buffer = (buffer << 8) | byte;
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            out += k_alphabet[(buffer >> bits) & 0x3F];
        }
    }
    if (bits > 0)
        out += k_alphabet[(buffer << (6 - bits)) & 0x3F];
    return out;
}

std::vector<std::uint8_t> serial_octets(std::uint64_t serial) {
    std::vector<std::uint8_t> bytes;
    for (; serial != 0; serial >>= 8)
        bytes.insert(bytes.begin(), static_cast<std::uint8_t>(serial & 0xFF));
    if (bytes.empty() || bytes.front() >= 0x80)
        bytes.insert(bytes.begin(), 0x00);
    return bytes;
}

} // namespace

TEST_SUITE("acme flow (mock CA)") {
    TEST_CASE("Retry-After on authorization and order polls is honoured; challenge processing "
              "keeps polling") {
        mock_acme::Script script;
        script.authz_pending_polls = 2;
        script.authz_retry_after = "1";
        script.order_processing_polls = 1;
        script.order_retry_after = "1";
        Flow flow(script);
        const auto issued = flow.issue();
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        CHECK(flow.ca().jws_rejections() == 0);

        // Each authorization: polled while "pending" with its challenge "processing" (RFC 8555
        // §7.1.6), at least a second apart as the CA asked, until valid.
        const auto requests = flow.ca().requests();
        std::map<std::string, std::vector<mock_acme::RecordedRequest>> polls_by_authz;
        std::chrono::steady_clock::time_point answered{};
        for (const auto& request : requests) {
            if (request.path.rfind("/chall/", 0) == 0)
                answered = std::max(answered, request.at);
            if (request.path.rfind("/authz/", 0) == 0 && answered.time_since_epoch().count() != 0)
                polls_by_authz[request.path].push_back(request);
        }
        REQUIRE(polls_by_authz.size() == 2);
        for (const auto& [path, polls] : polls_by_authz) {
            CAPTURE(path);
            CHECK(polls.size() == 3); // pending, pending, valid
            CHECK(smallest_gap(polls) >= 950ms);
        }

        // The order: finalize answers "processing"; the next poll waits for Retry-After.
        std::optional<std::chrono::steady_clock::time_point> finalized;
        std::vector<mock_acme::RecordedRequest> order_polls;
        for (const auto& request : requests) {
            if (request.path.rfind("/finalize/", 0) == 0)
                finalized = request.at;
            else if (finalized && request.path.rfind("/order/", 0) == 0)
                order_polls.push_back(request);
        }
        REQUIRE(finalized.has_value());
        REQUIRE(order_polls.size() >= 2);
        CHECK(order_polls.front().at - *finalized >= 950ms);
        CHECK(smallest_gap(order_polls) >= 950ms);
    }

    TEST_CASE("subproblems are reported per identifier") {
        mock_acme::Script script;
        script.new_order_refusals.push_back(
            {.status = 400,
             .type = "compound",
             .detail = "two identifiers refused",
             .retry_after = {},
             .links = {},
             .extra_json =
                 R"("subproblems":[{"type":"urn:ietf:params:acme:error:rejectedIdentifier","detail":"blocked name","identifier":{"type":"dns","value":"*.demo.test"}},{"type":"urn:ietf:params:acme:error:caa","detail":"CAA forbids","identifier":{"type":"dns","value":"demo.test"}}])"});
        Flow flow(script);
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        const auto& message = issued.error().message;
        CHECK(issued.error().kind == ErrorKind::acme);
        CHECK(contains(message, "compound: two identifiers refused"));
        CHECK(contains(message, "[*.demo.test: rejectedIdentifier: blocked name]"));
        CHECK(contains(message, "[demo.test: caa: CAA forbids]"));
        // What a caller branches on, without reading the message.
        CHECK(issued.error().problem_type == "compound");
        CHECK(issued.error().identifier == "*.demo.test");
        CHECK_FALSE(issued.error().retry_after);
    }

    TEST_CASE("an invalid authorization names its identifier and the challenge error") {
        mock_acme::Script script;
        script.authz_final = "invalid";
        script.authz_error_json =
            R"({"type":"urn:ietf:params:acme:error:unauthorized","detail":"no TXT","status":403})";
        Flow flow(script);
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        CHECK(contains(issued.error().message, "is invalid: unauthorized: no TXT"));
        CHECK(issued.error().problem_type == "unauthorized");
        CHECK_FALSE(issued.error().identifier.empty());
        CHECK(contains(issued.error().message,
                       "authorization for " + issued.error().identifier + " is invalid"));
    }

    TEST_CASE("rateLimited says when to retry and is not retried") {
        mock_acme::Script script;
        script.new_order_refusals.push_back(
            {.status = 429,
             .type = "rateLimited",
             .detail = "too many certificates for demo.test",
             .retry_after = "3600",
             .links = {"<https://ca.test/docs/rate-limits>;rel=\"help\""},
             .extra_json = {}});
        Flow flow(script);
        const auto before = std::chrono::system_clock::now();
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        const auto& message = issued.error().message;
        CHECK(issued.error().kind == ErrorKind::acme);
        CHECK(contains(message, "rateLimited: too many certificates for demo.test"));
        CHECK(contains(message, "(in 1h 0m 0s)"));
        CHECK(contains(message, "see https://ca.test/docs/rate-limits"));
        // The retry date is an hour from now (RFC 3339, to the second).
        const auto at = message.find("try again after ");
        REQUIRE(at != std::string::npos);
        const auto year =
            std::chrono::year_month_day(std::chrono::floor<std::chrono::days>(before + 1h));
        CHECK(contains(message.substr(at), std::to_string(int(year.year())) + "-"));
        CHECK(flow.ca().requests_to("/new-order").size() == 1);
        CHECK(issued.error().problem_type == "rateLimited");
        REQUIRE(issued.error().retry_after);
        CHECK(*issued.error().retry_after == 3600s);
    }

    TEST_CASE("an order status RFC 8555 does not define is terminal and named") {
        mock_acme::Script script;
        script.order_final = "deactivated";
        script.order_error_json =
            R"({"type":"urn:ietf:params:acme:error:serverInternal","detail":"gone"})";
        Flow flow(script);
        const auto started = std::chrono::steady_clock::now();
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        CHECK(contains(issued.error().message, "is deactivated: serverInternal: gone"));
        CHECK(std::chrono::steady_clock::now() - started < 30s);
    }

    TEST_CASE("userActionRequired names the page to visit and the new terms") {
        mock_acme::Script script;
        script.new_order_refusals.push_back(
            {.status = 403,
             .type = "userActionRequired",
             .detail = "terms changed",
             .retry_after = {},
             .links = {"<https://ca.test/tos-v2>;rel=\"terms-of-service\""},
             .extra_json = R"("instance":"https://ca.test/agree?acct=1")"});
        Flow flow(script);
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        CHECK(contains(issued.error().message, "visit https://ca.test/agree?acct=1"));
        CHECK(contains(issued.error().message, "new terms of service: https://ca.test/tos-v2"));
    }

    TEST_CASE("agreementRequired names the directory's terms and the profile key") {
        mock_acme::Script script;
        script.terms_of_service = "https://ca.test/tos-v3";
        script.new_order_refusals.push_back(
            mock_acme::simple_problem(403, "agreementRequired", "agree first"));
        Flow flow(script);
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        CHECK(contains(issued.error().message, "the terms at https://ca.test/tos-v3"));
        CHECK(contains(issued.error().message, "acme.accept_terms = true"));
    }

    TEST_CASE("profile is sent in newOrder when the CA offers it") {
        mock_acme::Script script;
        script.profiles = {{"classic", "90 days"}, {"shortlived", "6 days"}};
        Flow flow(script);
        const auto issued = flow.issue("profile = \"shortlived\"");
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        const auto orders = flow.ca().requests_to("/new-order");
        REQUIRE(orders.size() == 1);
        CHECK(contains(orders[0].payload, R"("profile":"shortlived")"));
        CHECK(flow.logged("order profile \"shortlived\""));
    }

    TEST_CASE("an unknown profile fails before any order, naming the offered ones") {
        mock_acme::Script script;
        script.profiles = {{"classic", "90 days"}, {"shortlived", "6 days"}};
        Flow flow(script);
        const auto issued = flow.issue("profile = \"tlsclient\"");
        REQUIRE_FALSE(issued.ok());
        CHECK(issued.error().kind == ErrorKind::acme);
        CHECK(contains(issued.error().message, "profile \"tlsclient\""));
        CHECK(contains(issued.error().message, "\"classic\" (90 days), \"shortlived\" (6 days)"));
        CHECK(flow.ca().requests_to("/new-order").empty());
    }

    TEST_CASE("a profile with a CA that offers none is an error before any order") {
        Flow flow(mock_acme::Script{});
        const auto issued = flow.issue("profile = \"classic\"");
        REQUIRE_FALSE(issued.ok());
        CHECK(contains(issued.error().message, "offers no certificate profiles"));
        CHECK(flow.ca().requests_to("/new-order").empty());
    }

    TEST_CASE("invalidProfile from the CA is explained") {
        mock_acme::Script script;
        script.profiles = {{"classic", "90 days"}};
        script.new_order_refusals.push_back(
            mock_acme::simple_problem(400, "invalidProfile", "classic is retired"));
        Flow flow(script);
        const auto issued = flow.issue("profile = \"classic\"");
        REQUIRE_FALSE(issued.ok());
        CHECK(contains(issued.error().message, "invalidProfile: classic is retired"));
        CHECK(contains(issued.error().message,
                       "the CA refused the certificate profile \"classic\" (it offers "
                       "\"classic\" (90 days))"));
    }

    TEST_CASE("ARI: the next order replaces the current certificate by its CertID") {
        mock_acme::Script script;
        script.renewal_info = true;
        Flow flow(script);
        REQUIRE(flow.issue().ok());
        REQUIRE(flow.issue().ok());
        const auto orders = flow.ca().requests_to("/new-order");
        REQUIRE(orders.size() == 2);
        CHECK_FALSE(contains(orders[0].payload, "replaces"));
        const auto issued = flow.ca().issued();
        REQUIRE(issued.size() == 2);
        const auto expected =
            b64url(issued[0].authority_key_id) + "." + b64url(serial_octets(issued[0].serial));
        CHECK(expected.ends_with(".AIdlQyE")); // serial 0x87654321, as in RFC 9773 Appendix A
        CHECK(contains(orders[1].payload, R"("replaces":")" + expected + "\""));
        CHECK(flow.ca().jws_rejections() == 0);
    }

    TEST_CASE("ARI: no replaces to a CA without renewalInfo") {
        Flow flow(mock_acme::Script{});
        REQUIRE(flow.issue().ok());
        REQUIRE(flow.issue().ok());
        for (const auto& order : flow.ca().requests_to("/new-order"))
            CHECK_FALSE(contains(order.payload, "replaces"));
    }

    TEST_CASE("ARI: alreadyReplaced is retried once without replaces, and said") {
        mock_acme::Script script;
        script.renewal_info = true;
        script.already_replaced = true;
        Flow flow(script);
        REQUIRE(flow.issue().ok());
        const auto second = flow.issue();
        REQUIRE_MESSAGE(second.ok(), second.error().message);
        const auto orders = flow.ca().requests_to("/new-order");
        REQUIRE(orders.size() == 3);
        CHECK(contains(orders[1].payload, "replaces"));
        CHECK_FALSE(contains(orders[2].payload, "replaces"));
        CHECK(flow.logged("(alreadyReplaced); ordering again without \"replaces\""));
    }

    TEST_CASE("ARI: the renewal decision follows the CA's window, by plain GET") {
        mock_acme::Script script;
        script.renewal_info = true;
        // RFC 9773 §4.2's example object.
        script.renewal_info_body =
            R"({"suggestedWindow":{"start":"2025-01-02T04:00:00Z","end":"2025-01-03T04:00:00Z"},"explanationURL":"https://acme.example.com/docs/ari"})";
        script.renewal_info_retry_after = "21600";
        Flow flow(script);
        REQUIRE(flow.issue().ok());
        const auto pem = flow.live_cert();

        http::Client http(http::Options{});
        auto acme = acme::AcmeClient::connect(http, flow.ca().directory_url());
        REQUIRE(acme.ok());
        using std::chrono::sys_days;
        const auto start = sys_days{std::chrono::year{2025} / 1 / 2} + 4h;
        const auto half = [] { return 0.5; };

        auto before = core::decide_renewal(&*acme, pem, start - 1h, half);
        REQUIRE(before.ok());
        CHECK(before->from_ari);
        CHECK_FALSE(before->due);
        CHECK(before->renew_at == start + 12h);
        CHECK(before->explanation_url == "https://acme.example.com/docs/ari");
        CHECK(before->check_again_in == std::chrono::seconds(21600));

        auto after = core::decide_renewal(&*acme, pem, start + 13h, half);
        REQUIRE(after.ok());
        CHECK(after->due);
        // A window in the past: due now, whatever the draw.
        auto later = core::decide_renewal(&*acme, pem, start + 48h, [] { return 0.99; });
        REQUIRE(later.ok());
        CHECK(later->due);

        // An expired certificate is due without asking (RFC 9773 §4.3).
        auto expired =
            core::decide_renewal(&*acme, pem, std::chrono::system_clock::now() + 24h * 100, half);
        REQUIRE(expired.ok());
        CHECK(expired->due);
        CHECK_FALSE(expired->from_ari);

        const auto fetches = flow.ca().requests_to("/renewal-info/");
        REQUIRE(fetches.size() == 3);
        for (const auto& fetch : fetches)
            CHECK(fetch.method == "GET");
        const auto issued = flow.ca().issued();
        CHECK(fetches[0].path == "/renewal-info/" + b64url(issued[0].authority_key_id) + "." +
                                     b64url(serial_octets(issued[0].serial)));
    }

    TEST_CASE("ARI: a failing renewalInfo falls back to the lifetime rule and says why") {
        mock_acme::Script script;
        script.renewal_info = true;
        script.renewal_info_status = 500;
        script.renewal_info_body = R"({"type":"urn:ietf:params:acme:error:serverInternal"})";
        Flow flow(script);
        REQUIRE(flow.issue().ok());
        http::Client http(http::Options{});
        auto acme = acme::AcmeClient::connect(http, flow.ca().directory_url());
        REQUIRE(acme.ok());
        const auto decision = core::decide_renewal(
            &*acme, flow.live_cert(), std::chrono::system_clock::now(), core::system_uniform());
        REQUIRE(decision.ok());
        CHECK_FALSE(decision->from_ari);
        CHECK_FALSE(decision->due); // 90 days, issued an hour ago
        CHECK(contains(decision->reason, "lifetime rule"));
        CHECK(contains(decision->reason, "ARI unavailable"));
    }

    TEST_CASE("Client::decide_renewal: no certificate is due; then the CA's window decides") {
        mock_acme::Script script;
        script.renewal_info = true;
        script.renewal_info_body =
            R"({"suggestedWindow":{"start":"2099-01-02T04:00:00Z","end":"2099-01-03T04:00:00Z"}})";
        Flow flow(script);
        REQUIRE(flow.issue().ok()); // a current certificate (and the profile file)
        const auto now = std::chrono::system_clock::now();
        const auto current = flow.decide(now);
        REQUIRE_MESSAGE(current.ok(), current.error().message);
        CHECK(current->from_ari);
        CHECK_FALSE(current->due);
        CHECK(current->check_again_in == std::chrono::seconds(6h)); // no Retry-After: 6 h
        CHECK(contains(current->reason, "2099-01-02T04:00:00Z .. 2099-01-03T04:00:00Z"));

        std::filesystem::remove(flow.state_dir() / "state" / "live" / "demo");
        const auto none = flow.decide(now);
        REQUIRE(none.ok());
        CHECK(none->due);
        CHECK(contains(none->reason, "no certificate"));
    }

    TEST_CASE("a Retry-After beyond the wait budget ends the wait at once, saying so") {
        mock_acme::Script script;
        script.order_processing_polls = 5;
        script.order_retry_after = "86400";
        Flow flow(script);
        const auto started = std::chrono::steady_clock::now();
        const auto issued = flow.issue();
        REQUIRE_FALSE(issued.ok());
        CHECK(issued.error().kind == ErrorKind::timeout);
        CHECK(contains(issued.error().message, "the CA asks to wait 86400s (Retry-After)"));
        CHECK(std::chrono::steady_clock::now() - started < 30s);
    }

    TEST_CASE("ARI: no replaces when the current certificate is for other names") {
        mock_acme::Script script;
        script.renewal_info = true;
        Flow flow(script);
        REQUIRE(flow.issue().ok());
        // Same certificate name, new domains: the CA would refuse the pairing (RFC 9773 §5).
        flow.set_domains(R"("other.test")");
        const auto issued = flow.issue();
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);
        const auto orders = flow.ca().requests_to("/new-order");
        REQUIRE(orders.size() == 2);
        CHECK_FALSE(contains(orders[1].payload, "replaces"));
        CHECK(flow.logged("shares no name with this one"));
    }
}
