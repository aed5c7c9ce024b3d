#!/usr/bin/env bash
# CNAME delegation of _acme-challenge (RFC 8555 §8.4 names the record; a CNAME there hands it to
# another zone, typically one the TSIG key may update while the real zone stays locked).
#   example.test         on ns1.example.test ($PROP_NS1): no update rights for anyone
#   acme-validation.test on ns1.acme-validation.test ($PROP_NS3): the key may add TXT records
# Proves: (a) wildcert follows the CNAME across zones (and servers) and writes and checks the
# records in the target zone only, and issuance succeeds; (b) the profile key challenge_alias
# names the owner where the records go, for every name of the certificate; (c) a CNAME loop
# fails with exit 1, "CNAME loop" and no record written anywhere.
# Usage: propagation_cname_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

prop_zone example.test "ns1.example.test.=$PROP_NS1"
prop_zone_add example.test 'www IN A 127.0.0.1'
prop_zone_add example.test '_acme-challenge.www IN CNAME www.acme-validation.test.'
prop_zone_add example.test '_acme-challenge.api IN CNAME api.acme-validation.test.'
prop_zone_add example.test '_acme-challenge.probe IN CNAME probe.acme-validation.test.'
# Case (b2) has owner names of its own: a resolver serves a TTL-0 answer until the end of the
# second, so reusing (a)'s or (b)'s owners could hand Pebble the value published just before.
prop_zone_add example.test '_acme-challenge.www2 IN CNAME www2.acme-validation.test.'
prop_zone_add example.test '_acme-challenge.api2 IN CNAME api2.acme-validation.test.'
# A two-step loop: each name points at the other.
prop_zone_add example.test '_acme-challenge.loop IN CNAME _acme-challenge.loop2.example.test.'
prop_zone_add example.test '_acme-challenge.loop2 IN CNAME _acme-challenge.loop.example.test.'
prop_zone acme-validation.test "ns1.acme-validation.test.=$PROP_NS3"
prop_start_named example "$PROP_NS1" static:example.test
prop_start_named validation "$PROP_NS3" primary:acme-validation.test
# Both wildcert's discovery and Pebble go through a resolver (each its own): it is what chases
# the CNAME into the other zone (an authoritative server and Pebble 2.4 do not).
prop_start_resolver resolver "$PROP_RESOLVER" "example.test=$PROP_NS1" \
    "acme-validation.test=$PROP_NS3"
prop_start_resolver ca-resolver "$PROP_CA_RESOLVER" "example.test=$PROP_NS1" \
    "acme-validation.test=$PROP_NS3"
start_pebble "$PROP_CA_RESOLVER:53"
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
example_log="$E2E_WORK/bind-example/named.log"
validation_log="$E2E_WORK/bind-validation/named.log"

e2e_log "--- the harness: the key may not touch example.test; Pebble's resolver chases CNAMEs"
if nsupdate_txt "$PROP_NS1:53" example.test _acme-challenge.www.example.test x add 2>/dev/null; then
    fail "the TSIG key could update example.test: the test would prove nothing"
fi
# A name of its own, so that no case below meets this answer in a cache.
nsupdate_txt "$PROP_NS3:53" acme-validation.test probe.acme-validation.test probe add ||
    fail "the TSIG key cannot update acme-validation.test"
for resolver in "$PROP_RESOLVER" "$PROP_CA_RESOLVER"; do
    assert_eq probe "$(prop_resolve "$resolver" _acme-challenge.probe.example.test)" \
        "TXT at _acme-challenge.probe.example.test through $resolver"
done
nsupdate_txt "$PROP_NS3:53" acme-validation.test probe.acme-validation.test probe delete ||
    fail "could not remove the probe value"

# What the servers logged since MARK lines: updates per zone, and refused ones.
updates_since() {
    local log="$1" mark="$2" pattern="$3"
    tail -n +"$((mark + 1))" "$log" | grep -cE "$pattern" || true
}

