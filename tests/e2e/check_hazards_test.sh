#!/usr/bin/env bash
# `wildcert check` against what used to pass it and then failed (or did harm) at issuance, with
# real BIND servers and a real Pebble (only its directory is read):
#   (1) a misspelt domain whose closest zone is a TLD (test.) or a public suffix (co.uk.): FAIL,
#       and `issue` refuses it before anything reaches the CA or the TLD's zone; a suffix of
#       the list's private section (github.io.) is a warning; without the list only the
#       one-label rule applies, and check says so
#   (2) a state directory the run cannot write: read-only mount (as root) and a 0500 folder
#       (as nobody): FAIL naming the folder, why and the fix; writable again: ok
#   (3) an update-policy that grants _acme-challenge.pol.test only: the add-then-delete probe
#       passes that name and fails _acme-challenge.mail.pol.test with REFUSED and the grant
#       that would fix it; the zone's content and serial stay as they were
#   (4) a secondary whose SOA serial is behind the primary's: WARN with both serials; after its
#       transfer: ok
# Usage: check_hazards_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_propagation.sh
source "$(dirname "$0")/lib_propagation.sh"
e2e_init "$@"
e2e_binary "${1:-}"
real_wildcert="$(realpath "$1")"
prop_setup

prop_zone test "ns1.test.=$PROP_NS1"
prop_zone co.uk "ns1.co.uk.=$PROP_NS1"
prop_zone github.io "ns1.github.io.=$PROP_NS1"
prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_zone pol.test "ns1.pol.test.=$PROP_NS3"
# The key may write TXT anywhere in these zones, the TLD included: only wildcert's own rule
# can keep a record out of test.
prop_start_named main "$PROP_NS1" primary:test primary:co.uk primary:github.io primary:demo.test
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1"
PROP_BIND_GRANTS='grant wildcert-key name _acme-challenge.pol.test. TXT;' \
    prop_start_named pol "$PROP_NS3" primary:pol.test
prop_start_resolver resolver "$PROP_RESOLVER" "test=$PROP_NS1" "co.uk=$PROP_NS1" \
    "github.io=$PROP_NS1" "pol.test=$PROP_NS3"
start_pebble "$PROP_RESOLVER:53"
main_log="$E2E_WORK/bind-main/named.log"
pol_log="$E2E_WORK/bind-pol/named.log"
state="$E2E_WORK/state"

# hazard_profile FILE DOMAINS [key=value...]: an rfc2136 profile for the servers above.
hazard_profile() {
    local file="$1" domains="$2"
    shift 2
    write_profile "$file" resolvers="\"$PROP_RESOLVER:53\"" server="$PROP_NS1:53" \
        domains="$domains" "$@"
    sed -i '/^\[acme\]$/a caa_identities = ["pebble.test"]' "$file"
}

# check PROFILE [ARGS...]: wildcert check -c PROFILE --state-dir $state ARGS...
check() {
    local profile="$1"
    shift
    wildcert_run check -c "$profile" --state-dir "$state" "$@"
    e2e_log "check said:"$'\n'"$(cat "$WC_OUT")"
}

# assert_line STATUS SUBJECT [DETAIL...]: stdout has the line "STATUS SUBJECT: ..." whose
# detail contains each DETAIL.
assert_line() {
    local status="$1" subject="$2" line detail
    shift 2
    line="$(grep -F -- "$status $subject: " "$WC_OUT" || true)"
    [[ -n "$line" ]] || fail "no line '$status $subject: ...' in the output"
    for detail in "$@"; do
        [[ "$line" == *"$detail"* ]] || fail "line '$line' does not contain '$detail'"
    done
}

# zone_content ADDR ZONE: the zone's records as a transfer gives them, sorted.
zone_content() {
    dig @"$1" AXFR "$2" +nocmd +nostats +time=3 +tries=1 | grep -v '^;' | sort
}

e2e_log "--- a clean profile passes: state, zone, both nameservers, permission"
good="$E2E_WORK/good.toml"
hazard_profile "$good" '"*.demo.test", "demo.test"'
check "$good"
assert_exit 0
assert_line "ok  " "state $state" "writable"
assert_line "ok  " "nameserver ns1.demo.test. ($PROP_NS1:53)" "(SOA serial 1)"
assert_line "ok  " "nameserver ns2.demo.test. ($PROP_NS2:53)" "(SOA serial 1)"
assert_line "ok  " "permission _acme-challenge.demo.test." "TSIG key wildcert-key may add and delete"
assert_not_contains "$WC_OUT" "public suffix list"

e2e_log "--- (1) a misspelt name whose closest zone is the TLD test.: FAIL"
test_serial="$(prop_serial "$PROP_NS1" test)"
[[ -n "$test_serial" ]] || fail "no SOA serial for test. from $PROP_NS1"
typo="$E2E_WORK/typo.toml"
hazard_profile "$typo" '"*.dmeo.test", "dmeo.test"' name=typo
check "$typo"
assert_exit 1
assert_line FAIL "dns _acme-challenge.dmeo.test." \
    "the closest zone of _acme-challenge.dmeo.test. is test., a top-level domain, which wildcert never updates" \
    "Check its spelling in the profile"
