#pragma once
// Readers for the sections of a profile (docs/dev/architecture.md §5), one file each.

#include "config/table_reader.hpp"

#include <wildcert/profile.hpp>

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace wildcert::config {

// [acme]
[[nodiscard]] Result<AcmeSettings> read_acme_section(TableReader& acme);

// [acme.eab] (RFC 8555 §7.3.4). hmac_key is checked to decode but kept as written.
[[nodiscard]] Result<EabSettings> read_eab_section(TableReader& eab);

// [dns] and its [dns.<provider>] table.
[[nodiscard]] Result<DnsSettings> read_dns_section(TableReader& dns);

// [dns.<provider>]: copied untyped, with <key>_file entries read from their files.
[[nodiscard]] Result<ProviderConfig> read_provider_table(TableReader& table,
                                                         const std::string& provider);

// How a "<key>_file" key of an untyped table is taken: read (a provider's secret, from the
// file it names; never quoted), or as a key of its own (a deployer's identity_file is a path
// to pass on, not a file for wildcert to read).
enum class FileKeys { read, as_written };

// The keys of `table` other than `skip`, untyped: [dns.<provider>] and the deployer's keys of
// a [[certificate.deploy]] table. Every key read is marked known.
[[nodiscard]] Result<std::map<std::string, SettingValue>>
read_untyped_settings(TableReader& table, std::span<const std::string_view> skip,
                      FileKeys file_keys);

// All [[certificate]] tables; `certificates` is the root's "certificate" value.
[[nodiscard]] Result<std::vector<CertificateSettings>>
read_certificate_sections(const TableReader& root, const Node& certificates);

// renew_before = "1/3" | "0.25" | "30d" in a [[certificate]] table (default one third).
[[nodiscard]] Result<RenewBefore> read_renew_before(TableReader& certificate);

// [[certificate.output]] tables of one [[certificate]] (output_section.cpp).
[[nodiscard]] Result<std::vector<OutputSettings>> read_output_tables(TableReader& certificate);

// No two [[certificate.output]] tables of the profile write the same file (paths compared
// after resolving, without following symlinks); `certificates` is the root's "certificate"
// value that `settings` was read from. Reported at the second writer's path.
[[nodiscard]] Result<void> check_output_paths(const TableReader& root, const Node& certificates,
                                              const std::vector<CertificateSettings>& settings);

// [[certificate.deploy]] tables of one [[certificate]] (deploy_section.cpp).
[[nodiscard]] Result<std::vector<DeploySettings>> read_deploy_tables(TableReader& certificate);

// A duration key: a string such as "90s" (duration.hpp) or a number of seconds; nullopt when
// the key is absent (dns_section.cpp).
[[nodiscard]] Result<std::optional<std::chrono::milliseconds>> read_duration(TableReader& table,
                                                                             std::string_view key);

// A key type ("ec-p256", ...), with the allowed spellings in the error.
[[nodiscard]] Result<KeyType> read_key_type(const TableReader& table, const Text& text,
                                            std::string_view key);

// A path, relative to the profile's folder unless absolute.
[[nodiscard]] std::filesystem::path resolve_path(const LoadContext& context,
                                                 const std::string& path);
// The same for a path read from the profile: one from a WILDCERT_* variable is taken from the
// working directory instead.
[[nodiscard]] std::filesystem::path resolve_path(const LoadContext& context, const Text& text);

} // namespace wildcert::config
