// fake-cloudflare: the Cloudflare API v4 fake as a process, for the e2e tests. Prints
// "zone NAME ID" per zone, then "listening on PORT", and serves until SIGTERM or SIGINT.

#include "config/small_file.hpp"
#include "fake_server.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace wildcert;
using namespace wildcert::fakes::cloudflare;

constexpr std::string_view k_usage =
    "usage: fake-cloudflare --zone NAME... [--account-id ID] [--token TOKEN]...\n"
    "         [--readonly-token TOKEN]... [--global-key EMAIL:KEY]... [--per-page N]\n"
    "         [--duplicate-code 81057|81058] [--throttle-every N] [--retry-after SECONDS]\n"
    "         [--bind-server ADDR:PORT --tsig-name NAME (--tsig-secret S | --tsig-secret-file F)\n"
    "          [--tsig-algorithm ALG]] [--tls-cert PEM --tls-key PEM] [--log]\n"
    "--token has Zone:Read + DNS:Edit; --readonly-token has Zone:Read + DNS:Read only.\n";

[[noreturn]] void usage_error(const std::string& why) {
    std::cerr << "fake-cloudflare: " << why << "\n" << k_usage;
    std::exit(2);
}

int to_int(const std::string& flag, const std::string& text) {
    try {
        std::size_t used = 0;
        const int value = std::stoi(text, &used);
        if (used == text.size())
            return value;
    } catch (const std::exception&) {
    }
    usage_error(flag + ": not a number: " + text);
}

struct Options {
    std::vector<std::string> zones;
    std::string account_id{k_default_account_id};
    std::vector<std::string> tokens;
    std::vector<std::string> readonly_tokens;
    std::vector<std::string> global_keys;
    int per_page = 0;
    int duplicate_code = 0;
    int throttle_every = 0;
    int retry_after = 1;
    std::string bind_server;
    std::string tsig_name;
    std::string tsig_secret;
    std::string tsig_algorithm = "hmac-sha256";
    std::string tls_cert; // with tls_key: serve HTTPS
    std::string tls_key;
    bool log = false;
};

Options parse(int argc, char** argv) {
    Options options;
    for (int i = 1; i < argc; ++i) {
        const std::string flag = argv[i];
        if (flag == "--log") {
            options.log = true;
            continue;
        }
        if (i + 1 >= argc)
            usage_error(flag + ": needs a value");
        const std::string value = argv[++i];
        if (flag == "--zone")
            options.zones.push_back(value);
        else if (flag == "--account-id")
            options.account_id = value;
        else if (flag == "--token")
            options.tokens.push_back(value);
        else if (flag == "--readonly-token")
            options.readonly_tokens.push_back(value);
        else if (flag == "--global-key")
            options.global_keys.push_back(value);
        else if (flag == "--per-page")
            options.per_page = to_int(flag, value);
        else if (flag == "--duplicate-code")
            options.duplicate_code = to_int(flag, value);
        else if (flag == "--throttle-every")
            options.throttle_every = to_int(flag, value);
        else if (flag == "--retry-after")
            options.retry_after = to_int(flag, value);
        else if (flag == "--bind-server")
            options.bind_server = value;
        else if (flag == "--tsig-name")
            options.tsig_name = value;
        else if (flag == "--tsig-secret")
            options.tsig_secret = value;
        else if (flag == "--tsig-secret-file") {
            auto content = config::read_small_file(value, 4096);
            if (!content)
                usage_error(flag + ": " + content.error().message);
            options.tsig_secret = *content;
            while (!options.tsig_secret.empty() &&
                   (options.tsig_secret.back() == '\n' || options.tsig_secret.back() == '\r'))
                options.tsig_secret.pop_back();
        } else if (flag == "--tsig-algorithm")
            options.tsig_algorithm = value;
        else if (flag == "--tls-cert")
            options.tls_cert = value;
        else if (flag == "--tls-key")
            options.tls_key = value;
        else
            usage_error("unknown option " + flag);
    }
    if (options.zones.empty())
        usage_error("at least one --zone is needed");
    return options;
}

void configure(FakeApi& api, const Options& options) {
    for (const auto& token : options.tokens)
        api.add_token(token, Scopes{});
    for (const auto& token : options.readonly_tokens)
        api.add_token(token, Scopes{true, true, false});
    for (const auto& pair : options.global_keys) {
        const auto colon = pair.find(':');
        if (colon == std::string::npos)
            usage_error("--global-key: expected EMAIL:KEY");
        api.add_global_key(pair.substr(0, colon), pair.substr(colon + 1));
    }
    if (options.per_page > 0)
        api.set_records_per_page(options.per_page);
    if (options.duplicate_code != 0)
        api.set_duplicate_code(options.duplicate_code);
    if (options.throttle_every > 0)
        api.throttle_every(options.throttle_every, options.retry_after);
    if (!options.bind_server.empty()) {
        auto server = dns::parse_server_address(options.bind_server);
        if (!server)
            usage_error("--bind-server: " + server.error().message);
        auto algorithm = dns::parse_tsig_algorithm(options.tsig_algorithm);
        if (!algorithm)
            usage_error("--tsig-algorithm: " + algorithm.error().message);
        if (options.tsig_name.empty() || options.tsig_secret.empty())
            usage_error("--bind-server needs --tsig-name and a TSIG secret");
        api.set_bind(
            BindTarget{*server, dns::TsigKey{options.tsig_name, *algorithm, options.tsig_secret}});
    }
}

} // namespace

int main(int argc, char** argv) {
    const Options options = parse(argc, argv);

    // Blocked before any thread starts, so only sigwait below sees them.
    sigset_t stop_signals;
    sigemptyset(&stop_signals);
    sigaddset(&stop_signals, SIGTERM);
    sigaddset(&stop_signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

    FakeCloudflare fake;
    configure(fake.api(), options);
    for (const auto& zone : options.zones)
        std::cout << "zone " << zone << " " << fake.api().add_zone(zone, options.account_id)
                  << "\n";
    fake.log_requests(options.log);
    if (auto started = fake.start(options.tls_cert, options.tls_key); !started) {
        std::cerr << "fake-cloudflare: " << started.error().message << "\n";
        return 1;
    }
    std::cout << "listening on " << fake.port() << std::endl;

    int received = 0;
    sigwait(&stop_signals, &received);
    fake.stop();
    return 0;
}
