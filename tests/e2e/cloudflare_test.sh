#!/usr/bin/env bash
# Wildcard + apex issuance through the cloudflare provider against the Cloudflare fake, which
# applies every accepted change to a real BIND, so Pebble validates through real DNS.
# Usage: cloudflare_test.sh PATH-TO-WILDCERT PATH-TO-FAKE-CLOUDFLARE
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_cloudflare.sh
source "$(dirname "$0")/lib_cloudflare.sh"
e2e_init "$@"
e2e_binary "${1:-}"
[[ -n "${2:-}" ]] || fail "usage: $(basename "$0") PATH-TO-WILDCERT PATH-TO-FAKE-CLOUDFLARE"
fake_binary="$(realpath "$2")"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

# Fresh secrets per run, so a leak cannot hide behind a fixed string.
good_token="cfut_$(openssl rand -hex 20)"
readonly_token="cfut_$(openssl rand -hex 20)"
global_key="$(openssl rand -hex 18)"
# Every fourth request is throttled: the provider must wait Retry-After and go on.
start_fake_cloudflare "$fake_binary" --token "$good_token" --readonly-token "$readonly_token" \
    --global-key "ops@demo.test:$global_key" --throttle-every 4 --retry-after 1

assert_no_secrets() {
    local secret
    for secret in "$good_token" "$readonly_token" "$global_key"; do
        assert_not_contains "$WC_ERR" "$secret"
        assert_not_contains "$WC_OUT" "$secret"
    done
}

# Both values are created before any is deleted (they must coexist at one name), and each is
# deleted again.
assert_add_then_remove() {
    local mark="$1" records="/client/v4/zones/$CF_FAKE_ZONE_ID/dns_records"
    local order
    order="$(tail -n +"$((mark + 1))" "$CF_FAKE_LOG" |
        sed -n "s#^fake-cloudflare: \(POST\|DELETE\) ${records}[^ ]* -> 200\$#\1#p" | tr '\n' ' ')"
    assert_eq "POST POST DELETE DELETE " "$order" "successful record changes at the fake"
    [[ "$(cf_requests_since "$mark" ' -> 429$')" -ge 1 ]] || fail "the fake never throttled"
}

e2e_log "--- API token from the environment, -vv"
profile="$E2E_WORK/token-env.toml"
state="$E2E_WORK/state-token-env"
write_cloudflare_profile "$profile"
mark="$(wc -l <"$CF_FAKE_LOG")"
WILDCERT_CLOUDFLARE_API_TOKEN="$good_token" issue "$profile" "$state" -vv
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_no_challenge_records demo.test
assert_add_then_remove "$mark"
assert_no_secrets

e2e_log "--- API token from a file, zone_id given"
printf '%s\n' "$good_token" >"$E2E_WORK/cf-token"
chmod 600 "$E2E_WORK/cf-token"
profile="$E2E_WORK/token-file.toml"
state="$E2E_WORK/state-token-file"
write_cloudflare_profile "$profile" credentials="api_token_file = \"$E2E_WORK/cf-token\"" \
    extra_dns="zone_id = \"$CF_FAKE_ZONE_ID\""
mark="$(wc -l <"$CF_FAKE_LOG")"
issue "$profile" "$state" -vv
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test
assert_add_then_remove "$mark"
assert_eq 0 "$(cf_requests_since "$mark" 'GET /client/v4/zones\?name=')" "zone lookups with zone_id set"
assert_no_secrets

e2e_log "--- legacy Global API Key with e-mail"
profile="$E2E_WORK/global-key.toml"
state="$E2E_WORK/state-global-key"
# shellcheck disable=SC2016 # ${CF_KEY} is for wildcert to interpolate
write_cloudflare_profile "$profile" credentials='email = "ops@demo.test"
api_key = "${CF_KEY}"'
CF_KEY="$global_key" issue "$profile" "$state" -vv
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test
assert_no_secrets

e2e_log "--- a token without DNS:Edit fails cleanly with the permission hint"
profile="$E2E_WORK/readonly.toml"
state="$E2E_WORK/state-readonly"
write_cloudflare_profile "$profile"
WILDCERT_CLOUDFLARE_API_TOKEN="$readonly_token" issue "$profile" "$state" -vv
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'cloudflare: create TXT record _acme-challenge\.demo\.test: HTTP 403' "cause"
assert_matches "$WC_LAST_ERR" 'Zone:DNS:Edit' "cause"
assert_no_challenge_records demo.test
assert_no_live "$state" demo
assert_no_secrets

e2e_log "--- no credentials at all is a profile error"
profile="$E2E_WORK/nocreds.toml"
state="$E2E_WORK/state-nocreds"
write_cloudflare_profile "$profile"
issue "$profile" "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'api_token' "cause"

e2e_log "--- an API behind a private CA: refused without dns.cloudflare.ca_bundle, trusted with it"
# The fake serves HTTPS with the e2e CA's certificate for 127.0.0.1 (the one Pebble uses).
tls="$E2E_WORK/pebble-tls"
start_fake_cloudflare "$fake_binary" --token "$good_token" \
    --tls-cert "$tls/cert.pem" --tls-key "$tls/key.pem"
[[ "$CF_FAKE_URL" == https://* ]] || fail "the TLS fake has a plain URL: $CF_FAKE_URL"
profile="$E2E_WORK/private-ca.toml"
write_cloudflare_profile "$profile"
state="$E2E_WORK/state-private-ca"
WILDCERT_CLOUDFLARE_API_TOKEN="$good_token" issue "$profile" "$state" -v
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'did not verify' "cause without ca_bundle"
assert_matches "$WC_LAST_ERR" 'dns\.cloudflare\.ca_bundle' "the setting that fixes it"
assert_no_live "$state" demo
assert_no_challenge_records demo.test
assert_no_secrets
write_cloudflare_profile "$profile" extra_dns="ca_bundle = \"$tls/ca.pem\""
WILDCERT_CLOUDFLARE_API_TOKEN="$good_token" issue "$profile" "$state" -v
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_contains "$CF_FAKE_LOG" "POST /client/v4/zones/$CF_FAKE_ZONE_ID/dns_records"
assert_no_challenge_records demo.test
assert_no_secrets
