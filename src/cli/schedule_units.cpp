#include "cli/schedule_units.hpp"

#include "store/stable_id.hpp"

#include <algorithm>

namespace wildcert::cli {
namespace {

// Characters that need no quoting in a unit file or for /bin/sh.
bool is_plain(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '_' || c == '-' || c == '+' || c == ',' || c == ':' || c == '@' ||
           c == '=';
}

bool needs_quotes(std::string_view word) {
    return word.empty() || !std::all_of(word.begin(), word.end(), is_plain);
}

std::string joined(const std::vector<std::string>& words, std::string (*quote)(std::string_view)) {
    std::string line;
    for (const auto& word : words)
        line += (line.empty() ? "" : " ") + quote(word);
    return line;
}

std::string exec_word(std::string_view word) {
    return systemd_word(word, true);
}

// Cron's PATH is /usr/bin:/bin; deploy commands given by bare name (nginx, systemctl) often
// live in an sbin folder.
constexpr std::string_view k_cron_path =
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

// EnvironmentFile= takes the rest of the line as the path, quotes included: only specifiers
// ('%') are expanded. Control characters were refused before (schedule_command.cpp).
std::string unquoted_path(std::string_view path) {
    std::string text;
    for (const char c : path)
        text += c == '%' ? std::string("%%") : std::string(1, c);
    return text;
}

// systemd refuses unit names over 255 characters; a readable name is much shorter.
constexpr std::size_t k_max_stem_part = 80;

std::string name_part(std::string_view text) {
    std::string part;
    for (const char c : text) {
        const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                          (c >= '0' && c <= '9') || c == '_' || c == '-';
        part += keep ? c : '_';
    }
    return part;
}

// What makes two schedules the same schedule: the profiles and certificates (which also give
// the unit names). Another binary or state directory is the same schedule, changed.
std::string schedule_key(const ScheduleSpec& spec) {
    std::vector<std::string> words;
    for (const auto& profile : spec.profiles)
        words.push_back(profile.string());
    for (const auto& name : spec.certificates)
        words.push_back("--cert=" + name);
    return joined(words, &exec_word);
}

} // namespace

std::string unit_stem_for(const std::vector<std::filesystem::path>& profiles,
                          const std::vector<std::string>& certificates) {
    std::string parts;
    const auto add = [&parts](std::string_view text) {
        parts += (parts.empty() ? "" : "-") + name_part(text);
    };
    for (const auto& profile : profiles) {
        // A folder of profiles is named by the folder; a profile by its file name.
        const auto name = profile.extension() == ".toml" ? profile.stem() : profile.filename();
        add(name.empty() ? profile.parent_path().filename().string() : name.string());
    }
    for (const auto& certificate : certificates)
        add(certificate);
    if (parts.size() > k_max_stem_part) {
        const auto hash = store::fnv1a_64_hex(parts);
        parts = parts.substr(0, k_max_stem_part - 9) + "-" + hash.substr(0, 8);
    }
    return std::string(k_unit_prefix) + (parts.empty() ? "" : "-" + parts);
}

std::string service_name(const ScheduleSpec& spec) {
    return spec.unit_stem + ".service";
}

std::string timer_name(const ScheduleSpec& spec) {
    return spec.unit_stem + ".timer";
}

std::string schedule_marker(const ScheduleSpec& spec) {
    return "# wildcert schedule of: " + schedule_key(spec);
}

std::vector<std::string> renew_command(const ScheduleSpec& spec) {
    std::vector<std::string> argv{spec.binary.string(), "renew"};
    for (const auto& profile : spec.profiles) {
        argv.emplace_back("-c");
        argv.push_back(profile.string());
    }
    if (spec.state_dir) {
        argv.emplace_back("--state-dir");
        argv.push_back(spec.state_dir->string());
    }
    for (const auto& name : spec.certificates) {
        argv.emplace_back("--cert");
        argv.push_back(name);
    }
    return argv;
}

std::string systemd_word(std::string_view word, bool command_line) {
    std::string body;
    for (const char c : word) {
        if (c == '%')
            body += "%%";
        else if (c == '$' && command_line)
            body += "$$";
        else if (c == '"' || c == '\\')
            body += std::string("\\") + c;
        else
            body += c;
    }
    return needs_quotes(word) ? "\"" + body + "\"" : body;
}

std::string cron_word(std::string_view word) {
    std::string quoted;
    if (!needs_quotes(word)) {
        quoted = word;
    } else {
        quoted = "'";
        for (const char c : word)
            quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
        quoted += "'";
    }
    std::string escaped;
    for (const char c : quoted)
        escaped += c == '%' ? std::string("\\%") : std::string(1, c);
    return escaped;
}

std::string service_unit(const ScheduleSpec& spec) {
    const std::string state =
        spec.state_dir ? spec.state_dir->string() : std::string(k_root_state_dir);
    const std::string environment =
        spec.env_file.empty()
            ? "# Variables the profiles read through ${VAR} (secrets: keep the file 0600):\n"
              "#EnvironmentFile=/etc/wildcert/wildcert.env\n"
            : "# The variables the profiles read through ${VAR} (0600: it holds secrets).\n"
              "EnvironmentFile=" +
                  unquoted_path(spec.env_file.string()) + "\n";
    return "# " + service_name(spec) +
           ": renews the certificates of these profiles that are due.\n"
           "# Written by `wildcert schedule`; started by " +
           timer_name(spec) + ".\n" + schedule_marker(spec) +
           "\n"
           "[Unit]\n"
           "Description=Renew wildcert certificates that are due\n"
           "Wants=network-online.target\n"
           "After=network-online.target\n"
           "\n"
           "[Service]\n"
           "Type=oneshot\n"
           "ExecStart=" +
           joined(renew_command(spec), &exec_word) + "\n" + environment +
           "NoNewPrivileges=yes\n"
           "PrivateTmp=yes\n"
           "ProtectSystem=full\n"
           "ProtectHome=read-only\n"
           "ProtectKernelTunables=yes\n"
           "ProtectKernelModules=yes\n"
           "ProtectControlGroups=yes\n"
           "# The state directory stays writable; '-': no error before the first issue made it.\n"
           "ReadWritePaths=" +
           systemd_word("-" + state, false) +
           "\n"
           "# ProtectSystem=full makes /etc and /usr read-only: list here the folders that\n"
           "# [[certificate.output]] files and deploy hooks write to, e.g.\n"
           "#ReadWritePaths=/etc/haproxy/certs\n";
}

std::string timer_unit(const ScheduleSpec& spec) {
    return "# " + timer_name(spec) + ": runs " + service_name(spec) +
           " twice a day.\n"
           "# Written by `wildcert schedule`. wildcert renews only what is due, so most runs\n"
           "# change nothing; twice a day leaves time to retry before a certificate expires.\n"
           "[Unit]\n"
           "Description=Renew wildcert certificates twice a day\n"
           "\n"
           "[Timer]\n"
           "OnCalendar=*-*-* 00,12:00:00\n"
           "# Spread the load on the CA: not every client at the same second.\n"
           "RandomizedDelaySec=1h\n"
           "# Catch up on a run missed while the machine was off.\n"
           "Persistent=true\n"
           "\n"
           "[Install]\n"
           "WantedBy=timers.target\n";
}

std::string cron_line(const ScheduleSpec& spec, CronTime time) {
    std::string line = std::to_string(time.minute) + " " + std::to_string(time.hour) + "," +
                       std::to_string(time.hour + 12) + " * * * ";
    // `set -a` exports what the environment file sets, as EnvironmentFile= does for the unit.
    if (!spec.env_file.empty())
        line += "set -a && . " + cron_word(spec.env_file.string()) + " && set +a && ";
    line += std::string(k_cron_path) + " exec";
    auto argv = renew_command(spec);
    // Quiet: cron mails whatever a job prints, and a renewal that has nothing to do prints
    // nothing then; errors still reach the log.
    argv.insert(argv.begin() + 2, "-q");
    for (const auto& word : argv)
        line += " " + cron_word(word);
    if (!spec.log_file.empty())
        line += " >>" + cron_word(spec.log_file.string()) + " 2>&1";
    return line + "\n";
}

std::string environment_file(const ScheduleSpec& spec) {
    std::string text = "# The variables the profiles of " + service_name(spec) +
                       " read through ${VAR}, one NAME=value\n"
                       "# per line (single-quote a value that holds spaces or shell characters)."
                       "\n# Read by systemd (EnvironmentFile=) and by the cron line (sh's `.`)."
                       "\n# Keep it 0600: it holds secrets.\n";
    if (spec.variables.empty())
        text += "# (the profiles read no variable)\n";
    for (const auto& name : spec.variables)
        text += name + "=\n";
    return text;
}

} // namespace wildcert::cli
