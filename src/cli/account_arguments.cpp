#include "cli/account_arguments.hpp"

#include "common/did_you_mean.hpp"

#include <wildcert/key_type.hpp>
#include <wildcert/revocation.hpp>

namespace wildcert::cli {

using common::did_you_mean;

Result<void> check_account_and_revoke(const Arguments& parsed) {
    const auto refuse = [](const std::string& message) -> Result<void> {
        return make_error(ErrorKind::usage, message + " (see wildcert --help)");
    };
    const bool is_account = parsed.command == Command::account;
    const bool is_revoke = parsed.command == Command::revoke;
    const auto& action = parsed.account_action;
    if (!parsed.contact.empty() && !(is_account && action == "update-contact"))
        return refuse("--contact belongs to `account update-contact`");
    if (parsed.key_type && !(is_account && action == "rollover"))
        return refuse("--key-type belongs to `account rollover`");
    const bool is_delete = parsed.command == Command::delete_certificate;
    if (parsed.yes && !(is_account && action == "deactivate") && !is_delete)
        return refuse("--yes belongs to `account deactivate` and `delete`");
    const bool takes_json = (is_account && action == "show") || parsed.command == Command::issue ||
                            parsed.command == Command::renew || parsed.command == Command::list ||
                            parsed.command == Command::check || parsed.command == Command::config ||
                            parsed.command == Command::probe || is_delete;
    if (parsed.json && !takes_json)
        return refuse("--json belongs to `issue`, `renew`, `list`, `check`, `probe`, `config`, "
                      "`delete` and `account show`");
    if (is_delete && parsed.certificates.size() != 1)
        return refuse("delete needs exactly one --cert NAME");
    if ((parsed.reason || parsed.with_cert_key) && !is_revoke)
        return refuse("--reason and --with-cert-key belong to `revoke`");
    if (is_account) {
        if (action.empty())
            return refuse("account needs an action: show, update-contact, rollover or deactivate");
        if (action != "show" && action != "update-contact" && action != "rollover" &&
            action != "deactivate")
            return refuse(
                "unknown account action \"" + action +
                "\" (expected show, update-contact, rollover or deactivate)" +
                did_you_mean(action, {"show", "update-contact", "rollover", "deactivate"}));
        if (!parsed.certificates.empty())
            return refuse("account takes no --cert");
        if (action == "deactivate" && !parsed.yes)
            return refuse("account deactivate is irreversible: add --yes to confirm");
        if (parsed.key_type && !parse_key_type(*parsed.key_type))
            return refuse("--key-type " + *parsed.key_type +
                          ": expected ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096");
    }
    if (is_revoke) {
        if (parsed.certificates.size() != 1)
            return refuse("revoke needs exactly one --cert NAME");
        if (parsed.reason && !parse_revocation_reason(*parsed.reason)) {
            std::string names;
            for (const auto name : revocation_reason_names())
                names += (names.empty() ? "" : ", ") + std::string(name);
            return refuse("--reason " + *parsed.reason + ": not an RFC 5280 reason (one of " +
                          names + ")");
        }
    }
    return {};
}

} // namespace wildcert::cli
