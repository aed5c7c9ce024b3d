// The issuance pipeline (src/core/pipeline.cpp) driven through the library, with a DNS
// provider of the caller's own (ClientOptions::provider) and the in-process mock CA: the
// stages run in order, the library's issue() takes the certificate lock, and it writes the
// outputs and runs the deploy hooks as `wildcert issue` does.
#include "tests/mock_acme/mock_acme.hpp"
#include "tests/mock_acme/soa_responder.hpp"

#include <wildcert/client.hpp>
#include <wildcert/dns_provider.hpp>
#include <wildcert/profile.hpp>

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <mutex>
#include <thread>
#include <unistd.h>

using namespace wildcert;
using namespace std::chrono_literals;
namespace fs = std::filesystem;

namespace {

// Records every call, in the order the pipeline makes them; add() can be held until the
// test lets it go (to keep a run inside its lock while another one starts).
class RecordingProvider final : public DnsProvider {
public:
    Result<void> add(std::span<const TxtRecord> records) override {
        if (m_hold)
            m_hold->wait_for(30s); // bounded: a broken test fails instead of hanging
        std::lock_guard lock(m_mutex);
        m_calls.push_back("add " + std::to_string(records.size()));
        m_added.insert(m_added.end(), records.begin(), records.end());
        return {};
    }
    Result<void> remove(std::span<const TxtRecord> records) override {
        std::lock_guard lock(m_mutex);
        m_calls.push_back("remove " + std::to_string(records.size()));
        m_removed.insert(m_removed.end(), records.begin(), records.end());
        return {};
    }
    void hold_until(std::shared_future<void> release) { m_hold = std::move(release); }

