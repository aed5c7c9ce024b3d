#pragma once
// newOrder with what the CA offers beyond RFC 8555: a certificate profile (profiles draft) and
// ARI's "replaces" (RFC 9773 §5).

#include "acme/acme_client.hpp"
#include "acme/order.hpp"
#include "core/acme_session.hpp"
#include "core/progress_log.hpp"
#include "store/state_dir.hpp"

#include <wildcert/profile.hpp>
#include <wildcert/result.hpp>

#include <optional>
#include <string>

namespace wildcert::core {

// Checks a configured profile against the directory's meta.profiles before any order: an
// unknown profile, or a CA without profiles, is an ErrorKind::acme error naming what is offered.
[[nodiscard]] Result<void> check_profile(const acme::Directory& directory,
                                         const CertificateSettings& certificate);

// The ARI CertID of the certificate in live/<name>, when the CA offers renewalInfo and that
// certificate has an authority key identifier; nullopt otherwise (then no "replaces").
[[nodiscard]] Result<std::optional<std::string>>
replaced_cert_id(const store::StateDir& state_dir, const ProgressLog& log,
                 const acme::AcmeClient& acme, const CertificateSettings& certificate);

// Places the order: profile checked and sent, "replaces" sent when there is a current
// certificate and the CA has ARI. On alreadyReplaced the order is placed once more without
// "replaces", and the log says so. invalidProfile is explained with the offered profiles.
// The newOrder requests of one session go out one at a time (session.order_mutex); the
// current certificate is read from `state_dir`.
[[nodiscard]] Result<acme::Order> place_order(AcmeSession& session,
                                              const store::StateDir& state_dir,
                                              const ProgressLog& log, acme::AcmeClient& acme,
                                              const CertificateSettings& certificate);

} // namespace wildcert::core
