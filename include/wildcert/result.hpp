#pragma once
// Result<T>: the value of an operation that can fail for reasons outside the program
// (network, DNS, files, a provider API, user input). Bugs abort instead.

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace wildcert {

// What went wrong, coarse enough to pick an exit code and a retry policy.
enum class ErrorKind {
    usage,       // command line misuse (exit 2)
    profile,     // the TOML profile is invalid (exit 2)
    acme,        // the CA refused or failed (exit 1)
    dns,         // DNS query or update failed (exit 1)
    refused,     // a DNS server or provider refused a change and applied none of it (exit 1)
    provider,    // a DNS provider's API failed (exit 1)
    network,     // connection, TLS or timeout (exit 1)
    io,          // local files (exit 1)
    crypto,      // keys, signatures, certificates (exit 1)
    timeout,     // a bounded wait ran out (exit 1)
    interrupted, // SIGINT/SIGTERM (exit 1)
    locked,      // another run holds the certificate's lock; nothing was done (exit 3)
};

[[nodiscard]] const char* to_string(ErrorKind kind);

struct Error {
    ErrorKind kind;
    std::string message; // for people; callers branch on the members below, not on this
    // When the CA refused (ErrorKind::acme): the RFC 8555 §6.7 problem type without the
    // "urn:ietf:params:acme:error:" prefix ("rateLimited", "unauthorized", ...), else "".
    std::string problem_type{};
    // The name the failure concerns ("*.example.com"), when there is one: the identifier of
    // the problem document or of the authorization that failed.
    std::string identifier{};
    // How long the CA asked us to wait before trying again (Retry-After), when it said.
    std::optional<std::chrono::seconds> retry_after{};

    // Returns a copy with "context: " put in front of the message.
    [[nodiscard]] Error with_context(const std::string& context) const {
        Error copy = *this;
        copy.message = context + ": " + message;
        return copy;
    }
};

[[nodiscard]] inline Error make_error(ErrorKind kind, std::string message) {
    return Error{kind, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::move(value)) {}
    Result(Error error) : m_state(std::move(error)) {}

    [[nodiscard]] bool ok() const { return m_state.index() == 0; }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] T& value() & {
        check(true);
        return std::get<0>(m_state);
    }
    [[nodiscard]] const T& value() const& {
        check(true);
        return std::get<0>(m_state);
    }
    [[nodiscard]] T&& value() && {
        check(true);
        return std::get<0>(std::move(m_state));
    }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }
    T&& operator*() && { return std::move(*this).value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }

    [[nodiscard]] const Error& error() const {
        check(false);
        return std::get<1>(m_state);
    }

private:
    void check(bool want_value) const {
        if (ok() != want_value) {
            std::fputs(want_value ? "wildcert: bug: value() on an error Result\n"
                                  : "wildcert: bug: error() on a successful Result\n",
                       stderr);
            std::abort();
        }
    }
    std::variant<T, Error> m_state;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() = default;
    Result(Error error) : m_error(std::move(error)), m_failed(true) {}

    [[nodiscard]] bool ok() const { return !m_failed; }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] const Error& error() const {
        if (!m_failed) {
            std::fputs("wildcert: bug: error() on a successful Result\n", stderr);
            std::abort();
        }
        return m_error;
    }

private:
    Error m_error{ErrorKind::io, {}};
    bool m_failed = false;
};

} // namespace wildcert

// Propagates an error from an expression that yields Result<T>; evaluates to the value.
// GNU statement expressions are avoided on purpose: this stays a plain macro pair.
#define WILDCERT_TRY_CONCAT_(a, b) a##b
#define WILDCERT_TRY_NAME_(line) WILDCERT_TRY_CONCAT_(wildcert_try_, line)
#define WILDCERT_TRY_ASSIGN_(tmp, lhs, expr)                                                       \
    auto tmp = (expr);                                                                             \
    if (!tmp.ok())                                                                                 \
        return tmp.error();                                                                        \
    lhs = std::move(tmp).value()
// WILDCERT_TRY(auto x, f()); declares x from f()'s value or returns f()'s error.
#define WILDCERT_TRY(lhs, expr) WILDCERT_TRY_ASSIGN_(WILDCERT_TRY_NAME_(__LINE__), lhs, expr)
// WILDCERT_CHECK(f()); returns f()'s error if it failed (for Result<void>).
#define WILDCERT_CHECK(expr)                                                                       \
    do {                                                                                           \
        auto wildcert_check_result = (expr);                                                       \
        if (!wildcert_check_result.ok())                                                           \
            return wildcert_check_result.error();                                                  \
    } while (false)
