#!/usr/bin/env bash
# `wildcert check`: the preflight against a real BIND (zones with CAA records, RFC 2136 + TSIG)
# and a real Pebble (only its directory is read).
#   demo.test on ns1.demo.test ($PROP_NS1): CAA 0 issue "pebble.test" at the apex;
#     bad.demo.test has its own CAA naming another CA; wild.demo.test allows pebble.test for
#     names but only another CA for wildcards (issuewild)
#   dead.test: ns1.dead.test answers, ns2.dead.test ($PROP_NS3) is an address nobody serves,
#     ns3.dead.test ($PROP_NS2) is a BIND that serves only demo.test (lame)
# Proves: a clean profile passes (exit 0, text and JSON); a CAA set naming another CA fails with
# exit 1 naming the name and the record; issuewild fails the wildcard while the apex passes; a
# wrong TSIG secret fails with BADSIG and the secret is never printed; an unreachable and a lame
# nameserver are reported; an unknown CA identity is a warning (exit 0); a bad caa_identities entry is a
# profile error (exit 2). No run changes the zone (SOA serial, content, BIND log: only the
# permission probe's add-then-delete) or places an order (Pebble log, no account stored).
# Usage: check_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
prop_setup

prop_zone demo.test "ns1.demo.test.=$PROP_NS1"
prop_zone_add demo.test '@ IN CAA 0 issue "pebble.test"'
prop_zone_add demo.test 'bad IN A 127.0.0.1'
prop_zone_add demo.test 'bad IN CAA 0 issue "other.example"'
prop_zone_add demo.test 'wild IN A 127.0.0.1'
prop_zone_add demo.test 'wild IN CAA 0 issue "pebble.test"'
prop_zone_add demo.test 'wild IN CAA 0 issuewild "other.example"'
prop_zone dead.test "ns1.dead.test.=$PROP_NS1" "ns2.dead.test.=$PROP_NS3" "ns3.dead.test.=$PROP_NS2"
prop_zone_add dead.test '@ IN CAA 0 issue "pebble.test"'
prop_start_named main "$PROP_NS1" primary:demo.test primary:dead.test
# ns3.dead.test answers, but for another zone only: lame for dead.test.
prop_start_named lame "$PROP_NS2" static:demo.test
prop_start_resolver resolver "$PROP_RESOLVER" "demo.test=$PROP_NS1" "dead.test=$PROP_NS1"
start_pebble "$PROP_RESOLVER:53"
bind_log="$E2E_WORK/bind-main/named.log"
state="$E2E_WORK/state"
serial_before="$(prop_serial "$PROP_NS1" demo.test)"
[[ -n "$serial_before" ]] || fail "no SOA serial for demo.test from $PROP_NS1"
dead_serial_before="$(prop_serial "$PROP_NS1" dead.test)"
# zone_content ZONE: the zone's records on the primary as a transfer gives them, sorted.
zone_content() {
    dig @"$PROP_NS1" AXFR "$1" +nocmd +nostats +time=3 +tries=1 | grep -v '^;' | sort
}
content_before="$(zone_content demo.test)"
[[ "$content_before" == *SOA* ]] || fail "no transfer of demo.test from $PROP_NS1"

# check_profile FILE DOMAINS [key=value...]: an rfc2136 profile for the servers above whose
# [acme] table names pebble.test as the CA's CAA identity (CAA_IDENTITIES overrides it; empty
# leaves the key out).
check_profile() {
    local file="$1" domains="$2"
    shift 2
    write_profile "$file" resolvers="\"$PROP_RESOLVER:53\"" server="$PROP_NS1:53" \
        domains="$domains" "$@"
    local identities="${CAA_IDENTITIES-\"pebble.test\"}"
    if [[ -n "$identities" ]]; then
        sed -i "/^\\[acme\\]\$/a caa_identities = [$identities]" "$file"
    fi
}

# check PROFILE [ARGS...]: wildcert check -c PROFILE --state-dir $state ARGS...
check() {
    local profile="$1"
    shift
    wildcert_run check -c "$profile" --state-dir "$state" "$@"
}

# assert_line STATUS SUBJECT [DETAIL]: stdout has the line "STATUS SUBJECT: ..." whose detail
# contains DETAIL.
assert_line() {
    local status="$1" subject="$2" detail="${3:-}" line
    line="$(grep -F -- "$status $subject: " "$WC_OUT" || true)"
    [[ -n "$line" ]] || fail "no line '$status $subject: ...' in the output"
    [[ "$line" == *"$detail"* ]] || fail "line '$line' does not contain '$detail'"
}

