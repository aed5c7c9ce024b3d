#include "cli/revoke_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/report.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/revocation.hpp>

#include <algorithm>
#include <iostream>

namespace wildcert::cli {

int run_revoke(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    const auto& name = arguments.certificates.front();
    const bool known =
        std::any_of(profile->certificates.begin(), profile->certificates.end(),
                    [&](const auto& certificate) { return certificate.name == name; });
    if (!known) {
        return report_failure(
            make_error(ErrorKind::usage, "--cert " + name + ": no [[certificate]] named \"" + name +
                                             "\" in " + profile->path.string()));
    }
    const auto reason = arguments.reason ? parse_revocation_reason(*arguments.reason)
                                         : std::optional<RevocationReason>();

    ClientOptions options;
    options.state_dir = arguments.state_dir.value_or(default_state_dir());
    options.log = stderr_log(arguments.verbosity);
    auto client = Client::create(std::move(profile).value(), std::move(options));
    if (!client.ok())
        return report_failure(client.error());
    auto revoked = client->revoke(name, reason, arguments.with_cert_key);
    if (!revoked.ok())
        return report_failure(revoked.error());
    std::cout << revoked->name << ": revoked serial " << revoked->serial_hex << " reason "
              << (revoked->reason ? to_string(*revoked->reason) : "(none)") << " signed with the "
              << (revoked->signed_with_certificate_key ? "certificate key" : "account key")
              << std::endl;
    return k_exit_ok;
}

} // namespace wildcert::cli
