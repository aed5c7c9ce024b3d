#include "dns/query.hpp"

#include "dns/asker.hpp"
#include "dns/question.hpp"

#include <algorithm>

namespace wildcert::dns {
namespace {

// RFC 1035 §3.3.14: TXT RDATA is one or more <character-string>s; ACME values fit in one,
// but a long value may be split, so the strings of one RR are joined.
std::string joined_strings(const ldns_rr* rr) {
    std::string value;
    for (std::size_t i = 0; i < ldns_rr_rd_count(rr); ++i) {
        const ldns_rdf* field = ldns_rr_rdf(rr, i);
        const auto size = ldns_rdf_size(field);
        const std::uint8_t* data = ldns_rdf_data(field);
        if (size == 0)
            continue;
        // First byte is the length (RFC 1035 §3.3); never trust it past the field.
        const std::size_t length = std::min<std::size_t>(data[0], size - 1);
        value.append(reinterpret_cast<const char*>(data + 1), length);
    }
    return value;
}

} // namespace

Result<TxtAnswer> query_txt(const detail::Asker& asker, const ServerAddress& server,
                            const std::string& fqdn, bool recursive,
                            std::chrono::milliseconds timeout) {
    WILDCERT_TRY(auto reply, asker.ask(server, fqdn, LDNS_RR_TYPE_TXT, recursive, timeout));
    WILDCERT_TRY(auto owner, detail::make_dname(fqdn));
    TxtAnswer answer;
    answer.rcode = static_cast<int>(ldns_pkt_get_rcode(reply.get()));
    answer.authoritative = ldns_pkt_aa(reply.get());
    for (const ldns_rr* rr :
         detail::records_at(ldns_pkt_answer(reply.get()), owner.get(), LDNS_RR_TYPE_TXT))
        answer.values.push_back(joined_strings(rr));
    return answer;
}

Result<std::optional<std::uint32_t>> query_soa_serial(const detail::Asker& asker,
                                                      const ServerAddress& server,
                                                      const std::string& zone,
                                                      std::chrono::milliseconds timeout) {
    WILDCERT_TRY(auto reply, asker.ask(server, zone, LDNS_RR_TYPE_SOA, false, timeout));
    WILDCERT_TRY(auto owner, detail::make_dname(zone));
    const auto records =
        detail::records_at(ldns_pkt_answer(reply.get()), owner.get(), LDNS_RR_TYPE_SOA);
    // RDATA field 2 (0-based) is SERIAL, a 32-bit integer rdf.
    if (records.empty() || ldns_rr_rd_count(records.front()) < 3)
        return std::optional<std::uint32_t>{};
    const ldns_rdf* serial = ldns_rr_rdf(records.front(), 2);
    if (ldns_rdf_get_type(serial) != LDNS_RDF_TYPE_INT32)
        return std::optional<std::uint32_t>{};
    return std::optional<std::uint32_t>{ldns_rdf2native_int32(serial)};
}

} // namespace wildcert::dns
