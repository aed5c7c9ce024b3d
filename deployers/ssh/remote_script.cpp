#include "deployers/ssh/remote_script.hpp"

namespace wildcert::deployers::ssh {

std::string shell_quote(const std::string& text) {
    std::string out = "'";
    for (const char c : text) {
        if (c == '\'')
            out += "'\\''";
        else
            out += c;
    }
    return out + "'";
}

std::string remote_script(const RemoteJob& job) {
    std::string script = "set -eu\n"
                         "umask 077\n"
                         "wc_tmps=''\n"
                         // Temporary files left by a failure go; renamed ones are not there.
                         "trap 'for f in $wc_tmps; do rm -f \"$f\"; done' EXIT\n"
                         "wc_new() {\n"
                         "  wc_t=$(mktemp \"$(dirname \"$1\")/.wildcert.XXXXXXXX\")\n"
                         "  wc_tmps=\"$wc_tmps $wc_t\"\n"
                         "  cat >\"$wc_t\"\n"
                         "  chmod \"$2\" \"$wc_t\"\n"
                         "  if [ -n \"$3\" ]; then chown \"$3\" \"$wc_t\"; fi\n"
                         "}\n";
    for (std::size_t i = 0; i < job.files.size(); ++i) {
        const auto& file = job.files[i];
        script += "wc_new " + shell_quote(file.path) + " " + shell_quote(file.mode) + " " +
                  shell_quote(job.owner) + " <<'" + job.delimiter + "'\n";
        script += file.content;
        if (!file.content.empty() && file.content.back() != '\n')
            script += '\n';
        script += job.delimiter + "\n";
        script += "wc_" + std::to_string(i) + "=$wc_t\n";
    }
    // Every file is complete: now the renames, one after the other.
    for (std::size_t i = 0; i < job.files.size(); ++i)
        script +=
            "mv -f \"$wc_" + std::to_string(i) + "\" " + shell_quote(job.files[i].path) + "\n";
    script += "wc_tmps=''\n";
    script += std::string("echo '") + k_files_written_marker + "' >&2\n";
    if (!job.reload.empty())
        script += job.reload + "\n";
    return script;
}

} // namespace wildcert::deployers::ssh
