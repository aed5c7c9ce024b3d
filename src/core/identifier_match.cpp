#include "core/identifier_match.hpp"

#include "common/printable.hpp"

#include <algorithm>
#include <set>

namespace wildcert::core {
namespace {

std::string quoted_name(std::string_view name) {
    return "\"" + common::printable(name) + "\"";
}

std::string quoted_list(std::span<const std::string> names) {
    std::string text;
    for (const auto& name : names)
        text += (text.empty() ? "" : ", ") + quoted_name(name);
    return text;
}

bool contains(std::span<const std::string> names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

} // namespace

Result<void> check_order_names(const acme::Order& order, std::span<const std::string> names) {
    const auto context = "order " + common::printable(order.url) + ": ";
    const auto asked = " (the profile asks for " + quoted_list(names) + ")";
    std::set<std::string> seen;
    for (const auto& identifier : order.identifiers) {
        if (!contains(names, identifier))
            return make_error(ErrorKind::acme,
                              context + "the CA's order is for " + quoted_name(identifier) +
                                  ", a name this certificate does not ask for" + asked);
        if (!seen.insert(identifier).second)
            return make_error(ErrorKind::acme, context + "the CA's order lists " +
                                                   quoted_name(identifier) + " twice");
    }
    for (const auto& name : names) {
        if (!seen.contains(name))
            return make_error(ErrorKind::acme,
                              context + "the CA's order leaves out " + quoted_name(name) + asked);
    }
    if (order.authorizations.size() > names.size())
        return make_error(ErrorKind::acme,
                          context + "the CA lists " + std::to_string(order.authorizations.size()) +
                              " authorizations for " + std::to_string(names.size()) +
                              " name(s); at most one per name is possible");
    return {};
}

Result<void> claim_authorization(const acme::Authorization& authorization,
                                 std::span<const std::string> names,
                                 std::vector<std::string>& claimed) {
    // §7.1.4: a wildcard authorization carries the base name and "wildcard": true.
    const auto name = (authorization.wildcard ? "*." : "") + authorization.identifier;
    const auto context = "authorization " + common::printable(authorization.url) + ": ";
    if (!contains(names, name))
        return make_error(ErrorKind::acme,
                          context + "the CA asks to prove control of " + quoted_name(name) +
                              ", a name this certificate does not ask for (it asks for " +
                              quoted_list(names) + ")");
    if (contains(claimed, name))
        return make_error(ErrorKind::acme,
                          context + "a second authorization for " + quoted_name(name));
    claimed.push_back(name);
    return {};
}

} // namespace wildcert::core
