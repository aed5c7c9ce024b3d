#!/usr/bin/env bash
# One full issuance (*.demo.test + demo.test: account, order, TSIG update, propagation check on
# every nameserver, answer, finalize, chain download, atomic install, record removal) run under
# valgrind's memcheck against a real Pebble and BIND: no invalid access, no use of
# uninitialised memory, and no definite or indirect leak. ASan cannot be combined with
# valgrind, so this runs the plain (unsanitized) build. valgrind.supp holds the one known defect
# of a Debian library (cpp-httplib), with the reason it is harmless.
# Usage: valgrind_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"
command -v valgrind >/dev/null || fail "valgrind is missing (scripts/install-deps.sh installs it)"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53

profile="$E2E_WORK/valgrind.toml"
state="$E2E_WORK/state"
write_profile "$profile" propagation_timeout=120s
report="$E2E_WORK/memcheck.txt"
# The real binary, not a wrapper script, is what memcheck must see.
binary="$(realpath "$1")"

e2e_log "--- issuing under valgrind memcheck"
WC_OUT="$E2E_WORK/valgrind.out"
WC_ERR="$E2E_WORK/valgrind.err"
WC_CMD="valgrind wildcert issue"
WC_RC=0
start="$(date +%s)"
timeout -k 5 600 valgrind --tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect --error-exitcode=99 --log-file="$report" \
    --suppressions="$E2E_LIB_DIR/valgrind.supp" \
    "$binary" issue -c "$profile" --state-dir "$state" -v >"$WC_OUT" 2>"$WC_ERR" || WC_RC=$?
e2e_log "valgrind run: exit $WC_RC in $(($(date +%s) - start))s"
if ((WC_RC != 0)); then
    cat "$report" >&2
    fail "the issuance under memcheck exited $WC_RC (99: memcheck found errors or leaks)"
fi
root="$E2E_WORK/root.pem"
pebble_root "$root"
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test

errors="$(sed -n 's/.*ERROR SUMMARY: \([0-9]*\) errors.*/\1/p' "$report" | tail -n 1)"
definite="$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$report" | tail -n 1)"
indirect="$(sed -n 's/.*indirectly lost: \([0-9,]*\) bytes.*/\1/p' "$report" | tail -n 1)"
[[ -n "$errors" ]] || fail "no ERROR SUMMARY in the memcheck report: $(cat "$report")"
assert_eq 0 "$errors" "memcheck errors"
# No leak summary means nothing was lost at all.
assert_eq 0 "${definite:-0}" "bytes definitely lost"
assert_eq 0 "${indirect:-0}" "bytes indirectly lost"
e2e_log "memcheck: $errors errors, ${definite:-0} bytes definitely and ${indirect:-0} indirectly lost;" \
    "$(grep -E 'in use at exit' "$report" | sed 's/^==[0-9]*== *//')"
