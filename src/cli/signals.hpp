#pragma once

namespace wildcert::cli {

// SIGINT/SIGTERM set a flag that long waits poll, so the run stops at the next safe point and
// still removes its records. A second signal ends the process at once.
void install_stop_handlers();
[[nodiscard]] bool stop_requested();
// 128 + the signal's number once one came (130 for SIGINT, 143 for SIGTERM, exit_codes.hpp),
// else 0: a stopped run exits with it after its cleanup, as a shell reports a killed process.
[[nodiscard]] int stop_exit_code();

} // namespace wildcert::cli
