#include "store/certificate_record.hpp"

#include <charconv>
#include <functional>
#include <string_view>

namespace wildcert::store {

namespace {

bool fits_on_one_line(std::string_view value) {
    return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
    Number value{};
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc() || ptr != end) {
        return std::nullopt;
    }
    return value;
}

// Calls `visit(key, value)` for every "key=value" line.
void for_each_line(const std::string& text,
                   const std::function<void(std::string_view, std::string_view)>& visit) {
    std::string_view rest = text;
    while (!rest.empty()) {
        const std::size_t end = rest.find('\n');
        std::string_view line = rest.substr(0, end);
        rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        const std::size_t equals = line.find('=');
        if (line.empty() || line.front() == '#' || equals == std::string_view::npos) {
            continue;
        }
        visit(line.substr(0, equals), line.substr(equals + 1));
    }
}

std::vector<std::string> split_words(std::string_view text) {
    std::vector<std::string> words;
    while (!text.empty()) {
        const std::size_t space = text.find(' ');
        if (space != 0) {
            words.emplace_back(text.substr(0, space));
        }
        text.remove_prefix(space == std::string_view::npos ? text.size() : space + 1);
    }
    return words;
}

} // namespace

Result<std::string> format_certificate_record(const CertificateRecord& record) {
    std::string domains;
    for (const std::string& domain : record.domains) {
        domains += (domains.empty() ? "" : " ") + domain;
    }
    for (const std::string_view value :
         {std::string_view(domains), std::string_view(record.key_type),
          std::string_view(record.serial_hex), std::string_view(record.issuer),
          std::string_view(record.directory_url), std::string_view(record.profile)}) {
        if (!fits_on_one_line(value)) {
            return make_error(ErrorKind::io, "certificate record: a value contains a line break");
        }
    }
    std::string text = "# wildcert: what renew needs to know about this certificate\n";
    text += "domains=" + domains + "\n";
    text += "key=" + record.key_type + "\n";
    text += "not_before=" + std::to_string(record.not_before) + "\n";
    text += "not_after=" + std::to_string(record.not_after) + "\n";
    text += "serial=" + record.serial_hex + "\n";
    text += "issuer=" + record.issuer + "\n";
    text += "directory=" + record.directory_url + "\n";
    text += std::string("ari=") + (record.ari ? "1" : "0") + "\n";
    if (!record.profile.empty())
        text += "profile=" + record.profile + "\n";
    return text;
}

std::optional<CertificateRecord> parse_certificate_record(const std::string& text) {
    CertificateRecord record;
    bool has_domains = false;
    std::optional<std::int64_t> not_before;
    std::optional<std::int64_t> not_after;
    for_each_line(text, [&](std::string_view key, std::string_view value) {
        if (key == "domains") {
            record.domains = split_words(value);
            has_domains = !record.domains.empty();
        } else if (key == "key") {
            record.key_type = std::string(value);
        } else if (key == "not_before") {
            not_before = parse_number<std::int64_t>(value);
        } else if (key == "not_after") {
            not_after = parse_number<std::int64_t>(value);
        } else if (key == "serial") {
            record.serial_hex = std::string(value);
        } else if (key == "issuer") {
            record.issuer = std::string(value);
        } else if (key == "directory") {
            record.directory_url = std::string(value);
        } else if (key == "ari") {
            record.ari = value == "1";
        } else if (key == "profile") {
            record.profile = std::string(value);
        }
    });
    if (!has_domains || record.key_type.empty() || !not_before || !not_after) {
        return std::nullopt;
    }
    record.not_before = *not_before;
    record.not_after = *not_after;
    return record;
}

std::string format_certificate_status(const CertificateStatus& status) {
    std::string text = "# wildcert: what happened after this certificate was issued\n";
    text += "version=" + std::to_string(status.version) + "\n";
    text += std::string("deploy_pending=") + (status.deploy_pending ? "1" : "0") + "\n";
    for (const auto& target : status.deployed) {
        // A target name with a line break cannot be kept; it is deployed again next time.
        if (target.find_first_of("\r\n") == std::string::npos)
            text += "deployed=" + target + "\n";
    }
    if (status.ari_renew_at) {
        text += "ari_renew_at=" + std::to_string(*status.ari_renew_at) + "\n";
    }
    if (status.ari_check_at) {
        text += "ari_check_at=" + std::to_string(*status.ari_check_at) + "\n";
    }
    return text;
}

CertificateStatus parse_certificate_status(const std::string& text) {
    CertificateStatus status;
    for_each_line(text, [&](std::string_view key, std::string_view value) {
        if (key == "version") {
            status.version = parse_number<unsigned long>(value).value_or(0);
        } else if (key == "deploy_pending") {
            status.deploy_pending = value == "1";
        } else if (key == "deployed") {
            status.deployed.emplace_back(value);
        } else if (key == "ari_renew_at") {
            status.ari_renew_at = parse_number<std::int64_t>(value);
        } else if (key == "ari_check_at") {
            status.ari_check_at = parse_number<std::int64_t>(value);
        }
    });
    return status;
}

} // namespace wildcert::store
