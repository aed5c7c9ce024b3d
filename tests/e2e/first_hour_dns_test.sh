#!/usr/bin/env bash
# DNS trouble in a user's first hour, against a real BIND and a real Pebble:
#   (a) an update-policy that allows only _acme-challenge.pol.test (the policy the example
#       profile suggests) while the profile also has mail.pol.test: the batch UPDATE is refused
#       as a whole. pol (and oth, in another zone) must still be issued, mail must fail naming
#       the update-policy, and nothing may stay in the journal to block later runs (two runs,
#       then --cert pol, then the profile without mail).
#   (b) leftovers whose removal is refused are reported and block nothing; `wildcert cleanup`
#       removes what it can and prints one line per record (exit 1 while one is stuck).
#   (c) a wrong TSIG secret, port or zone fails in well under 2 s with no request to the CA.
#   (d) propagation_check = "none" with resolvers out of reach: the CNAME lookup is a warning;
#       dns.follow_cname = false skips it.
# Usage: first_hour_dns_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

make_default_tsig_key
# admin-key may write anywhere: it seeds a record that wildcert's key may not remove.
make_tsig_key hmac-sha256 admin-key
E2E_BIND_GRANTS="grant wildcert-key name _acme-challenge.pol.test. TXT; grant wildcert-key name _acme-challenge.other.test. TXT; grant admin-key zonesub TXT;" \
    start_bind main 127.0.0.1 53 pol.test other.test
# alt serves pol.test only: updates of other.test sent there are the "wrong zone".
start_bind alt 127.0.0.2 53 pol.test
# No authorization reuse: every run publishes records of its own.
start_pebble 127.0.0.1:53 PEBBLE_AUTHZREUSE=0
root="$E2E_WORK/root.pem"
pebble_root "$root"

# journal_records STATE: how many lines the state dir's cleanup journals hold.
journal_records() {
    if [[ -d "$1/journal" ]]; then
        find "$1/journal" -name '*.txt' -type f -exec cat {} + | grep -c . || true
    else
        echo 0
    fi
}

