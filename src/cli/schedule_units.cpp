#include "cli/schedule_units.hpp"

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

} // namespace

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
    return "# " + std::string(k_service_name) +
           ": renews the certificates of these profiles that are due.\n"
           "# Written by `wildcert schedule`; started by " +
           std::string(k_timer_name) +
           ".\n"
           "[Unit]\n"
           "Description=Renew wildcert certificates that are due\n"
           "Wants=network-online.target\n"
           "After=network-online.target\n"
           "\n"
           "[Service]\n"
           "Type=oneshot\n"
           "ExecStart=" +
           joined(renew_command(spec), &exec_word) +
           "\n"
           "# Variables the profiles read through ${VAR} (secrets: keep the file 0600):\n"
           "#EnvironmentFile=/etc/wildcert/wildcert.env\n"
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

std::string timer_unit() {
    return "# " + std::string(k_timer_name) + ": runs " + std::string(k_service_name) +
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
                       std::to_string(time.hour + 12) + " * * * " + std::string(k_cron_path);
    for (const auto& word : renew_command(spec))
        line += " " + cron_word(word);
    return line + "\n";
}

} // namespace wildcert::cli
