#!/usr/bin/env bash
# An owner name that already carries so many TXT values that a UDP answer without EDNS is
# truncated (TC). Proves: the propagation check falls back to TCP on every authoritative server
# (their query logs show it) and confirms the new values there; issuance succeeds; only our
# values are removed afterwards, the 40 that were there before stay.
# Usage: propagation_truncation_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

owner=_acme-challenge.demo.test
prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_start_named primary "$PROP_NS1" primary:demo.test
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1"
# The secondary follows at once (the watcher stands in for NOTIFY).
prop_start_lag 0 "$PROP_NS2" primary demo.test
prop_start_resolver resolver "$PROP_RESOLVER" "demo.test=$PROP_NS1,$PROP_NS2"
# Pebble 2.4 reads only the UDP answer; its resolver's canonical order puts the two ACME values
# into the part that fits (lib_propagation.sh, prop_start_resolver).
prop_start_resolver ca-resolver "$PROP_CA_RESOLVER" "demo.test=$PROP_NS1,$PROP_NS2"
start_pebble "$PROP_CA_RESOLVER:53"
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

e2e_log "--- pre-loading 40 TXT values of 68 characters at $owner"
preloaded="$E2E_WORK/preloaded.txt"
for ((i = 1; i <= 40; i++)); do
    printf 'kept-by-someone-else-%02d-%s\n' "$i" "$(printf 'v%.0s' {1..45})"
done | sort >"$preloaded"
{
    printf 'server %s 53\nzone demo.test\n' "$PROP_NS1"
    while IFS= read -r value; do
        printf 'update add %s 300 TXT "%s"\n' "$owner" "$value"
    done <"$preloaded"
    printf 'send\n'
} | nsupdate -y "hmac-sha256:wildcert-key:$(tsig_secret wildcert-key)" ||
    fail "nsupdate could not pre-load the values"
prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" demo.test 10
for server in "$PROP_NS1" "$PROP_NS2"; do
    assert_eq "$(cat "$preloaded")" "$(txt_values "$server:53" "$owner")" "values at $owner on $server"
    # The same question wildcert asks first: UDP, no EDNS.
    flags="$(dig @"$server" TXT "$owner" +norec +noedns +ignore +time=2 +tries=1 | grep -m 1 '^;; flags:')"
    assert_matches "$flags" 'flags:[a-z ]* tc[ ;]' "UDP answer from $server without EDNS"
    prop_rndc "$server" querylog on >/dev/null || fail "rndc querylog on at $server"
done

profile="$E2E_WORK/truncation.toml"
state="$E2E_WORK/state-truncation"
write_profile "$profile" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\""
declare -A log_mark=()
for name in primary secondary; do
    log_mark[$name]="$(wc -l <"$E2E_WORK/bind-$name/named.log")"
done
prop_issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_contains "$WC_ERR" "dns: checking 1 name(s) at 2 server address(es)"

e2e_log "--- both authoritative servers were asked over UDP, then over TCP"
# BIND's query log flags: "-" no recursion, "T" TCP, "E(0)" EDNS (which the resolver adds and
# wildcert does not), so "TXT - (" is wildcert over UDP and "TXT -T (" wildcert over TCP.
for name in primary secondary; do
    queries="$(tail -n +"$((log_mark[$name] + 1))" "$E2E_WORK/bind-$name/named.log" |
        grep -F "query: $owner IN TXT" || true)"
    grep -qF "IN TXT - (" <<<"$queries" || fail "BIND $name: no UDP TXT query for $owner"
    grep -qF "IN TXT -T (" <<<"$queries" ||
        fail "BIND $name: no TCP TXT query for $owner (no fallback after TC)"
done

e2e_log "--- only our values are gone; the 40 others stay on both servers"
prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" demo.test 10
for server in "$PROP_NS1" "$PROP_NS2"; do
    assert_eq "$(cat "$preloaded")" "$(txt_values "$server:53" "$owner")" \
        "values at $owner on $server after the run"
done
primary_new="$(tail -n +"$((log_mark[primary] + 1))" "$E2E_WORK/bind-primary/named.log")"
added="$(grep -c 'adding an RR at' <<<"$primary_new" || true)"
removed="$(grep -c 'deleting an RR at' <<<"$primary_new" || true)"
assert_eq 2 "$added" "values added on the primary"
assert_eq 2 "$removed" "values removed from the primary"
if grep -q 'deleting rrset' "$E2E_WORK/bind-primary/named.log"; then
    fail "a whole TXT RRset was deleted"
fi
assert_no_partial_live "$state" demo
