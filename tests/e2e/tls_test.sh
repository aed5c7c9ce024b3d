#!/usr/bin/env bash
# TLS to the CA, against the real Pebble serving certificates that must not verify:
#   (a) signed by a CA that is neither in the system store nor in acme.ca_bundle
#   (b) expired (notAfter in 2020), and (b2) not yet valid (notBefore in 2035)
#   (c) signed by the trusted CA but naming only other.test, not 127.0.0.1
#   (d) the control: the harness certificate, and issuance succeeds
# Proves for a-c: `issue` exits 1 with one line that names the directory URL and OpenSSL's
# reason (the same words `openssl verify` uses for that certificate) plus the dates or names
# that show it; nothing is written to live/, archive/, accounts/ or the cleanup journal; BIND
# got no update (no TXT, no zone journal); `check` reports the same message. Also: a ca_bundle
# that is not PEM is a profile error naming file:line:key (exit 2); a PEM-looking bundle that
# OpenSSL cannot load fails naming the file; plain http:// to a non-loopback host is refused by
# the profile loader (exit 2, file:line:key) while http://127.0.0.1 is accepted, and the HTTP
# client refuses an http:// URL on another host that the (loopback) directory hands out.
# Usage: tls_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_tls.sh
source "$(dirname "$0")/lib_tls.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
bind_journal="$E2E_WORK/bind-main/demo.test.db.jnl"
e2e_pebble_tls
trusted="$E2E_WORK/pebble-tls" # the CA every profile below names in acme.ca_bundle

tls_ca "$E2E_WORK/tls-rogue-ca" "wildcert e2e rogue ca"
tls_leaf "$E2E_WORK/tls-untrusted" localhost "DNS:localhost,IP:127.0.0.1" "$E2E_WORK/tls-rogue-ca"
tls_leaf_dated "$E2E_WORK/tls-expired" 20200101000000Z 20200201000000Z "$trusted"
tls_leaf_dated "$E2E_WORK/tls-future" 20350101000000Z 20360101000000Z "$trusted"
tls_leaf "$E2E_WORK/tls-otherhost" other.test "DNS:other.test" "$trusted"

# openssl_reason DIR [ARGS...]: OpenSSL's own verdict on DIR/cert.pem against the trusted CA
# ("certificate has expired"), so the test does not take wildcert's word for the reason.
openssl_reason() {
    local dir="$1"
    shift
    local out
    if out="$(openssl verify -CAfile "$trusted/ca.pem" "$@" "$dir/cert.pem" 2>&1)"; then
        fail "openssl verify accepts $dir/cert.pem: the test certificate is not broken"
    fi
    sed -n 's/^error [0-9]* at [0-9]* depth lookup: //p' <<<"$out" | head -n 1
}

# bad_certificate CASE DIR EXPECTED...: starts a Pebble presenting DIR/cert.pem, runs issue and
# check, and asserts the failure contract; EXPECTED are texts the message must contain.
bad_certificate() {
    local case="$1" dir="$2"
    shift 2
    e2e_log "--- ($case) Pebble presents $(basename "$dir")/cert.pem"
    start_pebble_with_cert "$dir" 127.0.0.1:53
    local profile="$E2E_WORK/$case.toml" state="$E2E_WORK/state-$case"
    write_profile "$profile"
    issue "$profile" "$state"
    assert_exit 1
    assert_failure_line
    e2e_log "($case) $WC_LAST_ERR"
    assert_contains "$WC_ERR" "$PEBBLE_DIR_URL: the server's TLS certificate did not verify: "
    local text
    for text in "$@"; do
        assert_contains "$WC_ERR" "$text"
    done
    assert_not_contains "$WC_ERR" "verify result"
    assert_not_contains "$WC_ERR" "BEGIN" # no key or certificate material in the output
    [[ ! -s "$WC_OUT" ]] || fail "stdout is not empty after a failure: $(cat "$WC_OUT")"
    local left
    left="$(state_files "$state")"
    [[ -z "$left" ]] || fail "($case) the state dir holds files after the TLS failure: $left"
    assert_no_challenge_records demo.test
    [[ ! -e "$bind_journal" ]] || fail "($case) BIND applied an update (zone journal exists)"
    local marker="the server's TLS certificate"
    TLS_MESSAGE="$marker${WC_LAST_ERR#*"$marker"}"

    e2e_log "--- ($case) check reports the same message"
    wildcert_run check -c "$profile" --state-dir "$state"
    assert_exit 1
    grep -qF -- "FAIL acme directory: $PEBBLE_DIR_URL: $TLS_MESSAGE" "$WC_OUT" ||
        fail "($case) check does not report '$PEBBLE_DIR_URL: $TLS_MESSAGE'"
    left="$(state_files "$state")"
    [[ -z "$left" ]] || fail "($case) check left files in the state dir: $left"
}

reason="$(openssl_reason "$E2E_WORK/tls-untrusted")"
assert_eq "unable to get local issuer certificate" "$reason" "openssl's verdict on (a)"
bad_certificate untrusted "$E2E_WORK/tls-untrusted" "$reason" \
    "issuer CN=wildcert e2e rogue ca" \
    "is not trusted by the system store or acme.ca_bundle"

