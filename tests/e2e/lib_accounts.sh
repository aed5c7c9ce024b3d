# shellcheck shell=bash
# Helpers for the account, EAB and revocation tests (eab_test.sh, account_test.sh). Source
# after lib.sh.

# random_mac_key BYTES: prints BYTES random bytes in standard, padded base64 on one line.
random_mac_key() {
    openssl rand "$1" | base64 -w 0
}

# to_base64url TEXT: the standard base64 TEXT in the URL alphabet, padding kept.
to_base64url() {
    tr '+/' '-_' <<<"$1"
}

# unpadded TEXT: TEXT without '=' (Pebble's config wants unpadded base64url).
unpadded() {
    tr -d '=' <<<"$1"
}

# eab_table KEY_ID HMAC_KEY [ALGORITHM]: an [acme.eab] table for write_profile's extra=.
eab_table() {
    printf '[acme.eab]\nkey_id = "%s"\nhmac_key = "%s"\n' "$1" "$2"
    [[ -n "${3:-}" ]] && printf 'algorithm = "%s"\n' "$3"
    true
}

# assert_secret_absent SECRET FILE...: SECRET (as text) appears in none of the FILEs.
assert_secret_absent() {
    local secret="$1" file
    shift
    for file in "$@"; do
        ! grep -qF -- "$secret" "$file" || fail "a secret appears in $(basename "$file")"
    done
}

# the_account_dir STATE: the only folder under STATE/accounts.
the_account_dir() {
    local dirs
    dirs="$(find "$1/accounts" -mindepth 1 -maxdepth 1 -type d)"
    [[ "$(wc -l <<<"$dirs")" == 1 && -n "$dirs" ]] || fail "expected one account folder in $1: $dirs"
    printf '%s\n' "$dirs"
}

# cert_serial FILE: the certificate's serial as lower-case hex without leading zeros.
cert_serial() {
    openssl x509 -in "$1" -noout -serial | cut -d= -f2 | tr 'A-F' 'a-f' | sed 's/^0*//'
}

# cert_status SERIAL: Pebble's management answer for SERIAL (JSON; empty when unknown).
cert_status() {
    curl -sS --max-time 10 --cacert "$PEBBLE_CA" "$PEBBLE_MGMT_URL/cert-status-by-serial/$1" ||
        true
}

# assert_revoked SERIAL REASON_CODE: Pebble reports SERIAL revoked with that reason.
assert_revoked() {
    local status
    status="$(cert_status "$1")"
    grep -qE '"Status": *"Revoked"' <<<"$status" || fail "serial $1 is not revoked at Pebble: $status"
    grep -qE "\"Reason\": *$2[,} ]" <<<"$status" ||
        fail "serial $1: expected revocation reason $2 at Pebble: $status"
}

# assert_valid_at_pebble SERIAL: Pebble knows SERIAL and has not revoked it.
assert_valid_at_pebble() {
    local status
    status="$(cert_status "$1")"
    grep -qE '"Status": *"Valid"' <<<"$status" || fail "serial $1 is not valid at Pebble: $status"
}
