#pragma once
// The end of a hook's output, kept within a fixed size however much the hook writes, and the
// short form of it that goes into an error message.

#include <cstddef>
#include <string>
#include <string_view>

namespace wildcert::process {

// Keeps the last `capacity` bytes appended; older bytes are dropped.
class OutputTail {
public:
    explicit OutputTail(std::size_t capacity) : m_capacity(capacity) {}

    void append(std::string_view bytes);
    [[nodiscard]] const std::string& text() const { return m_text; }
    // True when bytes were dropped from the front.
    [[nodiscard]] bool truncated() const { return m_truncated; }

private:
    std::size_t m_capacity;
    std::string m_text;
    bool m_truncated = false;
};

// The last non-empty lines of `output` that fit in `max_bytes`, joined with " | " so the cause
// stays on the error's one line. Control characters (terminal escapes included) become '?'.
// A last line longer than `max_bytes` keeps its end, after "...". Empty output gives "".
[[nodiscard]] std::string last_lines(std::string_view output, std::size_t max_bytes);

} // namespace wildcert::process
