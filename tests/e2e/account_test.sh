#!/usr/bin/env bash
# Account operations and revocation against a real Pebble and BIND: account show (text and
# JSON), key rollover ec-p256 -> rsa-2048 -> ec-p384 with issuance after each (same account
# URL, old key refused, old key kept as a 0600 backup), contact update, revocation by the
# account key and by the certificate key (confirmed by Pebble's /cert-status-by-serial/),
# a second revocation reported as such, and deactivation (the old account refused, the next
# issue creates a new one).
# Usage: account_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_accounts.sh
source "$(dirname "$0")/lib_accounts.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

state="$E2E_WORK/state"
profile="$E2E_WORK/profile.toml"
write_profile "$profile" account_key=ec-p256

account() {
    wildcert_run account "$@" -c "$profile" --state-dir "$state"
}
revoke() {
    wildcert_run revoke -c "$profile" --state-dir "$state" "$@"
}
# show_field NAME: a field of the last `account show` text output.
show_field() {
    sed -n "s/^$1: //p" "$WC_OUT"
}

e2e_log "--- first issue creates the account"
issue "$profile" "$state"
assert_exit 0
url="$(sed -n 's/.*account: created \([^ ]*\).*/\1/p' "$WC_ERR")"
[[ -n "$url" ]] || fail "no account URL on stderr"
acct_dir="$(the_account_dir "$state")"

e2e_log "--- account show"
account show
assert_exit 0
assert_eq "$url" "$(show_field url)" "account URL"
assert_eq valid "$(show_field status)" "account status"
assert_eq "mailto:admin@demo.test" "$(show_field contact)" "contact"
assert_eq ec-p256 "$(show_field key_type)" "key type"
assert_eq "$PEBBLE_DIR_URL" "$(show_field directory)" "directory"
account show --json
assert_exit 0
grep -qF "\"url\":\"$url\"" "$WC_OUT" || fail "account show --json: no url: $(cat "$WC_OUT")"
grep -qF '"key_type":"ec-p256"' "$WC_OUT" || fail "account show --json: no key_type"
assert_secret_absent "PRIVATE KEY" "$WC_OUT" "$WC_ERR"

rollover_to() {
    local type="$1" before
    before="$(cat "$acct_dir/account.key")"
    cp "$acct_dir/account.key" "$E2E_WORK/old-$type.key"
    local backups
    backups="$(find "$acct_dir" -name 'previous-*.key' | wc -l)"
    account rollover --key-type "$type"
    assert_exit 0
    assert_eq "$url" "$(show_field url)" "account URL after rollover to $type"
    assert_eq "$type" "$(show_field key_type)" "key type after rollover"
    assert_eq valid "$(show_field status)" "status after rollover"
    [[ "$(cat "$acct_dir/account.key")" != "$before" ]] || fail "account.key unchanged by rollover"
    assert_eq "$((backups + 1))" "$(find "$acct_dir" -name 'previous-*.key' | wc -l)" "key backups"
    local backup="$acct_dir/previous-$((backups + 1)).key"
    assert_eq "$before" "$(cat "$backup")" "backup of the old key"
    assert_eq 600 "$(stat -c %a "$backup")" "mode of the key backup"
    assert_eq 600 "$(stat -c %a "$acct_dir/account.key")" "mode of the new account key"
    [[ ! -e "$acct_dir/account.key.next" ]] || fail "account.key.next left behind"
    case "$type" in
    rsa-*) openssl pkey -in "$acct_dir/account.key" -noout -text | grep -q "Private-Key: (${type#rsa-} bit" ||
        fail "stored account key is not $type" ;;
    ec-p384) openssl pkey -in "$acct_dir/account.key" -noout -text | grep -q 'NIST CURVE: P-384' ||
        fail "stored account key is not P-384" ;;
    esac

    e2e_log "--- issuance with the $type account key"
    issue "$profile" "$state"
    assert_exit 0
    assert_contains "$WC_ERR" "account: using $url"
    assert_not_contains "$WC_ERR" "account: created"
    assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test

    e2e_log "--- the old key is refused by Pebble"
    local old_state="$E2E_WORK/old-state-$type"
    mkdir -p "$old_state/accounts"
    cp -a "$acct_dir" "$old_state/accounts/"
    cp "$E2E_WORK/old-$type.key" "$old_state/accounts/$(basename "$acct_dir")/account.key"
    wildcert_run account show -c "$profile" --state-dir "$old_state"
    assert_exit 1
    assert_failure_line
    assert_matches "$WC_LAST_ERR" "account $url: (malformed|unauthorized)"
}

