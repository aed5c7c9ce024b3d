#!/usr/bin/env bash
# Usage and profile errors: exit 2, and every profile error names file, line and key. No
# servers are needed; the namespace keeps it uniform with the other e2e tests (and makes sure a
# profile error never reaches out to the network).
# Usage: profile_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"
real_wildcert="$(realpath "$1")"

make_default_tsig_key
e2e_pebble_tls
good="$E2E_WORK/good.toml"
# Nothing listens there: a profile error must be reported before any connection is tried.
write_profile "$good" directory="https://127.0.0.1:9/dir" ca_bundle="$E2E_WORK/pebble-tls/ca.pem"

# line_of FILE REGEX: the line number of the first line matching REGEX.
line_of() {
    local n
    n="$(grep -nE -- "$2" "$1" | head -n 1 | cut -d: -f1)"
    [[ -n "$n" ]] || fail "line_of: /$2/ not in $1"
    printf '%s\n' "$n"
}

# bad_profile NAME SED-SCRIPT: a copy of the good profile changed by SED-SCRIPT.
bad_profile() {
    local file="$E2E_WORK/$1.toml"
    sed -e "$2" "$good" >"$file"
    cmp -s "$good" "$file" && fail "bad_profile $1: the edit changed nothing"
    printf '%s\n' "$file"
}

# expect_profile_error FILE KEY [LINE]: exit 2, one-line cause naming FILE(:LINE) and KEY.
expect_profile_error() {
    local file="$1" key="$2" line="${3:-}"
    issue "$file" "$E2E_WORK/state-unused"
    assert_exit 2
    assert_failure_line
    if [[ -n "$line" ]]; then
        assert_contains "$WC_ERR" "$file:$line"
    else
        [[ "$(cat "$WC_ERR")" == *"$file:"[0-9]* ]] || fail "stderr does not name $file:<line>"
    fi
    assert_contains "$WC_ERR" "$key"
    assert_not_contains "$WC_ERR" "$TSIG_SECRET"
    [[ ! -e "$E2E_WORK/state-unused/live" ]] || fail "a profile error created live/"
}

e2e_log "--- the good profile itself parses (it fails later, on the network: exit 1)"
issue "$good" "$E2E_WORK/state-good"
assert_exit 1

e2e_log "--- missing [acme] directory"
f="$(bad_profile no-directory '/^directory = /d')"
expect_profile_error "$f" directory

e2e_log "--- ttl = \"60\" (a string that is no duration: no unit)"
f="$(bad_profile ttl-string 's/^ttl = 60$/ttl = "60"/')"
expect_profile_error "$f" ttl "$(line_of "$f" '^ttl = ')"

e2e_log "--- one format, file:line:col: key: what; did you mean ..."
f="$(bad_profile domain-typo 's/^domains = /domain = /')"
expect_profile_error "$f" domain "$(line_of "$f" '^domain = ')"
assert_contains "$WC_ERR" "$f:$(line_of "$f" '^domain = '):1: certificate[1].domain: unknown key 'domain'; did you mean 'domains'?"
assert_not_contains "$WC_ERR" "missing required key"
f="$(bad_profile provider-typo 's/^provider = "rfc2136"/provider = "rfc-2136"/')"
# The line that is wrong is the provider's, not the [dns.rfc2136] table's.
expect_profile_error "$f" dns.provider "$(line_of "$f" '^provider = ')"
assert_contains "$WC_ERR" "$f:$(line_of "$f" '^provider = '):12: dns.provider: 'rfc-2136' does not name the table [dns.rfc2136] (line $(line_of "$f" '^\[dns.rfc2136\]')); did you mean 'rfc2136'?"
f="$(bad_profile provider-key-typo 's/^tsig_key = /tsig_kee = /')"
expect_profile_error "$f" tsig_kee "$(line_of "$f" '^tsig_kee = ')"
assert_contains "$WC_ERR" "unknown key 'tsig_kee'; did you mean 'tsig_key'?"
f="$(bad_profile parsecs '/^tsig_key = /a timeout = "10 parsecs"')"
expect_profile_error "$f" dns.rfc2136.timeout "$(line_of "$f" '^timeout = ')"
assert_contains "$WC_ERR" "$f:$(line_of "$f" '^timeout = '):11: dns.rfc2136.timeout: '10 parsecs' is not a duration"

e2e_log "--- durations as strings everywhere: [dns.rfc2136] timeout = \"10s\", ttl = \"2m\""
f="$(bad_profile durations '/^tsig_key = /a timeout = "10s"
s/^ttl = 60$/ttl = "2m"/')"
issue "$f" "$E2E_WORK/state-durations"
assert_exit 1 # parsed; nothing listens at the CA's address
assert_not_contains "$WC_ERR" "$f:"
# The log says which command runs: issue, not renew.
assert_contains "$WC_ERR" "issue: demo: "
assert_not_contains "$WC_ERR" "renew: demo"

