#pragma once
// The status line of a wait: what is still missing where, how many checks agree, time left.
// One line, so a terminal can rewrite it in place and a log gets one fact-complete line.

#include "dns/propagation.hpp"

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

namespace wildcert::core {

// "dns: 2 of 4 checks pass, 57s left; missing: _acme-challenge.a.test. at ns2.a.test.
//  (10.0.0.2:53), 1 more"
[[nodiscard]] std::string propagation_status(const dns::PropagationProgress& progress);

// One line per failing check, for -v: "dns: _acme-challenge.a.test. at ns2 (...): missing ..."
[[nodiscard]] std::vector<std::string> propagation_detail(const dns::PropagationProgress& progress);

// "ca: 1 of 2 authorizations valid, 290s left; pending: www.a.test"
[[nodiscard]] std::string validation_status(std::size_t valid, std::size_t total,
                                            const std::vector<std::string>& pending,
                                            std::chrono::milliseconds left);

// Whole seconds, rounded up so that a countdown never shows 0s while time remains.
[[nodiscard]] std::string seconds_left(std::chrono::milliseconds left);

} // namespace wildcert::core
