#!/usr/bin/env bash
# Speed benchmark: issues *.demo.test + demo.test N times against a local Pebble and BIND 9 (the
# setup of scripts/demo.sh) and prints each wall time, the median and the peak RSS. Figures
# only, no pass/fail thresholds; it exits 1 only when a run fails (then the figures mean
# nothing).
# Usage: scripts/bench.sh [RUNS] [PATH-TO-WILDCERT]   (defaults: 7, build/src/cli/wildcert;
#        WILDCERT_BUILD_DIR=DIR builds and uses DIR instead of ./build)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-7}"
build="$(realpath -m "${WILDCERT_BUILD_DIR:-$repo/build}")"
binary="${2:-$build/src/cli/wildcert}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || {
    echo "usage: $0 [RUNS] [PATH-TO-WILDCERT]" >&2
    exit 2
}
if [[ ! -x /usr/bin/time ]]; then
    echo "bench: /usr/bin/time (GNU time) is missing: scripts/install-deps.sh installs it" >&2
    exit 1
fi
if [[ "${WILDCERT_E2E_NETNS:-}" != "1" && -z "${2:-}" ]]; then
    [[ -f "$build/build.ninja" ]] || meson setup "$build" "$repo" >/dev/null
    ninja -C "$build" -j2 src/cli/wildcert >/dev/null
fi

export E2E_REPORT_RESULT=0
export E2E_QUIET=1
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib.sh
source "$repo/tests/e2e/lib.sh"
e2e_init "$@"
e2e_binary "$binary"

start_bind bench 127.0.0.1 53 demo.test
# No random validation delay, and no deliberately rejected nonces: both would only add noise.
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
profile="$E2E_WORK/bench.toml"
write_profile "$profile"

echo "wildcert benchmark: issue *.demo.test + demo.test, $runs runs"
echo "  binary:  $WILDCERT ($("$WILDCERT" --version 2>/dev/null | head -n 1))"
echo "  pebble:  $(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?'), -strict," \
    "PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0 (no random badNonce) for stable figures"
echo "  bind:    $(named -v), RFC 2136 + TSIG hmac-sha256 on 127.0.0.1:53"
echo "  dns:     polling_interval 200ms, propagation checked on every authoritative server"
echo "  state:   fresh state dir per run (new account, new key, no authorization reuse)"
echo "  host:    $(nproc) CPU(s), $(uname -sr)"
echo

times=()
rss=()
failed=0
printf '%5s  %10s  %12s\n' run "wall (s)" "max RSS (KiB)"
for ((i = 1; i <= runs; i++)); do
    state="$E2E_WORK/state-$i"
    rss_file="$E2E_WORK/rss-$i"
    err="$E2E_WORK/run-$i.err"
    start="$(date +%s.%N)"
    rc=0
    /usr/bin/time -f %M -o "$rss_file" \
        "$WILDCERT" issue -c "$profile" --state-dir "$state" >/dev/null 2>"$err" || rc=$?
    end="$(date +%s.%N)"
    wall="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
    # GNU time adds a "Command exited with non-zero status" line before the figure on failure.
    peak="$(tail -n 1 "$rss_file")"
    if ((rc != 0)); then
        printf '%5s  %10s  %12s  FAILED (exit %s): %s\n' "$i" "$wall" "$peak" "$rc" "$(tail -n 1 "$err")"
        failed=$((failed + 1))
        continue
    fi
    printf '%5s  %10s  %12s\n' "$i" "$wall" "$peak"
    times+=("$wall")
    rss+=("$peak")
done

echo
if ((${#times[@]} > 0)); then
    median="$(printf '%s\n' "${times[@]}" | sort -n |
        awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')"
    fastest="$(printf '%s\n' "${times[@]}" | sort -n | head -n 1)"
    slowest="$(printf '%s\n' "${times[@]}" | sort -n | tail -n 1)"
    peak_rss="$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)"
    echo "median wall time: ${median} s (fastest ${fastest} s, slowest ${slowest} s, ${#times[@]} runs)"
    echo "peak RSS:         ${peak_rss} KiB (max over runs, GNU time %M)"
fi
if ((failed > 0)); then
    echo "$failed run(s) failed; their stderr is in the work dir (WILDCERT_E2E_KEEP=1 keeps it)"
    exit 1
fi
