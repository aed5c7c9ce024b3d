#include "cli/text_wrap.hpp"

namespace wildcert::cli {

std::vector<std::string_view> split_paragraphs(std::string_view text) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= text.size()) {
        auto end = text.find("\n\n", start);
        if (end == std::string_view::npos)
            end = text.size();
        out.push_back(text.substr(start, end - start));
        start = end + 2;
    }
    return out;
}

std::string wrap_text(std::string_view text, std::string_view indent, std::size_t width) {
    std::string out;
    std::string line(indent);
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(' ', start);
        if (end == std::string_view::npos)
            end = text.size();
        const auto word = text.substr(start, end - start);
        if (line.size() > indent.size() && line.size() + 1 + word.size() > width) {
            out += line + '\n';
            line = std::string(indent);
        }
        if (line.size() > indent.size() && !word.empty())
            line += ' ';
        line += word;
        start = end + 1;
    }
    if (line.size() > indent.size())
        out += line + '\n';
    return out;
}

std::string hanging(std::string_view indent, std::string_view label, std::size_t label_width,
                    std::string_view text) {
    const std::string column(indent.size() + label_width, ' ');
    std::string head = std::string(indent) + std::string(label);
    if (text.empty())
        return head + '\n';
    if (label.size() + 1 > label_width)
        return head + '\n' + wrap_text(text, column);
    const std::string body = wrap_text(text, column);
    return head + std::string(column.size() - head.size(), ' ') + body.substr(column.size());
}

} // namespace wildcert::cli
