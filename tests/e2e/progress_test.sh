#!/usr/bin/env bash
# Waiting you can see (issue 13 item 5): a secondary that lags LAG seconds makes the DNS wait
# last that long. On a terminal (the run under script(1), which gives it a pty) one status line
# is rewritten in place and names the server still missing the record and a countdown; in a
# log (stderr a file) the same facts come as plain lines, no escape sequences; -q prints none.
# Usage: progress_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
real_binary="$(realpath "$1")"
command -v script >/dev/null 2>&1 || fail "script(1) is missing (package bsdutils)"
prop_setup

lag=3
prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_start_named primary "$PROP_NS1" primary:demo.test
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1"
prop_start_resolver resolver "$PROP_RESOLVER" "demo.test=$PROP_NS1,$PROP_NS2"
prop_start_lag "$lag" "$PROP_NS2" primary demo.test
start_pebble "$PROP_NS2:53" PEBBLE_WFE_NONCEREJECT=0
# waiting_for NAME: what the status line says while the secondary lags for NAME.demo.test.
waiting_for() {
    printf 'missing: _acme-challenge.%s.demo.test. at ns2.demo.test. (%s:53)\n' "$1" "$PROP_NS2"
}

# profile_for NAME: a profile for NAME.demo.test in its own file, printed.
profile_for() {
    local profile="$E2E_WORK/$1.toml"
    write_profile "$profile" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\"" \
        name="$1" domains="\"$1.demo.test\""
    printf '%s\n' "$profile"
}

e2e_log "--- on a terminal: one status line, rewritten in place"
profile="$(profile_for tty)"
typescript="$E2E_WORK/tty.log"
# 200 columns: script(1) without a terminal of its own gives the pty 80, which cuts the line.
command_line="stty cols 200; $(printf '%q ' "$WILDCERT" issue -c "$profile" \
    --state-dir "$E2E_WORK/state-tty")"
rc=0
timeout -k 5 120 script -q -e -c "$command_line" "$typescript" </dev/null >/dev/null || rc=$?
WC_ERR="$typescript"
WC_CMD="script -c '$command_line'"
WC_RC="$rc"
assert_exit 0
assert_contains "$typescript" "$(waiting_for tty)"
grep -q $'\r\e\[K' "$typescript" || fail "no in-place rewrite (CR, erase line) on the terminal"
# The countdown moves: at least two different "Ns left" on the one line.
countdowns="$(grep -aoE '[0-9]+s left' "$typescript" | sort -u | wc -l)"
((countdowns >= 2)) || fail "the status line showed $countdowns distinct countdown value(s)"
# Permanent lines still come out whole, each on its own line after the erased status.
grep -aq $'\e\[Kwildcert: dns: all 2 server address(es) serve all 1 name(s)' "$typescript" ||
    fail "the line after the wait does not replace the status line"

e2e_log "--- in a log: plain lines with the same facts, no escape sequences"
profile="$(profile_for log)"
issue "$profile" "$E2E_WORK/state-log"
assert_exit 0
assert_contains "$WC_ERR" "$(waiting_for log)"
assert_matches "$(grep -F "$(waiting_for log)" "$WC_ERR" | head -n 1)" \
    '^wildcert: dns: 1 of 2 checks pass, [0-9]+s left; missing: ' "status line in the log"
if grep -q $'\e' "$WC_ERR"; then
    fail "escape sequences in a log"
fi
# -v adds per-server detail: what the lagging server answered instead.
assert_matches "$(cat "$WC_ERR")" \
    "dns: _acme-challenge.log.demo.test. at ns2.demo.test. \\($PROP_NS2:53\\): " "-v detail"

e2e_log "--- -q: no status line at all"
profile="$(profile_for quiet)"
quiet_err="$E2E_WORK/quiet.err"
rc=0
timeout -k 5 120 "$real_binary" issue -q -c "$profile" --state-dir "$E2E_WORK/state-quiet" \
    >"$E2E_WORK/quiet.out" 2>"$quiet_err" || rc=$?
WC_ERR="$quiet_err"
WC_RC="$rc"
assert_exit 0
assert_not_contains "$quiet_err" "checks pass"
