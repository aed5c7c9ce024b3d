#!/usr/bin/env bash
# A CA that rejects half of all good nonces (Pebble's PEBBLE_WFE_NONCEREJECT=50): every
# issuance still succeeds, because badNonce is retried with the nonce of the error response
# (RFC 8555 §6.5), and the rejections really happened.
# Usage: nonce_reject_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=50
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
profile="$E2E_WORK/nonce.toml"
state="$E2E_WORK/state"
certificates=4
runs=3
fleet_profile "$profile" "$certificates"

wanted=$((certificates * runs))
succeeded=0
for ((run = 1; run <= runs; run++)); do
    e2e_log "--- run $run of $runs: $certificates certificates under 50% nonce rejection"
    renew "$profile" "$state" --force --json
    ok="$(jq '[.certificates[] | select(.status == "issued" or .status == "renewed")] | length' "$WC_OUT")" ||
        fail "stdout is not the JSON document: $(head -c 300 "$WC_OUT")"
    succeeded=$((succeeded + ok))
    assert_exit 0
    assert_eq "$certificates" "$ok" "certificates issued in run $run"
    assert_fleet_live "$state" "$root" "$certificates"
    assert_eq "$run" "$(archive_versions "$state" c01)" "archive versions of c01 after run $run"
    assert_no_challenge_records demo.test
done

# The rejections really happened: Pebble answers each one with a badNonce problem, and a
# request with a rejected nonce is sent again, so Pebble saw more JWS requests than it accepted.
rejected="$(grep -c 'badNonce' "$PEBBLE_LOG" || true)"
e2e_log "Pebble logged $rejected badNonce rejection(s)"
((rejected >= 10)) || fail "Pebble logged only $rejected badNonce rejection(s); was NONCEREJECT applied?"

printf '%d of %d issuances succeeded under 50%% nonce rejection (%d badNonce rejections)\n' \
    "$succeeded" "$wanted" "$rejected"
assert_eq "$wanted" "$succeeded" "issuances that succeeded"
