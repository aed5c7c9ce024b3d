#!/usr/bin/env bash
# RFC 2136 updates signed with each TSIG algorithm ldns supports besides hmac-sha256 (which the
# other tests use): hmac-sha512, hmac-sha1 and hmac-md5. The secret reaches wildcert three ways:
# tsig_secret_file, an inline value and ${VAR} from the environment.
# Usage: tsig_algorithms_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

# Every key must exist before BIND starts: start_bind loads and grants all of them.
make_default_tsig_key
make_tsig_key hmac-sha512 wildcert-key-sha512
make_tsig_key hmac-sha1 wildcert-key-sha1
make_tsig_key hmac-md5 wildcert-key-md5
start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
bind_log="$E2E_WORK/bind-main/named.log"

for alg in hmac-sha512 hmac-sha1 hmac-md5; do
    key="wildcert-key-${alg#hmac-}"
    e2e_log "--- $alg (key $key)"
    profile="$E2E_WORK/$alg.toml"
    state="$E2E_WORK/state-$alg"
    case "$alg" in
    hmac-sha512) secret_arg="tsig_secret_file=$E2E_WORK/keys/$key.secret" ;;
    hmac-sha1) secret_arg="tsig_secret=$(tsig_secret "$key")" ;;
    hmac-md5)
        export WILDCERT_E2E_MD5_SECRET
        WILDCERT_E2E_MD5_SECRET="$(tsig_secret "$key")"
        # shellcheck disable=SC2016 # ${VAR} is for wildcert to interpolate
        secret_arg='tsig_secret=${WILDCERT_E2E_MD5_SECRET}'
        ;;
    esac
    write_profile "$profile" tsig_key="$key" tsig_algorithm="$alg" "$secret_arg"
    issue "$profile" "$state"
    assert_exit 0
    assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
    assert_issued_line demo "$state/live/demo"
    assert_no_challenge_records demo.test
    assert_no_partial_live "$state" demo
    # BIND logs the key that signed each accepted update: it must be this one, for both the
    # addition and the removal.
    grep -qF "/key $key: updating zone 'demo.test/IN': adding an RR at '_acme-challenge.demo.test' TXT" "$bind_log" ||
        fail "BIND did not log an addition signed with $key"
    grep -qF "/key $key: updating zone 'demo.test/IN': deleting an RR at _acme-challenge.demo.test TXT" "$bind_log" ||
        fail "BIND did not log a removal signed with $key"
    assert_not_contains "$WC_ERR" "$(tsig_secret "$key")"
done
