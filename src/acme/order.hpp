#pragma once
// Orders, authorizations and challenges (RFC 8555 §7.1.3-§7.1.5, §7.4, §7.5).

#include "acme/acme_client.hpp"
#include "acme/problem.hpp"

#include <wildcert/acme_status.hpp>
#include <wildcert/result.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wildcert::acme {

struct Challenge {
    std::string type; // "dns-01"
    std::string url;
    std::string token;
    std::optional<AcmeStatus> status; // not needed to proceed: unset when absent or unknown
    std::optional<Problem> error;
};

struct Authorization {
    std::string url;
    AcmeStatus status = AcmeStatus::pending;
    std::string identifier; // without "*." (RFC 8555 §7.1.4)
    bool wildcard = false;
    std::vector<Challenge> challenges;
    std::optional<std::chrono::seconds> retry_after; // RFC 8555 §7.5.1: MAY come with polls

    [[nodiscard]] const Challenge* challenge(std::string_view type) const;
    // The first challenge error, for messages.
    [[nodiscard]] std::optional<Problem> error() const;
};

// "authorization for <name> is <status>[: <problem>]", carrying the problem's type and
// Retry-After, and the name (the problem's identifier when it has one, else `name`).
[[nodiscard]] Error authorization_failure(const Authorization& authorization,
                                          const std::string& name);

struct Order {
    std::string url;
    AcmeStatus status = AcmeStatus::pending;
    std::vector<std::string> identifiers;
    std::vector<std::string> authorizations;
    std::string finalize;
    std::string certificate;
    std::optional<Problem> error;
    std::optional<std::chrono::seconds> retry_after;
    std::string profile;  // profiles draft: echoed by the CA when it accepted one
    std::string replaces; // RFC 9773 §5: echoed by the CA when it accepted one
};

// RFC 8555 §7.4 newOrder, with the RFC 9773 §5 and profiles-draft extensions.
struct NewOrder {
    std::span<const std::string> names;
    std::string profile;  // "": none requested
    std::string replaces; // ARI CertID of the certificate this one replaces; "": none
};

// What newOrder gave: the order, or the problem the CA refused it with (for the caller to
// react to alreadyReplaced or invalidProfile). Transport failures are errors.
struct OrderAttempt {
    std::optional<Order> order;
    std::optional<Problem> refusal;
    std::string refusal_message; // "new order at <url>: <problem>; <hint>" for the user
};

[[nodiscard]] Result<OrderAttempt> try_new_order(AcmeClient& client, const NewOrder& request);
[[nodiscard]] Result<Order> new_order(AcmeClient& client, std::span<const std::string> names);
[[nodiscard]] Result<Order> fetch_order(AcmeClient& client, const std::string& url);
[[nodiscard]] Result<Authorization> fetch_authorization(AcmeClient& client, const std::string& url);
// Tells the CA the challenge is ready (POST "{}", §7.5.1).
[[nodiscard]] Result<void> answer_challenge(AcmeClient& client, const std::string& url);
// Sends the CSR (DER) to the order's finalize URL (§7.4).
[[nodiscard]] Result<Order> finalize_order(AcmeClient& client, const Order& order,
                                           std::span<const std::uint8_t> csr_der);
// Downloads the PEM chain (application/pem-certificate-chain, §7.4.2).
[[nodiscard]] Result<std::string> download_certificate(AcmeClient& client, const std::string& url);

struct DownloadedChain {
    std::string pem;
    std::vector<std::string> alternates; // Link rel="alternate" URLs, in the order sent
};
// Like download_certificate, and also returns the alternate chains the CA offers (§7.4.2).
[[nodiscard]] Result<DownloadedChain> download_chain(AcmeClient& client, const std::string& url);

// The "-----BEGIN CERTIFICATE-----" blocks in `pem`: download_chain refuses more than
// limits::k_max_chain_certificates.
[[nodiscard]] std::size_t count_pem_certificates(std::string_view pem);

// base64url(SHA-256(token "." thumbprint)): the TXT value of a dns-01 challenge (§8.1, §8.4).
[[nodiscard]] std::string dns01_txt_value(std::string_view token, std::string_view thumbprint);

} // namespace wildcert::acme