# journal_dir STATE: the one journal folder of the one profile used with STATE so far.
journal_dir() {
    local dirs
    mapfile -t dirs < <(find "$1/journal" -mindepth 1 -maxdepth 1 -type d)
    ((${#dirs[@]} == 1)) || fail "expected one journal folder in $1/journal, found ${#dirs[@]}"
    printf '%s\n' "${dirs[0]}"
}

# seed_leftover JOURNALDIR OWNER VALUE [KEY]: OWNER's TXT VALUE put into pol.test with KEY and
# written into a journal file of an ended run, as a killed run would leave it.
seed_leftover() {
    local dir="$1" owner="$2" value="$3" key="${4:-wildcert-key}"
    nsupdate_txt 127.0.0.1:53 pol.test "$owner" "$value" add "$key" || fail "nsupdate $owner"
    printf 'pol.test.\t%s\t%s\t60\n' "$owner" "$value" >>"$dir/99999-ended.txt"
}

P="$E2E_WORK/policy.toml"
mail_and_other=$'[[certificate]]\nname = "mail"\ndomains = ["mail.pol.test"]\n\n[[certificate]]\nname = "oth"\ndomains = ["other.test"]'
write_profile "$P" name=pol domains='"*.pol.test", "pol.test"' extra="$mail_and_other"
state="$E2E_WORK/state"

e2e_log "--- (a) the refused batch: pol and oth issued, mail fails naming the update-policy"
for run in 1 2; do
    issue "$P" "$state"
    assert_exit 1
    assert_issued_line pol "$state/live/pol"
    assert_issued_line oth "$state/live/oth"
    assert_cert "$state/live/pol" "$root" "*.pol.test" pol.test
    assert_cert "$state/live/oth" "$root" other.test
    assert_no_live "$state" mail
    assert_contains "$WC_ERR" "adding each certificate's on its own"
    line="$(grep -F 'wildcert: error: mail: ' "$WC_ERR")" || fail "no error line for mail"
    assert_matches "$line" "_acme-challenge\.mail\.pol\.test\..*REFUSED.*update-policy" "mail's error"
    assert_not_contains "$WC_ERR" "left by an earlier run"
    assert_eq 0 "$(journal_records "$state")" "journal lines after run $run"
    assert_no_challenge_records pol.test
    assert_no_challenge_records other.test
done
issue "$P" "$state" --cert pol
assert_exit 0
assert_issued_line pol "$state/live/pol"
assert_not_contains "$WC_ERR" "left by an earlier run"
P2="$E2E_WORK/policy-without-mail.toml"
write_profile "$P2" name=pol domains='"*.pol.test", "pol.test"' \
    extra=$'[[certificate]]\nname = "oth"\ndomains = ["other.test"]'
issue "$P2" "$state"
assert_exit 0
assert_issued_line pol "$state/live/pol"
assert_issued_line oth "$state/live/oth"
assert_no_challenge_records pol.test

e2e_log "--- (b) a leftover whose removal is refused blocks nothing; cleanup shows each record"
state="$E2E_WORK/state-leftovers"
issue "$P" "$state" --cert pol
assert_exit 0
jdir="$(journal_dir "$state")"
seed_leftover "$jdir" _acme-challenge.pol.test. stale-removable
seed_leftover "$jdir" _acme-challenge.mail.pol.test. stale-stuck admin-key
issue "$P" "$state" --cert pol
assert_exit 0
assert_issued_line pol "$state/live/pol"
assert_contains "$WC_ERR" "removing 2 record(s) left by an earlier run"
line="$(grep -F 'dns: warning: 1 record(s) could not be removed' "$WC_ERR")" ||
    fail "no warning about the stuck record"
assert_matches "$line" '_acme-challenge\.mail\.pol\.test\. TXT "stale-stuck" \(zone pol\.test\.\): .*REFUSED' "warning"
assert_matches "$line" "kept in $state/journal.*wildcert cleanup -c $P" "warning"
assert_eq "" "$(txt_values 127.0.0.1:53 _acme-challenge.pol.test.)" "values at _acme-challenge.pol.test"
assert_eq "stale-stuck" "$(txt_values 127.0.0.1:53 _acme-challenge.mail.pol.test.)" "the stuck value"
assert_eq 1 "$(journal_records "$state")" "journal lines with one stuck record"

seed_leftover "$jdir" _acme-challenge.pol.test. stale-removable
wildcert_run cleanup -c "$P" --state-dir "$state"
e2e_log "cleanup -c $(basename "$P") said:"$'\n'"$(cat "$WC_OUT")"
assert_exit 1
assert_contains "$WC_OUT" 'removed _acme-challenge.pol.test. TXT "stale-removable" (zone pol.test.)'
line="$(grep -F 'failed  _acme-challenge.mail.pol.test. TXT "stale-stuck" (zone pol.test.): ' "$WC_OUT")" ||
    fail "no failed line for the stuck record"
assert_matches "$line" "REFUSED.*update-policy" "cleanup's failed line"
assert_contains "$WC_OUT" "cleanup: 1 removed, 1 failed (kept in $state/journal for the next run)"
assert_eq "" "$(txt_values 127.0.0.1:53 _acme-challenge.pol.test.)" "values after cleanup"
# The stuck value goes the way its owner put it there; the later sections start clean.
nsupdate_txt 127.0.0.1:53 pol.test _acme-challenge.mail.pol.test. stale-stuck delete admin-key ||
    fail "nsupdate delete stale-stuck"

# The same for a profile whose leftovers can all go: exit 0, then nothing left.
issue "$P2" "$state" --cert oth
assert_exit 0
jdir2="$(find "$state/journal" -mindepth 1 -maxdepth 1 -type d ! -path "$jdir")"
[[ -d "$jdir2" ]] || fail "no journal folder for $P2"
seed_leftover "$jdir2" _acme-challenge.pol.test. stale-of-p2
wildcert_run cleanup -c "$P2" --state-dir "$state"
e2e_log "cleanup -c $(basename "$P2") said:"$'\n'"$(cat "$WC_OUT")"
assert_exit 0
assert_contains "$WC_OUT" 'removed _acme-challenge.pol.test. TXT "stale-of-p2" (zone pol.test.)'
assert_contains "$WC_OUT" "cleanup: 1 removed, 0 failed"
wildcert_run cleanup -c "$P2" --state-dir "$state"
assert_exit 0
assert_contains "$WC_OUT" "cleanup: no records left by earlier runs"
wildcert_run cleanup -c "$P2" --state-dir "$state" --cert pol
assert_exit 2

e2e_log "--- (c) DNS access is proven before anything goes to the CA"
make_tsig_key hmac-sha256 wrong-key # made after BIND started: BIND does not know its secret
closed_port="$(free_port)"
# access_case NAME PATTERN [key=value...]: a run of a fresh state dir with the profile changed
# by the key=value pairs fails with PATTERN in its last line, fast, and Pebble saw nothing.
access_case() {
    local name="$1" pattern="$2"
    shift 2
    local profile="$E2E_WORK/access-$name.toml" lines
    write_profile "$profile" "$@"
    lines="$(wc -l <"$PEBBLE_LOG")"
    issue "$profile" "$E2E_WORK/state-access-$name"
    assert_exit 1
    assert_failure_line
    assert_matches "$WC_LAST_ERR" "$pattern" "$name: last line"
    e2e_log "$name: failed in ${WC_SECONDS}s: $WC_LAST_ERR"
    awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 2) }' || fail "$name took ${WC_SECONDS}s (limit 2s)"
    if tail -n +"$((lines + 1))" "$PEBBLE_LOG" | grep -E "GET /dir|sign-me-up|order-plz|nonce-plz" >&2; then
        fail "$name: the run sent requests to Pebble (above)"
    fi
    assert_eq 0 "$(account_count "$E2E_WORK/state-access-$name")" "$name: accounts stored"
}
access_case wrong-secret "BADSIG" name=pol domains='"pol.test"' \
    tsig_secret_file="$E2E_WORK/keys/wrong-key.secret"
access_case wrong-port "127\.0\.0\.1:$closed_port.*connection refused" name=pol \
    domains='"pol.test"' server="127.0.0.1:$closed_port"
access_case wrong-zone "zone other\.test\. at 127\.0\.0\.2:53: (NOTAUTH|REFUSED|NOTZONE)" \
    name=oth domains='"other.test"' server=127.0.0.2:53
# Pebble is still there and was asked nothing in between: the harness proves its log works.
issue "$P" "$E2E_WORK/state-access-ok" --cert pol
assert_exit 0
grep -q "sign-me-up" "$PEBBLE_LOG" || fail "Pebble logs no account creation: the log proves nothing"

e2e_log "--- (d) propagation_check = none with the resolvers out of reach"
unreachable="$(free_port)"
# no_resolver_profile FILE [extra [dns] line]: zones found by delegation from BIND itself, the
# resolvers a port nobody listens on, no propagation check.
no_resolver_profile() {
    write_profile "$1" name=pol domains='"*.pol.test", "pol.test"' resolvers="\"127.0.0.1:$unreachable\""
    sed -i '/^\[dns\]$/a propagation_check = "none"\ndiscovery = "delegation"\nroot_servers = ["127.0.0.1:53"]' "$1"
    [[ -z "${2:-}" ]] || sed -i "/^\\[dns\\]\$/a $2" "$1"
}
no_resolver_profile "$E2E_WORK/none.toml"
issue "$E2E_WORK/none.toml" "$E2E_WORK/state-none"
assert_exit 0
assert_issued_line pol "$E2E_WORK/state-none/live/pol"
line="$(grep -F 'dns: warning: ' "$WC_ERR")" || fail "no warning about the CNAME lookup"
assert_matches "$line" "no resolver answered.*publishing at _acme-challenge\.pol\.test\. itself" "warning"
assert_eq 1 "$(grep -c 'dns: warning: ' "$WC_ERR")" "warnings (one per validation name)"
assert_no_challenge_records pol.test

no_resolver_profile "$E2E_WORK/no-follow.toml" "follow_cname = false"
issue "$E2E_WORK/no-follow.toml" "$E2E_WORK/state-no-follow"
assert_exit 0
assert_issued_line pol "$E2E_WORK/state-no-follow/live/pol"
assert_not_contains "$WC_ERR" "dns: warning: "
assert_not_contains "$WC_ERR" "no resolver answered"
