#include "dns/update.hpp"

#include "dns/exchange.hpp"
#include "dns/ldns_handles.hpp"
#include "dns/rcode.hpp"
#include "dns/update_packet.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace wildcert::dns {
namespace {

using detail::absolute_name;
using detail::PacketPtr;
using detail::RrListPtr;
using detail::RrPtr;

// RFC 8945 §6 names as ldns 1.8.3 recognises them (tsig.c): md5 only under its long name.
const char* ldns_algorithm_name(TsigAlgorithm algorithm) {
    switch (algorithm) {
    case TsigAlgorithm::hmac_sha256:
        return "hmac-sha256.";
    case TsigAlgorithm::hmac_sha512:
        return "hmac-sha512.";
    case TsigAlgorithm::hmac_sha1:
        return "hmac-sha1.";
    case TsigAlgorithm::hmac_md5:
        return "hmac-md5.sig-alg.reg.int.";
    }
    return "hmac-sha256.";
}

// RFC 1035 §3.3.14: one <character-string> of at most 255 octets.
Result<RrPtr> make_txt_rr(const TxtChange& change, UpdateAction action) {
    if (change.value.size() > 255)
        return make_error(ErrorKind::dns, "TXT value for " + absolute_name(change.fqdn) +
                                              " is longer than 255 characters");
    WILDCERT_TRY(auto owner, detail::make_dname(change.fqdn));
    RrPtr rr(ldns_rr_new());
    std::vector<std::uint8_t> data;
    data.push_back(static_cast<std::uint8_t>(change.value.size()));
    data.insert(data.end(), change.value.begin(), change.value.end());
    ldns_rdf* text = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_STR, data.size(), data.data());
    if (!rr || text == nullptr) {
        if (text != nullptr)
            ldns_rdf_deep_free(text);
        return make_error(ErrorKind::dns, "out of memory building a TXT record");
    }
    ldns_rr_set_owner(rr.get(), owner.release());
    ldns_rr_set_type(rr.get(), LDNS_RR_TYPE_TXT);
    ldns_rr_push_rdf(rr.get(), text);
    if (action == UpdateAction::add) {
        ldns_rr_set_class(rr.get(), LDNS_RR_CLASS_IN);
        ldns_rr_set_ttl(rr.get(), static_cast<std::uint32_t>(std::max<long long>(
                                      0, static_cast<long long>(change.ttl.count()))));
    } else {
        // Never class ANY: that deletes the whole RRset, including the other value of a
        // wildcard + apex pair.
        ldns_rr_set_class(rr.get(), LDNS_RR_CLASS_NONE);
        ldns_rr_set_ttl(rr.get(), 0);
    }
    return rr;
}

Result<PacketPtr> build_update(std::string_view zone, std::span<const TxtChange> changes,
                               UpdateAction action) {
    if (changes.empty())
        return make_error(ErrorKind::dns,
                          "update of zone " + absolute_name(zone) + ": nothing to change");
    WILDCERT_TRY(auto zone_name, detail::make_dname(zone));
    RrListPtr updates(ldns_rr_list_new());
    if (!updates)
        return make_error(ErrorKind::dns, "out of memory building an update");
    const std::vector<UpdateAction> steps =
        action == UpdateAction::add_and_remove
            ? std::vector{UpdateAction::add, UpdateAction::remove}
            : std::vector{action};
    for (const auto& change : changes) {
        for (const auto step : steps) {
            WILDCERT_TRY(auto rr, make_txt_rr(change, step));
            if (!ldns_rr_list_push_rr(updates.get(), rr.get()))
                return make_error(ErrorKind::dns, "out of memory building an update");
            rr.release(); // the list owns it now
        }
    }
    // Takes the zone name; copies the RR lists.
    PacketPtr packet(ldns_update_pkt_new(zone_name.release(), LDNS_RR_CLASS_IN, nullptr,
                                         updates.get(), nullptr));
    if (!packet)
        return make_error(ErrorKind::dns, "out of memory building an update");
    ldns_pkt_set_rd(packet.get(), false);
    return packet;
}

// Why a server may have said no, in words an operator can act on.
std::string hint_for(int rcode, int tsig_error) {
    switch (tsig_error) {
    case 16:
        return "the server rejected the TSIG signature; check tsig_key and tsig_secret";
    case 17:
        return "the server does not know this TSIG key with this algorithm; check tsig_key and "
               "tsig_algorithm";
    case 18:
        return "the clocks of this host and the server differ by more than the TSIG fudge "
               "(300s)";
    default:
        break;
    }
    switch (rcode) {
    case 1:
        return "the server could not parse the update";
    case 2:
        return "the server failed to apply the update; see its log";
    case 4:
        return "the server does not accept dynamic updates for this zone";
    case 5:
        return "the server's update policy does not let this key change these records; check "
               "allow-update or update-policy";
    case 9:
        return "the server is not authoritative for the zone or rejected the TSIG key; check "
               "the zone and the key";
    case 10:
        return "a record name is outside the zone; check the zone";
    default:
        return "the server did not apply the update";
    }
}

