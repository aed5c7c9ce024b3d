#pragma once

namespace wildcert::cli {

// SIGINT/SIGTERM set a flag that long waits poll, so the run stops at the next safe point and
// still removes its records. A second signal ends the process at once.
void install_stop_handlers();
[[nodiscard]] bool stop_requested();

} // namespace wildcert::cli
