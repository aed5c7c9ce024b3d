#include "acme/problem_hints.hpp"

#include "acme/rfc3339.hpp"
#include "common/printable.hpp"
#include "http/link_header.hpp"

namespace wildcert::acme {
namespace {

std::string first_link(const http::Response& response, std::string_view rel) {
    const auto targets = http::link_targets(response, rel);
    return targets.empty() ? std::string() : common::printable(targets.front());
}

std::string rate_limit_hint(const Problem& problem, const http::Response& response,
                            std::chrono::system_clock::time_point now) {
    std::string hint = "; the CA limits how often this may be done: ";
    if (problem.retry_after) {
        hint +=
            "try again after " +
            format_rfc3339(now + std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                     *problem.retry_after)) +
            " (in " + format_wait(*problem.retry_after) + ")";
    } else {
        hint += "the CA gave no Retry-After; wait before trying again";
    }
    if (const auto help = first_link(response, "help"); !help.empty())
        hint += ", see " + help;
    return hint;
}

std::string terms_hint(const http::Response& response, std::string_view directory_terms) {
    auto terms = first_link(response, "terms-of-service");
    if (terms.empty())
        terms = std::string(directory_terms);
    return terms.empty() ? std::string("the CA's terms of service") : "the terms at " + terms;
}

} // namespace

std::string problem_hint(const Problem& problem, const http::Response& response,
                         std::string_view terms_of_service,
                         std::chrono::system_clock::time_point now) {
    if (problem.is(problem_type::k_rate_limited))
        return rate_limit_hint(problem, response, now);
    if (problem.is(problem_type::k_user_action_required)) {
        std::string hint = "; the CA needs you to act before it continues";
        if (!problem.instance.empty())
            hint += ": visit " + problem.instance;
        const auto terms = first_link(response, "terms-of-service");
        if (!terms.empty())
            hint += "; new terms of service: " + terms +
                    " (agreeing again may need acme.accept_terms = true and a new run)";
        return hint;
    }
    if (problem.is(problem_type::k_agreement_required)) {
        return "; the CA requires agreeing to " + terms_hint(response, terms_of_service) +
               ": read them and set acme.accept_terms = true in the profile";
    }
    return {};
}

} // namespace wildcert::acme
