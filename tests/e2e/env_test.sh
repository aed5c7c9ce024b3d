#!/usr/bin/env bash
# Profile values from WILDCERT_* variables against a real Pebble and BIND: a profile without a
# directory and without a TSIG secret issues *.demo.test + demo.test when both come from the
# environment (and ${TSIG_SECRET} is not even set); variables win over wrong values in the file;
# a misspelt variable, a value that does not convert and a missing key are profile errors
# (exit 2) that name the variable, never its value. The secret never appears in any output.
# Usage: env_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
secret="$TSIG_SECRET"
[[ -n "$secret" ]] || fail "test setup: no TSIG secret"

# issue_with_env PROFILE STATE [NAME=VALUE...]: `issue` with only these WILDCERT_* variables
# set, and without TSIG_SECRET (so that ${TSIG_SECRET} could not supply the secret).
issue_with_env() {
    local profile="$1" state="$2"
    shift 2
    local assignment names=()
    for assignment in "$@"; do
        export "${assignment?}"
        names+=("${assignment%%=*}")
    done
    unset TSIG_SECRET
    issue "$profile" "$state"
    export TSIG_SECRET="$secret"
    [[ ${#names[@]} -eq 0 ]] || unset "${names[@]}"
}

assert_secret_not_shown() {
    assert_not_contains "$WC_OUT" "$secret"
    assert_not_contains "$WC_ERR" "$secret"
}

# The profile names neither a directory nor a TSIG secret.
bare="$E2E_WORK/bare.toml"
write_profile "$E2E_WORK/full.toml"
sed -e '/^directory = /d' -e '/^tsig_secret = /d' "$E2E_WORK/full.toml" >"$bare"
! grep -qE '^(directory|tsig_secret)' "$bare" || fail "test setup: $bare still has the keys"

e2e_log "--- without the variables the profile is incomplete: exit 2 naming the key"
issue_with_env "$bare" "$E2E_WORK/state-none"
assert_exit 2
assert_failure_line
assert_contains "$WC_ERR" "directory"

e2e_log "--- directory, TSIG secret and the certificate key from WILDCERT_* variables"
state="$E2E_WORK/state-env"
issue_with_env "$bare" "$state" \
    WILDCERT_ACME_DIRECTORY="$PEBBLE_DIR_URL" \
    WILDCERT_DNS_RFC2136_TSIG_SECRET="$secret" \
    WILDCERT_CERTIFICATE_DEMO_KEY=rsa-2048
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_cert_key "$state/live/demo" rsa-2048
assert_issued_line demo "$state/live/demo"
assert_no_challenge_records demo.test
assert_secret_not_shown
[[ -z "${WILDCERT_ACME_DIRECTORY:-}" ]] || fail "test setup: a variable outlived its run"

e2e_log "--- the environment wins over wrong values in the file"
wrong="$E2E_WORK/wrong.toml"
# Nothing listens on port 9, and the file's secret is a valid key BIND does not know.
write_profile "$wrong" directory="https://127.0.0.1:9/dir" \
    tsig_secret="$(head -c 32 /dev/urandom | base64)" key=ec-p384
issue_with_env "$wrong" "$E2E_WORK/state-wrong"
assert_exit 1
# The directory alone from the environment: the file's TSIG secret is still wrong.
issue_with_env "$wrong" "$E2E_WORK/state-wrong-secret" WILDCERT_ACME_DIRECTORY="$PEBBLE_DIR_URL"
assert_exit 1
assert_matches "$WC_LAST_ERR" 'rfc2136|tsig|BADSIG|NOTAUTH|BADKEY' "failure with the file's secret"
state="$E2E_WORK/state-override"
issue_with_env "$wrong" "$state" \
    WILDCERT_ACME_DIRECTORY="$PEBBLE_DIR_URL" \
    WILDCERT_DNS_RFC2136_TSIG_SECRET="$secret" \
    WILDCERT_DNS_TTL=120
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_cert_key "$state/live/demo" ec-p384
assert_no_challenge_records demo.test
assert_secret_not_shown

e2e_log "--- a misspelt variable is a profile error naming it"
issue_with_env "$bare" "$E2E_WORK/state-typo" \
    WILDCERT_ACME_DIRECTORY_URL="$PEBBLE_DIR_URL" \
    WILDCERT_DNS_RFC2136_TSIG_SECRET="$secret"
assert_exit 2
assert_failure_line
assert_contains "$WC_ERR" "environment WILDCERT_ACME_DIRECTORY_URL: matches no profile key"
assert_not_contains "$WC_ERR" "$PEBBLE_DIR_URL"
assert_secret_not_shown
[[ ! -e "$E2E_WORK/state-typo/live" ]] || fail "a profile error created live/"

e2e_log "--- a misspelt provider key is a profile error naming it, without the secret"
issue_with_env "$bare" "$E2E_WORK/state-typo2" \
    WILDCERT_ACME_DIRECTORY="$PEBBLE_DIR_URL" \
    WILDCERT_DNS_RFC2136_TSIG_SECRT="$secret"
assert_exit 2
assert_failure_line
assert_contains "$WC_ERR" "environment WILDCERT_DNS_RFC2136_TSIG_SECRT"
assert_secret_not_shown

e2e_log "--- a value that does not convert names the variable"
issue_with_env "$bare" "$E2E_WORK/state-ttl" \
    WILDCERT_ACME_DIRECTORY="$PEBBLE_DIR_URL" \
    WILDCERT_DNS_RFC2136_TSIG_SECRET="$secret" \
    WILDCERT_DNS_TTL=sixty
assert_exit 2
assert_failure_line
assert_contains "$WC_ERR" "environment WILDCERT_DNS_TTL: dns.ttl: the value (not shown) is not a duration"
assert_secret_not_shown
