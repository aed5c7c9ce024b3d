#include "zone_store.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <tuple>

namespace wildcert::fakes::route53 {
namespace {

// ResourceRecord.Value is at most 4000 characters (API reference).
constexpr std::size_t k_max_value_length = 4000;
constexpr std::size_t k_max_character_string = 255;

std::string set_label(const RecordSet& set) {
    return "[name='" + set.name + "', type='" + set.type + "']";
}

std::vector<std::string> sorted(std::vector<std::string> values) {
    std::sort(values.begin(), values.end());
    return values;
}

// Messages for one set's own content, before it is compared with the zone.
void check_set(const Zone& zone, const RecordSet& set, std::vector<std::string>& errors) {
    const bool inside = set.name == zone.name ||
                        (set.name.size() > zone.name.size() && set.name.ends_with("." + zone.name));
    if (!inside)
        errors.push_back("RRSet with DNS name " + set.name + " is not permitted in zone " +
                         zone.name);
    std::vector<std::string> seen;
    for (const auto& value : set.values) {
        if (std::find(seen.begin(), seen.end(), value) != seen.end())
            errors.push_back("[Duplicate Resource Record: '" + value + "']");
        seen.push_back(value);
        if (value.size() > k_max_value_length) {
            errors.push_back("[Invalid Resource Record: 'FATAL problem: "
                             "CharacterStringTooLong (Value is too long) encountered with '" +
                             value.substr(0, 64) + "...'']");
            continue;
        }
        std::string why;
        if (set.type == "TXT" && !unquote_txt(value, &why))
            errors.push_back("[Invalid Resource Record: 'FATAL problem: " + why +
                             " encountered with '" + value + "'']");
    }
}

void add_delta(std::vector<TxtDelta>& deltas, const std::optional<RecordSet>& before,
               const std::optional<RecordSet>& after) {
    const RecordSet& any = after ? *after : *before;
    if (any.type != "TXT")
        return;
    TxtDelta delta{any.name, after ? after->ttl : before->ttl, {}, {}};
    const auto has = [](const std::optional<RecordSet>& set, const std::string& value) {
        return set && std::find(set->values.begin(), set->values.end(), value) != set->values.end();
    };
    if (after) {
        for (const auto& value : after->values) {
            if (!has(before, value) || (before && before->ttl != after->ttl))
                delta.added.push_back(unquote_txt(value).value_or(value));
        }
    }
    if (before) {
        for (const auto& value : before->values) {
            if (!has(after, value))
                delta.removed.push_back(unquote_txt(value).value_or(value));
        }
    }
    if (!delta.added.empty() || !delta.removed.empty())
        deltas.push_back(std::move(delta));
}

} // namespace

std::string reversed_labels(std::string_view name) {
    if (name.ends_with('.'))
        name.remove_suffix(1);
    std::string out;
    while (!name.empty()) {
        const auto dot = name.rfind('.');
        const auto label = dot == std::string_view::npos ? name : name.substr(dot + 1);
        out += (out.empty() ? "" : ".") + std::string(label);
        name = dot == std::string_view::npos ? std::string_view{} : name.substr(0, dot);
    }
    return out;
}

std::string absolute_name(std::string_view name) {
    std::string out;
    for (const char c : name)
        out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (out.empty() || out.back() != '.')
        out += '.';
    return out;
}

std::string escape_name(std::string_view name) {
    std::string out;
    for (const char c : name) {
        const auto byte = static_cast<unsigned char>(c);
        if (std::isalnum(byte) != 0 || c == '-' || c == '_' || c == '.') {
            out += c;
        } else {
            char octal[8];
            std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned>(byte));
            out += octal;
        }
    }
    return out;
}

