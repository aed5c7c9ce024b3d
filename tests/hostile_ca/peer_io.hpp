#pragma once
// The socket steps the hostile servers (tests/hostile_ca, tests/hostile_dns) share: each wait
// is short and checks the server's stop flag, so a destructor returns promptly whatever the
// client does; and the file through which the programs tell a test where they listen.

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <string_view>

namespace wildcert::hostile_ca {

// Every wait polls the stop flag this often.
inline constexpr int k_poll_ms = 50;

// Sends all of `data`; false when the peer is gone or the server stops.
bool send_all(int fd, std::string_view data, const std::atomic<bool>& stopping);

// Sleeps `pace` in short steps; false when the server stops.
bool wait(std::chrono::milliseconds pace, const std::atomic<bool>& stopping);

// Writes `text` and a newline to `file` through a temporary name, so that a test polling for
// the file never reads half of it.
bool write_file_whole(const std::filesystem::path& file, const std::string& text);

} // namespace wildcert::hostile_ca
