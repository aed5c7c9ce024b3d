#!/usr/bin/env bash
# DNS faults (issue 7): the update server down or refusing, a checked nameserver that stops
# answering in the middle of the propagation check, and a primary that stops answering just
# before removal, so that the next run has to clean up. Each failure exits 1 with one line
# naming the server; records never stay behind once the server is back. (A wrong TSIG secret,
# BADSIG, is failure_test.sh's case (a).)
# Usage: dns_faults_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
# shellcheck source-path=SCRIPTDIR source=lib_faults.sh
source "$(dirname "$0")/lib_faults.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

# The primary takes the updates; the secondary transfers only when told to (rndc refresh), and
# it is the only server Pebble and the propagation check ask.
primary="$PROP_NS1:53"
secondary="$PROP_NS2:53"
prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_start_named primary "$PROP_NS1" primary:demo.test
primary_pid="${E2E_PIDS[-1]}"
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1"
secondary_pid="${E2E_PIDS[-1]}"
start_pebble "$secondary" PEBBLE_WFE_NONCEREJECT=0
owner=_acme-challenge.demo.test

# profile FILE [write_profile key=value...]: the shared profile, with a 2 s RFC 2136 timeout
# so that a server that does not answer fails fast.
profile() {
    local file="$1"
    shift
    write_profile "$file" resolvers="\"$primary\"" nameservers="\"$secondary\"" \
        server="$primary" propagation_timeout=4s "$@"
    sed -i '/^\[dns\.rfc2136\]$/a timeout = 2' "$file"
}

# The secondary follows the primary while a run is going on (for the runs that must succeed).
follow_primary() {
    while kill -0 "$FAULTS_PID" 2>/dev/null; do
        prop_rndc "$PROP_NS2" refresh demo.test >/dev/null 2>&1 || true
        sleep 0.2
    done
}

assert_clean_failure() {
    local state="$1"
    assert_exit 1
    assert_failure_line
    assert_no_challenge_records demo.test "$primary"
    assert_no_live "$state" demo
    [[ ! -s "$WC_OUT" ]] || fail "stdout is not empty after a failure: $(cat "$WC_OUT")"
    assert_not_contains "$WC_ERR" "$TSIG_SECRET"
}

e2e_log "--- (a) the update server is down"
port="$(free_port)"
file="$E2E_WORK/down.toml"
state="$E2E_WORK/state-down"
profile "$file" server="127.0.0.1:$port"
issue "$file" "$state"
assert_clean_failure "$state"
assert_matches "$WC_LAST_ERR" "127\.0\.0\.1:$port" "cause"
assert_matches "$WC_LAST_ERR" 'refused|unreachable' "cause"
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 20) }' ||
    fail "a closed update port took ${WC_SECONDS}s to fail"

e2e_log "--- (b) the update server refuses (a secondary does not take updates)"
file="$E2E_WORK/refused.toml"
state="$E2E_WORK/state-refused"
profile "$file" server="$secondary"
issue "$file" "$state"
assert_clean_failure "$state"
assert_matches "$WC_LAST_ERR" "${PROP_NS2//./\\.}:53" "cause"
assert_matches "$WC_LAST_ERR" 'REFUSED|NOTAUTH' "cause"

e2e_log "--- (c) the checked nameserver stops answering during the propagation check"
file="$E2E_WORK/hang.toml"
state="$E2E_WORK/state-hang"
profile "$file"
faults_issue_start "$file" "$state"
faults_wait_line 'dns: published'
kill -STOP "$secondary_pid"
faults_issue_wait
kill -CONT "$secondary_pid"
assert_clean_failure "$state"
assert_contains "$WC_ERR" "$PROP_NS2"
assert_contains "$WC_ERR" "no answer"
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 30) }' ||
    fail "a 4s propagation timeout took ${WC_SECONDS}s to fail"

e2e_log "--- (d) the primary stops answering before removal; the next run cleans up"
file="$E2E_WORK/leftover.toml"
state="$E2E_WORK/state-leftover"
profile "$file"
faults_issue_start "$file" "$state"
faults_wait_line 'dns: published'
prop_rndc "$PROP_NS2" refresh demo.test >/dev/null
faults_wait_txt_count "$secondary" "$owner" 2
# The secondary serves both values: the check passes and Pebble validates there, while the
# primary no longer answers when the records are removed.
kill -STOP "$primary_pid"
faults_issue_wait
kill -CONT "$primary_pid"
assert_exit 0
assert_contains "$WC_ERR" "the next run retries"
assert_matches "$(grep 'the next run retries' "$WC_ERR")" "${PROP_NS1//./\\.}:53" "removal error"
# A frozen BIND still applies the removal waiting on its TCP socket when it resumes, so put
# the two values back (the secondary still serves them): the next run must remove them from
# its journal, by name and value.
mapfile -t left < <(txt_values "$secondary" "$owner")
((${#left[@]} == 2)) || fail "the secondary does not serve the two values: ${left[*]}"
# Give the late removal (if it comes) up to 3 s, so that it cannot undo the values put back.
for ((i = 0; i < 60; i++)); do
    [[ -z "$(txt_values "$primary" "$owner")" ]] && break
    sleep 0.05
done
for value in "${left[@]}"; do
    nsupdate_txt "$primary" demo.test "$owner" "$value" add
done
faults_wait_txt_count "$primary" "$owner" 2

faults_issue_start "$file" "$state"
follow_primary &
follower=$!
faults_issue_wait
wait "$follower" || true
assert_exit 0
assert_contains "$WC_ERR" "removing 2 record(s) left by an earlier run"
assert_no_challenge_records demo.test "$primary"
prop_rndc "$PROP_NS2" refresh demo.test >/dev/null
faults_wait_txt_count "$secondary" "$owner" 0
