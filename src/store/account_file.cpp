#include "store/account_file.hpp"

#include <string_view>

namespace wildcert::store {

namespace {

constexpr std::string_view k_directory_key = "directory";
constexpr std::string_view k_url_key = "url";
constexpr std::string_view k_eab_key_id_key = "eab_key_id";

bool fits_on_one_line(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string_view trim_carriage_return(std::string_view line) {
    if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
    }
    return line;
}

} // namespace

Result<std::string> format_account_info(const AccountInfo& info) {
    if (!fits_on_one_line(info.directory_url)) {
        return make_error(ErrorKind::io, "account file: directory URL contains a line break");
    }
    if (!fits_on_one_line(info.account_url)) {
        return make_error(ErrorKind::io, "account file: account URL contains a line break");
    }
    std::string text = "# wildcert ACME account (the key is in account.key)\n";
    text.append(k_directory_key).append("=").append(info.directory_url).append("\n");
    text.append(k_url_key).append("=").append(info.account_url).append("\n");
    if (!info.eab_key_id.empty()) {
        if (!fits_on_one_line(info.eab_key_id))
            return make_error(ErrorKind::io, "account file: EAB key id contains a line break");
        text.append(k_eab_key_id_key).append("=").append(info.eab_key_id).append("\n");
    }
    return text;
}

AccountInfo parse_account_info(const std::string& text) {
    AccountInfo info;
    std::string_view rest = text;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        const std::string_view line = trim_carriage_return(rest.substr(0, end));
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (line.empty() || line.front() == '#') {
            continue;
        }
        const std::size_t equals = line.find('=');
        if (equals == std::string_view::npos) {
            continue;
        }
        const std::string_view key = line.substr(0, equals);
        const std::string_view value = line.substr(equals + 1);
        if (key == k_directory_key) {
            info.directory_url = std::string(value);
        } else if (key == k_url_key) {
            info.account_url = std::string(value);
        } else if (key == k_eab_key_id_key) {
            info.eab_key_id = std::string(value);
        }
    }
    return info;
}

} // namespace wildcert::store
