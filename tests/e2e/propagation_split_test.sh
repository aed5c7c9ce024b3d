#!/usr/bin/env bash
# Split horizon: the local resolver serves a private view of demo.test whose only name server
# is an internal one the CA never asks (and which never gets the records). Discovery through
# that resolver checks the wrong server and times out; with discovery = "delegation" wildcert
# follows the public delegation from the root servers, checks the real server, and issues.
# Usage: propagation_split_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

root_addr=127.0.0.6
private_addr="$PROP_NS2"
ip addr add "$root_addr/8" dev lo 2>/dev/null || true
[[ "$(ip -o addr show dev lo)" == *" $root_addr/"* ]] || fail "cannot add $root_addr to lo"

# The public tree: a root zone that delegates demo.test to ns1 (with glue).
{
    printf '%sTTL 300\n' '$'
    printf '. IN SOA a.root.test. hostmaster.root.test. ( 1 3600 600 86400 1 )\n'
    printf '. IN NS a.root.test.\n'
    printf 'a.root.test. IN A %s\n' "$root_addr"
    printf 'demo.test. IN NS ns1.demo.test.\n'
    printf 'ns1.demo.test. IN A %s\n' "$PROP_NS1"
} >"$E2E_WORK/zones/..db"
prop_start_named root "$root_addr" static:.
prop_zone demo.test "ns1.demo.test.=$PROP_NS1"
prop_start_named public "$PROP_NS1" primary:demo.test
# The private view: the same zone name, served with an internal name server that the CA never
# sees and that never gets the records.
prop_zone demo.test "internal.demo.test.=$PROP_NS3"
prop_start_named private "$private_addr" static:demo.test
prop_start_resolver resolver "$PROP_RESOLVER" "demo.test=$private_addr"
prop_start_resolver ca-resolver "$PROP_CA_RESOLVER" "demo.test=$PROP_NS1"
start_pebble "$PROP_CA_RESOLVER:53"
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

# profile_with FILE DNS_LINES: the usual profile, with DNS_LINES (may be empty) added to [dns].
profile_with() {
    write_profile "$1" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\"" \
        propagation_timeout=2s
    [[ -z "$2" ]] || sed -i "/^\[dns\]$/a $2" "$1"
}

e2e_log "--- discovery through the (private) resolver checks the internal server"
profile="$E2E_WORK/private.toml"
profile_with "$profile" ''
prop_issue "$profile" "$E2E_WORK/state-private"
assert_exit 1
assert_matches "$WC_LAST_ERR" 'at internal\.demo\.test\. \(127\.0\.0\.4:53\)'
assert_no_live "$E2E_WORK/state-private" demo
assert_no_challenge_records demo.test "$PROP_NS1:53"

e2e_log "--- discovery by delegation finds the public server"
profile="$E2E_WORK/public.toml"
profile_with "$profile" "discovery = \"delegation\"\nroot_servers = [\"$root_addr:53\"]"
grep -q '^discovery = "delegation"$' "$profile" || fail "profile edit failed: $(cat "$profile")"
prop_issue "$profile" "$E2E_WORK/state-public"
assert_exit 0
assert_contains "$WC_ERR" "dns: checking 1 name(s) at 1 server address(es)"
assert_cert "$E2E_WORK/state-public/live/demo" "$root" '*.demo.test' demo.test
assert_not_contains "$WC_ERR" "internal.demo.test"
assert_no_challenge_records demo.test "$PROP_NS1:53"

e2e_log "--- propagation_check = \"resolvers\" also waits for the (private) resolver"
# The public server gets the records, but the resolver answers from the private view, which
# never does: the check must wait for it and time out naming it.
profile="$E2E_WORK/with-resolver.toml"
profile_with "$profile" "discovery = \"delegation\"\nroot_servers = [\"$root_addr:53\"]\npropagation_check = \"resolvers\""
prop_issue "$profile" "$E2E_WORK/state-with-resolver"
assert_exit 1
assert_contains "$WC_ERR" "dns: checking 1 name(s) at 2 server address(es)"
assert_matches "$WC_LAST_ERR" 'at resolver \(127\.0\.0\.1:53\)'
assert_no_live "$E2E_WORK/state-with-resolver" demo
assert_no_challenge_records demo.test "$PROP_NS1:53"

e2e_log "--- a bad discovery value is a profile error naming the key"
profile="$E2E_WORK/bad.toml"
profile_with "$profile" 'discovery = "root"'
prop_issue "$profile" "$E2E_WORK/state-bad"
assert_exit 2
assert_matches "$WC_LAST_ERR" "bad\\.toml:[0-9]+:[0-9]+: dns\\.discovery: 'root' is not one of: resolvers, delegation"
e2e_log "ok"