// An UPDATE is applied as a whole or not at all (RFC 2136 §3.7). These codes come from the
// checks a server makes before it applies anything (zone §3.1, TSIG and permissions §3.3), so
// nothing changed: the caller need not remove what it tried to add.
bool refused_before_applying(int rcode) {
    return rcode == LDNS_RCODE_REFUSED || rcode == LDNS_RCODE_NOTAUTH ||
           rcode == LDNS_RCODE_NOTZONE;
}

int tsig_error_of(const ldns_pkt* reply) {
    const ldns_rr* tsig = ldns_pkt_tsig(reply);
    // RFC 8945 §4.2 field order: algorithm, time, fudge, MAC, original id, error, other.
    if (tsig == nullptr || ldns_rr_rd_count(tsig) < 6)
        return 0;
    const ldns_rdf* error = ldns_rr_rdf(tsig, 5);
    if (error == nullptr || ldns_rdf_size(error) != 2)
        return 0;
    return ldns_rdf2native_int16(error);
}

// RFC 2136 §2.4.1 "RRset exists (value independent)": class ANY, TTL 0, no RDATA. Asked of the
// zone's own SOA, it holds for every loaded zone.
Result<PacketPtr> build_access_probe(std::string_view zone) {
    WILDCERT_TRY(auto zone_name, detail::make_dname(zone));
    WILDCERT_TRY(auto owner, detail::make_dname(zone));
    RrListPtr prerequisites(ldns_rr_list_new());
    RrListPtr updates(ldns_rr_list_new());
    RrPtr soa_exists(ldns_rr_new());
    if (!prerequisites || !updates || !soa_exists)
        return make_error(ErrorKind::dns, "out of memory building an update");
    ldns_rr_set_owner(soa_exists.get(), owner.release());
    ldns_rr_set_type(soa_exists.get(), LDNS_RR_TYPE_SOA);
    ldns_rr_set_class(soa_exists.get(), LDNS_RR_CLASS_ANY);
    ldns_rr_set_ttl(soa_exists.get(), 0);
    if (!ldns_rr_list_push_rr(prerequisites.get(), soa_exists.get()))
        return make_error(ErrorKind::dns, "out of memory building an update");
    soa_exists.release(); // the list owns it now
    PacketPtr packet(ldns_update_pkt_new(zone_name.release(), LDNS_RR_CLASS_IN, prerequisites.get(),
                                         updates.get(), nullptr));
    if (!packet)
        return make_error(ErrorKind::dns, "out of memory building an update");
    ldns_pkt_set_rd(packet.get(), false);
    return packet;
}

Result<void> send_update(const ServerAddress& server, const TsigKey& key, std::string_view zone,
                         PacketPtr packet, const UpdateOptions& options) {
    const std::string prefix =
        "update of zone " + absolute_name(zone) + " at " + server.to_string() + ": ";
    if (const auto checked = check_tsig_secret(key.secret_base64); !checked)
        return make_error(ErrorKind::dns, prefix + checked.error().message);
    if (key.name.empty())
        return make_error(ErrorKind::dns, prefix + "empty TSIG key name");
    const std::string key_name = absolute_name(key.name);
    ldns_pkt_set_random_id(packet.get());
    // RFC 8945 §4.2, fudge 300 s as BIND and nsupdate use. All three of name, secret and
    // algorithm are given: ldns sends an update unsigned when one is missing.
    const ldns_status signed_status =
        ldns_pkt_tsig_sign(packet.get(), key_name.c_str(), key.secret_base64.c_str(), 300,
                           ldns_algorithm_name(key.algorithm), nullptr);
    if (signed_status != LDNS_STATUS_OK || ldns_pkt_tsig(packet.get()) == nullptr)
        return make_error(ErrorKind::dns, prefix + "cannot sign the update with TSIG: " +
                                              ldns_get_errorstr_by_id(signed_status));
    // The reply's signature covers the request's MAC (RFC 8945 §5.3).
    const ldns_rdf* request_mac = ldns_rr_rdf(ldns_pkt_tsig(packet.get()), 3);

    auto wire = detail::to_wire(packet.get());
    if (!wire)
        return make_error(ErrorKind::dns, prefix + wire.error().message);
    // RFC 2136 §7.8 allows UDP, but TCP avoids a retransmitted update applied twice and
    // carries large batches. One deadline for connecting, sending and the whole reply.
    auto reply_wire = detail::exchange(server, *wire, detail::Transport::tcp,
                                       detail::Deadline::after(options.timeout));
    if (!reply_wire)
        return make_error(ErrorKind::dns, prefix + reply_wire.error().message);
    auto decoded = detail::from_wire(*reply_wire);
    if (!decoded)
        return make_error(ErrorKind::dns, prefix + decoded.error().message);
    const PacketPtr reply = std::move(decoded).value();
    // Checked here, not by ldns_resolver_send_pkt, which drops a reply whose TSIG does not
    // verify: exactly the reply that says BADSIG/BADKEY.
    const bool verified =
        ldns_pkt_tsig_verify(reply.get(), reply_wire->data(), reply_wire->size(), key_name.c_str(),
                             key.secret_base64.c_str(), request_mac);
    const int rcode = static_cast<int>(ldns_pkt_get_rcode(reply.get()));
    const int tsig_error = tsig_error_of(reply.get());
    if (rcode != 0 || tsig_error != 0) {
        std::string message = prefix + rcode_name(rcode);
        if (tsig_error != 0)
            message += " (TSIG error " + tsig_error_name(tsig_error) + ")";
        return make_error(refused_before_applying(rcode) ? ErrorKind::refused : ErrorKind::dns,
                          message + ": " + hint_for(rcode, tsig_error));
    }
    if (!verified || ldns_pkt_tsig(reply.get()) == nullptr)
        // RFC 8945 §5.3: a signed request gets a signed reply; an unsigned or forged NOERROR
        // cannot be trusted to mean the records changed.
        return make_error(ErrorKind::dns,
                          prefix + "the server answered NOERROR but the reply's TSIG signature "
                                   "does not verify; the update may not have been applied");
    return {};
}