assert_not_contains "$WC_OUT" "permission _acme-challenge.dmeo.test."
assert_contains "$WC_OUT" "check failed"
e2e_log "--- (1) issue refuses it before the CA sees anything; test. keeps its content"
pebble_lines="$(wc -l <"$PEBBLE_LOG")"
issue "$typo" "$E2E_WORK/state-typo"
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "closest zone of _acme-challenge\.dmeo\.test\. is test\., a top-level domain" "cause"
if tail -n +"$((pebble_lines + 1))" "$PEBBLE_LOG" | grep -E "sign-me-up|order-plz" >&2; then
    fail "issue of a name in the TLD's zone reached the CA (above)"
fi
assert_eq "$test_serial" "$(prop_serial "$PROP_NS1" test)" "SOA serial of test."
assert_eq "" "$(prop_resolve "$PROP_RESOLVER" _acme-challenge.dmeo.test.)" "TXT in the TLD's zone"
! grep -q "updating zone 'test/IN'" "$main_log" || fail "an update reached the zone test."

e2e_log "--- (1) a name under the public suffix co.uk.: FAIL; under github.io. (private): WARN"
suffix="$E2E_WORK/suffix.toml"
hazard_profile "$suffix" '"shop.co.uk"' name=suffix
check "$suffix"
assert_exit 1
assert_line FAIL "dns _acme-challenge.shop.co.uk." \
    "is co.uk., a public suffix (ICANN section of the Public Suffix List), which wildcert never updates"
private="$E2E_WORK/private.toml"
hazard_profile "$private" '"mysite.github.io"' name=private
check "$private"
assert_exit 0
assert_line WARN "dns _acme-challenge.mysite.github.io." "zone github.io., " \
    "a public suffix (private section of the Public Suffix List): unless you operate github.io. itself"
e2e_log "--- (1) without the list only one-label zones are refused, and check says so"
WILDCERT_PUBLIC_SUFFIX_LIST="$E2E_WORK/no-such-list.dat" check "$suffix"
assert_exit 0
assert_line "ok  " "dns _acme-challenge.shop.co.uk." "zone co.uk."
assert_line WARN "public suffix list" "$E2E_WORK/no-such-list.dat not found" \
    "only the root and one-label zones (TLDs) are refused"
WILDCERT_PUBLIC_SUFFIX_LIST="$E2E_WORK/no-such-list.dat" check "$typo"
assert_exit 1
assert_line FAIL "dns _acme-challenge.dmeo.test." "is test., a top-level domain"

e2e_log "--- (2) a state directory on a read-only mount (as root): FAIL with the fix"
# unshare -m: a mount of its own, so the bind mount vanishes with the run.
ro_wildcert="$E2E_WORK/read-only-wildcert"
cat >"$ro_wildcert" <<EOF
#!/usr/bin/env bash
exec unshare -m --propagation private bash -c 'mount --bind -o ro "\$0" "\$0" && exec "\$@"' \\
    "$state" "$WILDCERT" "\$@"
EOF
chmod 700 "$ro_wildcert"
WILDCERT="$ro_wildcert" check "$good"
assert_exit 1
assert_line FAIL "state $state" "on a read-only file system (Read-only file system)" \
    "remount it read-write or choose a writable --state-dir (under systemd: ReadWritePaths=$state)"
assert_line "ok  " "permission _acme-challenge.demo.test."
touch "$state/.still-writable" && rm "$state/.still-writable" ||
    fail "the read-only mount outlived the run"

e2e_log "--- (2) a 0500 state directory of the user nobody: FAIL with the fix, then ok"
# nobody reaches its own folder, the profile and the CA bundle; everything else stays 0700.
chmod o+x "$E2E_WORK"
user_dir="$E2E_WORK/nobody"
mkdir -p "$user_dir/state"
cp "$PEBBLE_CA" "$user_dir/ca.pem"
hazard_profile "$user_dir/demo.toml" '"demo.test"' ca_bundle="$user_dir/ca.pem"
chown -R nobody:nogroup "$user_dir"
chmod 0500 "$user_dir/state"
# as_nobody ARGS...: the binary itself (the secret-scan wrapper lives where nobody cannot go).
as_nobody() {
    local saved="$WILDCERT"
    WILDCERT="$(command -v setpriv)"
    wildcert_run --reuid=nobody --regid=nogroup --clear-groups -- "$real_wildcert" "$@"
    WILDCERT="$saved"
    e2e_log "check as nobody said:"$'\n'"$(cat "$WC_OUT")"
}
as_nobody check -c "$user_dir/demo.toml" --state-dir "$user_dir/state"
assert_exit 1
assert_line FAIL "state $user_dir/state" \
    "this user (uid $(id -u nobody)) may not create files here (Permission denied)" \
    "chmod u+rwx $user_dir/state (wildcert makes its folders 0700)"
