#pragma once
// Progress on stderr while something waits. On a terminal, one status line rewritten in place
// (other lines print above it); in a log, the same facts as a plain line every few seconds.
// A wait that ends within a second shows nothing: fast runs stay quiet.

#include <chrono>
#include <functional>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace wildcert::cli {

class StatusLine {
public:
    using Clock = std::chrono::steady_clock;
    struct Settings {
        bool terminal = false;
        std::size_t width = 80; // columns of the terminal; the line is cut to fit
        std::function<Clock::time_point()> now = [] { return Clock::now(); };
    };
    // How long a wait lasts before it is shown, and how often a log repeats it.
    static constexpr std::chrono::seconds k_show_after{1};
    static constexpr std::chrono::seconds k_log_every{5};

    StatusLine(std::ostream& out, Settings settings);

    // A permanent line ("wildcert: " + text).
    void line(std::string_view text);
    // Where the current wait stands; empty: the wait is over.
    void status(std::string_view text);

private:
    void erase();
    void draw();

    std::ostream& m_out;
    Settings m_settings;
    std::mutex m_mutex;
    std::string m_status;             // the latest status, "" outside a wait
    Clock::time_point m_wait_started; // when the current wait's first status came
    Clock::time_point m_last_logged;
    bool m_logged = false; // this wait printed a plain line already
    bool m_drawn = false;  // the terminal shows the status line now
};

// True when stderr is a terminal; `width` gets its column count (80 when unknown).
[[nodiscard]] bool stderr_is_terminal(std::size_t& width);

} // namespace wildcert::cli
