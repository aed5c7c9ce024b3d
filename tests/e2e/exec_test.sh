#!/usr/bin/env bash
# The exec provider end to end: a wildcard + apex certificate from Pebble with the records
# published by the repository's own examples/hooks/dns-nsupdate.sh (which proves the example
# works), a failing hook, and `wildcert providers`.
# Usage: exec_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

hook="$E2E_REPO_DIR/examples/hooks/dns-nsupdate.sh"
[[ -x "$hook" ]] || fail "example hook missing or not executable: $hook"

# ---------------------------------------------------------------------------------------------
# wildcert providers: everything comes from the descriptors; no value is ever shown.
e2e_log "--- wildcert providers"
make_default_tsig_key
export WILDCERT_RFC2136_TSIG_SECRET="$TSIG_SECRET"
wildcert_run providers
assert_exit 0
for name in rfc2136 exec; do
    grep -qE "^  $name +[^ ]" "$WC_OUT" || fail "'wildcert providers' does not list $name"
done

wildcert_run providers rfc2136
assert_exit 0
for key in server tsig_key tsig_algorithm tsig_secret timeout; do
    grep -qx "  $key" "$WC_OUT" || fail "'wildcert providers rfc2136' does not list the key $key"
done
for env in WILDCERT_RFC2136_SERVER WILDCERT_RFC2136_TSIG_KEY WILDCERT_RFC2136_TSIG_ALGORITHM \
    WILDCERT_RFC2136_TSIG_SECRET; do
    assert_contains "$WC_OUT" "environment  $env"
done
assert_contains "$WC_OUT" "default      hmac-sha256"
assert_contains "$WC_OUT" "secret       yes"
# The secret is in the environment this run inherited, and must not be printed.
assert_not_contains "$WC_OUT" "$TSIG_SECRET"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"

wildcert_run providers exec
assert_exit 0
assert_contains "$WC_OUT" "environment  WILDCERT_EXEC_COMMAND"
assert_contains "$WC_OUT" "environment  WILDCERT_EXEC_TIMEOUT"
assert_contains "$WC_OUT" "default      60"
assert_contains "$WC_OUT" "WILDCERT_FQDN"

wildcert_run providers nope
assert_exit 2
assert_failure_line
assert_matches "$WC_LAST_ERR" 'unknown provider "nope"; known providers: .*rfc2136.*exec'
[[ ! -s "$WC_OUT" ]] || fail "'wildcert providers nope' wrote to stdout"
unset WILDCERT_RFC2136_TSIG_SECRET

wildcert_run --help
assert_exit 0
assert_contains "$WC_OUT" "providers [NAME]"

# ---------------------------------------------------------------------------------------------
start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
bind_log="$E2E_WORK/bind-main/named.log"

# write_exec_profile FILE COMMAND [TIMEOUT]: the usual Pebble + BIND profile with dns.exec.
write_exec_profile() {
    cat >"$1" <<EOF
[acme]
directory = "$PEBBLE_DIR_URL"
ca_bundle = "$PEBBLE_CA"
contact = ["mailto:admin@demo.test"]
accept_terms = true

[dns]
provider = "exec"
resolvers = ["127.0.0.1:53"]
propagation_timeout = "30s"
polling_interval = "200ms"
ttl = 60

[dns.exec]
command = "$2"
timeout = ${3:-30}

[[certificate]]
name = "demo"
domains = ["*.demo.test", "demo.test"]
EOF
}

# The hook's own configuration, as its header documents.
export NSUPDATE_SERVER=127.0.0.1 NSUPDATE_PORT=53
export NSUPDATE_KEY_FILE="$E2E_WORK/keys/wildcert-key.key"