chmod 0700 "$user_dir/state"
as_nobody check -c "$user_dir/demo.toml" --state-dir "$user_dir/state"
assert_exit 0
assert_line "ok  " "state $user_dir/state" "writable"
[[ -z "$(find "$user_dir/state" -mindepth 1)" ]] ||
    fail "the probe left something in the state directory: $(find "$user_dir/state" -mindepth 1)"

e2e_log "--- (3) an update-policy for _acme-challenge.pol.test only: mail.pol.test FAILs"
pol_serial="$(prop_serial "$PROP_NS3" pol.test)"
pol_content="$(zone_content "$PROP_NS3" pol.test)"
[[ "$pol_content" == *SOA* ]] || fail "no transfer of pol.test from $PROP_NS3: $pol_content"
policy="$E2E_WORK/policy.toml"
hazard_profile "$policy" '"*.pol.test", "pol.test", "mail.pol.test"' name=pol \
    server="$PROP_NS3:53"
check "$policy"
assert_exit 1
assert_line "ok  " "provider rfc2136" "accepted by $PROP_NS3:53 for updates of pol.test."
assert_line "ok  " "permission _acme-challenge.pol.test." \
    "accepted an UPDATE that added a random value and deleted it again"
assert_line FAIL "permission _acme-challenge.mail.pol.test." \
    "update of zone pol.test. at $PROP_NS3:53: REFUSED" \
    "update-policy" \
    "(BIND: update-policy { grant wildcert-key name _acme-challenge.mail.pol.test. TXT; };)"
assert_contains "$WC_OUT" "check failed"
# The one message for the zone was refused, then each name was asked on its own.
assert_eq 2 "$(grep -c "rejected by secure update" "$pol_log")" "REFUSED updates in BIND's log"
grep -q "adding an RR at '_acme-challenge.pol.test' TXT" "$pol_log" ||
    fail "BIND did not log the probe's add for _acme-challenge.pol.test"
grep -q "deleting an RR at _acme-challenge.pol.test TXT" "$pol_log" ||
    fail "BIND did not log the probe's delete for _acme-challenge.pol.test"
assert_eq "$pol_serial" "$(prop_serial "$PROP_NS3" pol.test)" "SOA serial of pol.test"
assert_eq "$pol_content" "$(zone_content "$PROP_NS3" pol.test)" "content of pol.test"
[[ ! -e "$E2E_WORK/bind-pol/pol.test.db.jnl" ]] || fail "BIND wrote a journal for pol.test"
e2e_log "--- (3) the names the policy grants: check passes"
granted="$E2E_WORK/granted.toml"
hazard_profile "$granted" '"*.pol.test", "pol.test"' name=pol server="$PROP_NS3:53"
check "$granted"
assert_exit 0
assert_line "ok  " "permission _acme-challenge.pol.test."

e2e_log "--- (4) a secondary behind the primary: WARN with both serials"
nsupdate_txt "$PROP_NS1:53" demo.test note.demo.test. "a change the secondary has not seen" add ||
    fail "nsupdate note.demo.test"
primary_serial="$(prop_serial "$PROP_NS1" demo.test)"
secondary_serial="$(prop_serial "$PROP_NS2" demo.test)"
[[ -n "$primary_serial" && -n "$secondary_serial" && "$primary_serial" != "$secondary_serial" ]] ||
    fail "the set-up needs two serials: primary '$primary_serial', secondary '$secondary_serial'"
check "$good"
assert_exit 0
assert_line "ok  " "nameserver ns1.demo.test. ($PROP_NS1:53)" "(SOA serial $primary_serial)"
assert_line WARN "nameserver ns2.demo.test. ($PROP_NS2:53)" \
    "serves demo.test. with SOA serial $secondary_serial, older than serial $primary_serial at ns1.demo.test. ($PROP_NS1:53)" \
    "allow-transfer"
assert_contains "$WC_OUT" "check passed"
check "$good" --json
assert_exit 0
python3 - "$WC_OUT" "$PROP_NS2" <<'EOF' || fail "the JSON report does not show the lagging secondary"
import json, sys
report = json.load(open(sys.argv[1]))
assert report["ok"] is True, report
warned = [c["subject"] for c in report["checks"] if c["status"] == "warning"]
assert warned == ["nameserver ns2.demo.test. (%s:53)" % sys.argv[2]], warned
EOF
e2e_log "--- (4) once the secondary has transferred: ok"
prop_rndc "$PROP_NS2" refresh demo.test >/dev/null || fail "rndc refresh demo.test"
prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" demo.test 10
check "$good"
assert_exit 0
assert_line "ok  " "nameserver ns2.demo.test. ($PROP_NS2:53)" "(SOA serial $primary_serial)"
assert_not_contains "$WC_OUT" "WARN"
