#include "core/certificate_files.hpp"

#include <algorithm>
#include <set>

namespace wildcert::core {

Result<CheckedChain> check_chain(const std::string& chain_pem, const crypto::PrivateKey& key,
                                 std::span<const std::string> names) {
    auto parsed = crypto::parse_pem_chain(chain_pem);
    if (!parsed.ok())
        return parsed.error().with_context("downloaded certificate chain");
    auto certificates = std::move(parsed).value();
    const auto& leaf = certificates.front();
    if (leaf.public_key_der != key.public_key_der()) {
        return make_error(ErrorKind::crypto,
                          "downloaded certificate does not carry the key of this order's CSR");
    }
    const std::set<std::string> wanted(names.begin(), names.end());
    std::set<std::string> got;
    for (const auto& name : leaf.dns_names) {
        std::string lower = name;
        std::transform(lower.begin(), lower.end(), lower.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        got.insert(lower);
    }
    if (got != wanted) {
        std::string listed;
        for (const auto& name : got)
            listed += (listed.empty() ? "" : ", ") + name;
        return make_error(ErrorKind::crypto,
                          "downloaded certificate names (" + listed + ") differ from the order");
    }

    CheckedChain checked;
    checked.files.cert_pem = leaf.pem;
    for (std::size_t i = 1; i < certificates.size(); ++i)
        checked.files.chain_pem += certificates[i].pem;
    checked.files.fullchain_pem = checked.files.cert_pem + checked.files.chain_pem;
    checked.files.privkey_pem = key.to_pem();
    checked.leaf = leaf;
    return checked;
}

} // namespace wildcert::core
