#pragma once
// The deployer contract (docs/dev/adding-a-deployer.md), the twin of the DNS provider's: a
// deployer puts one certificate version onto the targets of one [[certificate.deploy]] entry,
// one target at a time as the runner asks, and says for each whether it worked.

#include <wildcert/result.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace wildcert::deployers {

// The version being deployed, as installed under live/ (or a dry run's scratch folder).
struct DeployInput {
    std::string certificate_name;
    std::vector<std::string> domains;
    std::string cert_pem;      // the leaf
    std::string chain_pem;     // the intermediates
    std::string fullchain_pem; // leaf, then intermediates
    std::string privkey_pem;   // a secret: never in a message
    std::string serial_hex;
    bool dry_run = false;
};

// What the run gives every deployer it creates.
struct DeployerContext {
    std::function<bool()> cancelled; // SIGINT or SIGTERM: stop waiting, report failure
};

class Deployer {
public:
    virtual ~Deployer() = default;

    // The targets, as shown in reports, JSON and the status file: "/run/haproxy.sock",
    // "deploy@10.0.0.5:22". Stable across runs for the same profile (per-target retry).
    [[nodiscard]] virtual std::vector<std::string> targets() const = 0;

    // Puts `input` onto target `index`. The error says what failed in words an operator can
    // act on, naming the target; it never holds the private key.
    [[nodiscard]] virtual Result<void> deploy(const DeployInput& input, std::size_t index) = 0;

    // For `wildcert check`: can target `index` be reached and written, without changing it?
    [[nodiscard]] virtual Result<void> check_access(std::size_t index) = 0;
};

} // namespace wildcert::deployers
