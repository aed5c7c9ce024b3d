#include "dns/reply_check.hpp"

#include "dns/asker.hpp"
#include "dns/discovery.hpp"
#include "dns/propagation_loop.hpp"
#include "dns/query.hpp"
#include "dns/question.hpp"

#include <chrono>
#include <memory>

namespace wildcert::dns {
namespace {

constexpr std::chrono::milliseconds k_no_timeout{0};

// Answers every question with a fresh decoding of the same bytes, the way ldns_send() decodes
// what arrives on the socket.
class WireAsker final : public detail::Asker {
public:
    explicit WireAsker(std::span<const std::uint8_t> wire) : m_wire(wire) {}

    [[nodiscard]] Result<detail::PacketPtr> ask(const ServerAddress& server, std::string_view,
                                                ldns_rr_type, bool,
                                                std::chrono::milliseconds) const override {
        return decode(server);
    }

    [[nodiscard]] Result<detail::PacketPtr> decode(const ServerAddress& server) const {
        ldns_pkt* raw = nullptr;
        const ldns_status status = ldns_wire2pkt(&raw, m_wire.data(), m_wire.size());
        detail::PacketPtr packet(raw);
        if (status != LDNS_STATUS_OK || !packet)
            return make_error(ErrorKind::dns, "DNS server " + server.to_string() +
                                                  ": undecodable reply (" +
                                                  ldns_get_errorstr_by_id(status) + ")");
        return packet;
    }

private:
    std::span<const std::uint8_t> m_wire;
};

std::string line(std::string_view what, const Result<std::string>& result) {
    return std::string(what) + ": " + (result ? *result : "error: " + result.error().message);
}

} // namespace

std::vector<std::string> check_reply(const std::string& fallback_name,
                                     const std::vector<std::string>& expected,
                                     std::span<const std::uint8_t> wire) {
    const ServerAddress server{"192.0.2.53", 53};
    const auto asker = std::make_shared<const WireAsker>(wire);
    std::vector<std::string> lines;
    auto decoded = asker->decode(server);
    if (!decoded)
        return {decoded.error().message};
    // The questions are about the name the reply is about, so that each evaluation sees a
    // reply to its own name; a reply without a question is taken as one about fallback_name.
    std::string name = fallback_name;
    ldns_rr_type type = LDNS_RR_TYPE_TXT;
    if (const ldns_rr_list* question = ldns_pkt_question(decoded->get());
        question != nullptr && ldns_rr_list_rr_count(question) > 0) {
        const ldns_rr* asked = ldns_rr_list_rr(question, 0);
        if (ldns_rr_owner(asked) != nullptr)
            name = detail::dname_to_string(ldns_rr_owner(asked));
        type = ldns_rr_get_type(asked);
    }
    lines.push_back("name: " + name);

    // The question check of the network path, with the reply's own id: the other fields decide.
    {
        auto query = detail::make_query(name, type, false);
        if (query) {
            ldns_pkt_set_id(query->get(), ldns_pkt_id(decoded->get()));
            lines.push_back(std::string("answers the question: ") +
                            (detail::answers(decoded->get(), query->get()) ? "yes" : "no"));
        } else {
            lines.push_back("answers the question: error: " + query.error().message);
        }
    }

    // RFC 1035 §4.2.2: the network path asks again over TCP; here the same bytes come back.
    lines.push_back(std::string("truncated: ") + (ldns_pkt_tc(decoded->get()) ? "yes" : "no"));

    for (const bool recursive : {false, true}) {
        const auto check = judge_answer(
            expected, query_txt(*asker, server, name, recursive, k_no_timeout), !recursive);
        lines.push_back(std::string(recursive ? "resolver" : "authoritative") +
                        " TXT check: " + (check.complete ? "complete" : check.problem));
    }

    const auto serial = query_soa_serial(*asker, server, name, k_no_timeout);
    lines.push_back("SOA serial: " +
                    (serial ? (*serial ? std::to_string(**serial) : std::string("none"))
                            : "error: " + serial.error().message));

    const Discovery discovery(std::vector<ServerAddress>{server}, k_no_timeout, asker);
    lines.push_back(line("CNAME target", discovery.follow_cname(name)));
    lines.push_back(line("zone apex", discovery.find_zone_apex(name)));
    auto servers = discovery.authoritative_servers(name);
    lines.push_back("authoritative servers: " + (servers ? std::to_string(servers->size())
                                                         : "error: " + servers.error().message));

    Discovery delegation(std::vector<ServerAddress>{server}, k_no_timeout, asker);
    delegation.use_delegation({server});
    lines.push_back(line("zone by delegation", delegation.find_zone_apex(name)));
    return lines;
}

} // namespace wildcert::dns
