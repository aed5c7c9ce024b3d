#!/usr/bin/env bash
# Wildcard + apex issuance from Pebble through the powerdns provider against a real PowerDNS
# Authoritative 4.7 (its HTTP API, sqlite3 backend), which is also the zone's only
# authoritative server for Pebble and the propagation check: both values at one name in one
# RRset, a foreign TXT value at that name kept with its TTL, `wildcert check`, a wrong API key,
# and a crash between add and remove cleaned up by the next run. The key never shows.
# Usage: powerdns_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_powerdns.sh
source "$(dirname "$0")/lib_powerdns.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_powerdns 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
profile="$E2E_WORK/powerdns.toml"
write_powerdns_profile "$profile"

assert_no_api_key() {
    assert_not_contains "$WC_OUT" "$PDNS_API_KEY"
    assert_not_contains "$WC_ERR" "$PDNS_API_KEY"
}
# txt_at NAME: the TXT answers PowerDNS gives for NAME, with TTLs, one per line.
txt_at() {
    dig @127.0.0.1 -p 53 TXT "$1" +noall +answer +time=2 +tries=1 | awk '{ print $2, $5 }'
}

e2e_log "--- wildcard + apex: both values in one RRset, a foreign value kept with its TTL"
pdnsutil --config-dir="$PDNS_DIR" add-record demo.test _acme-challenge TXT 3600 \
    '"foreign-verification-value"' >/dev/null 2>&1 || fail "cannot add the foreign TXT value"
state="$E2E_WORK/state"
issue "$profile" "$state" -v
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_no_api_key
# Both values went in with one PATCH and out with another (PowerDNS logs each API change).
remaining="$(txt_at _acme-challenge.demo.test)"
assert_eq '3600 "foreign-verification-value"' "$remaining" "TXT left at _acme-challenge.demo.test"
pdnsutil --config-dir="$PDNS_DIR" delete-rrset demo.test _acme-challenge TXT >/dev/null 2>&1 ||
    fail "cannot delete the foreign TXT value"
assert_no_challenge_records demo.test

e2e_log "--- wildcert check: the API key and the zone, changing nothing"
wildcert_run check -c "$profile" --state-dir "$state"
assert_exit 0
assert_contains "$WC_OUT" "API key accepted"
assert_no_api_key
assert_no_challenge_records demo.test

e2e_log "--- a wrong API key: a clear error naming the setting, nothing written"
bad_key="wrong-$(openssl rand -hex 12)"
bad_profile="$E2E_WORK/powerdns-bad.toml"
write_powerdns_profile "$bad_profile" "api_key = \"$bad_key\""
issue "$bad_profile" "$E2E_WORK/state-bad" -v
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'powerdns: GET zone demo\.test\.: HTTP 401' "last stderr line"
assert_matches "$WC_LAST_ERR" 'api_key' "last stderr line"
assert_not_contains "$WC_ERR" "$bad_key"
assert_no_api_key
assert_no_challenge_records demo.test

e2e_log "--- killed between add and remove: the next run removes the values"
# A second nameserver that never answers keeps the propagation check waiting with the values
# published, so the kill always lands while they are out. Same profile path for both runs:
# the cleanup journal belongs to the profile (and its provider).
cp "$profile" "$E2E_WORK/powerdns.toml.orig"
sed -i 's/^resolvers = .*/&\nnameservers = ["127.0.0.1:53", "127.0.0.3:53"]/' "$profile"
crash_state="$E2E_WORK/state-crash"
"$WILDCERT" issue -c "$profile" --state-dir "$crash_state" -v \
    >"$E2E_WORK/crash.out" 2>"$E2E_WORK/crash.err" &
crash_pid=$!
for ((i = 0; i < 1500; i++)); do
    [[ "$(txt_at _acme-challenge.demo.test | wc -l)" == 2 ]] && break
    kill -0 "$crash_pid" 2>/dev/null || fail "the run ended before it was killed: $(tail -n 2 "$E2E_WORK/crash.err")"
    sleep 0.02
done
assert_eq 2 "$(txt_at _acme-challenge.demo.test | wc -l)" "values published before the kill"
kill -KILL "$crash_pid"
wait "$crash_pid" 2>/dev/null || true
cp "$E2E_WORK/powerdns.toml.orig" "$profile"
issue "$profile" "$crash_state" -v
assert_exit 0
assert_contains "$WC_ERR" "dns: removing 2"
assert_cert "$crash_state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test
assert_no_api_key
