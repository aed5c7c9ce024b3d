#include "dns/ldns_handles.hpp"

#include <algorithm>
#include <cctype>

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

Result<std::vector<std::uint8_t>> to_wire(const ldns_pkt* packet) {
    std::uint8_t* raw = nullptr;
    std::size_t size = 0;
    const ldns_status status = ldns_pkt2wire(&raw, packet, &size);
    const std::unique_ptr<std::uint8_t, decltype(&std::free)> owned(raw, &std::free);
    if (status != LDNS_STATUS_OK || raw == nullptr)
        return make_error(ErrorKind::dns, std::string("cannot encode the DNS message: ") +
                                              ldns_get_errorstr_by_id(status));
    return std::vector<std::uint8_t>(raw, raw + size);
}

Result<PacketPtr> from_wire(std::span<const std::uint8_t> wire) {
    ldns_pkt* raw = nullptr;
    const ldns_status status = ldns_wire2pkt(&raw, wire.data(), wire.size());
    PacketPtr packet(raw);
    if (status != LDNS_STATUS_OK || !packet)
        return make_error(ErrorKind::dns, std::string("the reply is not a valid DNS message (") +
                                              ldns_get_errorstr_by_id(status) + ")");
    return packet;
}

} // namespace wildcert::dns::detail
