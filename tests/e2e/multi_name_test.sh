#!/usr/bin/env bash
# One certificate whose names span two zones, and one profile with two certificates issued in
# a single run.
# Usage: multi_name_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test other.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

e2e_log "--- three names across two zones"
profile="$E2E_WORK/two-zones.toml"
state="$E2E_WORK/state-two-zones"
write_profile "$profile" name=mixed domains='"*.demo.test", "demo.test", "www.other.test"'
issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/mixed" "$root" '*.demo.test' demo.test www.other.test
assert_issued_line mixed "$state/live/mixed"
assert_no_challenge_records demo.test
assert_no_challenge_records other.test
assert_no_partial_live "$state" mixed

e2e_log "--- two certificates in one profile"
profile="$E2E_WORK/two-certs.toml"
state="$E2E_WORK/state-two-certs"
write_profile "$profile" name=demo key=ec-p384 extra='[[certificate]]
name = "other"
domains = ["*.other.test", "other.test", "api.demo.test"]
key = "rsa-2048"'
issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_cert_key "$state/live/demo" ec-p384
assert_issued_line demo "$state/live/demo"
assert_cert "$state/live/other" "$root" '*.other.test' other.test api.demo.test
assert_cert_key "$state/live/other" rsa-2048
assert_issued_line other "$state/live/other"
assert_eq 2 "$(grep -c ': issued serial ' "$WC_OUT")" "success lines on stdout"
assert_eq 1 "$(account_count "$state")" "account folders (one account serves both certificates)"
# Both orders in one batch: one publication of all 5 values, one propagation loop over the 3
# owner names (_acme-challenge.demo.test holds 2 values, other.test 2, api.demo.test 1).
assert_eq 1 "$(grep -c 'dns: published ' "$WC_ERR")" "publications for two certificates"
assert_contains "$WC_ERR" "dns: published 5 TXT record(s)"
assert_eq 1 "$(grep -c 'dns: checking ' "$WC_ERR")" "propagation loops for two certificates"
assert_contains "$WC_ERR" "dns: checking 3 name(s)"
assert_no_challenge_records demo.test
assert_no_challenge_records other.test
assert_no_partial_live "$state" demo
assert_no_partial_live "$state" other

# --cert NAME limits the run to that certificate: the other one keeps its version.
e2e_log "--- --cert other renews only that certificate"
demo_version="$(readlink -f "$state/live/demo")"
issue "$profile" "$state" --cert other
assert_exit 0
assert_eq 1 "$(grep -c ': issued serial ' "$WC_OUT")" "success lines on stdout with --cert"
assert_issued_line other "$state/live/other"
assert_eq "$demo_version" "$(readlink -f "$state/live/demo")" "live/demo after --cert other"
assert_eq 2 "$(basename "$(readlink -f "$state/live/other")")" "archive version behind live/other"
assert_no_challenge_records demo.test
assert_no_challenge_records other.test

# In one batch, a certificate that cannot be started (its zone is served by nobody) fails
# alone: the other one is issued, and the exit code still says something failed.
e2e_log "--- a failing certificate does not stop the other one"
profile="$E2E_WORK/one-broken.toml"
state="$E2E_WORK/state-one-broken"
write_profile "$profile" name=demo extra='[[certificate]]
name = "broken"
domains = ["*.nowhere.test", "nowhere.test"]'
issue "$profile" "$state"
assert_exit 1
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_no_live "$state" broken
assert_contains "$WC_ERR" "broken: "
assert_no_challenge_records demo.test
