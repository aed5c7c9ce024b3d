#include "cli/list_command.hpp"

#include "cli/exit_codes.hpp"
#include "cli/open_client.hpp"
#include "cli/profile_paths.hpp"
#include "cli/renewal_report.hpp"
#include "cli/report.hpp"
#include "json/json.hpp"

#include <wildcert/client.hpp>

#include <algorithm>
#include <array>
#include <iomanip>
#include <iostream>

namespace wildcert::cli {
namespace {

using Clock = std::chrono::system_clock;

struct Row {
    std::string name, domains, issuer, expires, days_left, next_renewal, state;
};

Row row_of(const CertificateReport& report, Clock::time_point now) {
    Row row;
    row.name = report.name;
    for (const auto& domain : report.domains)
        row.domains += (row.domains.empty() ? "" : ",") + domain;
    row.issuer = report.issuer.empty() ? "-" : report.issuer;
    row.expires = report.not_after ? iso_utc(*report.not_after) : "-";
    row.days_left =
        report.not_after
            ? std::to_string(
                  std::chrono::duration_cast<std::chrono::hours>(*report.not_after - now).count() /
                  24)
            : "-";
    row.next_renewal = report.renew_at ? iso_utc(*report.renew_at) : "-";
    switch (report.status) {
    case RenewalStatus::issued:
        row.state = "missing";
        break;
    case RenewalStatus::renewed:
        row.state = "due";
        break;
    case RenewalStatus::failed:
        row.state = "unreadable";
        break;
    default:
        row.state = report.deploy.ok ? "ok" : "deploy-pending";
        break;
    }
    if (report.status == RenewalStatus::renewed && !report.renew_at)
        row.next_renewal = "now";
    return row;
}

void print_table(const std::vector<Row>& rows) {
    std::vector<Row> all{{"NAME", "DOMAINS", "ISSUER", "EXPIRES", "DAYS", "NEXT RENEWAL", "STATE"}};
    all.insert(all.end(), rows.begin(), rows.end());
    const auto width = [&all](std::string Row::*field) {
        std::size_t widest = 0;
        for (const auto& row : all)
            widest = std::max(widest, (row.*field).size());
        return static_cast<int>(widest + 2);
    };
    const std::array fields{&Row::name,      &Row::domains,      &Row::issuer, &Row::expires,
                            &Row::days_left, &Row::next_renewal, &Row::state};
    std::vector<int> widths;
    for (const auto field : fields)
        widths.push_back(width(field));
    for (const auto& row : all) {
        for (std::size_t i = 0; i < fields.size(); ++i) {
            if (i + 1 == fields.size())
                std::cout << row.*fields[i];
            else
                std::cout << std::left << std::setw(widths[i]) << row.*fields[i];
        }
        std::cout << '\n';
    }
}

} // namespace

int run_list(const Arguments& arguments) {
    auto paths = expand_profile_paths(arguments.profiles);
    if (!paths.ok())
        return report_failure(paths.error());
    const auto now = Clock::now();
    int exit_code = k_exit_ok;
    std::vector<Row> rows;
    json::Writer out;
    out.begin_object().key("certificates").begin_array();
    for (const auto& path : *paths) {
        auto profile = load_profile(path);
        if (!profile.ok()) {
            exit_code = report_failure(profile.error());
            continue;
        }
        report_warnings(*profile);
        auto certificates = selected_certificates(*profile, arguments.certificates);
        if (!certificates.ok()) {
            exit_code = report_failure(certificates.error());
            continue;
        }
        auto client = open_client(std::move(profile).value(), arguments);
        if (!client.ok()) {
            exit_code = report_failure(client.error());
            continue;
        }
        for (const auto& report : client->inspect(*certificates, now)) {
            if (arguments.json)
                write_certificate_json(out, path, report, now);
            else
                rows.push_back(row_of(report, now));
        }
    }
    out.end_array().end_object();
    if (arguments.json)
        std::cout << out.str() << std::endl;
    else if (!rows.empty() || exit_code == k_exit_ok)
        print_table(rows); // after a profile error, a bare header would only hide the message
    return exit_code;
}

} // namespace wildcert::cli
