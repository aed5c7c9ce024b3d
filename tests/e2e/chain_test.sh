#!/usr/bin/env bash
# Chain choice (RFC 8555 §7.4.2) against a real Pebble offering three chains
# (PEBBLE_ALTERNATE_ROOTS=2): preferred_chain = "<root CN>" installs the chain of that root, for
# each root in turn, verified with openssl against that root alone; an unknown name keeps the
# default chain and says what the CA offered.
# Usage: chain_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53 PEBBLE_ALTERNATE_ROOTS=2

# Root n of this Pebble, and its common name.
roots=()
names=()
for n in 0 1 2; do
    root="$E2E_WORK/root-$n.pem"
    curl -fsS --max-time 10 --cacert "$PEBBLE_CA" -o "$root" "$PEBBLE_MGMT_URL/roots/$n" ||
        fail "cannot fetch $PEBBLE_MGMT_URL/roots/$n"
    name="$(openssl x509 -in "$root" -noout -subject -nameopt RFC2253 |
        sed -n 's/^subject=.*CN=\([^,]*\).*$/\1/p')"
    [[ -n "$name" ]] || fail "root $n has no CN"
    roots+=("$root")
    names+=("$name")
    e2e_log "root $n: $name"
done
[[ "${names[0]}" != "${names[1]}" && "${names[1]}" != "${names[2]}" &&
    "${names[0]}" != "${names[2]}" ]] || fail "the three roots do not have distinct names"

# verifies_with ROOT DIR: the live chain in DIR verifies against ROOT alone.
verifies_with() {
    openssl verify -CAfile "$1" -untrusted "$2/chain.pem" "$2/cert.pem" >/dev/null 2>&1
}

state="$E2E_WORK/state"
profile="$E2E_WORK/chain.toml"
for n in 0 1 2; do
    e2e_log "--- preferred_chain = \"${names[$n]}\""
    write_profile "$profile" extra="preferred_chain = \"${names[$n]}\""
    issue "$profile" "$state"
    assert_exit 0
    assert_cert "$state/live/demo" "${roots[$n]}" '*.demo.test' demo.test
    for m in 0 1 2; do
        ((m == n)) && continue
        if verifies_with "${roots[$m]}" "$state/live/demo"; then
            fail "with preferred_chain root $n the installed chain also verifies against root $m"
        fi
    done
    if ((n == 0)); then
        assert_contains "$WC_ERR" "the default chain is the preferred chain \"${names[0]}\""
    else
        assert_contains "$WC_ERR" "using the alternate chain"
        assert_contains "$WC_ERR" "(preferred_chain \"${names[$n]}\")"
    fi
    assert_no_challenge_records demo.test
done

e2e_log "--- preferred_chain names no root: default chain and a message"
write_profile "$profile" extra='preferred_chain = "No Such Root CA"'
issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "${roots[0]}" '*.demo.test' demo.test
assert_contains "$WC_ERR" 'no chain matches preferred_chain "No Such Root CA"; using the default chain'
for n in 0 1 2; do
    assert_contains "$WC_ERR" "\"${names[$n]}\""
done

e2e_log "--- without preferred_chain: the default chain, alternates not fetched"
write_profile "$profile"
issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "${roots[0]}" '*.demo.test' demo.test
assert_not_contains "$WC_ERR" "alternate chain"

# Pebble 2.4 has no meta.profiles: a configured profile is refused before any order, exit 1.
e2e_log "--- profile with a CA that offers none: exit 1 before any order"
write_profile "$profile" extra='profile = "shortlived"'
orders_before="$(grep -c 'POST /order-plz' "$PEBBLE_LOG" || true)"
issue "$profile" "$state"
assert_exit 1
assert_failure_line
assert_contains "$WC_ERR" 'profile "shortlived"'
assert_contains "$WC_ERR" "offers no certificate profiles"
assert_eq "$orders_before" "$(grep -c 'POST /order-plz' "$PEBBLE_LOG" || true)" "newOrder requests"
