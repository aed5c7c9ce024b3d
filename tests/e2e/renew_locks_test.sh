#!/usr/bin/env bash
# Two renew runs on one state directory: each certificate issued once, no corruption; a
# certificate another process holds is skipped with exit 3, or waited for with --wait-lock;
# --dry-run leaves live/ alone.
# Usage: renew_locks_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
# No authorization reuse: the dry run below must really validate again.
start_pebble 127.0.0.1:53 PEBBLE_AUTHZREUSE=0
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
profile="$E2E_WORK/fleet.toml"
state="$E2E_WORK/state"
fleet_profile "$profile" 10

e2e_log "--- two renew runs at once on a fresh state directory"
# Both wait for locks, so neither skips anything: whichever gets a certificate first issues
# it, and the other then finds it not due. Ten certificates, ten issuances in all.
export TSIG_SECRET
TSIG_SECRET="$(tsig_secret wildcert-key)"
out_a="$E2E_WORK/concurrent-a.json"
out_b="$E2E_WORK/concurrent-b.json"
rc_a=0
rc_b=0
timeout 240 "$WILDCERT" renew -c "$profile" --state-dir "$state" --json --wait-lock=3m \
    >"$out_a" 2>"$E2E_WORK/concurrent-a.err" &
pid_a=$!
timeout 240 "$WILDCERT" renew -c "$profile" --state-dir "$state" --json --wait-lock=3m \
    >"$out_b" 2>"$E2E_WORK/concurrent-b.err" &
pid_b=$!
wait "$pid_a" || rc_a=$?
wait "$pid_b" || rc_b=$?
WC_ERR="$E2E_WORK/concurrent-b.err"
assert_eq 0 "$rc_a" "exit code of run A"
assert_eq 0 "$rc_b" "exit code of run B"
issued_a="$(jq '.counts.issued' "$out_a")"
issued_b="$(jq '.counts.issued' "$out_b")"
assert_eq 10 "$((issued_a + issued_b))" "certificates issued by both runs together"
assert_eq 10 "$(($(jq '.counts["not-due"]' "$out_a") + $(jq '.counts["not-due"]' "$out_b")))" \
    "certificates the other run found not due"
for ((i = 1; i <= 10; i++)); do
    name="$(printf 'c%02d' "$i")"
    assert_eq 1 "$(archive_versions "$state" "$name")" "archive versions of $name"
done
assert_fleet_live "$state" "$root" 10
assert_eq 1 "$(account_count "$state")" "account folders (the runs share one account)"
assert_no_challenge_records demo.test
assert_no_partial_live "$state" c01

e2e_log "--- forced renewals of both runs at once: each renews each certificate once, in turn"
rc_a=0
rc_b=0
timeout 240 "$WILDCERT" renew -c "$profile" --state-dir "$state" --json --force --wait-lock=3m \
    >"$out_a" 2>"$E2E_WORK/forced-a.err" &
pid_a=$!
timeout 240 "$WILDCERT" renew -c "$profile" --state-dir "$state" --json --force --wait-lock=3m \
    >"$out_b" 2>"$E2E_WORK/forced-b.err" &
pid_b=$!
wait "$pid_a" || rc_a=$?
wait "$pid_b" || rc_b=$?
WC_ERR="$E2E_WORK/forced-b.err"
assert_eq 0 "$rc_a" "exit code of forced run A"
assert_eq 0 "$rc_b" "exit code of forced run B"
assert_eq 10 "$(jq '.counts.renewed' "$out_a")" "renewed by forced run A"
assert_eq 10 "$(jq '.counts.renewed' "$out_b")" "renewed by forced run B"
for ((i = 1; i <= 10; i++)); do
    name="$(printf 'c%02d' "$i")"
    assert_eq 3 "$(archive_versions "$state" "$name")" "archive versions of $name"
done
assert_fleet_live "$state" "$root" 10
assert_no_challenge_records demo.test
# No run left a cleanup journal entry or a stray lock of its own.
leftover="$(find "$state/journal" -name '*.txt' 2>/dev/null || true)"
[[ -z "$leftover" ]] || fail "cleanup journal files left: $leftover"

e2e_log "--- a certificate held by another process: skipped with exit 3"
lock="$state/locks/cert-c03.lock"
hold_lock "$lock" 30
renew "$profile" "$state" --force --cert c03 --json
assert_exit 3
assert_eq locked "$(jq -r '.certificates[0].status' "$WC_OUT")" "status of c03"
assert_eq 3 "$(jq -r '.exit_code' "$WC_OUT")" "exit code in the JSON document"
jq -r '.certificates[0].reason' "$WC_OUT" | grep -q -- '--wait-lock' ||
    fail "the skip message does not mention --wait-lock: $(jq -r '.certificates[0].reason' "$WC_OUT")"
assert_eq 3 "$(archive_versions "$state" c03)" "archive versions of c03 while locked"
renew "$profile" "$state" --force --cert c03 --wait-lock=1s
assert_exit 3
assert_contains "$WC_OUT" "c03: skipped: another wildcert run is working on it"
release_lock

e2e_log "--- --wait-lock waits for the holder and then works"
hold_lock "$lock" 2
renew "$profile" "$state" --force --cert c03 --wait-lock=1m
assert_exit 0
wait "$LOCK_HOLDER" 2>/dev/null || true
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s >= 1.0) }' ||
    fail "renew did not wait for the lock (took ${WC_SECONDS}s)"
assert_eq 4 "$(archive_versions "$state" c03)" "archive versions of c03 after waiting"

e2e_log "--- --dry-run: the whole flow, nothing under live/ changes"
before="$(readlink "$state/live/c05")"
renew "$profile" "$state" --dry-run --cert c05 --json
assert_exit 0
assert_eq renewed "$(jq -r '.certificates[0].status' "$WC_OUT")" "dry-run status of c05"
assert_eq true "$(jq -r '.dry_run' "$WC_OUT")" "dry_run in the JSON document"
assert_contains "$WC_ERR" "dry run against"
assert_contains "$WC_ERR" "acme: every authorization of c05 is valid"
assert_contains "$WC_ERR" "store: dry run: c05 checked"
# The scratch folder is deleted at the end: no output names a path in it.
assert_not_contains "$WC_ERR" "$state/dry-run"
assert_not_contains "$WC_OUT" "$state/dry-run"
assert_eq "$before" "$(readlink "$state/live/c05")" "live/c05 after a dry run"
assert_eq 3 "$(archive_versions "$state" c05)" "archive versions of c05 after a dry run"
[[ ! -e "$state/dry-run" ]] || [[ -z "$(ls -A "$state/dry-run")" ]] ||
    fail "the dry run left files: $(find "$state/dry-run")"
assert_no_challenge_records demo.test
