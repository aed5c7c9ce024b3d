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
certificates=6
runs=4
fleet_profile "$profile" "$certificates"

grep -q 'reject 50% of good nonces' "$PEBBLE_LOG" ||
    fail "Pebble does not say it rejects 50% of good nonces: $(head -n 12 "$PEBBLE_LOG")"

wanted=$((certificates * runs))
succeeded=0
retries=0
for ((run = 1; run <= runs; run++)); do
    e2e_log "--- run $run of $runs: $certificates certificates under 50% nonce rejection"
    # -vv: each transparent badNonce retry is a debug line.
    renew "$profile" "$state" -v --force --json
    retries=$((retries + $(grep -c 'acme: badNonce from ' "$WC_ERR" || true)))
    ok="$(jq '[.certificates[] | select(.status == "issued" or .status == "renewed")] | length' "$WC_OUT")" ||
        fail "stdout is not the JSON document: $(head -c 300 "$WC_OUT")"
    succeeded=$((succeeded + ok))
    assert_exit 0
    assert_eq "$certificates" "$ok" "certificates issued in run $run"
    assert_fleet_live "$state" "$root" "$certificates"
    assert_eq "$run" "$(archive_versions "$state" c01)" "archive versions of c01 after run $run"
    assert_no_challenge_records demo.test
done

# The rejections really happened and were retried: with half of all nonces rejected, a run of
# six orders (some 80 signed requests) meets dozens of them.
e2e_log "wildcert retried $retries badNonce rejection(s)"
((retries >= 10)) || fail "only $retries badNonce retries logged; were nonces rejected at all?"

printf '%d of %d issuances succeeded under 50%% nonce rejection (%d badNonce retries)\n' \
    "$succeeded" "$wanted" "$retries"
assert_eq "$wanted" "$succeeded" "issuances that succeeded"
