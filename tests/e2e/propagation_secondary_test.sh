#!/usr/bin/env bash
# A real secondary that serves each change only LAG seconds after its primary, with Pebble
# asking nothing but that secondary. Proves: wildcert finds both name servers through NS
# records, waits for the slow one once per order (not once per name), answers no challenge
# before the secondary serves every value, so Pebble validates every authorization on its first
# try; and the records are gone from both servers afterwards.
# Usage: propagation_secondary_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

lag=3
# demo.test names its servers inside the zone (with glue); shop.test uses the same two hosts
# from outside, so their addresses come from a second lookup, as at most DNS hosts.
prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_zone shop.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_start_named primary "$PROP_NS1" primary:demo.test primary:shop.test
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1" \
    "secondary:shop.test:$PROP_NS1"
prop_start_resolver resolver "$PROP_RESOLVER" "demo.test=$PROP_NS1,$PROP_NS2" \
    "shop.test=$PROP_NS1,$PROP_NS2"
prop_start_lag "$lag" "$PROP_NS2" primary demo.test shop.test
# Pebble sees only the secondary. No deliberately rejected nonces: they would only add noise
# to the timing.
start_pebble "$PROP_NS2:53" PEBBLE_WFE_NONCEREJECT=0
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

# Four names, three owner names (the wildcard and its apex share one), two zones.
names=('*.demo.test' demo.test '*.eu.demo.test' shop.test)
profile="$E2E_WORK/secondary.toml"
state="$E2E_WORK/state-secondary"
write_profile "$profile" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\"" \
    domains='"*.demo.test", "demo.test", "*.eu.demo.test", "shop.test"'
pebble_mark="$(wc -l <"$PEBBLE_LOG")"
prop_issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "$root" "${names[@]}"
assert_issued_line demo "$state/live/demo"

# Discovery found both servers of both zones: 3 owner names x 2 addresses.
assert_contains "$WC_ERR" "dns: checking 3 name(s) at 6 server address(es)"

e2e_log "--- timing (lag ${lag}s)"
published="$(prop_line_time 'dns: published ')"
agreed="$(prop_line_time "$PROP_AGREED_RE")"
answered="$(prop_line_time 'acme: answered ')"
# The refreshes the watcher made between the publication and the agreement: one per zone.
mapfile -t refreshes < <(awk -v a="$published" -v b="$agreed" \
    '$2 == "refresh" && $1 > a && $1 < b { print $1 }' "$E2E_WORK/lag.log")
assert_eq 2 "${#refreshes[@]}" \
    "secondary refreshes between publication and agreement (lag.log: $(tr '\n' ';' <"$E2E_WORK/lag.log"))"
last_refresh="$(printf '%s\n' "${refreshes[@]}" | sort -n | tail -n 1)"
wait_s="$(prop_elapsed "$published" "$agreed")"
e2e_log "whole run ${WC_SECONDS}s; published -> all servers agree ${wait_s}s;" \
    "last secondary refresh -> agree $(prop_elapsed "$last_refresh" "$agreed")s;" \
    "agree -> challenges answered $(prop_elapsed "$agreed" "$answered")s"
# The checker may only agree once the secondary has transferred, and challenges come after.
prop_less "$last_refresh" "$agreed" ||
    fail "wildcert reported agreement before the secondary was refreshed"
prop_less "$agreed" "$answered" || fail "challenges answered before all servers agreed"
# About the lag, once: not once per name or per zone (that would be 2 x lag or more).
prop_less "$lag" "$WC_SECONDS" || fail "the run took ${WC_SECONDS}s, less than the ${lag}s lag"
prop_less "$WC_SECONDS" "$((lag + 3))" ||
    fail "the run took ${WC_SECONDS}s with a ${lag}s lag (bound $((lag + 3))s)"
prop_less "$wait_s" "$(awk -v l="$lag" 'BEGIN { print l + 1.5 }')" ||
    fail "published -> all servers agree took ${wait_s}s with a ${lag}s lag"

e2e_log "--- Pebble validated each authorization on its first try"
order="$(prop_order_urls)"
[[ -n "$order" ]] || fail "no 'acme: order' line in the -v output"
states="$(prop_authz_states "$state" "$order")"
expected_states="$(printf '%s valid\n' "${names[@]}" | sort)"
assert_eq "$expected_states" "$states" "authorizations as Pebble reports them"
# Pebble does not retry a validation: one task per authorization, each one set VALID.
pebble_new="$(tail -n +"$((pebble_mark + 1))" "$PEBBLE_LOG")"
assert_eq "${#names[@]}" "$(grep -c 'POST /chalZ/' <<<"$pebble_new")" "challenge POSTs in Pebble's log"
assert_eq "${#names[@]}" "$(grep -c 'Pulled a task' <<<"$pebble_new")" "validation tasks in Pebble's log"
assert_eq "${#names[@]}" "$(grep -cE 'authz [^ ]+ set VALID' <<<"$pebble_new")" "authorizations set VALID"
if grep -qiE 'set INVALID|Correct value not found|No TXT records|Error retrieving' <<<"$pebble_new"; then
    grep -iE 'set INVALID|Correct value not found|No TXT records|Error retrieving' <<<"$pebble_new" >&2
    fail "Pebble logged a failed validation (above)"
fi

e2e_log "--- records removed from the primary and, once it caught up, the secondary"
prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" demo.test $((lag + 10))
prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" shop.test $((lag + 10))
for server in "$PROP_NS1:53" "$PROP_NS2:53"; do
    assert_no_challenge_records demo.test "$server"
    assert_no_challenge_records shop.test "$server"
done
assert_no_partial_live "$state" demo

# The control: the same set-up with only the primary checked must fail, or the test above
# could pass without the secondary lagging or without Pebble asking it.
e2e_log "--- control: checking only the primary answers too early and Pebble refuses"
profile="$E2E_WORK/primary-only.toml"
state="$E2E_WORK/state-primary-only"
write_profile "$profile" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\"" \
    nameservers="\"$PROP_NS1:53\"" name=control domains='"*.demo.test", "demo.test"'
prop_issue "$profile" "$state"
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'unauthorized|invalid' "cause"
prop_less "$WC_SECONDS" "$lag" ||
    fail "the control run took ${WC_SECONDS}s: it did not answer before the ${lag}s lag ended"
prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" demo.test $((lag + 10))
for server in "$PROP_NS1:53" "$PROP_NS2:53"; do
    assert_no_challenge_records demo.test "$server"
done
assert_no_live "$state" control
