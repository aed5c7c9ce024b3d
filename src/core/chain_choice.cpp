#include "core/chain_choice.hpp"

#include "acme/order.hpp"
#include "common/printable.hpp"

namespace wildcert::core {
namespace {

void info(const LogSink& log, const std::string& line) {
    if (log)
        log(LogLevel::info, line);
}

// The names are the CA's certificates' common names: escaped (common/printable.hpp).
std::string quoted_list(const std::vector<std::string>& names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "\"" : ", \"") + common::printable(name) + "\"";
    return text;
}

} // namespace

std::string chain_top_name(std::span<const crypto::CertificateInfo> chain) {
    if (chain.empty())
        return {};
    const auto& top = chain.back();
    if (top.subject == top.issuer && !top.subject_cn.empty())
        return top.subject_cn;
    return top.issuer_cn;
}

std::optional<std::size_t>
choose_chain(const std::vector<std::vector<crypto::CertificateInfo>>& chains,
             const std::string& preferred) {
    for (std::size_t i = 0; i < chains.size(); ++i) {
        if (!chains[i].empty() && chain_top_name(chains[i]) == preferred)
            return i;
    }
    return std::nullopt;
}

Result<std::string> download_preferred_chain(acme::AcmeClient& acme, const std::string& url,
                                             const std::string& preferred, const LogSink& log) {
    WILDCERT_TRY(auto downloaded, acme::download_chain(acme, url));
    if (preferred.empty())
        return std::move(downloaded.pem);
    auto parsed = crypto::parse_pem_chain(downloaded.pem);
    if (!parsed.ok())
        return parsed.error().with_context("certificate " + url);

    std::vector<std::string> offered{chain_top_name(*parsed)};
    if (offered.front() == preferred) {
        info(log, "acme: the default chain is the preferred chain \"" + preferred + "\"");
        return std::move(downloaded.pem);
    }
    for (const auto& alternate : downloaded.alternates) {
        auto pem = acme::download_certificate(acme, alternate);
        if (!pem.ok()) {
            info(log, "acme: alternate chain skipped: " + pem.error().message);
            continue;
        }
        auto chain = crypto::parse_pem_chain(*pem);
        if (!chain.ok()) {
            info(log, "acme: alternate chain " + alternate + " skipped: " + chain.error().message);
            continue;
        }
        // §7.4.2: every alternate starts with the same end-entity certificate.
        if (chain->front().pem != parsed->front().pem) {
            info(log, "acme: alternate chain " + alternate +
                          " skipped: it does not start with the issued certificate");
            continue;
        }
        offered.push_back(chain_top_name(*chain));
        if (offered.back() == preferred) {
            info(log, "acme: using the alternate chain " + alternate + " (preferred_chain \"" +
                          preferred + "\")");
            return std::move(pem).value();
        }
    }
    info(log, "acme: no chain matches preferred_chain \"" + preferred +
                  "\"; using the default chain (the CA offered " + quoted_list(offered) + ")");
    return std::move(downloaded.pem);
}

} // namespace wildcert::core
