#include "cli/open_client.hpp"

#include "cli/report.hpp"

#include <algorithm>

namespace wildcert::cli {

Result<std::vector<CertificateSettings>>
selected_certificates(const Profile& profile, const std::vector<std::string>& names) {
    if (names.empty())
        return profile.certificates;
    std::vector<CertificateSettings> chosen;
    for (const auto& name : names) {
        const auto found =
            std::find_if(profile.certificates.begin(), profile.certificates.end(),
                         [&](const auto& certificate) { return certificate.name == name; });
        if (found == profile.certificates.end()) {
            return make_error(ErrorKind::usage, "--cert " + name + ": no [[certificate]] named \"" +
                                                    name + "\" in " + profile.path.string());
        }
        chosen.push_back(*found);
    }
    return chosen;
}

Result<Client> open_client(Profile profile, const Arguments& arguments,
                           std::function<bool()> cancelled) {
    ClientOptions options;
    WILDCERT_TRY(options.state_dir, state_dir_for(arguments));
    options.log = stderr_log(arguments.verbosity);
    options.cancelled = std::move(cancelled);
    return Client::create(std::move(profile), std::move(options));
}

} // namespace wildcert::cli