e2e_log "--- issue through examples/hooks/dns-nsupdate.sh"
profile="$E2E_WORK/exec.toml"
state="$E2E_WORK/state-exec"
write_exec_profile "$profile" "$hook"
log_mark="$(wc -l <"$bind_log")"
issue "$profile" "$state" -vvv
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_no_challenge_records demo.test
assert_no_partial_live "$state" demo
# Both values were in the set at once (one hook run each), and each was removed on its own.
updates="$(tail -n +"$((log_mark + 1))" "$bind_log" | grep -F "updating zone 'demo.test/IN'" |
    sed -n 's/.*: \(adding an RR\|deleting an RR\|deleting rrset\).*/\1/p')"
[[ "$(head -n 2 <<<"$updates" | sort -u)" == "adding an RR" ]] ||
    fail "BIND did not get both values before a removal; updates: $(tr '\n' ';' <<<"$updates")"
assert_eq 2 "$(grep -c '^adding an RR$' <<<"$updates")" "values added by the hook"
assert_eq 2 "$(grep -c '^deleting an RR$' <<<"$updates")" "values removed by the hook"
! grep -q 'deleting rrset' <<<"$updates" || fail "a whole TXT RRset was deleted"
# The TSIG secret lives in the environment and the key file; even -vvv never shows it.
assert_not_contains "$WC_OUT" "$TSIG_SECRET"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"

# A relative command is taken from the profile's folder.
e2e_log "--- relative command path"
mkdir -p "$E2E_WORK/conf/hooks"
cp "$hook" "$E2E_WORK/conf/hooks/dns.sh"
write_exec_profile "$E2E_WORK/conf/relative.toml" "hooks/dns.sh"
pushd / >/dev/null # not the profile's folder, so the working directory cannot be what works
issue "$E2E_WORK/conf/relative.toml" "$E2E_WORK/state-relative"
popd >/dev/null
assert_exit 0
assert_cert "$E2E_WORK/state-relative/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test

# ---------------------------------------------------------------------------------------------
# A hook that fails on add: exit 1, its status and stderr in the error, no certificate, and
# whatever it did publish removed.
e2e_log "--- a failing hook"
broken="$E2E_WORK/broken-hook.sh"
cat >"$broken" <<EOF
#!/bin/sh
# Publishes through the real hook, then fails on the second value (the apex's).
if [ "\$1" = add ] && [ -e "$E2E_WORK/broken-added-one" ]; then
    echo "example DNS API: 503 zone is locked for maintenance" >&2
    exit 7
fi
[ "\$1" = add ] && : >"$E2E_WORK/broken-added-one"
exec "$hook" "\$@"
EOF
chmod 755 "$broken"
write_exec_profile "$profile" "$broken"
issue "$profile" "$E2E_WORK/state-broken"
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "exec: $broken add _acme-challenge\.demo\.test\.: exit status 7: example DNS API: 503 zone is locked for maintenance"
assert_no_live "$E2E_WORK/state-broken" demo
assert_no_challenge_records demo.test

# A missing command is a profile error (exit 2) found before anything is sent.
e2e_log "--- a missing hook"
write_exec_profile "$profile" "$E2E_WORK/no-such-hook.sh"
issue "$profile" "$E2E_WORK/state-missing"
assert_exit 2
assert_failure_line
assert_matches "$WC_LAST_ERR" "dns\.exec\.command: .*no-such-hook\.sh: No such file or directory"
assert_no_live "$E2E_WORK/state-missing" demo

# A hook that hangs is stopped at its timeout and the run fails cleanly.
e2e_log "--- a hook past its timeout"
slow="$E2E_WORK/slow-hook.sh"
printf '#!/bin/sh\nsleep 60\n' >"$slow"
chmod 755 "$slow"
write_exec_profile "$profile" "$slow" 1
issue "$profile" "$E2E_WORK/state-slow"
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "exec: .*slow-hook\.sh add .*: timed out after 1s"
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 30) }' ||
    fail "the run with a hanging hook took ${WC_SECONDS}s"
assert_no_live "$E2E_WORK/state-slow" demo