e2e_log "--- the harness: CAA records served, the resolver chases nothing unexpected"
[[ "$(dig @"$PROP_RESOLVER" CAA wild.demo.test +short | sort)" == *'issuewild "other.example"'* ]] ||
    fail "the resolver does not serve the CAA records of wild.demo.test"

e2e_log "--- a clean profile: every check passes, exit 0"
profile="$E2E_WORK/good.toml"
check_profile "$profile" '"*.demo.test", "demo.test"'
check "$profile"
assert_exit 0
assert_line "ok  " profile "1 certificate(s), provider rfc2136"
assert_line "ok  " "acme directory" "$PEBBLE_DIR_URL"
assert_line "ok  " "dns _acme-challenge.demo.test." "zone demo.test."
assert_line "ok  " "nameserver ns1.demo.test. ($PROP_NS1:53)" "serves demo.test. (SOA serial $serial_before)"
assert_line "ok  " "provider rfc2136" "TSIG key wildcert-key accepted by $PROP_NS1:53 for updates of demo.test."
assert_line "ok  " "permission _acme-challenge.demo.test." "may add and delete TXT records here"
assert_line "ok  " "state $state" "writable"
assert_line "ok  " "ca identity" "pebble.test (acme.caa_identities)"
assert_line "ok  " "caa *.demo.test" 'CAA at demo.test.: 0 issue "pebble.test" allows this CA'
assert_line "ok  " "caa demo.test" 'CAA at demo.test.: 0 issue "pebble.test" allows this CA'
assert_contains "$WC_OUT" "check passed"

e2e_log "--- the same as JSON"
check "$profile" --json
assert_exit 0
python3 - "$WC_OUT" <<'EOF' || fail "the JSON report is not what the text report said"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["ok"] is True, report
checks = {c["subject"]: c for c in report["checks"]}
assert set(c["status"] for c in report["checks"]) == {"ok"}, report
assert set(report["checks"][0]) == {"subject", "status", "detail"}, report
assert "allows this CA" in checks["caa *.demo.test"]["detail"], checks
assert "provider rfc2136" in checks, checks
EOF

e2e_log "--- a CAA set naming another CA: exit 1, the name and the record named"
profile="$E2E_WORK/bad.toml"
check_profile "$profile" '"bad.demo.test"'
check "$profile"
assert_exit 1
assert_line FAIL "caa bad.demo.test" 'CAA at bad.demo.test.: forbids this CA (0 issue "other.example": names other.example, not this CA)'
assert_line "ok  " "provider rfc2136"
assert_contains "$WC_OUT" "check failed"
check "$profile" --json
assert_exit 1
python3 - "$WC_OUT" <<'EOF' || fail "the JSON report does not show the CAA failure"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["ok"] is False, report
failed = [c for c in report["checks"] if c["status"] == "failed"]
assert [c["subject"] for c in failed] == ["caa bad.demo.test"], failed
assert 'other.example' in failed[0]["detail"], failed
EOF

e2e_log "--- issuewild for another CA: the wildcard fails, the apex passes"
profile="$E2E_WORK/wild.toml"
check_profile "$profile" '"*.wild.demo.test", "wild.demo.test"'
check "$profile"
assert_exit 1
assert_line FAIL "caa *.wild.demo.test" 'issuewild "other.example": names other.example, not this CA'
assert_line "ok  " "caa wild.demo.test" 'CAA at wild.demo.test.: 0 issue "pebble.test" allows this CA'

