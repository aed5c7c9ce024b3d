#!/usr/bin/env bash
# SIGINT and SIGTERM stop a run gracefully: during the propagation wait the records are removed
# before exit (exit 130 for SIGINT, 143 for SIGTERM, "interrupted"), live/ is untouched, and the exit comes within seconds;
# during a deploy hook the hook's process group is stopped and wildcert exits promptly.
# Usage: signals_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_crash.sh
source "$(dirname "$0")/lib_crash.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
# No reuse of valid authorizations: every run must publish records for the signal to land in.
start_pebble 127.0.0.1:53 PEBBLE_AUTHZREUSE=0
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
state="$E2E_WORK/state"

e2e_log "--- a first certificate, so that a signal has a live/ set to leave alone"
good="$E2E_WORK/good.toml"
write_profile "$good"
issue "$good" "$state"
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test

# Nothing answers DNS at 127.0.0.9:53, so the propagation check waits (up to 30 s) for a
# server that never serves the records: wildcert is in its longest wait when the signal comes.
slow="$E2E_WORK/slow.toml"
write_profile "$slow" nameservers='"127.0.0.1:53", "127.0.0.9:53"' propagation_timeout=30s

# signal_during_propagation SIGNAL CODE: the run is stopped by SIGNAL while it waits for DNS
# and exits with CODE after its cleanup.
signal_during_propagation() {
    local signal="$1" code="$2"
    local target_before fp_before sent
    target_before="$(live_target "$state" demo)"
    fp_before="$(leaf_fingerprint "$state" demo)"

    start_background issue -c "$slow" --state-dir "$state" -v
    wait_for_stderr "dns: published" 60
    wait_for_stderr "dns: checking" 10
    # The records are really out there before the signal.
    (($(challenge_record_count demo.test) > 0)) || fail "no challenge record published before $signal"
    sent="$(date +%s.%N)"
    kill -s "$signal" "$WC_PID"
    finish_background 20
    local after
    after="$(awk -v a="$sent" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
    e2e_log "$signal: exit $WC_RC ${after}s after the signal"

    assert_exit "$code"
    assert_failure_line
    assert_matches "$WC_LAST_ERR" 'interrupted' "last stderr line after $signal"
    # Removal happened before exit: nothing is left, and wildcert says it removed them.
    assert_contains "$WC_ERR" "dns: removed"
    assert_no_challenge_records demo.test
    assert_eq 0 "$(journal_records "$state")" "journal lines after $signal"
    # live/ is untouched, and nothing half-written appeared.
    assert_eq "$target_before" "$(live_target "$state" demo)" "live/demo target after $signal"
    assert_eq "$fp_before" "$(leaf_fingerprint "$state" demo)" "live/demo certificate after $signal"
    assert_no_partial_live "$state" demo
    awk -v s="$after" 'BEGIN { exit !(s < 5) }' ||
        fail "wildcert took ${after}s to exit after $signal"
    printf '%s during the propagation wait: exit %s after %ss, records removed, live/ unchanged\n' \
        "$signal" "$WC_RC" "$after"
}

e2e_log "--- SIGINT during the propagation wait"
signal_during_propagation INT 130
e2e_log "--- SIGTERM during the propagation wait"
signal_during_propagation TERM 143

e2e_log "--- SIGTERM while a deploy hook runs"
hooked="$E2E_WORK/hooked.toml"
write_profile "$hooked" extra='[[certificate.deploy]]
command = ["sleep", "30"]
timeout = "60s"'
start_background issue -c "$hooked" --state-dir "$state" -v -v
wait_for_stderr "store: installed" 60
hook_pid=""
for ((i = 0; i < 500; i++)); do
    hook_pid="$(pgrep -P "$WC_PID" -x sleep || true)"
    [[ -n "$hook_pid" ]] && break
    kill -0 "$WC_PID" 2>/dev/null || break
    sleep 0.02
done
[[ -n "$hook_pid" ]] || fail "the deploy hook (sleep 30) never started"
sent="$(date +%s.%N)"
kill -s TERM "$WC_PID"
finish_background 20
after="$(awk -v a="$sent" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
e2e_log "TERM during the hook: exit $WC_RC ${after}s after the signal"
if kill -0 "$hook_pid" 2>/dev/null; then
    fail "the deploy hook (pid $hook_pid) still runs after wildcert exited"
fi
assert_exit 143
assert_matches "$(grep -F 'sleep 30' "$WC_ERR" | tail -n 1)" 'interrupted' "the hook's outcome"
awk -v s="$after" 'BEGIN { exit !(s < 5) }' ||
    fail "wildcert took ${after}s to exit after SIGTERM during the hook"
# The certificate itself was installed before the hook: it is complete and its records gone.
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_partial_live "$state" demo
assert_no_challenge_records demo.test
printf 'TERM during a deploy hook: exit %s after %ss, hook stopped\n' "$WC_RC" "$after"
