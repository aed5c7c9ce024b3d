#!/usr/bin/env bash
# `wildcert config` shows every example profile as it was understood, and no secret: each
# example, and each with its commented-out secrets (Cloudflare token, Route 53 secret key, EAB
# MAC key) switched on, is printed with distinctive values in the variables it reads; none of
# them may appear in stdout or stderr, each secret key must read "<redacted>", the output must
# load again to the same settings, and --json must carry the same text.
# Usage: config_command_test.sh PATH-TO-WILDCERT REPO-DIR
set -euo pipefail

wildcert=${1:?usage: $0 PATH-TO-WILDCERT REPO-DIR}
repo=${2:?usage: $0 PATH-TO-WILDCERT REPO-DIR}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

export TSIG_SECRET=c2VudGluZWwtdHNpZy1zZWNyZXQ=
export CLOUDFLARE_TOKEN=sentinel-cloudflare-token-4711
export AWS_SECRET=sentinel-aws-secret-key-4711
export EAB_HMAC_KEY=c2VudGluZWwtZWFiLWhtYWMta2V5LTQ3MTE
export P12_PASSWORD=sentinel-p12-password-4711
secrets=("$TSIG_SECRET" "$CLOUDFLARE_TOKEN" "$AWS_SECRET" "$EAB_HMAC_KEY" "$P12_PASSWORD")

# shown PROFILE: runs config on PROFILE; the text goes to $work/shown.toml.
shown() {
    local rc=0
    "$wildcert" config -c "$1" >"$work/shown.toml" 2>"$work/shown.err" || rc=$?
    [[ $rc == 0 ]] || fail "config -c $1 exited $rc: $(cat "$work/shown.err")"
    local secret
    for secret in "${secrets[@]}"; do
        if grep -qF -- "$secret" "$work/shown.toml" "$work/shown.err"; then
            fail "config -c $1 shows a secret value"
        fi
    done
}

# settings FILE: the lines of a shown profile without comments (origins differ on reload).
settings() {
    sed -e '/^#/d' -e 's/  # .*$//' "$1"
}

# expect_redacted KEY...: each KEY is shown, as "<redacted>".
expect_redacted() {
    local key
    for key in "$@"; do
        grep -qE "^$key = \"<redacted>\"" "$work/shown.toml" ||
            fail "$key is not shown as <redacted>: $(grep -E "^$key" "$work/shown.toml" || echo absent)"
    done
}

checked=0
for example in "$repo"/examples/profiles/*.toml; do
    name=$(basename "$example" .toml)
    variants=("$example")
    # The secrets the example keeps as comments, switched on.
    on="$work/$name-secrets.toml"
    sed -e 's/^# api_token = /api_token = /' \
        -e 's/^# access_key_id = .*/access_key_id = "AKIAEXAMPLE"/' \
        -e 's/^# secret_access_key = /secret_access_key = /' "$example" >"$on"
    if ! cmp -s "$example" "$on"; then variants+=("$on"); fi
    for profile in "${variants[@]}"; do
        shown "$profile"
        cp "$work/shown.toml" "$work/first.toml"
        # What config printed loads again, to the same settings.
        shown "$work/first.toml"
        diff <(settings "$work/first.toml") <(settings "$work/shown.toml") >"$work/diff" ||
            fail "config -c $profile does not load back the same: $(cat "$work/diff")"
        json=$("$wildcert" config -c "$profile" --json) || fail "config --json -c $profile failed"
        [[ "$(jq -r .toml <<<"$json")" == "$(cat "$work/first.toml")" ]] ||
            fail "--json .toml differs from the text of config -c $profile"
        checked=$((checked + 1))
    done
done

# Every kind of secret the profile can hold, in one file.
cat >"$work/all.toml" <<TOML
[acme]
directory = "letsencrypt-staging"
accept_terms = true

[acme.eab]
key_id = "kid-1"
hmac_key = "\${EAB_HMAC_KEY}"

[dns]
provider = "rfc2136"

[dns.rfc2136]
server = "192.0.2.53:53"
tsig_key = "acme-key"
tsig_secret = "\${TSIG_SECRET}"

[[certificate]]
name = "p12"
domains = ["example.com"]

[[certificate.output]]
format = "pkcs12"
path = "/srv/example.p12"
password = "\${P12_PASSWORD}"
TOML
shown "$work/all.toml"
expect_redacted hmac_key tsig_secret password
shown "$work/cloudflare-secrets.toml"
expect_redacted api_token
shown "$work/route53-secrets.toml"
expect_redacted secret_access_key

# A profile error is exit 2 and names the file, as with every command.
printf '[acme]\ndirectory = 5\n' >"$work/bad.toml"
rc=0
"$wildcert" config -c "$work/bad.toml" >/dev/null 2>"$work/bad.err" || rc=$?
[[ $rc == 2 ]] || fail "a broken profile gave exit $rc, not 2"
grep -qF "$work/bad.toml:2:" "$work/bad.err" || fail "the error names no file:line: $(cat "$work/bad.err")"

echo "ok: config of $checked example profiles and variants, no secret shown"
