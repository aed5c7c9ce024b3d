#pragma once
// An in-process ACME server for what Pebble 2.4 cannot show (FIELD-NOTES.md): Retry-After on
// polls, challenge "processing", subproblems, rateLimited, profiles, ARI and alreadyReplaced.
// It serves plain HTTP on 127.0.0.1 (the client allows http:// to loopback only), verifies the
// JWS of every POST (ES256 signature, nonce, url, jwk/kid) like a real CA, issues real
// certificates from a CA of its own, and records every request. Each test scripts it.

#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace wildcert::mock_acme {

// A problem document the server answers with.
struct ScriptedProblem {
    int status = 400;
    std::string type; // short ACME type ("rateLimited"), prefixed when sent
    std::string detail;
    std::string retry_after;        // Retry-After header; "" for none
    std::vector<std::string> links; // extra Link header lines
    std::string extra_json;         // extra members, e.g. R"("instance":"https://...")"
};

// A problem with only status, type and detail.
[[nodiscard]] inline ScriptedProblem simple_problem(int status, std::string type,
                                                    std::string detail) {
    ScriptedProblem problem;
    problem.status = status;
    problem.type = std::move(type);
    problem.detail = std::move(detail);
    return problem;
}

// A fault a proxy or a sick CA could produce, for the fault tests (acme_faults_test.cpp).
enum class FaultKind {
    status_500,             // 500 with a problem document, no Retry-After
    status_503,             // 503 without Retry-After
    status_503_retry_after, // 503 with "Retry-After: <retry_after>"
    drop_connection,        // headers promise a body, then the connection is closed
    stall,                  // no answer for `stall` (longer than the client's read timeout)
    malformed_json,         // the real answer cut short: not JSON any more
    wrong_content_type,     // 200 with an HTML page, as a proxy's error page would be
    truncated_chain,        // the certificate chain cut in the middle of a PEM block
};

// Requests of `method` whose path starts with `path_prefix` are counted from 1; those
// numbered first .. first + count - 1 get the fault (count < 0: every one from `first`).
struct Fault {
    std::string method = "POST";
    std::string path_prefix;
    FaultKind kind = FaultKind::status_500;
    int first = 1;
    int count = 1;
    std::chrono::milliseconds stall{0};
    std::string retry_after = "1"; // for status_503_retry_after
};

struct Script {
    // Faults, checked in order; the first matching one applies.
    std::vector<Fault> faults;

    // Directory
    bool renewal_info = false;
    std::map<std::string, std::string> profiles; // meta.profiles; empty: none
    std::string terms_of_service;                // meta.termsOfService; "": none

    // newOrder: answered with these problems first, one per request, then normally.
    std::vector<ScriptedProblem> new_order_refusals;
    // RFC 9773 §7.4: answer 409 alreadyReplaced to a newOrder that carries "replaces".
    bool already_replaced = false;

    // Authorizations, after the challenge was answered: this many polls show "pending" (the
    // challenge "processing"), each with this Retry-After; then `authz_final`.
    int authz_pending_polls = 0;
    std::string authz_retry_after;
    std::string authz_final = "valid";
    std::string authz_error_json; // challenge error when authz_final is "invalid"

    // Orders after finalize: this many polls show "processing" with this Retry-After; then
    // `order_final` ("valid", "invalid", or a status RFC 8555 does not define).
    int order_processing_polls = 0;
    std::string order_retry_after;
    std::string order_final = "valid";
    std::string order_error_json; // order "error" when order_final is not "valid"

    // A hostile CA (tests/hostile_ca): every authorization is for `authz_identifier` instead
    // of the name ordered ("": the name ordered); each order lists `extra_authorizations`
    // authorizations more, for n<i>.<the first name without "*.">; each chain carries
    // `chain_padding` extra copies of the CA certificate.
    std::string authz_identifier;
    int extra_authorizations = 0;
    int chain_padding = 0;

    // renewalInfo (GET <base>/<CertID>)
    int renewal_info_status = 200;
    std::string renewal_info_body;
    std::string renewal_info_retry_after;
};

struct RecordedRequest {
    std::string method;
    std::string path;
    std::string payload; // the verified JWS payload (JSON text; "" for POST-as-GET)
    std::chrono::steady_clock::time_point at;
};

// What the CA issued, for tests to compute the expected ARI CertID on their own.
struct IssuedRecord {
    std::vector<std::uint8_t> authority_key_id;
    std::uint64_t serial = 0;
};

class MockAcme {
public:
    explicit MockAcme(Script script);
    MockAcme(const MockAcme&) = delete;
    MockAcme& operator=(const MockAcme&) = delete;
    ~MockAcme();

    [[nodiscard]] Result<void> start();
    [[nodiscard]] std::string directory_url() const;
    [[nodiscard]] std::string base_url() const;

    // Copies, safe while serving.
    [[nodiscard]] std::vector<RecordedRequest> requests() const;
    [[nodiscard]] std::vector<RecordedRequest> requests_to(const std::string& path_prefix) const;
    [[nodiscard]] std::vector<IssuedRecord> issued() const;
    // Requests refused for a bad JWS (signature, nonce, url, key): a correct client makes none.
    [[nodiscard]] int jws_rejections() const;
    // Requests that matched faults[index] (faulted or not), and how many got the fault.
    [[nodiscard]] int fault_matches(std::size_t index) const;
    [[nodiscard]] int faults_applied(std::size_t index) const;

    struct State;

private:
    std::unique_ptr<State> m_state;
    std::thread m_thread;
};

} // namespace wildcert::mock_acme
