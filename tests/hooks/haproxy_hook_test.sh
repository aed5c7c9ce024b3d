#!/usr/bin/env bash
# examples/hooks/deploy-haproxy.sh against files in a temporary folder, with the reload turned
# off (WILDCERT_HAPROXY_RELOAD=none): the combined PEM holds the key, then the leaf, then the
# intermediate, replaces the target atomically with the target's mode kept (0600 when new),
# leaves no temporary file behind, and bad input fails without touching the target.
# Usage: haproxy_hook_test.sh REPO-DIR
set -euo pipefail

repo=${1:?usage: $0 REPO-DIR}
hook="$repo/examples/hooks/deploy-haproxy.sh"
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Stand-ins for wildcert's live/ files: what matters is which block lands where. The key has
# no final newline, which must not glue it to the certificate that follows.
live="$work/live/example"
mkdir -p "$live" "$work/certs"
printf -- '-----BEGIN PRIVATE KEY-----\nKEYDATA\n-----END PRIVATE KEY-----' >"$live/privkey.pem"
printf -- '-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n' >"$live/cert.pem"
printf -- '-----BEGIN CERTIFICATE-----\nINTERMEDIATE\n-----END CERTIFICATE-----\n' >"$live/chain.pem"
cat "$live/cert.pem" "$live/chain.pem" >"$live/fullchain.pem"

run_hook() {
    env WILDCERT_NAME=example WILDCERT_KEY="$live/privkey.pem" \
        WILDCERT_FULLCHAIN="$live/fullchain.pem" WILDCERT_DRY_RUN=0 \
        WILDCERT_HAPROXY_RELOAD=none "$hook" "$@"
}

target="$work/certs/example.pem"
out=$(run_hook "$target") || fail "the hook failed: $out"
expected=$'-----BEGIN PRIVATE KEY-----\nKEYDATA\n-----END PRIVATE KEY-----\n-----BEGIN CERTIFICATE-----\nLEAF\n-----END CERTIFICATE-----\n-----BEGIN CERTIFICATE-----\nINTERMEDIATE\n-----END CERTIFICATE-----'
[[ $(<"$target") == "$expected" ]] || fail "combined PEM is not key, leaf, intermediate:
$(<"$target")"
[[ $(stat -c %a "$target") == 600 ]] || fail "new target mode is $(stat -c %a "$target"), not 600"
[[ $out == *"wrote $target"* ]] || fail "the hook did not say what it wrote: $out"

# A second run replaces the file (a new inode: renamed over, not rewritten in place) and keeps
# the mode an operator gave it.
chmod 640 "$target"
before=$(stat -c %i "$target")
printf -- '-----BEGIN CERTIFICATE-----\nNEWLEAF\n-----END CERTIFICATE-----\n' >"$live/fullchain.pem"
run_hook "$target" >/dev/null || fail "the second run failed"
[[ $(stat -c %i "$target") != "$before" ]] || fail "the target was rewritten in place"
[[ $(stat -c %a "$target") == 640 ]] || fail "the target's mode 640 was not kept"
grep -q NEWLEAF "$target" || fail "the second run did not write the new chain"
[[ $(sed -n 1p "$target") == '-----BEGIN PRIVATE KEY-----' ]] || fail "the key is not first"

leftovers=$(find "$work/certs" -name '.example.pem.*')
[[ -z $leftovers ]] || fail "temporary files left behind: $leftovers"

# Bad input: a non-zero exit and the target untouched.
saved=$(<"$target")
if run_hook >/dev/null 2>&1; then fail "no target argument was accepted"; fi
: >"$live/fullchain.pem"
if run_hook "$target" >/dev/null 2>&1; then fail "an empty chain was accepted"; fi
[[ $(<"$target") == "$saved" ]] || fail "a failed run changed the target"
if env -u WILDCERT_KEY WILDCERT_FULLCHAIN="$live/fullchain.pem" WILDCERT_HAPROXY_RELOAD=none \
    "$hook" "$target" >/dev/null 2>&1; then
    fail "a run without WILDCERT_KEY was accepted"
fi
if env WILDCERT_KEY="$live/privkey.pem" WILDCERT_FULLCHAIN="$live/fullchain.pem" \
    WILDCERT_HAPROXY_RELOAD=bogus "$hook" "$target" >/dev/null 2>&1; then
    fail "WILDCERT_HAPROXY_RELOAD=bogus was accepted"
fi
leftovers=$(find "$work/certs" -name '.example.pem.*')
[[ -z $leftovers ]] || fail "temporary files left behind after failures: $leftovers"
echo "ok: deploy-haproxy.sh builds key + leaf + intermediate atomically"
