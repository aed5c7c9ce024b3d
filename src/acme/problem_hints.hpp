#pragma once
// What a user can do about an ACME problem: the text after the problem itself.

#include "acme/problem.hpp"
#include "http/http_client.hpp"

#include <chrono>
#include <string>
#include <string_view>

namespace wildcert::acme {

// For rateLimited: when to try again (RFC 8555 §6.6, Retry-After as a date and a wait) and the
// help link; for userActionRequired: the page to visit (instance, §7.3.3) and the new terms;
// for agreementRequired: the terms (Link rel="terms-of-service", else the directory's) and the
// profile key that agrees to them. "" for other problems. Starts with "; " when not empty.
[[nodiscard]] std::string problem_hint(const Problem& problem, const http::Response& response,
                                       std::string_view terms_of_service,
                                       std::chrono::system_clock::time_point now);

} // namespace wildcert::acme
