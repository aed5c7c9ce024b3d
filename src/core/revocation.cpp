// Client::revoke: revocation of a live certificate (RFC 8555 §7.6).
#include <wildcert/client.hpp>

#include "acme/revocation.hpp"
#include "core/account_setup.hpp"
#include "core/audit.hpp"
#include "core/client_state.hpp"
#include "crypto/certificate.hpp"
#include "crypto/certificate_der.hpp"
#include "store/certificate_name.hpp"

namespace wildcert {
namespace {

struct LiveCertificate {
    std::vector<std::uint8_t> der;
    std::string serial_hex;
};

Result<LiveCertificate> read_live_certificate(const store::StateDir& state_dir,
                                              const std::string& name) {
    const auto path = state_dir.live_dir(name) / "cert.pem";
    WILDCERT_TRY(const auto pem, state_dir.current_certificate(name));
    if (!pem)
        return make_error(ErrorKind::io, "no certificate at " + path.string());
    WILDCERT_TRY(const auto chain, crypto::parse_pem_chain(*pem));
    WILDCERT_TRY(auto der, crypto::certificate_der(*pem));
    return LiveCertificate{std::move(der), chain.front().serial_hex};
}

} // namespace

Result<RevokedCertificate> Client::revoke(const std::string& name,
                                          std::optional<RevocationReason> reason,
                                          bool signed_with_certificate_key) {
    auto& state = *m_state;
    WILDCERT_CHECK(store::check_certificate_name(name));
    WILDCERT_TRY(const auto certificate, read_live_certificate(state.state_dir, name));
    const std::optional<int> code =
        reason ? std::optional<int>(static_cast<int>(*reason)) : std::nullopt;
    const auto context = name + ": revoke serial " + certificate.serial_hex;

    if (signed_with_certificate_key) {
        // §7.6: a request signed by the certificate's key carries it as "jwk"; no account.
        WILDCERT_TRY(const auto key_pem, state.state_dir.current_private_key(name));
        if (!key_pem)
            return make_error(ErrorKind::io, context + ": no privkey.pem in " +
                                                 state.state_dir.live_dir(name).string());
        WILDCERT_TRY(const auto key, crypto::PrivateKey::from_pem(*key_pem));
        WILDCERT_TRY(auto acme, acme::AcmeClient::connect(state.session.http,
                                                          state.profile.acme.directory_url));
        acme.use_account(key, "");
        if (auto revoked = acme::revoke_certificate(acme, certificate.der, code); !revoked.ok())
            return revoked.error().with_context(context);
    } else {
        if (!state.session.acme || state.session.acme->account_url().empty()) {
            WILDCERT_TRY(auto acme, acme::AcmeClient::connect(state.session.http,
                                                              state.profile.acme.directory_url));
            state.session.acme.emplace(std::move(acme));
            auto opened =
                core::open_existing_account(*state.session.acme, state.state_dir,
                                            state.profile.acme, state.session.account_key);
            if (!opened.ok()) {
                state.session.acme.reset();
                return opened.error().with_context(context);
            }
        }
        if (auto revoked = acme::revoke_certificate(*state.session.acme, certificate.der, code);
            !revoked.ok())
            return revoked.error().with_context(context);
    }
    state.info(context + ": revoked");
    core::audit(state,
                {.event = "certificate-revoked",
                 .certificate = name,
                 .serial_hex = certificate.serial_hex,
                 .detail = reason ? std::string("reason ") + to_string(*reason) : std::string()});
    return RevokedCertificate{name, certificate.serial_hex, reason, signed_with_certificate_key};
}

} // namespace wildcert