e2e_log "--- a wrong TSIG secret: exit 1, BADSIG named, the secret never printed"
wrong_secret="$(tsig-keygen -a hmac-sha256 other-key | sed -n 's/.*secret "\([^"]*\)".*/\1/p')"
[[ -n "$wrong_secret" && "$wrong_secret" != "$TSIG_SECRET" ]] || fail "no second secret"
profile="$E2E_WORK/wrong-secret.toml"
check_profile "$profile" '"*.demo.test", "demo.test"' tsig_secret="$wrong_secret"
check "$profile" -vv
assert_exit 1
assert_line FAIL "provider rfc2136" "BADSIG"
assert_not_contains "$WC_OUT" "permission _acme-challenge" # not asked again with a refused key
assert_line "ok  " "caa demo.test"
for file in "$WC_OUT" "$WC_ERR"; do
    assert_not_contains "$file" "$wrong_secret"
    assert_not_contains "$file" "$TSIG_SECRET"
done
check "$profile" --json
assert_exit 1
assert_contains "$WC_OUT" "BADSIG"
assert_not_contains "$WC_OUT" "$wrong_secret"
grep -q "request has invalid signature" "$bind_log" ||
    fail "BIND did not log the rejected signature: the check did not reach it"

e2e_log "--- an unknown TSIG key name: BADKEY named"
profile="$E2E_WORK/wrong-key.toml"
check_profile "$profile" '"demo.test"' tsig_key=nobody-key
check "$profile"
assert_exit 1
assert_line FAIL "provider rfc2136" "BADKEY"

e2e_log "--- a nameserver address that does not answer: reported, exit 1"
profile="$E2E_WORK/dead.toml"
check_profile "$profile" '"dead.test"'
check "$profile"
assert_exit 1
assert_line "ok  " "nameserver ns1.dead.test. ($PROP_NS1:53)" "serves dead.test."
assert_line FAIL "nameserver ns2.dead.test. ($PROP_NS3:53)" "unreachable"
assert_line FAIL "nameserver ns3.dead.test. ($PROP_NS2:53)" "lame: answers without the SOA of dead.test."
assert_line "ok  " "caa dead.test"

e2e_log "--- no CA identity known: a warning, exit 0"
profile="$E2E_WORK/no-identity.toml"
CAA_IDENTITIES='' check_profile "$profile" '"demo.test"'
check "$profile"
assert_exit 0
assert_line WARN "ca identity" "cannot tell which issuer domain this CA uses"
assert_line WARN "caa demo.test" "cannot tell which issuer domain this CA uses"
assert_contains "$WC_OUT" "check passed"

e2e_log "--- a bad caa_identities entry: profile error, exit 2"
profile="$E2E_WORK/bad-identity.toml"
CAA_IDENTITIES='"*.pebble.test"' check_profile "$profile" '"demo.test"'
check "$profile"
assert_exit 2
assert_contains "$WC_ERR" "bad-identity.toml:2:19: acme.caa_identities[1]"
assert_failure_line

e2e_log "--- usage errors: exit 2"
wildcert_run check
assert_exit 2
assert_contains "$WC_ERR" "check needs a profile: -c PROFILE"
check "$E2E_WORK/good.toml" --cert nosuch
assert_exit 2
assert_contains "$WC_ERR" '--cert nosuch: no [[certificate]] named "nosuch"'

e2e_log "--- nothing changed, nothing ordered"
assert_eq "$serial_before" "$(prop_serial "$PROP_NS1" demo.test)" "SOA serial of demo.test"
assert_eq "$dead_serial_before" "$(prop_serial "$PROP_NS1" dead.test)" "SOA serial of dead.test"
assert_eq "$content_before" "$(zone_content demo.test)" "content of demo.test (AXFR)"
# The permission probe is the only update BIND saw: each random value added and deleted again in
# one message.
adds="$(grep -c "updating zone 'demo.test/IN': adding an RR at '_acme-challenge\.[a-z.]*demo\.test' TXT" "$bind_log" || true)"
deletes="$(grep -c "updating zone 'demo.test/IN': deleting an RR at _acme-challenge\.[a-z.]*demo\.test TXT" "$bind_log" || true)"
((adds > 0)) || fail "BIND logged no permission probe: the log proves nothing"
assert_eq "$adds" "$deletes" "probe values added and deleted"
others="$(grep "updating zone" "$bind_log" | grep -vE "(adding|deleting) an RR at '?_acme-challenge\." || true)"
[[ -z "$others" ]] || fail "BIND logged other zone changes: $(head -n 3 <<<"$others")"
[[ ! -e "$E2E_WORK/bind-main/demo.test.db.jnl" ]] || fail "BIND wrote a journal for demo.test"
# Pebble logs every request it handles: the directory GETs are there, nothing else.
grep -q "GET /dir" "$PEBBLE_LOG" || fail "Pebble logged no directory request: the log proves nothing"
if grep -qE "sign-me-up|order-plz|nonce-plz|finalize" "$PEBBLE_LOG"; then
    fail "check sent Pebble an ACME request: $(grep -E "sign-me-up|order-plz|nonce-plz" "$PEBBLE_LOG" | head -n 3)"
fi
assert_eq 0 "$(account_count "$state")" "accounts stored by check"
