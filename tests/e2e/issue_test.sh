#!/usr/bin/env bash
# Wildcard + apex issuance against a real Pebble and BIND for every account/certificate key
# pairing, then account reuse, archive versions and reuse_key on a second run.
# Usage: issue_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
bind_log="$E2E_WORK/bind-main/named.log"

# Wildcard and apex validate at the same owner name, so both values must be in the TXT set at
# once (docs/dev/architecture.md §2): two additions before the first removal, and never a
# removal of the whole RRset (which would also erase values others keep there).
assert_both_values_published() {
    local updates
    updates="$(tail -n +"$(($1 + 1))" "$bind_log" | grep -F "updating zone 'demo.test/IN'" |
        sed -n 's/.*: \(adding an RR\|deleting an RR\|deleting rrset\).*/\1/p')"
    [[ "$(head -n 2 <<<"$updates" | sort -u)" == "adding an RR" ]] ||
        fail "BIND did not get both values before a removal; updates: $(tr '\n' ';' <<<"$updates")"
    assert_eq 2 "$(grep -c '^adding an RR$' <<<"$updates")" "values added at _acme-challenge.demo.test"
    assert_eq 2 "$(grep -c '^deleting an RR$' <<<"$updates")" "values removed at _acme-challenge.demo.test"
    ! grep -q 'deleting rrset' <<<"$updates" || fail "a whole TXT RRset was deleted"
}

# One fresh state dir per pairing: each run creates its own account with that key type.
declare -A first_err=()
pairs=(ec-p256/ec-p256 ec-p384/ec-p384 rsa-2048/rsa-2048 ec-p256/rsa-2048 rsa-2048/ec-p384)
for pair in "${pairs[@]}"; do
    account_key="${pair%/*}" cert_key="${pair#*/}"
    e2e_log "--- account $account_key, certificate $cert_key"
    tag="${account_key}_${cert_key}"
    profile="$E2E_WORK/$tag.toml"
    state="$E2E_WORK/state-$tag"
    write_profile "$profile" account_key="$account_key" key="$cert_key"
    log_mark="$(wc -l <"$bind_log")"
    issue "$profile" "$state"
    assert_exit 0
    assert_both_values_published "$log_mark"
    assert_contains "$WC_ERR" "account: created "
    first_err["$tag"]="$WC_ERR"
    assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
    assert_cert_key "$state/live/demo" "$cert_key"
    assert_issued_line demo "$state/live/demo"
    assert_no_challenge_records demo.test
    assert_no_partial_live "$state" demo
    assert_eq 1 "$(account_count "$state")" "account folders in $state"
    [[ -L "$state/live/demo" ]] || fail "$state/live/demo is not a symlink into archive/"
done

# A second run on the same state dir: the account is found again and a second version is
# archived; by default the certificate gets a new key.
e2e_log "--- second run: account reuse, archive version 2, new key by default"
tag="ec-p256_ec-p256"
profile="$E2E_WORK/$tag.toml"
state="$E2E_WORK/state-$tag"
first_url="$(sed -n 's/.*account: created \([^ ]*\).*/\1/p' "${first_err[$tag]}")"
[[ -n "$first_url" ]] || fail "no account URL on the first run's stderr"
first_key="$(cat "$state/live/demo/privkey.pem")"
first_cert="$(cat "$state/live/demo/cert.pem")"
issue "$profile" "$state"
assert_exit 0
assert_contains "$WC_ERR" "account: using $first_url"
assert_not_contains "$WC_ERR" "account: created"
assert_eq 1 "$(account_count "$state")" "account folders after a second run"
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_eq 2 "$(basename "$(readlink -f "$state/live/demo")")" "archive version behind live/demo"
[[ -f "$state/archive/demo/1/cert.pem" ]] || fail "archive/demo/1 was not kept"
[[ "$(cat "$state/live/demo/cert.pem")" != "$first_cert" ]] || fail "second run kept the old certificate"
[[ "$(cat "$state/live/demo/privkey.pem")" != "$first_key" ]] ||
    fail "second run without reuse_key kept the old private key"
assert_no_challenge_records demo.test
assert_no_partial_live "$state" demo

# reuse_key = true: the third version carries the key of the second.
e2e_log "--- third run: reuse_key = true keeps the key"
write_profile "$profile" reuse_key=true
second_key="$(cat "$state/live/demo/privkey.pem")"
second_cert="$(cat "$state/live/demo/cert.pem")"
issue "$profile" "$state"
assert_exit 0
assert_contains "$WC_ERR" "account: using $first_url"
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_eq 3 "$(basename "$(readlink -f "$state/live/demo")")" "archive version behind live/demo"
assert_eq "$second_key" "$(cat "$state/live/demo/privkey.pem")" "private key with reuse_key = true"
[[ "$(cat "$state/live/demo/cert.pem")" != "$second_cert" ]] || fail "third run kept the old certificate"
assert_no_challenge_records demo.test
assert_no_partial_live "$state" demo
