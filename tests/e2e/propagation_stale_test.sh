#!/usr/bin/env bash
# A zone whose second name server (a real secondary) never gets the records. Proves: the wait
# ends at propagation_timeout with exit 1 and a report that names the stale server (host name
# and address) and what it lacks; no challenge is answered, so Pebble's authorizations are all
# still pending; the records are removed again and nothing is installed.
# Usage: propagation_stale_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_start_named primary "$PROP_NS1" primary:demo.test
# No lag watcher: with NOTIFY off and a one-hour refresh the secondary keeps its first copy.
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1"
prop_start_resolver resolver "$PROP_RESOLVER" "demo.test=$PROP_NS1,$PROP_NS2"
prop_start_resolver ca-resolver "$PROP_CA_RESOLVER" "demo.test=$PROP_NS1,$PROP_NS2"
start_pebble "$PROP_CA_RESOLVER:53"
primary_log="$E2E_WORK/bind-primary/named.log"

# The report for the stale server mentions the SOA serial each server has (the primary moved
# on, the secondary did not), which is what tells an operator "zone transfer stuck".
# Enabled by the lead once the binary prints serials.
assert_serials_reported() {
    local stale_lines="$1"
    local primary_serial secondary_serial
    primary_serial="$(prop_serial "$PROP_NS1" demo.test)"
    secondary_serial="$(prop_serial "$PROP_NS2" demo.test)"
    # The primary is back at its pre-run content but its serial moved on (add, then remove).
    [[ "$primary_serial" != "$secondary_serial" ]] ||
        fail "the secondary caught up (serial $secondary_serial): the test setup is broken"
    grep -qi 'serial' <<<"$stale_lines" || fail "the report does not mention SOA serials: $stale_lines"
    grep -qw "$secondary_serial" <<<"$stale_lines" ||
        fail "the report does not give the stale server's serial $secondary_serial: $stale_lines"
}

# Each value the primary received (its log names them) appears in the stale server's lines.
assert_missing_values_named() {
    local stale_lines="$1" mark="$2" values value
    values="$(tail -n +"$((mark + 1))" "$primary_log" | grep -F 'adding an RR at' |
        sed -n 's/.* TXT "\([^"]*\)".*/\1/p' | sort -u)"
    assert_eq 3 "$(grep -c . <<<"$values")" "values the primary received"
    while IFS= read -r value; do
        grep -qF -- "$value" <<<"$stale_lines" ||
            fail "the report does not name the missing value $value: $stale_lines"
    done <<<"$values"
}

profile="$E2E_WORK/stale.toml"
state="$E2E_WORK/state-stale"
write_profile "$profile" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\"" \
    propagation_timeout=3s domains='"*.demo.test", "demo.test", "*.eu.demo.test"'
pebble_mark="$(wc -l <"$PEBBLE_LOG")"
bind_mark="$(wc -l <"$primary_log")"
prop_issue "$profile" "$state"
assert_exit 1
assert_failure_line
e2e_log "report: $WC_LAST_ERR"
prop_less "$WC_SECONDS" 20 || fail "a 3s propagation timeout took ${WC_SECONDS}s to fail"

e2e_log "--- the report names the stale server and its address"
assert_matches "$WC_LAST_ERR" 'ns2\.demo\.test' "summary line"
assert_matches "$WC_LAST_ERR" '127\.0\.0\.3' "summary line"
# One line per (name, server) that lacks values: both owner names at ns2, nothing at ns1.
stale_lines="$(grep -F 'ns2.demo.test' "$WC_ERR" | grep -F "$PROP_NS2" | grep -F '_acme-challenge.' || true)"
grep -qF '_acme-challenge.demo.test' <<<"$stale_lines" ||
    fail "no report line for _acme-challenge.demo.test at ns2.demo.test ($PROP_NS2)"
grep -qF '_acme-challenge.eu.demo.test' <<<"$stale_lines" ||
    fail "no report line for _acme-challenge.eu.demo.test at ns2.demo.test ($PROP_NS2)"
# The primary has every value: a line may name it only to compare with ns2 (e.g. serials).
primary_lines="$(grep -F 'ns1.demo.test' "$WC_ERR" | grep -vF 'ns2.demo.test' || true)"
[[ -z "$primary_lines" ]] ||
    fail "the primary (which has every value) is reported as failing: $primary_lines"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"

e2e_log "--- no challenge answered: Pebble's authorizations are all still pending"
pebble_new="$(tail -n +"$((pebble_mark + 1))" "$PEBBLE_LOG")"
if grep -qE 'POST /chalZ/|Pulled a task|Starting [0-9]+ validations' <<<"$pebble_new"; then
    grep -E 'POST /chalZ/|Pulled a task|Starting [0-9]+ validations' <<<"$pebble_new" >&2
    fail "a challenge was answered although propagation never succeeded"
fi
order="$(prop_order_urls)"
[[ -n "$order" ]] || fail "no 'acme: order' line in the -v output"
assert_eq "$(printf '%s pending\n' '*.demo.test' '*.eu.demo.test' demo.test | sort)" \
    "$(prop_authz_states "$state" "$order")" "authorizations as Pebble reports them"

e2e_log "--- records removed, nothing installed"
assert_no_challenge_records demo.test "$PROP_NS1:53"
assert_no_challenge_records demo.test "$PROP_NS2:53"
added="$(tail -n +"$((bind_mark + 1))" "$primary_log" | grep -c 'adding an RR at' || true)"
removed="$(tail -n +"$((bind_mark + 1))" "$primary_log" | grep -c 'deleting an RR at' || true)"
assert_eq 3 "$added" "values added on the primary"
assert_eq 3 "$removed" "values removed from the primary"
assert_no_live "$state" demo
[[ ! -s "$WC_OUT" ]] || fail "stdout is not empty after a failure: $(cat "$WC_OUT")"

# Last, because they wait for the lead's report format (issue 3); everything above holds today.
e2e_log "--- the report names the values the stale server lacks"
assert_missing_values_named "$stale_lines" "$bind_mark"
assert_serials_reported "$stale_lines"
