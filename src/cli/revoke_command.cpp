#include "cli/revoke_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/report.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>
#include <wildcert/revocation.hpp>

#include <iostream>

namespace wildcert::cli {

int run_revoke(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    report_warnings(*profile);
    const auto& name = arguments.certificates.front();
    if (const auto known = selected_certificates(*profile, {name}); !known.ok())
        return report_failure(known.error());
    const auto reason = arguments.reason ? parse_revocation_reason(*arguments.reason)
                                         : std::optional<RevocationReason>();

    auto client = open_client(std::move(profile).value(), arguments);
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
