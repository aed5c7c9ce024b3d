#pragma once
// The library entry point: everything the command line does goes through here.

#include <wildcert/profile.hpp>
#include <wildcert/renewal.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert {

enum class LogLevel { info, debug };
// Receives progress lines. Never receives a secret.
using LogSink = std::function<void(LogLevel, std::string_view)>;

struct ClientOptions {
    std::filesystem::path state_dir;
    LogSink log;                     // may be empty
    std::function<bool()> cancelled; // may be empty; polled while waiting (SIGINT/SIGTERM)
};

struct IssuedCertificate {
    std::string name;
    std::vector<std::string> domains;
    std::filesystem::path live_dir; // <state>/live/<name>
    std::string serial_hex;
    std::chrono::system_clock::time_point not_after;
};

class Client {
public:
    // Checks what can be checked without the network (provider settings: ErrorKind::profile)
    // and opens the state directory.
    [[nodiscard]] static Result<Client> create(Profile profile, ClientOptions options);

    Client(Client&&) noexcept;
    Client& operator=(Client&&) noexcept;
    ~Client();

    [[nodiscard]] const Profile& profile() const;

    // Removes the TXT records that an earlier, interrupted run left behind (from the cleanup
    // journal). Idempotent; issue() calls it first.
    [[nodiscard]] Result<void> clean_up_leftovers();

    // Obtains `certificate` now: account, order, records, propagation, validation, finalize,
    // download, atomic install under live/. The records are removed on every path.
    [[nodiscard]] Result<IssuedCertificate> issue(const CertificateSettings& certificate);

    // Whether live/<name> of `certificate` is due at `now`: by the CA's ARI window when its
    // directory offers renewalInfo (a random instant of the window; a window in the past means
    // now), else when less than a third of the lifetime is left. No certificate yet: due. Reads
    // the directory and the renewal info only (no account, no order); idempotent.
    [[nodiscard]] Result<RenewalDecision>
    decide_renewal(const CertificateSettings& certificate,
                   std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

    struct State;

private:
    explicit Client(std::unique_ptr<State> state);
    std::unique_ptr<State> m_state;
};

} // namespace wildcert
