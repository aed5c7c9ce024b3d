#pragma once
// The POSIX sh script the ssh deployer sends on the remote shell's stdin (`sh -s`): every file
// is written to a temporary file in its own folder first, then all are renamed into place, so
// a reader sees the old set or the new one, and a failure leaves the old files as they were.
// The contents travel inside the script as quoted here-documents, never on a command line.

#include <string>
#include <vector>

namespace wildcert::deployers::ssh {

struct RemoteFile {
    std::string path;    // absolute, on the remote host
    std::string mode;    // octal, "0600"
    std::string content; // may be a private key
};

struct RemoteJob {
    std::vector<RemoteFile> files;
    std::string owner;  // "user", "user:group", ":group", or "" (leave as created)
    std::string reload; // a shell command run after the files are in place; "" none
    // Ends every here-document; random per run, so no content can end one early.
    std::string delimiter;
};

// '...' quoting for sh: the text as one word, whatever it holds.
[[nodiscard]] std::string shell_quote(const std::string& text);

[[nodiscard]] std::string remote_script(const RemoteJob& job);

// What the script prints on stderr once every file is in place, before the reload: so a
// failure can say whether the files were written.
inline constexpr const char* k_files_written_marker = "wildcert: files in place";

} // namespace wildcert::deployers::ssh
