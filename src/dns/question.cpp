#include "dns/question.hpp"

#include "dns/exchange.hpp"

namespace wildcert::dns::detail {
namespace {

// One message over one transport, within the question's deadline. Every way it can fail says
// what happened (exchange.hpp), after the server and the question.
Result<PacketPtr> send_once(const ServerAddress& server, const ldns_pkt* query,
                            const Deadline& deadline, Transport transport,
                            const std::string& what) {
    const auto fail = [&](const Error& error) {
        return error.with_context("DNS server " + server.to_string() + ": " + what);
    };
    auto wire = to_wire(query);
    if (!wire)
        return fail(wire.error());
    auto reply_wire = exchange(server, *wire, transport, deadline);
    if (!reply_wire)
        return fail(reply_wire.error());
    auto reply = from_wire(*reply_wire);
    if (!reply)
        return fail(reply.error());
    if (!answers(reply->get(), query))
        return fail(make_error(ErrorKind::dns, "the reply does not match the question"));
    return std::move(reply).value();
}

} // namespace

bool answers(const ldns_pkt* reply, const ldns_pkt* query) {
    if (ldns_pkt_id(reply) != ldns_pkt_id(query) || !ldns_pkt_qr(reply))
        return false;
    const ldns_rr_list* asked = ldns_pkt_question(query);
    const ldns_rr_list* echoed = ldns_pkt_question(reply);
    if (echoed == nullptr || ldns_rr_list_rr_count(echoed) != 1)
        return false;
    const ldns_rr* mine = ldns_rr_list_rr(asked, 0);
    const ldns_rr* theirs = ldns_rr_list_rr(echoed, 0);
    return ldns_rr_get_type(mine) == ldns_rr_get_type(theirs) &&
           ldns_dname_compare(ldns_rr_owner(mine), ldns_rr_owner(theirs)) == 0;
}

Result<PacketPtr> make_query(std::string_view name, ldns_rr_type type, bool recursion_desired) {
    WILDCERT_TRY(auto owner, make_dname(name));
    // ldns_pkt_query_new takes ownership of the name.
    PacketPtr query(ldns_pkt_query_new(owner.release(), type, LDNS_RR_CLASS_IN,
                                       recursion_desired ? LDNS_RD : 0));
    if (!query)
        return make_error(ErrorKind::dns, "out of memory building a " + type_name(type) + " query");
    ldns_pkt_set_random_id(query.get());
    return query;
}

std::string type_name(ldns_rr_type type) {
    const CStringPtr text(ldns_rr_type2str(type));
    return text ? std::string(text.get()) : std::string("TYPE") + std::to_string(type);
}

Result<PacketPtr> ask(const ServerAddress& server, std::string_view name, ldns_rr_type type,
                      bool recursion_desired, std::chrono::milliseconds timeout) {
    const std::string what = type_name(type) + " query for " + absolute_name(name);
    WILDCERT_TRY(const auto query, make_query(name, type, recursion_desired));
    // One deadline for the question, UDP and the TCP retry together: a server that answers
    // "truncated" at once and then trickles over TCP still ends within `timeout`.
    const auto deadline = Deadline::after(timeout);
    WILDCERT_TRY(auto reply, send_once(server, query.get(), deadline, Transport::udp, what));
    if (!ldns_pkt_tc(reply.get()))
        return reply;
    // RFC 1035 §4.2.2 / RFC 7766: a truncated UDP reply is retried over TCP.
    return send_once(server, query.get(), deadline, Transport::tcp,
                     what + " (over TCP after a truncated UDP reply)");
}

std::vector<const ldns_rr*> records_at(const ldns_rr_list* list, const ldns_rdf* owner,
                                       ldns_rr_type type) {
    std::vector<const ldns_rr*> found;
    if (list == nullptr)
        return found;
    for (std::size_t i = 0; i < ldns_rr_list_rr_count(list); ++i) {
        const ldns_rr* rr = ldns_rr_list_rr(list, i);
        if (ldns_rr_get_type(rr) == type && ldns_dname_compare(ldns_rr_owner(rr), owner) == 0)
            found.push_back(rr);
    }
    return found;
}

} // namespace wildcert::dns::detail
