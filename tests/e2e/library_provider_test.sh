#!/usr/bin/env bash
# The library with a DNS provider of the program's own (ClientOptions::provider):
# examples/issue_with_own_provider.cpp publishes through nsupdate into a real BIND and issues a
# wildcard + apex certificate from Pebble through the same pipeline as `wildcert issue`
# (lock, journal, install, outputs, deploy hooks); a lock held by another process stops it
# before any request; a refused update leaves nothing behind and no secret in the output.
# Usage: library_provider_test.sh PATH-TO-WILDCERT PATH-TO-issue_with_own_provider
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"
[[ -x "${2:-}" ]] || fail "usage: $(basename "$0") WILDCERT ISSUE_WITH_OWN_PROVIDER"
example="$(realpath "$2")"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

# write_library_profile FILE SECRET_FILE: the provider's settings are the program's own.
write_library_profile() {
    cat >"$1" <<EOF
[acme]
directory = "$PEBBLE_DIR_URL"
ca_bundle = "$PEBBLE_CA"
accept_terms = true

[dns]
provider = "nsupdate"
resolvers = ["127.0.0.1:53"]
propagation_timeout = "30s"
polling_interval = "200ms"

[dns.nsupdate]
server = "127.0.0.1"
port = 53
tsig_key = "wildcert-key"
tsig_algorithm = "hmac-sha256"
tsig_secret_file = "$2"

[[certificate]]
name = "demo"
domains = ["*.demo.test", "demo.test"]

[[certificate.output]]
format = "pem-bundle"
path = "$E2E_WORK/out/demo.pem"

[[certificate.deploy]]
command = ["/bin/sh", "-c", "echo \"\$WILDCERT_SERIAL\" >> '$E2E_WORK/deployed.txt'"]
EOF
}

# run_example PROFILE STATE: the example program, as wildcert_run runs wildcert.
run_example() { program_run issue_with_own_provider "$example" "$@"; }

mkdir -p "$E2E_WORK/out" # an output's folder must exist
profile="$E2E_WORK/library.toml"
state="$E2E_WORK/state"
write_library_profile "$profile" "$TSIG_SECRET_FILE"

e2e_log "--- the program's own provider publishes; the pipeline installs, writes outputs, deploys"
run_example "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test
serial="$(sed -n 's/^demo -> .* serial \([0-9a-fA-F]*\)$/\1/p' "$WC_OUT")"
[[ -n "$serial" ]] || fail "no 'demo -> ... serial' line: $(cat "$WC_OUT")"
assert_contains "$WC_OUT" "demo -> $state/live/demo"
assert_contains "$WC_ERR" "dns: published 2 TXT record(s) in demo.test."
assert_contains "$WC_ERR" "dns: removed 2 TXT record(s)"
grep -q 'PRIVATE KEY' "$E2E_WORK/out/demo.pem" || fail "the pem-bundle output has no key"
assert_eq "$serial" "$(cat "$E2E_WORK/deployed.txt")" "serial the deploy hook saw"
leftover="$(find "$state/journal" -name '*.txt' 2>/dev/null || true)"
[[ -z "$leftover" ]] || fail "cleanup journal files left: $leftover"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"
assert_not_contains "$WC_OUT" "$TSIG_SECRET"
# The command line reads what the library wrote.
wildcert_run list --state-dir "$state"
assert_exit 0
assert_contains "$WC_OUT" "demo"

e2e_log "--- a lock held by another process: exit 3 from the library, nothing sent"
lock="$state/locks/cert-demo.lock"
hold_lock "$lock" 30
requests="$(pebble_requests)"
run_example "$profile" "$state"
release_lock
assert_exit 3
assert_contains "$WC_ERR" "cert-demo.lock is locked"
assert_no_request_since "$requests"
assert_eq 1 "$(wc -l <"$E2E_WORK/deployed.txt")" "deploy runs"

e2e_log "--- a refused update (wrong secret): exit 1, nothing left, no secret printed"
wrong="$E2E_WORK/wrong.secret"
# A well-formed key that BIND does not know.
printf '%s\n' "$(head -c 32 /dev/urandom | base64)" >"$wrong"
chmod 600 "$wrong"
write_library_profile "$E2E_WORK/wrong.toml" "$wrong"
run_example "$E2E_WORK/wrong.toml" "$E2E_WORK/state-wrong"
assert_exit 1
assert_contains "$WC_ERR" "nsupdate add in demo.test.: nsupdate failed"
assert_not_contains "$WC_ERR" "$(cat "$wrong")"
assert_no_challenge_records demo.test
[[ ! -e "$E2E_WORK/state-wrong/live/demo" ]] || fail "a certificate was installed after a refusal"

