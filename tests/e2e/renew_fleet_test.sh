#!/usr/bin/env bash
# renew over a fleet of 50 certificates: one batch, a no-op rerun without any network request,
# a certificate made due alone, one broken certificate among 50, JSON, the audit log, list.
# Usage: renew_fleet_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
profile="$E2E_WORK/fleet.toml"
state="$E2E_WORK/state"
fleet_profile "$profile" 50

e2e_log "--- 50 certificates, first run: all issued in one batch"
renew "$profile" "$state" --json
assert_exit 0
assert_eq 50 "$(json_count issued)" "certificates issued"
assert_eq 50 "$(json_summary .counts.issued)" "summary count of issued"
assert_eq 0 "$(json_summary .exit_code)" "exit code in the JSON document"
assert_eq true "$(json_summary .ok)" "ok in the JSON document"
assert_fleet_live "$state" "$root" 50
# One publication and one propagation loop for all 100 values at 50 owner names.
assert_eq 1 "$(grep -c 'dns: published ' "$WC_ERR")" "publications"
assert_contains "$WC_ERR" "dns: published 100 TXT record(s)"
assert_eq 1 "$(grep -c 'dns: checking ' "$WC_ERR")" "propagation loops"
assert_contains "$WC_ERR" "dns: checking 50 name(s)"
assert_no_challenge_records demo.test
# The JSON names each certificate's files and expiry as they are on disk.
c07_cert="$(jq -r '.certificates[] | select(.name == "c07") | .paths.cert' "$WC_OUT")"
assert_eq "$state/live/c07/cert.pem" "$c07_cert" "paths.cert of c07"
want_expiry="$(date -u -d "$(openssl x509 -in "$state/live/c07/cert.pem" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)"
assert_eq "$want_expiry" "$(jq -r '.certificates[] | select(.name == "c07") | .not_after' "$WC_OUT")" "not_after of c07"
# The audit trail: one line per issued certificate, with its serial.
assert_eq 50 "$(jq -s '[.[] | select(.event == "certificate-issued" and .outcome == "ok")] | length' "$state/audit.log")" \
    "certificate-issued lines in audit.log"
c07_serial="$(openssl x509 -in "$state/live/c07/cert.pem" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//')"
audit_serial="$(jq -rs '.[] | select(.event == "certificate-issued" and .certificate == "c07") | .serial' "$state/audit.log" | sed 's/^0*//')"
assert_eq "$c07_serial" "$audit_serial" "serial of c07 in audit.log"
assert_eq 1 "$(jq -s '[.[] | select(.event == "records-added")] | length' "$state/audit.log")" "records-added lines"
assert_eq 1 "$(jq -s '[.[] | select(.event == "account-registered")] | length' "$state/audit.log")" "account-registered lines"
assert_eq 600 "$(stat -c %a "$state/audit.log")" "mode of audit.log"

e2e_log "--- second run right after: nothing due, and not one network request"
# strace sees every connect/sendto; a not-due certificate must cost none (not even DNS).
trace="$E2E_WORK/noop.strace"
E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
WC_OUT="$E2E_WORK/run-$E2E_RUN_SEQ.out"
WC_ERR="$E2E_WORK/run-$E2E_RUN_SEQ.err"
WC_CMD="strace wildcert renew --json"
WC_RC=0
# LeakSanitizer cannot run under ptrace: in the sanitizer build this one run goes without it.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
    strace -f -qq -e trace=connect,sendto,sendmsg,sendmmsg -o "$trace" \
    "$WILDCERT" renew -c "$profile" --state-dir "$state" --json >"$WC_OUT" 2>"$WC_ERR" || WC_RC=$?
assert_exit 0
assert_eq 50 "$(json_count not-due)" "certificates not due"
if grep -E 'AF_INET|AF_INET6|sin_port|sin6_port' "$trace" >&2; then
    fail "the no-op renew made network requests (above)"
fi
assert_eq 1 "$(archive_versions "$state" c01)" "archive versions of c01 after the no-op run"