std::optional<std::string> unquote_txt(std::string_view value, std::string* why) {
    std::string out;
    std::size_t i = 0;
    bool any = false;
    while (i < value.size()) {
        if (value[i] == ' ') {
            ++i;
            continue;
        }
        if (value[i] != '"') {
            if (why != nullptr)
                *why = "InvalidCharacterString (Value should be enclosed in quotation marks)";
            return std::nullopt;
        }
        ++i;
        std::string part;
        bool closed = false;
        while (i < value.size()) {
            if (value[i] == '\\' && i + 1 < value.size()) {
                part += value[i + 1];
                i += 2;
            } else if (value[i] == '"') {
                closed = true;
                ++i;
                break;
            } else {
                part += value[i++];
            }
        }
        if (!closed) {
            if (why != nullptr)
                *why = "InvalidCharacterString (Value should be enclosed in quotation marks)";
            return std::nullopt;
        }
        if (part.size() > k_max_character_string) {
            if (why != nullptr)
                *why = "CharacterStringTooLong (Value is too long)";
            return std::nullopt;
        }
        out += part;
        any = true;
    }
    if (!any) {
        if (why != nullptr)
            *why = "InvalidCharacterString (Value should be enclosed in quotation marks)";
        return std::nullopt;
    }
    return out;
}

std::string ZoneStore::add_zone(std::string_view name, bool private_zone) {
    char id[32];
    std::snprintf(id, sizeof id, "Z%013d", m_next_id++);
    Zone zone{id, absolute_name(name), private_zone, {}};
    const RecordSet soa{zone.name,
                        "SOA",
                        900,
                        {"ns-1.awsdns-fake.com. awsdns-hostmaster.amazon.com. 1 7200 900 "
                         "1209600 86400"}};
    const RecordSet ns{zone.name, "NS", 172800, {"ns-1.awsdns-fake.com."}};
    zone.sets[{reversed_labels(zone.name), "NS"}] = ns;
    zone.sets[{reversed_labels(zone.name), "SOA"}] = soa;
    m_zones[zone.id] = std::move(zone);
    return id;
}

const Zone* ZoneStore::zone(std::string_view id) const {
    const auto found = m_zones.find(std::string(id));
    return found == m_zones.end() ? nullptr : &found->second;
}

Zone* ZoneStore::zone(std::string_view id) {
    const auto found = m_zones.find(std::string(id));
    return found == m_zones.end() ? nullptr : &found->second;
}

std::vector<const Zone*> ZoneStore::zones_by_name() const {
    std::vector<const Zone*> zones;
    for (const auto& [id, zone] : m_zones)
        zones.push_back(&zone);
    std::sort(zones.begin(), zones.end(), [](const Zone* a, const Zone* b) {
        return std::tuple(reversed_labels(a->name), a->id) <
               std::tuple(reversed_labels(b->name), b->id);
    });
    return zones;
}

std::vector<std::string> ZoneStore::apply(Zone& zone, const std::vector<Change>& changes,
                                          std::vector<TxtDelta>& deltas) {
    std::vector<std::string> errors;
    auto sets = zone.sets; // the working copy: committed only when every change is valid
    std::map<std::pair<std::string, std::string>, std::optional<RecordSet>> before;
    for (const auto& change : changes) {
        check_set(zone, change.set, errors);
        const std::pair key{reversed_labels(change.set.name), change.set.type};
        const auto current = sets.find(key);
        if (!before.contains(key))
            before[key] =
                current == sets.end() ? std::nullopt : std::optional<RecordSet>(current->second);
        if (change.action == "CREATE") {
            if (current != sets.end())
                errors.push_back("Tried to create resource record set " + set_label(change.set) +
                                 " but it already exists");
            else
                sets[key] = change.set;
        } else if (change.action == "DELETE") {
            if (current == sets.end()) {
                errors.push_back("Tried to delete resource record set " + set_label(change.set) +
                                 " but it was not found");
            } else if (current->second.ttl != change.set.ttl ||
                       sorted(current->second.values) != sorted(change.set.values)) {
                errors.push_back("Tried to delete resource record set " + set_label(change.set) +
                                 " but the values provided do not match the current values");
            } else {
                sets.erase(current);
            }
        } else {
            sets[key] = change.set;
        }
    }
    if (!errors.empty())
        return errors;
    for (const auto& [key, old] : before) {
        const auto now = sets.find(key);
        add_delta(deltas, old,
                  now == sets.end() ? std::nullopt : std::optional<RecordSet>(now->second));
    }
    zone.sets = std::move(sets);
    return errors;
}

} // namespace wildcert::fakes::route53
