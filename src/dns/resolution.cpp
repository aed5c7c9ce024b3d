#include "dns/resolution.hpp"

#include "dns/question.hpp"
#include "dns/rcode.hpp"

namespace wildcert::dns::detail {

Result<PacketPtr> ask_resolvers(const Asker& asker, const std::vector<ServerAddress>& resolvers,
                                const std::string& name, ldns_rr_type type,
                                std::chrono::milliseconds timeout) {
    if (resolvers.empty())
        return make_error(ErrorKind::dns, "no resolver to ask for " + name);
    std::string problems;
    bool any_reply = false;
    for (const auto& resolver : resolvers) {
        auto reply = asker.ask(resolver, name, type, true, timeout);
        if (!reply) {
            problems += (problems.empty() ? "" : "; ") + reply.error().message;
            continue;
        }
        any_reply = true;
        const auto rcode = ldns_pkt_get_rcode(reply->get());
        if (rcode == LDNS_RCODE_NOERROR || rcode == LDNS_RCODE_NXDOMAIN)
            return std::move(reply).value();
        problems += std::string(problems.empty() ? "" : "; ") + "DNS server " +
                    resolver.to_string() + ": " + type_name(type) + " query for " + name + ": " +
                    rcode_name(static_cast<int>(rcode));
    }
    // Not one reply: the resolvers are out of reach (ErrorKind::network), which a caller may
    // treat apart from a resolver that answered with an error.
    return make_error(any_reply ? ErrorKind::dns : ErrorKind::network,
                      "no resolver answered: " + problems);
}

std::string parent_of(const std::string& name) {
    const auto dot = name.find('.');
    if (dot == std::string::npos || dot + 1 >= name.size())
        return ".";
    return name.substr(dot + 1);
}

} // namespace wildcert::dns::detail