e2e_log "--- list shows every certificate with its expiry and next renewal"
wildcert_run list -c "$profile" --state-dir "$state" --json
assert_exit 0
assert_eq 50 "$(jq '.certificates | length' "$WC_OUT")" "certificates listed"
assert_eq 89 "$(jq -r '.certificates[] | select(.name == "c20") | .days_left' "$WC_OUT")" "days left of c20"
assert_eq "$want_expiry" "$(jq -r '.certificates[] | select(.name == "c07") | .not_after' "$WC_OUT")" "expiry of c07 in list"
[[ "$(jq -r '.certificates[] | select(.name == "c07") | .renew_at' "$WC_OUT")" != null ]] ||
    fail "list gives no next renewal for c07"
wildcert_run list -c "$profile" --state-dir "$state"
assert_exit 0
assert_matches "$(grep '^c33 ' "$WC_OUT")" '^c33 +\*\.c33\.demo\.test,c33\.demo\.test +Pebble Intermediate'
# list reads only the [[certificate]] tables of a profile: the error is there.
printf '[[certificate]]\nname = 42\n' >"$E2E_WORK/broken.toml"
wildcert_run list -c "$E2E_WORK/broken.toml" --state-dir "$state"
assert_exit 2
[[ ! -s "$WC_OUT" ]] || fail "list printed a table after a profile error: $(cat "$WC_OUT")"
assert_contains "$WC_ERR" "broken.toml:2"

e2e_log "--- a changed name and a short renew_before make exactly two certificates due"
fleet_profile "$profile" 50 'renew_before = "91d"'
sed -i 's/"\*\.c07\.demo\.test", "c07\.demo\.test"/"*.c07.demo.test", "c07.demo.test", "www.c07.demo.test"/' "$profile"
grep -q 'www.c07.demo.test' "$profile" || fail "could not edit the profile"
renew "$profile" "$state" --json
assert_exit 0
assert_eq 2 "$(json_count renewed)" "certificates renewed"
assert_eq 48 "$(json_count not-due)" "certificates not due"
assert_eq renewed "$(jq -r '.certificates[] | select(.name == "c07") | .status' "$WC_OUT")" "status of c07"
assert_eq renewed "$(jq -r '.certificates[] | select(.name == "c50") | .status' "$WC_OUT")" "status of c50"
assert_contains "$WC_ERR" "names changed"
assert_eq 2 "$(archive_versions "$state" c07)" "archive versions of c07"
assert_eq 2 "$(archive_versions "$state" c50)" "archive versions of c50"
assert_eq 1 "$(archive_versions "$state" c49)" "archive versions of c49"
assert_cert "$state/live/c07" "$root" '*.c07.demo.test' c07.demo.test www.c07.demo.test
# The previous version stays in the archive, complete.
assert_cert "$state/archive/c07/1" "$root" '*.c07.demo.test' c07.demo.test
assert_no_challenge_records demo.test

e2e_log "--- one broken certificate among 50: 49 renewed, 1 failed, exit 1, JSON stream"
fleet_profile "$profile" 50
sed -i 's/"\*\.c50\.demo\.test", "c50\.demo\.test"/"*.c50.nowhere.test", "c50.nowhere.test"/' "$profile"
renew "$profile" "$state" --force --json=stream
assert_exit 1
assert_eq 51 "$(wc -l <"$WC_OUT")" "NDJSON lines (50 certificates + summary)"
assert_eq 49 "$(jq -s '[.[] | select(.status == "renewed")] | length' "$WC_OUT")" "renewed in the stream"
assert_eq failed "$(jq -rs '.[] | select(.name == "c50") | .status' "$WC_OUT")" "status of c50"
jq -rs '.[] | select(.name == "c50") | .error' "$WC_OUT" | grep -q 'nowhere.test' ||
    fail "the error of c50 does not name its zone: $(jq -cs '.[] | select(.name == "c50")' "$WC_OUT")"
assert_eq 1 "$(tail -n 1 "$WC_OUT" | jq '.counts.failed')" "failed in the summary line"
assert_eq 1 "$(tail -n 1 "$WC_OUT" | jq '.exit_code')" "exit code in the summary line"
# The broken certificate keeps its previous version; the others have a new one.
assert_eq 2 "$(archive_versions "$state" c50)" "archive versions of c50 after its failure"
assert_eq 2 "$(archive_versions "$state" c01)" "archive versions of c01"
assert_cert "$state/live/c50" "$root" '*.c50.demo.test' c50.demo.test
assert_no_challenge_records demo.test
assert_eq 1 "$(jq -s '[.[] | select(.event == "certificate-failed" and .certificate == "c50")] | length' "$state/audit.log")" \
    "certificate-failed line for c50"

