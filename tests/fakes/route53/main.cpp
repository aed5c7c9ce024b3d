// fake-route53: the Route 53 fake as a process, for the end-to-end tests.
//
//   AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... [AWS_SESSION_TOKEN=...]
//   fake-route53 --zone demo.test [--private-zone demo.test] [--port N] [--insync-after N]
//                [--throttle-every N] [--bare-invalid-change-batch] [--log]
//                [--bind-server ADDR:PORT --tsig-name NAME --tsig-secret BASE64]
//
// The credentials it accepts come from the same variables a client reads. It prints
// "zone NAME ID" per zone, then "listening on PORT", and serves until SIGTERM or SIGINT.
#include "fake_route53.hpp"

#include "dns/server_address.hpp"

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

namespace {

using wildcert::fakes::route53::BindMirror;
using wildcert::fakes::route53::FakeOptions;
using wildcert::fakes::route53::FakeRoute53;

int usage(const std::string& why) {
    std::cerr << "fake-route53: " << why << "\n";
    return 2;
}

std::string env_or(const char* name, std::string fallback) {
    const char* value = std::getenv(name);
    return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

} // namespace

int main(int argc, char** argv) {
    FakeOptions options;
    options.access_key_id = env_or("AWS_ACCESS_KEY_ID", options.access_key_id);
    options.secret_access_key = env_or("AWS_SECRET_ACCESS_KEY", options.secret_access_key);
    options.session_token = env_or("AWS_SESSION_TOKEN", "");
    std::vector<std::pair<std::string, bool>> zones;
    int port = 0;
    std::string bind_server;
    std::string tsig_name;
    std::string tsig_secret;

    const std::vector<std::string> args(argv + 1, argv + argc);
    for (std::size_t i = 0; i < args.size(); ++i) {
        const auto& arg = args[i];
        const auto value = [&]() -> std::string {
            return i + 1 < args.size() ? args[++i] : std::string();
        };
        try {
            if (arg == "--zone")
                zones.emplace_back(value(), false);
            else if (arg == "--private-zone")
                zones.emplace_back(value(), true);
            else if (arg == "--port")
                port = std::stoi(value());
            else if (arg == "--insync-after")
                options.polls_until_insync = std::stoi(value());
            else if (arg == "--throttle-every")
                options.throttle_every = std::stoi(value());
            else if (arg == "--bare-invalid-change-batch")
                options.bare_invalid_change_batch = true;
            else if (arg == "--log")
                options.log_requests = true;
            else if (arg == "--bind-server")
                bind_server = value();
            else if (arg == "--tsig-name")
                tsig_name = value();
            else if (arg == "--tsig-secret")
                tsig_secret = value();
            else
                return usage("unknown argument " + arg);
        } catch (const std::exception&) {
            return usage("bad number after " + arg);
        }
    }
    if (!bind_server.empty()) {
        auto server = wildcert::dns::parse_server_address(bind_server);
        if (!server)
            return usage("--bind-server: " + server.error().message);
        if (tsig_name.empty() || tsig_secret.empty())
            return usage("--bind-server needs --tsig-name and --tsig-secret");
        options.bind = BindMirror{
            server.value(), {tsig_name, wildcert::dns::TsigAlgorithm::hmac_sha256, tsig_secret}};
    }

    // Signals are taken synchronously by sigwait below, so every thread must block them.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    FakeRoute53 fake(options);
    for (const auto& [name, private_zone] : zones)
        std::cout << "zone " << name << " " << fake.add_zone(name, private_zone) << "\n";
    auto listening = fake.start(port);
    if (!listening) {
        std::cerr << listening.error().message << "\n";
        return 1;
    }
    std::cout << "listening on " << listening.value() << std::endl;

    int received = 0;
    sigwait(&signals, &received);
    fake.stop();
    return 0;
}
