#include "dns/caa.hpp"

#include "dns/asker.hpp"
#include "dns/discovery.hpp"
#include "dns/question.hpp"
#include "dns/resolution.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace wildcert::dns {
namespace {

using detail::PacketPtr;
using detail::parent_of;

// DNS names have at most 127 labels (RFC 1035 §2.3.4): the climb is bounded by it.
constexpr int k_max_labels = 128;

// RFC 8659 §4.1: bit 0 of the flags octet.
constexpr std::uint8_t k_issuer_critical = 128;

// Tags a CA issuing TLS certificates knows: RFC 8659 §4.2-4.4 and the CA/Browser Forum
// Baseline Requirements' contact tags. A critical property with any other tag forbids.
constexpr std::array<std::string_view, 5> k_known_tags{"issue", "issuewild", "iodef",
                                                       "contactemail", "contactphone"};

std::string lower(std::string_view text) {
    std::string result(text);
    std::transform(result.begin(), result.end(), result.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return result;
}

bool iequals(std::string_view a, std::string_view b) {
    return lower(a) == lower(b);
}

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_wsp(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && is_wsp(text.back()))
        text.remove_suffix(1);
    return text;
}

bool is_alnum(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

// RFC 8659 §4.2: issuer-domain-name = label *("." label), label = (ALPHA / DIGIT)
// [*(ALPHA / DIGIT / "-") (ALPHA / DIGIT)].
bool is_issuer_domain(std::string_view text) {
    if (text.empty())
        return false;
    std::size_t start = 0;
    while (start <= text.size()) {
        const auto dot = text.find('.', start);
        const auto label =
            text.substr(start, dot == std::string_view::npos ? text.npos : dot - start);
        if (label.empty() || !is_alnum(label.front()) || !is_alnum(label.back()))
            return false;
        for (const char c : label) {
            if (!is_alnum(c) && c != '-')
                return false;
        }
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
    return false;
}

struct Parameter {
    std::string tag; // lower case
    std::string value;
};

// RFC 8659 §4.2's issuevalue; nullopt when it does not match the grammar, which "MUST be
// treated the same as one specifying an empty issuer".
struct IssueValue {
    std::string issuer; // lower case, no trailing dot; "" forbids
    std::vector<Parameter> parameters;
};

std::optional<IssueValue> parse_issue_value(std::string_view text) {
    IssueValue parsed;
    const auto semicolon = text.find(';');
    const auto issuer = trim(text.substr(0, semicolon));
    if (!issuer.empty()) {
        if (!is_issuer_domain(issuer))
            return std::nullopt;
        parsed.issuer = lower(issuer);
    }
    if (semicolon == std::string_view::npos)
        return parsed;
    std::string_view rest = text.substr(semicolon + 1);
    while (!trim(rest).empty()) {
        const auto next = rest.find(';');
        const auto item = trim(rest.substr(0, next));
        rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 1);
        const auto equals = item.find('=');
        if (equals == std::string_view::npos)
            return std::nullopt;
        const auto tag = trim(item.substr(0, equals));
        const auto value = trim(item.substr(equals + 1));
        if (tag.empty() || !std::all_of(tag.begin(), tag.end(), is_alnum))
            return std::nullopt;
        // value = *(%x21-3A / %x3C-7E): visible characters except ';'
        for (const char c : value) {
            if (c < 0x21 || c > 0x7E)
                return std::nullopt;
        }
        parsed.parameters.push_back({lower(tag), std::string(value)});
    }
    return parsed;
}

// RFC 8659 §4.1 wire form: flags (1 octet), tag length (1), tag, value (the rest). Read from
// the RDATA bytes so that it does not depend on how ldns splits CAA into fields.
std::optional<CaaRecord> caa_from_rr(const ldns_rr* rr) {
    const detail::BufferPtr buffer(ldns_buffer_new(512));
    if (!buffer || ldns_rr_rdata2buffer_wire(buffer.get(), rr) != LDNS_STATUS_OK)
        return std::nullopt;
    const std::uint8_t* data = ldns_buffer_begin(buffer.get());
    const std::size_t size = ldns_buffer_position(buffer.get());
    if (size < 2 || static_cast<std::size_t>(data[1]) + 2 > size)
        return std::nullopt;
    CaaRecord record;
    record.flags = data[0];
    record.tag.assign(reinterpret_cast<const char*>(data + 2), data[1]);
    record.value.assign(reinterpret_cast<const char*>(data + 2 + data[1]), size - 2 - data[1]);
    return record;
}

// The first NOERROR or NXDOMAIN reply of the resolvers, in order.
Result<PacketPtr> ask_caa(const detail::Asker& asker, const std::vector<ServerAddress>& resolvers,
                          const std::string& name, std::chrono::milliseconds timeout) {
    auto reply = detail::ask_resolvers(asker, resolvers, name, LDNS_RR_TYPE_CAA, timeout);
    if (!reply)
        return make_error(ErrorKind::dns,
                          "CAA at " + name + " cannot be determined: " + reply.error().message);
    return reply;
}

bool is_known_tag(std::string_view tag) {
    return std::any_of(k_known_tags.begin(), k_known_tags.end(),
                       [&](std::string_view known) { return iequals(known, tag); });
}

bool names_identity(const std::string& issuer, const std::vector<std::string>& identities) {
    return std::any_of(identities.begin(), identities.end(), [&](const std::string& identity) {
        std::string wanted = lower(identity);
        if (!wanted.empty() && wanted.back() == '.')
            wanted.pop_back();
        return wanted == issuer;
    });
}

// How one property judges the request. `why` explains anything but a plain allow.
struct PropertyJudgement {
    CaaOutcome outcome = CaaOutcome::forbidden;
    std::string why;
};

PropertyJudgement judge_property(const CaaRecord& record, const CaaIssuer& issuer) {
    const auto parsed = parse_issue_value(record.value);
    if (!parsed)
        return {CaaOutcome::forbidden, "malformed value, which counts as an empty issuer"};
    if (parsed->issuer.empty())
        return {CaaOutcome::forbidden, "empty issuer: no CA may issue"};
    if (issuer.identities.empty())
        return {CaaOutcome::uncertain, "names " + parsed->issuer +
                                           "; cannot tell which issuer domain this CA uses "
                                           "(set [acme] caa_identities)"};
    if (!names_identity(parsed->issuer, issuer.identities))
        return {CaaOutcome::forbidden, "names " + parsed->issuer + ", not this CA"};
    PropertyJudgement judgement{CaaOutcome::allowed, ""};
    int account_uris = 0;
    for (const auto& parameter : parsed->parameters) {
        if (parameter.tag == "validationmethods") {
            // RFC 8657 §4: a comma-separated list of ACME validation method labels.
            bool dns01 = false;
            std::string_view methods = parameter.value;
            while (!methods.empty()) {
                const auto comma = methods.find(',');
                dns01 = dns01 || iequals(methods.substr(0, comma), "dns-01");
                methods = comma == std::string_view::npos ? std::string_view()
                                                          : methods.substr(comma + 1);
            }
            if (!dns01)
                return {CaaOutcome::forbidden,
                        "validationmethods=" + parameter.value + " does not include dns-01"};
        } else if (parameter.tag == "accounturi") {
            ++account_uris;
            if (issuer.account_url.empty()) {
                judgement = {CaaOutcome::uncertain,
                             "accounturi=" + parameter.value +
                                 " allows one account only, and no account is stored yet to "
                                 "compare"};
            } else if (parameter.value != issuer.account_url) {
                return {CaaOutcome::forbidden, "accounturi=" + parameter.value +
                                                   " is not this profile's account " +
                                                   issuer.account_url};
            }
        }
    }
    // RFC 8657 §3: more than one accounturi in one property cannot be satisfied.
    if (account_uris > 1)
        return {CaaOutcome::forbidden, "more than one accounturi: no account can match"};
    return judgement;
}

} // namespace

std::string CaaRecord::to_string() const {
    return std::to_string(flags) + " " + tag + " \"" + value + "\"";
}

CaaLookup::CaaLookup(std::vector<ServerAddress> resolvers, std::chrono::milliseconds query_timeout,
                     std::shared_ptr<const detail::Asker> asker)
    : m_resolvers(std::move(resolvers)), m_query_timeout(query_timeout),
      m_asker(asker ? std::move(asker) : detail::network_asker()) {}

Result<std::vector<CaaRecord>> CaaLookup::records_at(const std::string& name) const {
    std::vector<std::string> chain{name};
    WILDCERT_TRY(auto reply, ask_caa(*m_asker, m_resolvers, name, m_query_timeout));
    for (;;) {
        WILDCERT_TRY(auto owner, detail::make_dname(chain.back()));
        const ldns_rr_list* answer = ldns_pkt_answer(reply.get());
        const auto found = detail::records_at(answer, owner.get(), LDNS_RR_TYPE_CAA);
        if (!found.empty()) {
            std::vector<CaaRecord> records;
            for (const ldns_rr* rr : found) {
                if (auto record = caa_from_rr(rr))
                    records.push_back(std::move(*record));
            }
            return records;
        }
        // RFC 8659 §3: the lookup chases aliases like any RFC 1034 §4.3.2 resolution. A
        // resolver puts the chain and the target's records in one answer; when the target is
        // missing from it, it is asked for on its own.
        const auto aliases = detail::records_at(answer, owner.get(), LDNS_RR_TYPE_CNAME);
        if (aliases.empty() || ldns_rr_rd_count(aliases.front()) < 1)
            return std::vector<CaaRecord>{};
        std::string target = detail::dname_to_string(ldns_rr_rdf(aliases.front(), 0));
        if (std::find(chain.begin(), chain.end(), target) != chain.end() ||
            static_cast<int>(chain.size()) > k_max_cname_chain)
            return make_error(ErrorKind::dns,
                              "CAA at " + name + ": CNAME loop or chain too long at " + target);
        chain.push_back(target);
        WILDCERT_TRY(auto target_rdf, detail::make_dname(target));
        if (detail::records_at(answer, target_rdf.get(), LDNS_RR_TYPE_CAA).empty() &&
            detail::records_at(answer, target_rdf.get(), LDNS_RR_TYPE_CNAME).empty()) {
            WILDCERT_TRY(reply, ask_caa(*m_asker, m_resolvers, target, m_query_timeout));
        }
    }
}

Result<CaaSet> CaaLookup::relevant_set(std::string_view domain) const {
    std::string_view base = domain;
    if (base.substr(0, 2) == "*.")
        base.remove_prefix(2);
    std::string name = detail::absolute_name(base);
    for (int step = 0; step < k_max_labels && name != "."; ++step) {
        WILDCERT_TRY(auto records, records_at(name));
        if (!records.empty())
            return CaaSet{name, std::move(records)};
        name = parent_of(name);
    }
    return CaaSet{};
}

CaaVerdict evaluate_caa(const CaaSet& set, std::string_view domain, const CaaIssuer& issuer) {
    const bool wildcard = domain.substr(0, 2) == "*.";
    if (set.records.empty())
        return {CaaOutcome::allowed, "no CAA record at the name or any parent: any CA may issue"};
    const std::string where = "CAA at " + set.owner + ": ";
    for (const auto& record : set.records) {
        if ((record.flags & k_issuer_critical) != 0 && !is_known_tag(record.tag))
            return {CaaOutcome::forbidden,
                    where + record.to_string() +
                        " is critical with a tag CAs do not know, which forbids issuance"};
    }
    // RFC 8659 §4.3: issuewild governs wildcards when present, and never other names.
    const bool has_issuewild =
        std::any_of(set.records.begin(), set.records.end(),
                    [](const CaaRecord& record) { return iequals(record.tag, "issuewild"); });
    const std::string_view property = wildcard && has_issuewild ? "issuewild" : "issue";
    std::vector<const CaaRecord*> relevant;
    for (const auto& record : set.records) {
        if (iequals(record.tag, property))
            relevant.push_back(&record);
    }
    if (relevant.empty())
        return {CaaOutcome::allowed, where + "no " + std::string(property) +
                                         " property, so the set does not restrict issuance"};
    // Properties are additive (RFC 8659 §4.2): the best judgement wins.
    std::string reasons;
    CaaOutcome best = CaaOutcome::forbidden;
    for (const CaaRecord* record : relevant) {
        const auto judgement = judge_property(*record, issuer);
        if (judgement.outcome == CaaOutcome::allowed)
            return {CaaOutcome::allowed, where + record->to_string() + " allows this CA"};
        if (judgement.outcome == CaaOutcome::uncertain)
            best = CaaOutcome::uncertain;
        reasons += (reasons.empty() ? "" : "; ") + record->to_string() + ": " + judgement.why;
    }
    if (best == CaaOutcome::forbidden)
        return {CaaOutcome::forbidden, where + "forbids this CA (" + reasons + ")"};
    return {CaaOutcome::uncertain, where + reasons};
}

} // namespace wildcert::dns
