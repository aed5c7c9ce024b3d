#include "dns/ldns_handles.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <sys/time.h>

namespace wildcert::dns::detail {

std::string absolute_name(std::string_view name) {
    std::string result(name);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (result.empty() || result.back() != '.')
        result.push_back('.');
    return result;
}

Result<RdfPtr> make_dname(std::string_view name) {
    const std::string text = absolute_name(name);
    RdfPtr rdf(ldns_dname_new_frm_str(text.c_str()));
    if (!rdf)
        return make_error(ErrorKind::dns, "invalid domain name \"" + std::string(name) + "\"");
    return rdf;
}

std::string dname_to_string(const ldns_rdf* dname) {
    if (dname == nullptr)
        return ".";
    const CStringPtr text(ldns_rdf2str(dname));
    if (!text)
        return ".";
    return absolute_name(text.get());
}

Result<ResolverPtr> make_resolver(const ServerAddress& server, std::chrono::milliseconds timeout,
                                  bool use_tcp) {
    ResolverPtr resolver(ldns_resolver_new());
    if (!resolver)
        return make_error(ErrorKind::dns, "out of memory creating a DNS resolver");
    const bool is_v6 = server.ip.find(':') != std::string::npos;
    const RdfPtr address(
        ldns_rdf_new_frm_str(is_v6 ? LDNS_RDF_TYPE_AAAA : LDNS_RDF_TYPE_A, server.ip.c_str()));
    if (!address)
        return make_error(ErrorKind::dns,
                          "DNS server " + server.to_string() + ": not an IP address");
    if (ldns_resolver_push_nameserver(resolver.get(), address.get()) != LDNS_STATUS_OK)
        return make_error(ErrorKind::dns, "DNS server " + server.to_string() + ": cannot use it");
    ldns_resolver_set_port(resolver.get(), server.port);
    // One try per call: callers own the retry policy (propagation rounds, update errors), and
    // ldns would otherwise sleep `retrans` seconds between tries.
    ldns_resolver_set_retry(resolver.get(), 1);
    ldns_resolver_set_retrans(resolver.get(), 0);
    ldns_resolver_set_random(resolver.get(), false);
    ldns_resolver_set_defnames(resolver.get(), false);
    ldns_resolver_set_dnsrch(resolver.get(), false);
    ldns_resolver_set_usevc(resolver.get(), use_tcp);
    const auto clamped = std::max(timeout, std::chrono::milliseconds(1));
    timeval tv{};
    tv.tv_sec = static_cast<decltype(tv.tv_sec)>(clamped.count() / 1000);
    tv.tv_usec = static_cast<decltype(tv.tv_usec)>((clamped.count() % 1000) * 1000);
    ldns_resolver_set_timeout(resolver.get(), tv);
    return resolver;
}

std::string describe_timeout(std::chrono::milliseconds timeout) {
    const auto ms = timeout.count();
    if (ms % 1000 == 0)
        return "no answer within " + std::to_string(ms / 1000) + "s";
    char text[32];
    std::snprintf(text, sizeof text, "%.1fs", static_cast<double>(ms) / 1000.0);
    return std::string("no answer within ") + text;
}

} // namespace wildcert::dns::detail
