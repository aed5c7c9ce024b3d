#!/usr/bin/env bash
# --dry-run says what it does: no "forced (--force)" reason without --force; no path of the
# scratch folder it deletes; "DNS not exercised" when the CA reuses valid authorizations (Pebble
# with PEBBLE_AUTHZREUSE=100) and no such line when records were published; a directory not
# known to be a staging or test CA (ca.example.net, mapped to this Pebble in a private
# /etc/hosts) refused with exit 2 before any request, unless --dry-run-against-production or
# acme.staging_directory says so.
# Usage: dry_run_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
# shellcheck source-path=SCRIPTDIR source=lib_tls.sh
source "$(dirname "$0")/lib_tls.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
# Pebble's listener also answers for ca.example.net: a name that looks like a production CA.
e2e_pebble_tls
tls_leaf "$E2E_WORK/ca-tls" ca.example.net "DNS:ca.example.net,DNS:localhost,IP:127.0.0.1" \
    "$E2E_WORK/pebble-tls"
E2E_PEBBLE_CERT="$E2E_WORK/ca-tls/cert.pem" E2E_PEBBLE_KEY="$E2E_WORK/ca-tls/key.pem" \
    start_pebble 127.0.0.1:53 PEBBLE_AUTHZREUSE=100
production_url="${PEBBLE_DIR_URL/127.0.0.1/ca.example.net}"

# A wildcert that resolves ca.example.net to 127.0.0.1: /etc/hosts replaced in a mount
# namespace of its own (private propagation: the machine's file is untouched).
printf '127.0.0.1 localhost\n127.0.0.1 ca.example.net\n' >"$E2E_WORK/hosts"
hosts_wrapper="$E2E_WORK/with-hosts"
cat >"$hosts_wrapper" <<EOF
#!/usr/bin/env bash
exec unshare -m --propagation private -- bash -c 'mount --bind "\$0" /etc/hosts && exec "\$@"' \\
    "$E2E_WORK/hosts" "$WILDCERT" "\$@"
EOF
chmod 700 "$hosts_wrapper"
# with_hosts ARGS...: wildcert_run through that wrapper.
with_hosts() {
    local saved="$WILDCERT"
    WILDCERT="$hosts_wrapper"
    wildcert_run "$@"
    WILDCERT="$saved"
}

state="$E2E_WORK/state"
profile="$E2E_WORK/demo.toml"
write_profile "$profile" extra='[[certificate]]
name = "fresh"
domains = ["fresh.demo.test"]'
issue "$profile" "$state" --cert demo
assert_exit 0
live_before="$(readlink "$state/live/demo")"
versions_before="$(archive_versions "$state" demo)"

# assert_dry_run_clean: live/ as before, no scratch folder left, and no output that names one.
assert_dry_run_clean() {
    assert_eq "$live_before" "$(readlink "$state/live/demo")" "live/demo after a dry run"
    assert_eq "$versions_before" "$(archive_versions "$state" demo)" "archive versions of demo"
    [[ ! -e "$state/live/fresh" ]] || fail "a dry run installed live/fresh"
    [[ -z "$(ls -A "$state/dry-run" 2>/dev/null)" ]] || fail "scratch left: $(find "$state/dry-run")"
    assert_not_contains "$WC_ERR" "$state/dry-run"
    assert_not_contains "$WC_OUT" "$state/dry-run"
}

e2e_log "--- renew --dry-run: its own reason, not forced (--force)"
renew "$profile" "$state" --dry-run --cert demo
assert_exit 0
assert_not_contains "$WC_ERR" "forced (--force)"
assert_contains "$WC_ERR" "renew: demo: dry run (--dry-run): every selected certificate counts as due"
assert_contains "$WC_OUT" "demo: dry run: renewed serial "
assert_contains "$WC_OUT" "(a test certificate, discarded; live/ is unchanged)"
assert_dry_run_clean

e2e_log "--- the CA reused demo's authorizations: no record published, DNS not exercised"
assert_not_contains "$WC_ERR" "dns: published"
assert_contains "$WC_ERR" "dry run: demo: DNS not exercised for *.demo.test, demo.test: the CA reused the account's valid authorizations, so no TXT record was published"
renew "$profile" "$state" --dry-run --cert demo --json
assert_exit 0
assert_eq "*.demo.test demo.test" "$(jq -r '.certificates[0].reused_authorizations | join(" ")' "$WC_OUT")" \
    "reused_authorizations in the JSON"
assert_eq "$state/live/demo" "$(jq -r '.certificates[0].paths.live_dir' "$WC_OUT")" "live_dir of a dry run"
assert_dry_run_clean

e2e_log "--- a name never validated: records published, DNS exercised (no such line)"
renew "$profile" "$state" --dry-run --cert fresh
assert_exit 0
assert_contains "$WC_ERR" "dns: published 1 TXT record(s)"
assert_not_contains "$WC_ERR" "DNS not exercised"
assert_no_challenge_records demo.test
assert_dry_run_clean
issue "$profile" "$state" --cert fresh --dry-run
assert_exit 0
assert_not_contains "$WC_ERR" "forced (--force)"
assert_contains "$WC_ERR" "dry run: fresh: DNS not exercised for fresh.demo.test: the CA reused the account's valid authorization, so"
assert_dry_run_clean

e2e_log "--- --force still says forced (--force) outside a dry run"
renew "$profile" "$state" --force --cert demo
assert_exit 0
assert_contains "$WC_ERR" "renew: demo: forced (--force)"
live_before="$(readlink "$state/live/demo")"
versions_before="$(archive_versions "$state" demo)"

e2e_log "--- a directory not known to be a staging or test CA: exit 2, nothing sent"
production="$E2E_WORK/production.toml"
write_profile "$production" directory="$production_url"
requests="$(pebble_requests)"
with_hosts renew -c "$production" --state-dir "$state" --dry-run -v
assert_exit 2
assert_matches "$WC_LAST_ERR" "production\.toml: --dry-run: https://ca\.example\.net:[0-9]+/dir is not known to be a staging or test CA.*--dry-run-against-production" "cause"
assert_no_request_since "$requests"
wildcert_run issue -c "$production" --state-dir "$state" --dry-run
assert_exit 2
assert_no_request_since "$requests"

e2e_log "--- --dry-run-against-production lifts the refusal (and the hosts file reaches Pebble)"
with_hosts renew -c "$production" --state-dir "$state" --dry-run --dry-run-against-production -v
assert_exit 0
assert_contains "$WC_ERR" "dry run against $production_url"
assert_contains "$WC_OUT" "demo: dry run: renewed serial "
assert_dry_run_clean
wildcert_run renew -c "$production" --state-dir "$state" --dry-run-against-production
assert_exit 2
assert_contains "$WC_ERR" "--dry-run-against-production goes with --dry-run"

e2e_log "--- acme.staging_directory says so: allowed without the option"
staged="$E2E_WORK/staged.toml"
write_profile "$staged" directory="$production_url" extra=''
sed -i "/^directory = /a staging_directory = \"$production_url\"" "$staged"
grep -q '^staging_directory = ' "$staged" || fail "could not edit the profile"
with_hosts renew -c "$staged" --state-dir "$state" --dry-run -v
assert_exit 0
assert_contains "$WC_ERR" "dry run against $production_url"
assert_dry_run_clean
