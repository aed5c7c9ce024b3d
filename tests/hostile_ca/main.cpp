// hostile_ca MODE URL_FILE: an ACME CA that attacks its client, for tests/e2e/hostile_ca_test.sh.
// Serves plain HTTP on 127.0.0.1 (the client allows http:// to loopback only), writes its
// directory URL to URL_FILE once it listens, and serves until SIGTERM or SIGINT.
//
// Transport modes (every request gets the answer; hostile_http.hpp):
//   huge-length      Content-Length: 4 GiB and bytes as fast as they go
//   endless-chunked  a chunked body that never ends
//   trickle          one header byte per second: the headers never end
//   trickle-body     complete headers, then one body byte per second
//   header-lines     header lines without end, as fast as they go
//   header-line      one header line without end, as fast as it goes
//   not-found        404 with an HTML page (a path that is not an ACME directory)
//   html-page        200 with an HTML page (a web site, not an ACME directory)
// Protocol modes (the mock CA of tests/mock_acme, otherwise correct):
//   other-name       every authorization is for victim.example.test
//   many-authz       each order lists 3000 authorizations more than names
//   long-chain       the chain carries 20 000 extra certificates
//   escape-detail    newOrder is refused with a problem detail holding ESC, BEL and CR
#include "tests/hostile_ca/hostile_http.hpp"
#include "tests/hostile_ca/peer_io.hpp"
#include "tests/mock_acme/mock_acme.hpp"

#include <csignal>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>

using namespace wildcert;

namespace {

std::optional<hostile_ca::HostileMode> transport_mode(const std::string& name) {
    static const std::map<std::string, hostile_ca::HostileMode> modes{
        {"huge-length", hostile_ca::HostileMode::huge_length},
        {"endless-chunked", hostile_ca::HostileMode::endless_chunked},
        {"trickle", hostile_ca::HostileMode::trickle_headers},
        {"trickle-body", hostile_ca::HostileMode::trickle_body},
        {"header-lines", hostile_ca::HostileMode::header_lines},
        {"header-line", hostile_ca::HostileMode::header_line},
        {"not-found", hostile_ca::HostileMode::not_found},
        {"html-page", hostile_ca::HostileMode::html_page},
    };
    const auto found = modes.find(name);
    return found == modes.end() ? std::nullopt : std::optional(found->second);
}

std::optional<mock_acme::Script> protocol_mode(const std::string& name) {
    mock_acme::Script script;
    if (name == "other-name") {
        script.authz_identifier = "victim.example.test";
    } else if (name == "many-authz") {
        script.extra_authorizations = 3000;
    } else if (name == "long-chain") {
        script.chain_padding = 20000;
    } else if (name == "escape-detail") {
        // Clears the screen, forges a success line, rings the bell, and returns the cursor.
        script.new_order_refusals.push_back(mock_acme::simple_problem(
            403, "rejectedIdentifier",
            "\x1b[2J\x1b[1;1Hwildcert: issued demo, all is well\x07\rforged line"));
    } else {
        return std::nullopt;
    }
    return script;
}

} // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fputs("usage: hostile_ca MODE URL_FILE\n", stderr);
        return 2;
    }
    const std::string mode = argv[1];
    // Blocked before any thread starts, so that every thread leaves them to sigwait.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    std::unique_ptr<hostile_ca::HostileHttpServer> transport;
    std::unique_ptr<mock_acme::MockAcme> ca;
    std::string url;
    if (const auto kind = transport_mode(mode)) {
        transport = std::make_unique<hostile_ca::HostileHttpServer>(
            hostile_ca::HostileOptions{.mode = *kind, .pace = std::chrono::seconds(1)});
        if (const auto started = transport->start(); !started.ok()) {
            std::fprintf(stderr, "hostile_ca: %s\n", started.error().message.c_str());
            return 1;
        }
        url = transport->directory_url();
    } else if (auto script = protocol_mode(mode)) {
        ca = std::make_unique<mock_acme::MockAcme>(std::move(*script));
        if (const auto started = ca->start(); !started.ok()) {
            std::fprintf(stderr, "hostile_ca: %s\n", started.error().message.c_str());
            return 1;
        }
        url = ca->directory_url();
    } else {
        std::fprintf(stderr, "hostile_ca: unknown mode %s\n", mode.c_str());
        return 2;
    }
    if (!hostile_ca::write_file_whole(argv[2], url)) {
        std::fprintf(stderr, "hostile_ca: cannot write %s\n", argv[2]);
        return 1;
    }
    int received = 0;
    sigwait(&signals, &received);
    return 0;
}