    std::vector<std::string> calls() const {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    std::vector<TxtRecord> added() const {
        std::lock_guard lock(m_mutex);
        return m_added;
    }
    std::vector<TxtRecord> removed() const {
        std::lock_guard lock(m_mutex);
        return m_removed;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_calls;
    std::vector<TxtRecord> m_added;
    std::vector<TxtRecord> m_removed;
    std::optional<std::shared_future<void>> m_hold;
};

class Fixture {
public:
    Fixture() : m_ca(mock_acme::Script{}) {
        static std::atomic<int> counter{0};
        m_dir =
            fs::temp_directory_path() / ("wildcert-pipeline-test-" + std::to_string(::getpid()) +
                                         "-" + std::to_string(counter++));
        fs::remove_all(m_dir);
        fs::create_directories(m_dir / "out"); // an output's folder must exist
        REQUIRE(m_ca.start().ok());
        REQUIRE(m_dns.start().ok());
        std::ofstream out(m_dir / "profile.toml");
        // The provider name is the program's own: the library does not create one for it.
        out << "[acme]\ndirectory = \"" << m_ca.directory_url()
            << "\"\naccept_terms = true\naccount_key = \"ec-p256\"\n\n"
            << "[dns]\nprovider = \"in-house\"\nresolvers = [\"" << m_dns.address()
            << "\"]\npropagation_check = \"none\"\n\n"
            << "[[certificate]]\nname = \"demo\"\ndomains = [\"*.demo.test\", \"demo.test\"]\n"
            << "[[certificate.output]]\nformat = \"pem-bundle\"\npath = \""
            << (m_dir / "out" / "demo.pem").string() << "\"\n"
            << "[[certificate.deploy]]\ncommand = [\"/bin/sh\", \"-c\", "
               "\"echo \\\"$WILDCERT_SERIAL\\\" >> \\\""
            << (m_dir / "deployed.txt").string() << "\\\"\"]\n";
    }
    ~Fixture() {
        std::error_code ec;
        fs::remove_all(m_dir, ec);
    }
    Fixture(const Fixture&) = delete;
    Fixture& operator=(const Fixture&) = delete;

    // A client of its own (as a second program would have) with `provider`.
    Client open(std::shared_ptr<DnsProvider> provider, std::string* log = nullptr) {
        auto profile = load_profile(m_dir / "profile.toml");
        REQUIRE_MESSAGE(profile.ok(), profile.error().message);
        ClientOptions options;
        options.state_dir = m_dir / "state";
        options.provider = std::move(provider);
        if (log != nullptr) {
            options.log = [this, log](LogLevel level, std::string_view line) {
                if (level == LogLevel::status)
                    return;
                std::lock_guard lock(m_log_mutex);
                *log += std::string(line) + "\n";
            };
        }
        auto client = Client::create(std::move(profile).value(), std::move(options));
        REQUIRE_MESSAGE(client.ok(), client.error().message);
        return std::move(client).value();
    }
    CertificateSettings certificate() const {
        auto profile = load_profile(m_dir / "profile.toml");
        REQUIRE(profile.ok());
        return profile->certificates.front();
    }
    mock_acme::MockAcme& ca() { return m_ca; }
    const fs::path& dir() const { return m_dir; }

private:
    mock_acme::MockAcme m_ca;
    mock_acme::SoaResponder m_dns;
    fs::path m_dir;
    std::mutex m_log_mutex;
};

std::string read_file(const fs::path& path) {
    std::ifstream in(path);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Where `line` starts in `log`, failing the test when it is not there.
std::size_t position_of(const std::string& log, std::string_view line) {
    const auto at = log.find(line);
    CHECK_MESSAGE(at != std::string::npos, "not logged: ", line, "\n", log);
    return at;
}

} // namespace

TEST_SUITE("pipeline (library, own provider, mock CA)") {
    TEST_CASE("issue() runs every stage in order, with the caller's provider, then outputs "
              "and deploy") {
        Fixture fixture;
        auto provider = std::make_shared<RecordingProvider>();
        std::string log;
        auto client = fixture.open(provider, &log);
        const auto issued = client.issue(fixture.certificate());
        REQUIRE_MESSAGE(issued.ok(), issued.error().message);

        // Stage by stage, as the log tells them.
        const std::vector<std::string_view> stages{
            "issue: demo: ",                              // select, lock
            "acme: order ",                               // order
            "dns: published 2 TXT record(s) in ",         // plan, publish
            "acme: answered 2 challenge(s)",              // answer
            "acme: every authorization of demo is valid", // validate
            "dns: removed 2 TXT record(s)",               // clean up
            "store: installed ",                          // finalize, install
        };
        std::size_t previous = 0;
        for (const auto stage : stages) {
            const auto at = position_of(log, stage);
            CHECK_MESSAGE(at >= previous, "out of order: ", stage, "\n", log);
            previous = at;
        }

        // The caller's provider got one add for the zone and one remove of the same records.
        CHECK(provider->calls() == std::vector<std::string>{"add 2", "remove 2"});
        CHECK(provider->added() == provider->removed());
        REQUIRE(provider->added().size() == 2);
        CHECK(provider->added().front().fqdn == "_acme-challenge.demo.test.");
        // Nothing left for a later run to clean up.
        const auto leftovers = client.clean_up_leftovers();
        REQUIRE(leftovers.ok());
        CHECK(leftovers->empty());

        // Install, outputs and deploy, as the command line does them.
        CHECK(fs::exists(issued->live_dir / "cert.pem"));
        const auto bundle = read_file(fixture.dir() / "out" / "demo.pem");
        CHECK(bundle.find("PRIVATE KEY") != std::string::npos);
        CHECK(read_file(fixture.dir() / "deployed.txt") == issued->serial_hex + "\n");
        CHECK(fixture.ca().requests_to("/finalize").size() == 1);
    }

    TEST_CASE("two library callers at once issue once: the second finds the lock taken") {
        Fixture fixture;
        std::promise<void> release;
        auto first_provider = std::make_shared<RecordingProvider>();
        first_provider->hold_until(release.get_future().share());
        auto second_provider = std::make_shared<RecordingProvider>();
        auto first = fixture.open(first_provider);
        auto second = fixture.open(second_provider);
        const auto certificate = fixture.certificate();

        auto first_run = std::async(std::launch::async, [&] { return first.issue(certificate); });
        // The first is inside its lock once its order is placed (it is then held in add()).
        const auto deadline = std::chrono::steady_clock::now() + 30s;
        while (fixture.ca().requests_to("/new-order").empty() &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(5ms);
        REQUIRE_FALSE(fixture.ca().requests_to("/new-order").empty());
        const auto second_result = second.issue(certificate);
        release.set_value();
        const auto first_result = first_run.get();

        REQUIRE_MESSAGE(first_result.ok(), first_result.error().message);
        REQUIRE_FALSE(second_result.ok());
        CHECK(second_result.error().kind == ErrorKind::locked);
        CHECK(second_result.error().message.find("is locked") != std::string::npos);
        CHECK(second_provider->calls().empty());
        CHECK(fixture.ca().requests_to("/finalize").size() == 1);
        CHECK(fixture.ca().requests_to("/new-order").size() == 1);
        // Deployed once, by the run that issued.
        CHECK(read_file(fixture.dir() / "deployed.txt") == first_result->serial_hex + "\n");
    }

    TEST_CASE("a dry run is decided by the library: a production directory is refused") {
        Fixture fixture;
        auto provider = std::make_shared<RecordingProvider>();
        auto profile = load_profile(fixture.dir() / "profile.toml");
        REQUIRE(profile.ok());
        profile->acme.directory_url = "https://ca.example.net/directory";
        const auto refused = Client::dry_run_directory(*profile, false);
        REQUIRE_FALSE(refused.ok());
        CHECK(refused.error().kind == ErrorKind::usage);
        CHECK(*Client::dry_run_directory(*profile, true) == "https://ca.example.net/directory");

        ClientOptions options;
        options.state_dir = fixture.dir() / "state";
        options.provider = provider;
        const auto certificates = profile->certificates;
        auto client = Client::create(std::move(profile).value(), std::move(options));
        REQUIRE(client.ok());
        RenewOptions run;
        run.dry_run = true;
        const auto reports = client->renew(certificates, run);
        REQUIRE(reports.size() == 1);
        CHECK(reports.front().status == RenewalStatus::failed);
        REQUIRE(reports.front().error);
        CHECK(reports.front().error->kind == ErrorKind::usage);
        CHECK(provider->calls().empty());
        CHECK(fixture.ca().requests().empty());
    }
}