# assert_updates_only_in_validation EXAMPLE_MARK VALIDATION_MARK OWNER COUNT: COUNT values were
# added at OWNER in acme-validation.test and removed again; example.test saw no update at all.
assert_updates_only_in_validation() {
    local example_mark="$1" validation_mark="$2" owner="$3" count="$4"
    # BIND quotes the owner when adding and not when deleting.
    local owner_re="'?${owner//./\\.}'?"
    assert_eq 0 "$(updates_since "$example_log" "$example_mark" "update|updating")" \
        "update attempts logged by the example.test server"
    assert_eq "$count" "$(updates_since "$validation_log" "$validation_mark" \
        "updating zone 'acme-validation\\.test/IN': adding an RR at $owner_re TXT")" \
        "values added at $owner"
    assert_eq "$count" "$(updates_since "$validation_log" "$validation_mark" \
        "updating zone 'acme-validation\\.test/IN': deleting an RR at $owner_re TXT")" \
        "values removed at $owner"
    assert_eq "$count" "$(updates_since "$validation_log" "$validation_mark" "adding an RR")" \
        "values added anywhere in acme-validation.test"
    assert_no_challenge_records acme-validation.test "$PROP_NS3:53"
    [[ -z "$(txt_values "$PROP_NS3:53" "$owner")" ]] || fail "TXT values left at $owner"
}

e2e_log "--- (a) _acme-challenge.www.example.test is a CNAME into acme-validation.test"
profile="$E2E_WORK/cname.toml"
state="$E2E_WORK/state-cname"
write_profile "$profile" server="$PROP_NS3:53" resolvers="\"$PROP_RESOLVER:53\"" \
    name=www domains='"www.example.test", "*.www.example.test"'
example_mark="$(wc -l <"$example_log")"
validation_mark="$(wc -l <"$validation_log")"
prop_issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/www" "$root" www.example.test '*.www.example.test'
assert_issued_line www "$state/live/www"
assert_contains "$WC_ERR" "dns: published 2 TXT record(s) in acme-validation.test."
assert_updates_only_in_validation "$example_mark" "$validation_mark" www.acme-validation.test 2

e2e_log "--- (b) challenge_alias names the owner for every name of the certificate"
profile="$E2E_WORK/alias.toml"
state="$E2E_WORK/state-alias"
write_profile "$profile" server="$PROP_NS3:53" resolvers="\"$PROP_RESOLVER:53\"" \
    name=api domains='"api.example.test", "*.api.example.test"' \
    extra='challenge_alias = "api.acme-validation.test"'
example_mark="$(wc -l <"$example_log")"
validation_mark="$(wc -l <"$validation_log")"
prop_issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/api" "$root" api.example.test '*.api.example.test'
assert_contains "$WC_ERR" "dns: published 2 TXT record(s) in acme-validation.test."
assert_updates_only_in_validation "$example_mark" "$validation_mark" api.acme-validation.test 2

e2e_log "--- (b2) challenge_aliases overrides challenge_alias per name"
# Certificate-wide, every record would go to www2.acme-validation.test; the per-name entry sends
# api2.example.test's to api2.acme-validation.test, where its CNAME points: Pebble only validates
# both if the override took effect.
profile="$E2E_WORK/aliases.toml"
state="$E2E_WORK/state-aliases"
write_profile "$profile" server="$PROP_NS3:53" resolvers="\"$PROP_RESOLVER:53\"" \
    name=both domains='"www2.example.test", "api2.example.test"' \
    extra='challenge_alias = "www2.acme-validation.test"
challenge_aliases = { "api2.example.test" = "api2.acme-validation.test" }'
example_mark="$(wc -l <"$example_log")"
validation_mark="$(wc -l <"$validation_log")"
prop_issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/both" "$root" www2.example.test api2.example.test
assert_contains "$WC_ERR" "_acme-challenge.api2.example.test. is validated through api2.acme-validation.test."
assert_contains "$WC_ERR" "_acme-challenge.www2.example.test. is validated through www2.acme-validation.test."
assert_eq 0 "$(updates_since "$example_log" "$example_mark" "update|updating")" \
    "update attempts logged by the example.test server"

e2e_log "--- (c) a CNAME loop fails before anything is written"
profile="$E2E_WORK/loop.toml"
state="$E2E_WORK/state-loop"
write_profile "$profile" server="$PROP_NS3:53" resolvers="\"$PROP_RESOLVER:53\"" \
    name=loop domains='"loop.example.test"' propagation_timeout=5s
example_mark="$(wc -l <"$example_log")"
validation_mark="$(wc -l <"$validation_log")"
prop_issue "$profile" "$state"
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'CNAME loop' "cause"
assert_matches "$WC_LAST_ERR" '_acme-challenge\.loop' "cause"
assert_eq 0 "$(updates_since "$example_log" "$example_mark" "update|updating")" \
    "update attempts logged by the example.test server"
assert_eq 0 "$(updates_since "$validation_log" "$validation_mark" "update|updating")" \
    "update attempts logged by the acme-validation.test server"
assert_no_live "$state" loop
[[ ! -s "$WC_OUT" ]] || fail "stdout is not empty after a failure: $(cat "$WC_OUT")"