reason="$(openssl_reason "$E2E_WORK/tls-expired")"
assert_eq "certificate has expired" "$reason" "openssl's verdict on (b)"
bad_certificate expired "$E2E_WORK/tls-expired" "did not verify: $reason: " \
    "the server's certificate expired (notAfter $(tls_not_after "$E2E_WORK/tls-expired/cert.pem")" \
    "notAfter 2020-02-01T00:00:00Z"

reason="$(openssl_reason "$E2E_WORK/tls-future")"
assert_eq "certificate is not yet valid" "$reason" "openssl's verdict on (b2)"
bad_certificate future "$E2E_WORK/tls-future" "did not verify: $reason: " \
    "(notBefore $(tls_not_before "$E2E_WORK/tls-future/cert.pem")" "check this machine's clock"

# The chain verifies; only the name does not (httplib checks it after the handshake).
openssl verify -CAfile "$trusted/ca.pem" "$E2E_WORK/tls-otherhost/cert.pem" >/dev/null 2>&1 ||
    fail "the other.test certificate should verify as a chain"
reason="$(openssl_reason "$E2E_WORK/tls-otherhost" -verify_ip 127.0.0.1)"
assert_eq "IP address mismatch" "$reason" "openssl's verdict on (c) for 127.0.0.1"
bad_certificate otherhost "$E2E_WORK/tls-otherhost" \
    "did not verify: it does not name 127.0.0.1 (it names DNS:other.test)"

e2e_log "--- ca_bundle that is not PEM (DER): profile error naming file:line:col: key, exit 2"
openssl x509 -in "$trusted/ca.pem" -outform der -out "$E2E_WORK/ca.der"
profile="$E2E_WORK/der.toml"
write_profile "$profile" ca_bundle="$E2E_WORK/ca.der"
issue "$profile" "$E2E_WORK/state-der"
assert_exit 2
assert_failure_line
assert_contains "$WC_ERR" "$profile:3:13: acme.ca_bundle: '$E2E_WORK/ca.der' holds no PEM certificate"
[[ -z "$(state_files "$E2E_WORK/state-der")" ]] || fail "a profile error wrote state"

e2e_log "--- ca_bundle with a PEM header but no loadable certificate: the file is named, exit 1"
printf -- '-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n' \
    >"$E2E_WORK/broken.pem"
profile="$E2E_WORK/broken.toml"
write_profile "$profile" ca_bundle="$E2E_WORK/broken.pem"
issue "$profile" "$E2E_WORK/state-broken"
assert_exit 1
assert_failure_line
assert_contains "$WC_ERR" "ca_bundle $E2E_WORK/broken.pem: cannot load PEM certificates from it"

e2e_log "--- plain http:// directory: refused unless loopback"
for url in "http://acme.example.com/dir" "http://127.example.com/dir" "http://0.0.0.0:14000/dir"; do
    profile="$E2E_WORK/plain.toml"
    write_profile "$profile" directory="$url"
    issue "$profile" "$E2E_WORK/state-plain"
    assert_exit 2
    assert_failure_line
    assert_contains "$WC_ERR" "$profile:2:13: acme.directory: '$url' is neither an https:// URL"
    assert_contains "$WC_ERR" "plain http:// is allowed only to loopback"
done
e2e_log "--- plain http:// to loopback is accepted; URLs the CA hands out on another host are not"
# A directory served over http on 127.0.0.1 whose resource URLs point at another host.
start_plain_directory '{"newNonce": "http://acme.example.com/nonce",
 "newAccount": "http://acme.example.com/account",
 "newOrder": "http://acme.example.com/order"}'
profile="$E2E_WORK/loopback.toml"
state="$E2E_WORK/state-loopback"
write_profile "$profile" directory="$PLAIN_DIR_URL"
issue "$profile" "$state"
assert_exit 1
assert_failure_line
e2e_log "(plain) $WC_LAST_ERR"
grep -q '"GET /dir.json HTTP/1.1" 200' "$PLAIN_DIR_LOG" ||
    fail "the loopback http:// directory was not fetched: $(cat "$PLAIN_DIR_LOG")"
assert_contains "$WC_ERR" "http://acme.example.com/nonce: refusing plain http:// to a host that is not loopback"
assert_not_contains "$WC_ERR" "acme.directory"
assert_not_contains "$WC_ERR" "attempts" # refused at once: a retry cannot change the answer
# The directory answered, so the account key may exist; nothing else may.
left="$(state_files "$state" | grep -v '/accounts/' || true)"
[[ -z "$left" ]] || fail "the refused run wrote state: $left"
[[ ! -e "$bind_journal" ]] || fail "the refused run updated BIND"

e2e_log "--- (d) control: the harness certificate verifies and issuance succeeds"
start_pebble 127.0.0.1:53
profile="$E2E_WORK/good.toml"
state="$E2E_WORK/state-good"
write_profile "$profile"
issue "$profile" "$state"
assert_exit 0
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
assert_cert "$state/live/demo" "$root" "*.demo.test" demo.test
assert_no_challenge_records demo.test
[[ -e "$bind_journal" ]] || fail "the control run did not update BIND (no zone journal)"
