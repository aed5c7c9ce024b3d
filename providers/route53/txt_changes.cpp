#include "providers/route53/txt_changes.hpp"

#include "providers/common/txt_set.hpp"

namespace wildcert::providers::route53 {

std::string quote_txt(std::string_view value) {
    return txt_set::quote(value);
}

std::optional<RecordChange> plan_add(const std::optional<TxtSet>& current, const std::string& fqdn,
                                     const std::vector<std::string>& values,
                                     std::chrono::seconds ttl) {
    auto merged =
        txt_set::with_values(current ? current->values : std::vector<std::string>{}, values);
    if (!merged.changed)
        return std::nullopt;
    return RecordChange{ChangeAction::upsert, TxtSet{fqdn, ttl, std::move(merged.values)}};
}

std::optional<RecordChange> plan_remove(const std::optional<TxtSet>& current,
                                        const std::vector<std::string>& values) {
    if (!current)
        return std::nullopt;
    auto merged = txt_set::without_values(current->values, values);
    if (!merged.changed)
        return std::nullopt;
    // Route 53 deletes a set only by its exact current content (TTL and every value).
    if (merged.values.empty())
        return RecordChange{ChangeAction::remove, *current};
    return RecordChange{ChangeAction::upsert,
                        TxtSet{current->name, current->ttl, std::move(merged.values)}};
}

} // namespace wildcert::providers::route53
