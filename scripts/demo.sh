#!/usr/bin/env bash
# The first command to try: installs what is missing, builds wildcert into ./build, and issues
# a wildcard + apex certificate from a local Pebble CA, proving control of demo.test through a
# local BIND 9 with RFC 2136 dynamic update. Everything runs on loopback inside a private
# network namespace (tests/e2e/lib.sh) and is removed afterwards (WILDCERT_E2E_KEEP=1 keeps it).
# Exits with wildcert's status.
# Usage: scripts/demo.sh   (WILDCERT_BUILD_DIR=DIR builds and uses DIR instead of ./build)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${WILDCERT_BUILD_DIR:-$repo/build}"
build="$(realpath -m "$build")"

section() {
    printf '\n== %s ==\n' "$*"
}

# Outside the namespace (it has no network for apt): dependencies and build.
if [[ "${WILDCERT_E2E_NETNS:-}" != "1" ]]; then
    section "Dependencies (scripts/install-deps.sh)"
    # Only installs what is missing, so it needs root only on a machine that lacks something.
    "$repo/scripts/install-deps.sh"
    section "Build (meson + ninja into $build)"
    [[ -f "$build/build.ninja" ]] || meson setup "$build" "$repo"
    ninja -C "$build" -j2 src/cli/wildcert
    WILDCERT_DEMO_START="$(date +%s.%N)"
    export WILDCERT_DEMO_START
fi

export E2E_REPORT_RESULT=0
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib.sh
source "$repo/tests/e2e/lib.sh"
e2e_init "$@"
e2e_binary "$build/src/cli/wildcert"

section "Test servers (private network namespace)"
start_bind demo 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
echo "BIND 9:  demo.test on 127.0.0.1:53, TSIG key wildcert-key (hmac-sha256)"
echo "Pebble:  $PEBBLE_DIR_URL, validating through 127.0.0.1:53"

profile="$E2E_WORK/demo.toml"
state="$E2E_WORK/state"
write_profile "$profile"
section "Profile $profile"
echo "(the TSIG secret comes from \$TSIG_SECRET at run time; it is not in the file)"
cat "$profile"

section "wildcert issue -c $profile --state-dir $state -v"
start="$(date +%s.%N)"
rc=0
"$WILDCERT" issue -c "$profile" --state-dir "$state" -v || rc=$?
end="$(date +%s.%N)"
elapsed="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"

if ((rc != 0)); then
    section "Result"
    echo "wildcert exited with status $rc after ${elapsed}s"
    exit "$rc"
fi

live="$state/live/demo"
section "Certificate $live/cert.pem"
openssl x509 -in "$live/cert.pem" -noout -subject -issuer -serial
openssl x509 -in "$live/cert.pem" -noout -ext subjectAltName | sed 's/^ *//'
openssl x509 -in "$live/cert.pem" -noout -startdate -enddate
openssl x509 -in "$live/cert.pem" -noout -text |
    awk '/Public Key Algorithm:/ { alg = $NF } /Public-Key:/ { size = $2 } END { print "key: " alg ", " substr(size, 2) " bit" }'

section "Chain verification against Pebble's root"
openssl verify -show_chain -CAfile "$root" -untrusted "$live/chain.pem" "$live/cert.pem"

section "State directory"
printf '%s -> %s\n' "$live" "$(readlink "$live")"
find "$state" -printf '%M %m %u %p\n' | sort -k4 | sed "s|$state|<state>|"

section "Elapsed"
echo "wildcert issue: ${elapsed}s"
if [[ -n "${WILDCERT_DEMO_START:-}" ]]; then
    awk -v a="$WILDCERT_DEMO_START" -v b="$end" 'BEGIN { printf "whole demo (after the build): %.2fs\n", b - a }'
fi
[[ "${WILDCERT_E2E_KEEP:-}" == "1" ]] ||
    echo "(the work dir is removed on exit; WILDCERT_E2E_KEEP=1 keeps it)"
exit "$rc"
