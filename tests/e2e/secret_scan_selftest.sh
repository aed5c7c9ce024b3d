#!/usr/bin/env bash
# The secret scan (lib_secret_scan.sh) must find what it is there to find: a work folder with
# every kind of secret the e2e tests hand to wildcert, and transcripts that each leak one kind.
# A clean folder passes; each leak fails with the file named and the secret itself not shown.
# Needs no server: it runs the scan on files made here.
set -euo pipefail
# shellcheck source=tests/e2e/lib.sh
source "$(dirname "$0")/lib.sh"

# Its deliberate leaks must not count in the suite's scan report.
unset WILDCERT_E2E_SECRET_SCAN_REPORT
work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT

tsig="c2VjcmV0LXRzaWctdmFsdWUtZm9yLXRoZS1zY2Fu"
hmac="ZWFiLWhtYWMta2V5LWZvci10aGUtc2Nhbi10ZXN0"
token_in_file="cf-token-read-from-a-file-0123"
env_token="route53-session-token-from-env-4567"
mkdir -p "$work/keys" "$work/state/accounts" "$work/secret-scan"
printf '%s' "$tsig" >"$work/keys/k.secret"
printf '%s\n' "$token_in_file" >"$work/token.txt"
cat >"$work/profile.toml" <<TOML
[acme]
directory = "https://127.0.0.1:14000/dir"
eab = { key_id = "kid-1", hmac_key = "$hmac" }
[dns.cloudflare]
api_token_file = "token.txt"
TOML
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/state/accounts/account.key" 2>/dev/null
key_line="$(sed -n 2p "$work/state/accounts/account.key")"
printf '%s\n' "$env_token" >"$work/secret-scan/environment-values"

expect_clean() {
    secret_scan "$work" selftest 2>"$work/scan.stderr" || {
        cat "$work/scan.stderr" >&2
        fail "the scan reported a leak in a clean folder"
    }
}

# expect_leak WHAT TEXT: a transcript holding TEXT must fail the scan, naming the file but not
# showing TEXT.
expect_leak() {
    local what="$1" text="$2"
    printf 'wildcert: something went wrong near %s, sorry\n' "$text" >"$work/run-1.err"
    if secret_scan "$work" selftest 2>"$work/scan.stderr"; then
        fail "the scan missed a leaked $what"
    fi
    grep -q "SECRET LEAK: $work/run-1.err" "$work/scan.stderr" || fail "the leak report does not name the file ($what)"
    if grep -qF -- "$text" "$work/scan.stderr"; then
        fail "the leak report shows the $what itself"
    fi
    rm -f "$work/run-1.err"
}

printf 'wildcert: issued demo.test (serial 01ab)\n' >"$work/run-0.err"
printf '{"status":"issued"}\n' >"$work/run-0.json"
expect_clean
expect_leak "TSIG secret" "$tsig"
expect_leak "EAB HMAC key" "$hmac"
expect_leak "token read from a *_file" "$token_in_file"
expect_leak "environment token" "$env_token"
expect_leak "private key line" "$key_line"
expect_leak "PEM private key" "-----BEGIN PRIVATE KEY-----"
expect_clean
echo "secret scan self-test: 6 kinds of leak found, clean folder passes"
