#include "providers/route53/txt_changes.hpp"

#include <algorithm>

namespace wildcert::providers::route53 {
namespace {

bool contains(const std::vector<std::string>& values, const std::string& value) {
    return std::find(values.begin(), values.end(), value) != values.end();
}

} // namespace

std::string quote_txt(std::string_view value) {
    std::string out = "\"";
    for (const char c : value) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

std::optional<RecordChange> plan_add(const std::optional<TxtSet>& current, const std::string& fqdn,
                                     const std::vector<std::string>& values,
                                     std::chrono::seconds ttl) {
    TxtSet wanted{fqdn, ttl, current ? current->values : std::vector<std::string>{}};
    bool added = false;
    for (const auto& value : values) {
        const auto quoted = quote_txt(value);
        if (!contains(wanted.values, quoted)) {
            wanted.values.push_back(quoted);
            added = true;
        }
    }
    if (!added)
        return std::nullopt;
    return RecordChange{ChangeAction::upsert, std::move(wanted)};
}

std::optional<RecordChange> plan_remove(const std::optional<TxtSet>& current,
                                        const std::vector<std::string>& values) {
    if (!current)
        return std::nullopt;
    std::vector<std::string> quoted;
    for (const auto& value : values)
        quoted.push_back(quote_txt(value));
    TxtSet remaining{current->name, current->ttl, {}};
    for (const auto& value : current->values) {
        if (!contains(quoted, value))
            remaining.values.push_back(value);
    }
    if (remaining.values.size() == current->values.size())
        return std::nullopt;
    if (remaining.values.empty())
        return RecordChange{ChangeAction::remove, *current};
    return RecordChange{ChangeAction::upsert, std::move(remaining)};
}

} // namespace wildcert::providers::route53
