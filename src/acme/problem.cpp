#include "acme/problem.hpp"

#include "common/printable.hpp"
#include "json/json.hpp"

#include <charconv>
#include <ctime>

namespace wildcert::acme {
namespace {

// Every text member is the CA's and ends up in messages: escaped here, where it enters
// (common/printable.hpp). A type with control characters matches no known type either way.
Problem read_problem(const json::Value& value) {
    const auto text = [](std::optional<std::string> member, std::string_view fallback) {
        return common::printable(member.value_or(std::string(fallback)));
    };
    Problem problem;
    problem.type = text(value.string_member("type"), "about:blank");
    problem.detail = text(value.string_member("detail"), "");
    problem.status = static_cast<int>(value.int_member("status").value_or(0));
    problem.instance = text(value.string_member("instance"), "");
    if (const auto identifier = value.member("identifier"))
        problem.identifier = text(identifier->string_member("value"), "");
    // One per identifier of an order (at most 100 at any CA); more only lengthen the message.
    constexpr std::size_t k_max_subproblems = 100;
    for (const auto& sub : value.array_member("subproblems")) {
        if (problem.subproblems.size() == k_max_subproblems)
            break;
        problem.subproblems.push_back(read_problem(sub));
    }
    return problem;
}

} // namespace

std::string Problem::short_type() const {
    if (type.rfind(problem_type::k_prefix, 0) == 0)
        return type.substr(problem_type::k_prefix.size());
    return type;
}

bool Problem::is(std::string_view acme_type) const {
    return short_type() == acme_type;
}

std::string Problem::describe() const {
    std::string text = short_type();
    if (!detail.empty())
        text += ": " + detail;
    for (const auto& sub : subproblems) {
        text += " [";
        if (!sub.identifier.empty())
            text += sub.identifier + ": ";
        text += sub.describe() + "]";
    }
    return text;
}

Error problem_error(std::string message, const Problem& problem) {
    Error error{ErrorKind::acme, std::move(message)};
    error.problem_type = problem.short_type();
    error.identifier = problem.identifier;
    for (const auto& sub : problem.subproblems) {
        if (!error.identifier.empty())
            break;
        error.identifier = sub.identifier;
    }
    error.retry_after = problem.retry_after;
    return error;
}

bool body_is_json_object(const http::Response& response) {
    const auto document = json::Document::parse(response.body);
    return document.ok() && document->root().is_object();
}

Problem problem_from_response(const http::Response& response) {
    Problem problem;
    if (auto document = json::Document::parse(response.body);
        document.ok() && document->root().is_object()) {
        problem = read_problem(document->root());
    } else {
        problem.type = "about:blank";
        problem.detail =
            "HTTP " + std::to_string(response.status) + " with " +
            common::printable(response.header("content-type").value_or("no content type")) +
            " (not a problem document)";
    }
    if (problem.status == 0)
        problem.status = response.status;
    if (const auto retry = response.header("retry-after"))
        problem.retry_after = parse_retry_after(*retry, std::chrono::system_clock::now());
    return problem;
}

std::optional<Problem> problem_from_json(std::string_view json_text) {
    auto document = json::Document::parse(json_text);
    if (!document.ok() || !document->root().is_object())
        return std::nullopt;
    return read_problem(document->root());
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ')
        value.remove_suffix(1);
    long long seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error == std::errc{} && end == value.data() + value.size())
        return seconds < 0 ? std::nullopt : std::optional(std::chrono::seconds(seconds));

    // IMF-fixdate, the only HTTP-date form senders may generate: "Sun, 06 Nov 1994 08:49:37 GMT"
    std::tm tm{};
    const std::string text(value);
    const char* parsed = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
    if (parsed == nullptr || *parsed != '\0')
        return std::nullopt;
    const auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
    const auto delta = std::chrono::duration_cast<std::chrono::seconds>(when - now);
    return delta.count() < 0 ? std::chrono::seconds(0) : delta;
}

} // namespace wildcert::acme
