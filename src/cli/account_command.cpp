#include "cli/account_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/report.hpp"
#include "json/json.hpp"

#include <wildcert/client.hpp>
#include <wildcert/profile.hpp>

#include <iostream>

namespace wildcert::cli {
namespace {

void print_text(const AccountDetails& account) {
    std::string contact;
    for (const auto& entry : account.contact)
        contact += (contact.empty() ? "" : " ") + entry;
    std::cout << "url: " << account.url << '\n'
              << "status: " << to_string(account.status) << '\n'
              << "contact: " << (contact.empty() ? "(none)" : contact) << '\n'
              << "key_type: " << to_string(account.key_type) << '\n'
              << "directory: " << account.directory_url << '\n'
              << "eab_key_id: " << (account.eab_key_id.empty() ? "(none)" : account.eab_key_id)
              << '\n'
              << "folder: " << account.folder.string() << std::endl;
}

void print_json(const AccountDetails& account) {
    json::Writer out;
    out.begin_object()
        .key("url")
        .string(account.url)
        .key("status")
        .string(to_string(account.status))
        .key("contact")
        .begin_array();
    for (const auto& entry : account.contact)
        out.string(entry);
    out.end_array()
        .key("key_type")
        .string(to_string(account.key_type))
        .key("directory")
        .string(account.directory_url)
        .key("eab_key_id")
        .string(account.eab_key_id)
        .key("folder")
        .string(account.folder.string())
        .end_object();
    std::cout << out.str() << std::endl;
}

Result<std::vector<std::string>> contact_to_set(const Arguments& arguments,
                                                const Profile& profile) {
    if (arguments.contact.empty())
        return profile.acme.contact;
    for (const auto& entry : arguments.contact) {
        // RFC 8555 §7.3: contact URLs; CAs in practice accept only mailto:.
        if (entry.rfind("mailto:", 0) != 0 || entry.size() == 7) {
            return make_error(ErrorKind::usage, "--contact " + entry +
                                                    ": not a mailto: URL (write "
                                                    "mailto:ops@example.com)");
        }
    }
    return arguments.contact;
}

Result<AccountDetails> run_action(Client& client, const Arguments& arguments) {
    const auto& action = arguments.account_action;
    if (action == "update-contact") {
        WILDCERT_TRY(const auto contact, contact_to_set(arguments, client.profile()));
        return client.update_contact(contact);
    }
    if (action == "rollover") {
        const KeyType type = arguments.key_type ? parse_key_type(*arguments.key_type).value()
                                                : client.profile().acme.account_key;
        return client.roll_over_account_key(type);
    }
    return client.account();
}

} // namespace

int run_account(const Arguments& arguments) {
    auto profile = load_profile(arguments.profile);
    if (!profile.ok())
        return report_failure(profile.error());
    report_warnings(*profile);
    auto client = open_client(std::move(profile).value(), arguments);
    if (!client.ok())
        return report_failure(client.error());

    if (arguments.account_action == "deactivate") {
        auto moved = client->deactivate_account();
        if (!moved.ok())
            return report_failure(moved.error());
        std::cout << "account deactivated; its files were moved to " << moved->string()
                  << "; the next issue creates a new account" << std::endl;
        return k_exit_ok;
    }
    auto account = run_action(*client, arguments);
    if (!account.ok())
        return report_failure(account.error());
    if (arguments.json)
        print_json(*account);
    else
        print_text(*account);
    return k_exit_ok;
}

} // namespace wildcert::cli
