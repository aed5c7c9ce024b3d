#include "core/dry_run_directory.hpp"

#include "common/loopback_host.hpp"
#include "config/known_directories.hpp"

#include <algorithm>
#include <cctype>

namespace wildcert::core {
namespace {

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool is_under(const std::string& host, std::string_view suffix) {
    return host.size() > suffix.size() && host.ends_with(suffix);
}

} // namespace

bool is_known_test_directory(std::string_view url) {
    for (const auto& known : config::k_known_directories) {
        if (known.name.ends_with("-staging") && known.url == url)
            return true;
    }
    const std::string_view host = common::url_host(url);
    if (host.empty())
        return false;
    if (common::is_loopback_host(host))
        return true;
    std::string name = lower(host);
    if (name.ends_with('.'))
        name.pop_back();
    return is_under(name, ".test") || is_under(name, ".localhost");
}

Result<std::string> dry_run_directory(const Profile& profile, bool against_production) {
    if (!profile.acme.staging_directory_url.empty())
        return profile.acme.staging_directory_url;
    const std::string& directory = profile.acme.directory_url;
    // A known production CA spelt as its URL rather than its name has the same twin.
    for (const auto& known : config::k_known_directories) {
        if (known.url != directory)
            continue;
        if (const auto twin = config::known_directory_url(std::string(known.name) + "-staging"))
            return std::string(*twin);
    }
    if (against_production || is_known_test_directory(directory))
        return directory;
    return make_error(ErrorKind::usage,
                      profile.path.string() + ": --dry-run: " + directory +
                          " is not known to be a staging or test CA, and the profile sets no "
                          "acme.staging_directory; a dry run there orders real certificates "
                          "(and spends its rate limits). Set acme.staging_directory to the CA's "
                          "staging directory, or pass --dry-run-against-production");
}

} // namespace wildcert::core
