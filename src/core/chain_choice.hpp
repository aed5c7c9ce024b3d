#pragma once
// Chain choice (RFC 8555 §7.4.2): the CA may offer alternate chains for one certificate, e.g.
// one that ends at an older, more widely trusted root. preferred_chain picks one by name.

#include "acme/acme_client.hpp"
#include "crypto/certificate.hpp"

#include <wildcert/client.hpp>
#include <wildcert/result.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace wildcert::core {

// The name a chain answers to for preferred_chain: the issuer CN of its top (last)
// certificate, or that certificate's own CN when it is self-signed (the chain carries its
// root). This is what certbot and lego match on.
[[nodiscard]] std::string chain_top_name(std::span<const crypto::CertificateInfo> chain);

// The index of the first chain whose top name equals `preferred` (exact, case-sensitive like
// the peers), or nullopt.
[[nodiscard]] std::optional<std::size_t>
choose_chain(const std::vector<std::vector<crypto::CertificateInfo>>& chains,
             const std::string& preferred);

// Downloads the certificate at `url` and, when `preferred` is set and the default chain is not
// it, each alternate (POST-as-GET), returning the PEM of the chosen chain. No match: the
// default chain, with an info line naming what the CA offered. An alternate that fails to
// download or parse is reported and skipped; the default chain must work.
[[nodiscard]] Result<std::string> download_preferred_chain(acme::AcmeClient& acme,
                                                           const std::string& url,
                                                           const std::string& preferred,
                                                           const LogSink& log);

} // namespace wildcert::core