int base64_digit(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

} // namespace

Result<TsigAlgorithm> parse_tsig_algorithm(std::string_view text) {
    std::string name(text);
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (!name.empty() && name.back() == '.')
        name.pop_back();
    if (name == "hmac-sha256")
        return TsigAlgorithm::hmac_sha256;
    if (name == "hmac-sha512")
        return TsigAlgorithm::hmac_sha512;
    if (name == "hmac-sha1")
        return TsigAlgorithm::hmac_sha1;
    if (name == "hmac-md5" || name == "hmac-md5.sig-alg.reg.int")
        return TsigAlgorithm::hmac_md5;
    const std::string supported = "use hmac-sha256, hmac-sha512, hmac-sha1 or hmac-md5";
    if (name == "hmac-sha224" || name == "hmac-sha384")
        return make_error(ErrorKind::dns,
                          name + " is not supported (ldns cannot sign with it); " + supported);
    return make_error(ErrorKind::dns,
                      "unknown TSIG algorithm \"" + std::string(text) + "\"; " + supported);
}

Result<void> check_tsig_secret(std::string_view secret_base64) {
    // RFC 4648 §4 with padding, as BIND's tsig-keygen writes it. The value is never quoted.
    const auto size = secret_base64.size();
    bool valid = size > 0 && size % 4 == 0;
    for (std::size_t i = 0; valid && i < size; ++i) {
        const char c = secret_base64[i];
        if (c == '=')
            valid = i + 2 >= size && (i + 1 == size || secret_base64[i + 1] == '=');
        else
            valid = base64_digit(c) >= 0;
    }
    if (!valid)
        return make_error(ErrorKind::dns, "the TSIG secret is not valid base64 (RFC 4648 §4, "
                                          "padded, as tsig-keygen prints it)");
    return {};
}

Result<std::vector<std::uint8_t>>
update_wire(std::string_view zone, std::span<const TxtChange> changes, UpdateAction action) {
    WILDCERT_TRY(auto packet, build_update(zone, changes, action));
    ldns_pkt_set_id(packet.get(), 0);
    detail::BufferPtr buffer(ldns_buffer_new(LDNS_MAX_PACKETLEN));
    if (!buffer || ldns_pkt2buffer_wire(buffer.get(), packet.get()) != LDNS_STATUS_OK)
        return make_error(ErrorKind::dns,
                          "cannot encode the update of zone " + absolute_name(zone));
    const std::uint8_t* begin = ldns_buffer_begin(buffer.get());
    return std::vector<std::uint8_t>(begin, begin + ldns_buffer_position(buffer.get()));
}

Result<void> add_txt(const ServerAddress& server, const TsigKey& key, std::string_view zone,
                     std::span<const TxtChange> changes, const UpdateOptions& options) {
    WILDCERT_TRY(auto packet, build_update(zone, changes, UpdateAction::add));
    return send_update(server, key, zone, std::move(packet), options);
}

Result<void> remove_txt(const ServerAddress& server, const TsigKey& key, std::string_view zone,
                        std::span<const TxtChange> changes, const UpdateOptions& options) {
    WILDCERT_TRY(auto packet, build_update(zone, changes, UpdateAction::remove));
    return send_update(server, key, zone, std::move(packet), options);
}

Result<void> probe_txt_update(const ServerAddress& server, const TsigKey& key,
                              std::string_view zone, std::span<const TxtChange> changes,
                              const UpdateOptions& options) {
    WILDCERT_TRY(auto packet, build_update(zone, changes, UpdateAction::add_and_remove));
    return send_update(server, key, zone, std::move(packet), options);
}

Result<void> check_update_access(const ServerAddress& server, const TsigKey& key,
                                 std::string_view zone, const UpdateOptions& options) {
    WILDCERT_TRY(auto packet, build_access_probe(zone));
    return send_update(server, key, zone, std::move(packet), options);
}

} // namespace wildcert::dns