e2e_log "--- rollover ec-p256 -> rsa-2048"
rollover_to rsa-2048
e2e_log "--- rollover rsa-2048 -> ec-p384"
rollover_to ec-p384

e2e_log "--- update-contact"
account update-contact --contact mailto:new@demo.test --contact mailto:second@demo.test
assert_exit 0
assert_eq "mailto:new@demo.test mailto:second@demo.test" "$(show_field contact)" "contact after update"
account show
assert_eq "mailto:new@demo.test mailto:second@demo.test" "$(show_field contact)" "contact at the CA"
account update-contact --contact ops@demo.test
assert_exit 2

e2e_log "--- revoke with the account key, reason keyCompromise"
serial="$(cert_serial "$state/live/demo/cert.pem")"
assert_valid_at_pebble "$serial"
revoke --cert demo --reason keyCompromise
assert_exit 0
# wildcert prints the serial's bytes in hex (as on the issue line); cert_serial drops leading
# zeros for Pebble's URL, so a serial starting with a zero nibble differs by that zero.
assert_matches "$(cat "$WC_OUT")" "^demo: revoked serial 0*$serial reason keyCompromise signed with the account key$" "stdout"
assert_revoked "$serial" 1

e2e_log "--- revoking it again: exit 1, already revoked"
revoke --cert demo --reason keyCompromise
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'already revoked'

e2e_log "--- revoke with the certificate key, reason superseded"
issue "$profile" "$state"
assert_exit 0
serial="$(cert_serial "$state/live/demo/cert.pem")"
assert_valid_at_pebble "$serial"
revoke --cert demo --reason superseded --with-cert-key
assert_exit 0
assert_contains "$WC_OUT" "signed with the certificate key"
assert_revoked "$serial" 4

e2e_log "--- revoke without a reason"
issue "$profile" "$state"
assert_exit 0
serial="$(cert_serial "$state/live/demo/cert.pem")"
revoke --cert demo
assert_exit 0
status="$(cert_status "$serial")"
grep -qE '"Status": *"Revoked"' <<<"$status" || fail "serial $serial not revoked: $status"

e2e_log "--- usage errors"
revoke --cert demo --reason compromised
assert_exit 2
assert_matches "$WC_LAST_ERR" 'keyCompromise'
revoke
assert_exit 2
revoke --cert nosuch
assert_exit 2
account deactivate
assert_exit 2
assert_matches "$WC_LAST_ERR" 'add --yes'
account frobnicate
assert_exit 2

e2e_log "--- deactivate"
cp -a "$acct_dir" "$E2E_WORK/deactivated-copy"
account deactivate --yes
assert_exit 0
assert_eq 0 "$(account_count "$state")" "account folders after deactivation"
[[ -f "$state/retired-accounts/$(basename "$acct_dir").1/account.key" ]] ||
    fail "the deactivated account was not moved to retired-accounts/"
account show
assert_exit 1
assert_matches "$WC_LAST_ERR" 'no account for'

e2e_log "--- the deactivated account is refused by Pebble"
dead_state="$E2E_WORK/dead-state"
mkdir -p "$dead_state/accounts"
cp -a "$E2E_WORK/deactivated-copy" "$dead_state/accounts/$(basename "$acct_dir")"
wildcert_run account show -c "$profile" --state-dir "$dead_state"
assert_exit 1
assert_matches "$WC_LAST_ERR" 'deactivated|unauthorized'

e2e_log "--- the next issue creates a new account"
issue "$profile" "$state"
assert_exit 0
new_url="$(sed -n 's/.*account: created \([^ ]*\).*/\1/p' "$WC_ERR")"
[[ -n "$new_url" && "$new_url" != "$url" ]] || fail "no new account after deactivation ($new_url)"
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