e2e_log "--- unknown key"
f="$(bad_profile unknown-key '/^provider = /a colour = "blue"')"
expect_profile_error "$f" colour "$(line_of "$f" '^colour = ')"

e2e_log "--- unsupported TSIG algorithm hmac-sha384"
f="$(bad_profile sha384 's/^tsig_algorithm = .*/tsig_algorithm = "hmac-sha384"/')"
expect_profile_error "$f" tsig_algorithm "$(line_of "$f" '^tsig_algorithm = ')"

e2e_log "--- unsupported TSIG algorithm with the secret written inline: no secret in the error"
f="$(bad_profile sha384-inline "s/^tsig_algorithm = .*/tsig_algorithm = \"hmac-sha384\"/; s|^tsig_secret = .*|tsig_secret = \"$TSIG_SECRET\"|")"
expect_profile_error "$f" tsig_algorithm "$(line_of "$f" '^tsig_algorithm = ')"

e2e_log "--- two wildcard labels"
f="$(bad_profile double-wildcard 's/^domains = .*/domains = ["*.*.demo.test"]/')"
expect_profile_error "$f" domains "$(line_of "$f" '^domains = ')"

e2e_log "--- empty domains"
f="$(bad_profile no-domains 's/^domains = .*/domains = []/')"
expect_profile_error "$f" domains "$(line_of "$f" '^domains = ')"

e2e_log "--- unknown key type"
f="$(bad_profile bad-key-type 's/^account_key = .*/account_key = "ec-p521"/')"
expect_profile_error "$f" account_key "$(line_of "$f" '^account_key = ')"

e2e_log "--- nonexistent profile file"
issue "$E2E_WORK/does-not-exist.toml" "$E2E_WORK/state-unused"
assert_exit 2
assert_failure_line
assert_contains "$WC_ERR" "$E2E_WORK/does-not-exist.toml"

e2e_log "--- usage errors"
wildcert_run issue --state-dir "$E2E_WORK/state-unused"
assert_exit 2
assert_failure_line
wildcert_run no-such-command
assert_exit 2
wildcert_run issue -c "$good" --no-such-option
assert_exit 2
wildcert_run
assert_exit 2

e2e_log "--- HOME unset, not root: an error, not a state directory in the current folder"
chmod o+x "$E2E_WORK"
cwd="$E2E_WORK/nobody-cwd"
mkdir -p "$cwd"
chown nobody:nogroup "$cwd"
# A profile nobody may read (the work folder's own files are root's).
readable="$E2E_WORK/nobody-profile"
mkdir -p "$readable"
cp "$E2E_WORK/pebble-tls/ca.pem" "$readable/ca.pem"
# No variables pass env -i: the secret is written in (a dummy; nothing is contacted).
sed -e "s|^ca_bundle = .*|ca_bundle = \"$readable/ca.pem\"|" \
    -e 's|^tsig_secret = .*|tsig_secret = "ZHVtbXkta2V5"|' "$good" >"$readable/good.toml"
chmod -R o+rX "$readable"
for command in list "issue -c $readable/good.toml"; do
    saved="$WILDCERT"
    WILDCERT="$(command -v env)"
    # shellcheck disable=SC2086 # the command and its arguments, split on purpose
    pushd "$cwd" >/dev/null
    wildcert_run -i PATH=/usr/bin:/bin "$(command -v setpriv)" --reuid=nobody \
        --regid=nogroup --clear-groups -- "$real_wildcert" $command
    popd >/dev/null
    WILDCERT="$saved"
    e2e_log "$command without HOME said: $(cat "$WC_ERR")"
    assert_exit 2
    assert_contains "$WC_ERR" "no state directory: HOME is not set (or not an absolute path); give --state-dir DIR or set WILDCERT_STATE_DIR"
    [[ -z "$(find "$cwd" -mindepth 1)" ]] || fail "$command without HOME wrote into the current folder: $(find "$cwd" -mindepth 1)"
done

e2e_log "--- --help and --version"
wildcert_run --help
assert_exit 0
grep -q 'issue' "$WC_OUT" "$WC_ERR" || fail "--help does not mention the issue command"
version="$(sed -n "s/^ *version: '\([^']*\)'.*/\1/p" "$E2E_REPO_DIR/meson.build" | head -n 1)"
wildcert_run --version
assert_exit 0
[[ -n "$version" ]] || fail "cannot read the project version from meson.build"
grep -qF "$version" "$WC_OUT" || fail "--version does not print $version on stdout"
