#include "core/order_placement.hpp"

#include "acme/renewal_info.hpp"
#include "common/ascii_case.hpp"
#include "core/identifier_match.hpp"
#include "crypto/certificate.hpp"

#include <algorithm>
#include <cctype>
#include <mutex>

namespace wildcert::core {
namespace {

std::string offered_profiles(const acme::Directory& directory) {
    std::string text;
    for (const auto& [name, description] : directory.profiles) {
        text += (text.empty() ? "" : ", ") + ("\"" + name + "\"");
        if (!description.empty())
            text += " (" + description + ")";
    }
    return text;
}

} // namespace

Result<void> check_profile(const acme::Directory& directory,
                           const CertificateSettings& certificate) {
    if (certificate.profile.empty())
        return {};
    const auto context = "profile \"" + certificate.profile + "\" (" + certificate.origin + ")";
    if (directory.profiles.empty()) {
        return make_error(ErrorKind::acme,
                          context + ": the CA at " + directory.url +
                              " offers no certificate profiles (no meta.profiles in its "
                              "directory); remove the profile key to take its default");
    }
    if (!directory.profiles.contains(certificate.profile)) {
        return make_error(ErrorKind::acme, context + ": the CA at " + directory.url +
                                               " does not offer it; it offers " +
                                               offered_profiles(directory));
    }
    return {};
}

Result<std::optional<std::string>> replaced_cert_id(const store::StateDir& state_dir,
                                                    const ProgressLog& log,
                                                    const acme::AcmeClient& acme,
                                                    const CertificateSettings& certificate) {
    // RFC 9773 §5: clients SHOULD NOT send "replaces" to a CA without renewalInfo.
    if (acme.directory().renewal_info.empty())
        return std::optional<std::string>();
    WILDCERT_TRY(const auto pem, state_dir.current_certificate(certificate.name));
    if (!pem)
        return std::optional<std::string>();
    auto chain = crypto::parse_pem_chain(*pem);
    if (!chain.ok()) {
        log.info("ari: the current certificate of " + certificate.name +
                 " does not parse; ordering without \"replaces\": " + chain.error().message);
        return std::optional<std::string>();
    }
    const auto& leaf = chain->front();
    // RFC 9773 §5: the CA checks that the two share an identifier and may refuse the order
    // otherwise; a certificate for other names is not this one's predecessor.
    const bool shares_a_name = std::any_of(
        leaf.dns_names.begin(), leaf.dns_names.end(), [&certificate](const std::string& name) {
            return std::find(certificate.domains.begin(), certificate.domains.end(),
                             common::ascii_lower(name)) != certificate.domains.end();
        });
    if (!shares_a_name) {
        log.info("ari: the current certificate shares no name with this one; ordering without "
                 "\"replaces\"");
        return std::optional<std::string>();
    }
    auto id = acme::ari_cert_id(leaf.authority_key_id, leaf.serial_der);
    if (id.empty()) {
        log.info("ari: the current certificate has no authority key identifier; ordering "
                 "without \"replaces\"");
        return std::optional<std::string>();
    }
    return std::optional<std::string>(std::move(id));
}

Result<acme::Order> place_order(AcmeSession& session, const store::StateDir& state_dir,
                                const ProgressLog& log, acme::AcmeClient& acme,
                                const CertificateSettings& certificate) {
    WILDCERT_CHECK(check_profile(acme.directory(), certificate));
    WILDCERT_TRY(const auto replaces, replaced_cert_id(state_dir, log, acme, certificate));
    acme::NewOrder request{.names = certificate.domains,
                           .profile = certificate.profile,
                           .replaces = replaces.value_or("")};
    if (replaces)
        log.info("ari: this order replaces certificate " + *replaces);
    // newOrder requests go out one at a time even when workers run orders in parallel: Pebble
    // 2.4's in-memory store deadlocks under concurrent newOrder requests (every order request
    // hangs after a few hundred orders), and creating orders serially costs a few milliseconds
    // each while staying gentle with a CA's order rate limits. Everything after (authorizations,
    // challenges, polling, finalize, download) still runs in parallel.
    std::unique_lock serial(session.order_mutex);
    WILDCERT_TRY(auto attempt, acme::try_new_order(acme, request));
    if (!attempt.order && replaces && attempt.refusal &&
        attempt.refusal->is(acme::problem_type::k_already_replaced)) {
        // RFC 9773 §7.4: another order already replaces it; ours is still wanted.
        log.info("ari: the CA says " + *replaces +
                 " was already replaced (alreadyReplaced); ordering again without \"replaces\"");
        request.replaces.clear();
        WILDCERT_TRY(attempt, acme::try_new_order(acme, request));
    }
    serial.unlock();
    if (!attempt.order) {
        std::string message = attempt.refusal_message;
        if (attempt.refusal && attempt.refusal->is(acme::problem_type::k_invalid_profile)) {
            message += "; the CA refused the certificate profile \"" + certificate.profile + "\"";
            if (!acme.directory().profiles.empty())
                message += " (it offers " + offered_profiles(acme.directory()) + ")";
        }
        return attempt.refusal ? acme::problem_error(std::move(message), *attempt.refusal)
                               : make_error(ErrorKind::acme, std::move(message));
    }
    // Before any authorization is fetched: the order decides which ones are.
    WILDCERT_CHECK(check_order_names(*attempt.order, certificate.domains));
    if (!certificate.profile.empty())
        log.info("acme: profile \"" + certificate.profile + "\" requested" +
                 (attempt.order->profile.empty()
                      ? std::string(" (the CA did not echo it)")
                      : " (order profile \"" + attempt.order->profile + "\")"));
    return std::move(*attempt.order);
}

} // namespace wildcert::core
