#!/usr/bin/env bash
# Failure paths: each must exit 1 with a one-line cause, leave no challenge record behind and
# write no (partial) certificate.
# Usage: failure_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

# main: the server the client updates. second: serves the same zone but never gets updates.
start_bind main 127.0.0.1 53 demo.test
start_bind second 127.0.0.2 53 demo.test
start_pebble 127.0.0.2:53
second_dir_url="$PEBBLE_DIR_URL"
start_pebble 127.0.0.1:53
main_dir_url="$PEBBLE_DIR_URL"
main_pebble_log="$PEBBLE_LOG"

# Every failure case shares these checks.
assert_clean_failure() {
    local state="$1" name="$2"
    assert_exit 1
    assert_failure_line
    assert_no_challenge_records demo.test
    assert_no_challenge_records demo.test 127.0.0.2:53
    assert_no_live "$state" "$name"
    [[ ! -s "$WC_OUT" ]] || fail "stdout is not empty after a failure: $(cat "$WC_OUT")"
}

e2e_log "--- (a) wrong TSIG secret"
make_tsig_key hmac-sha256 not-the-bind-key
profile="$E2E_WORK/badsig.toml"
state="$E2E_WORK/state-badsig"
write_profile "$profile" tsig_secret="$(tsig_secret not-the-bind-key)"
issue "$profile" "$state"
assert_clean_failure "$state" demo
assert_matches "$WC_LAST_ERR" 'BADSIG|NOTAUTH' "cause"
# The secrets must not leak, not even the wrong one.
assert_not_contains "$WC_ERR" "$(tsig_secret not-the-bind-key)"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"

e2e_log "--- (b) a zone no server serves"
profile="$E2E_WORK/nothere.toml"
state="$E2E_WORK/state-nothere"
write_profile "$profile" name=nothere domains='"*.nothere.test", "nothere.test"'
issue "$profile" "$state"
assert_clean_failure "$state" nothere
assert_matches "$WC_LAST_ERR" 'nothere\.test' "cause"

e2e_log "--- (c) the CA sees another server and answers invalid"
profile="$E2E_WORK/ca-invalid.toml"
state="$E2E_WORK/state-ca-invalid"
write_profile "$profile" directory="$second_dir_url" nameservers='"127.0.0.1:53"'
issue "$profile" "$state"
assert_clean_failure "$state" demo
assert_matches "$WC_LAST_ERR" 'demo\.test' "cause"
assert_matches "$WC_LAST_ERR" 'unauthorized|invalid' "cause"

e2e_log "--- (d) nothing listens at the directory URL"
port="$(free_port)"
profile="$E2E_WORK/no-ca.toml"
state="$E2E_WORK/state-no-ca"
write_profile "$profile" directory="https://127.0.0.1:$port/dir"
issue "$profile" "$state"
assert_clean_failure "$state" demo
assert_matches "$WC_LAST_ERR" "127\.0\.0\.1:$port|directory" "cause"
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 30) }' ||
    fail "an unreachable directory took ${WC_SECONDS}s to fail"

e2e_log "--- (e) propagation timeout: the checked server never gets the record"
profile="$E2E_WORK/timeout.toml"
state="$E2E_WORK/state-timeout"
write_profile "$profile" directory="$main_dir_url" nameservers='"127.0.0.2:53"' \
    propagation_timeout=2s
lines_before="$(wc -l <"$main_pebble_log")"
issue "$profile" "$state"
assert_clean_failure "$state" demo
assert_matches "$WC_LAST_ERR" '127\.0\.0\.2' "cause"
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 30) }' ||
    fail "a 2s propagation timeout took ${WC_SECONDS}s to fail"
# Pebble logs each validation it starts; none may have started for this order.
if tail -n +"$((lines_before + 1))" "$main_pebble_log" | grep -qE 'Pulled a task|Starting [0-9]+ validations'; then
    tail -n +"$((lines_before + 1))" "$main_pebble_log" >&2
    fail "Pebble was asked to validate although propagation never succeeded"
fi
