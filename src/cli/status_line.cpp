#include "cli/status_line.hpp"

#include "common/printable.hpp"

#include <sys/ioctl.h>
#include <unistd.h>

namespace wildcert::cli {
namespace {

// Erases the current terminal line: carriage return, then "erase to end of line" (ECMA-48 EL).
constexpr std::string_view k_erase_line = "\r\033[K";

} // namespace

StatusLine::StatusLine(std::ostream& out, Settings settings)
    : m_out(out), m_settings(std::move(settings)) {}

void StatusLine::line(std::string_view text) {
    const std::lock_guard lock(m_mutex);
    erase();
    m_out << "wildcert: " << text << '\n';
    draw();
    m_out.flush();
}

void StatusLine::status(std::string_view text) {
    const std::lock_guard lock(m_mutex);
    const auto now = m_settings.now();
    if (text.empty()) {
        erase();
        m_status.clear();
        m_logged = false;
        m_out.flush();
        return;
    }
    if (m_status.empty())
        m_wait_started = now;
    // Whatever the peers put into it, the line stays one line of plain characters.
    m_status = common::printable(text);
    if (now - m_wait_started < k_show_after)
        return;
    if (m_settings.terminal) {
        erase();
        draw();
    } else if (!m_logged || now - m_last_logged >= k_log_every) {
        m_out << "wildcert: " << m_status << '\n';
        m_last_logged = now;
        m_logged = true;
    }
    m_out.flush();
}

void StatusLine::erase() {
    if (m_drawn)
        m_out << k_erase_line;
    m_drawn = false;
}

void StatusLine::draw() {
    if (!m_settings.terminal || m_status.empty() ||
        m_settings.now() - m_wait_started < k_show_after)
        return;
    std::string shown = "wildcert: " + m_status;
    // One column spare: writing the last column makes some terminals wrap.
    const auto fits = m_settings.width > 1 ? m_settings.width - 1 : 1;
    if (shown.size() > fits)
        shown = shown.substr(0, fits > 3 ? fits - 3 : fits) + (fits > 3 ? "..." : "");
    m_out << shown;
    m_drawn = true;
}

bool stderr_is_terminal(std::size_t& width) {
    width = 80;
    if (isatty(STDERR_FILENO) == 0)
        return false;
    winsize size{};
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        width = size.ws_col;
    return true;
}

} // namespace wildcert::cli
