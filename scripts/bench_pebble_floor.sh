#!/usr/bin/env bash
# What Pebble itself allows: the least an ACME client can do per certificate
# (tests/bench/pebble_floor.cpp: newOrder, authorizations, answers, polls, finalize, download;
# no DNS, no state) against a Pebble that validates every challenge without looking
# (PEBBLE_VA_ALWAYS_VALID=1), next to `wildcert renew` of the same number of *.cNNN + cNNN
# certificates against that same Pebble and against one that really validates through BIND.
# The three lines split a fleet renewal's time into Pebble's floor, Pebble's DNS validation and
# what wildcert adds. Figures only; exit 1 when a run fails.
# Usage: scripts/bench_pebble_floor.sh [COUNT]   (default 1000; WILDCERT_BUILD_DIR as bench.sh)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
count="${1:-1000}"
build="$(realpath -m "${WILDCERT_BUILD_DIR:-$repo/build}")"
[[ "$count" =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: $0 [COUNT]" >&2
    exit 2
}
if [[ "${WILDCERT_E2E_NETNS:-}" != "1" ]]; then
    [[ -f "$build/build.ninja" ]] || meson setup "$build" "$repo" >/dev/null
    ninja -C "$build" -j2 src/cli/wildcert tests/bench/pebble-floor >/dev/null
fi
floor="$build/tests/bench/pebble-floor"

export E2E_REPORT_RESULT=0
export E2E_QUIET=1
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib.sh
source "$repo/tests/e2e/lib.sh"
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib_renew.sh
source "$repo/tests/e2e/lib_renew.sh"
e2e_init "$@"
e2e_binary "$build/src/cli/wildcert"

start_bind bench 127.0.0.1 53 demo.test
export TSIG_SECRET
TSIG_SECRET="$(tsig_secret wildcert-key)"
ticks="$(getconf CLK_TCK)"
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

echo "pebble floor benchmark: $count certificates of *.cNNN + cNNN (2 authorizations each)"
echo "  pebble:  $(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?'), -strict," \
    "PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0"
echo "  host:    $(nproc) CPU(s), $(uname -sr)"
echo

failed=0
# measure LABEL PEBBLE-PID COMMAND...: wall time and the CPU the command and Pebble used.
measure() {
    local label="$1" pebble_pid="$2"
    shift 2
    local before start end rc=0 times="$E2E_WORK/times"
    before="$(cpu_ticks "$pebble_pid")"
    start="$(date +%s.%N)"
    /usr/bin/time -f '%U %S' -o "$times" "$@" >"$E2E_WORK/out" 2>"$E2E_WORK/err" || rc=$?
    end="$(date +%s.%N)"
    local user sys
    read -r user sys < <(tail -n 1 "$times")
    if ((rc != 0)); then
        printf '%-58s FAILED (exit %s): %s\n' "$label" "$rc" "$(tail -n 1 "$E2E_WORK/err")"
        failed=1
        return
    fi
    awk -v l="$label" -v a="$start" -v b="$end" -v u="$user" -v s="$sys" -v p0="$before" \
        -v p1="$(cpu_ticks "$pebble_pid")" -v t="$ticks" 'BEGIN {
            printf "%-58s %8.3f s   cpu: client %6.2f s, pebble %6.2f s\n", l, b - a, u + s, (p1 - p0) / t }'
}

profile="$E2E_WORK/fleet.toml"

start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_VA_ALWAYS_VALID=1
always_valid="${E2E_PIDS[-1]}"
# Not more than 8 at once: with 32, Pebble 2.4 stops answering challenge POSTs (measured on
# 2026-12-03) and stays stuck for the runs after.
for concurrency in 4 8; do
    measure "floor loop, $concurrency at once, Pebble validating nothing" "$always_valid" \
        "$floor" "$PEBBLE_DIR_URL" "$PEBBLE_CA" "$count" "$concurrency"
done
fleet_profile "$profile" "$count" # for this Pebble's directory URL
measure "wildcert renew, Pebble validating nothing" "$always_valid" \
    "$WILDCERT" renew -c "$profile" --state-dir "$E2E_WORK/state-always-valid" --json
kill "$always_valid" 2>/dev/null || true

start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
fleet_profile "$profile" "$count"
measure "wildcert renew, Pebble validating through BIND" "${E2E_PIDS[-1]}" \
    "$WILDCERT" renew -c "$profile" --state-dir "$E2E_WORK/state-validating" --json
exit "$failed"
