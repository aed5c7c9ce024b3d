#!/usr/bin/env bash
# Fleet benchmark: wall time and peak RSS of `wildcert renew` over 50 and 200 certificates
# that are all due (fresh state), and over 1000 certificates of which none is due, against a
# local Pebble and BIND 9. Figures only, no thresholds; exits 1 only when a run fails.
# Usage: scripts/bench_renew.sh [PATH-TO-WILDCERT]   (default: build/src/cli/wildcert;
#        WILDCERT_BUILD_DIR=DIR builds and uses DIR instead of ./build;
#        BENCH_FLEETS="50 200" and BENCH_NOOP=1000 change the sizes)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(realpath -m "${WILDCERT_BUILD_DIR:-$repo/build}")"
binary="${1:-$build/src/cli/wildcert}"
fleets="${BENCH_FLEETS:-50 200}"
noop="${BENCH_NOOP:-1000}"
if [[ ! -x /usr/bin/time ]]; then
    echo "bench: /usr/bin/time (GNU time) is missing: scripts/install-deps.sh installs it" >&2
    exit 1
fi
if [[ "${WILDCERT_E2E_NETNS:-}" != "1" && -z "${1:-}" ]]; then
    [[ -f "$build/build.ninja" ]] || meson setup "$build" "$repo" >/dev/null
    ninja -C "$build" -j2 src/cli/wildcert >/dev/null
fi

export E2E_REPORT_RESULT=0
export E2E_QUIET=1
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib.sh
source "$repo/tests/e2e/lib.sh"
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib_renew.sh
source "$repo/tests/e2e/lib_renew.sh"
e2e_init "$@"
e2e_binary "$binary"

start_bind bench 127.0.0.1 53 demo.test
# No random validation delay, and no deliberately rejected nonces: both would only add noise.
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
export TSIG_SECRET
TSIG_SECRET="$(tsig_secret wildcert-key)"

echo "wildcert benchmark: renew fleets of *.cNNN.demo.test + cNNN.demo.test certificates"
echo "  binary:  $WILDCERT ($("$WILDCERT" --version 2>/dev/null | head -n 1))"
echo "  pebble:  $(dpkg-query -W -f='${Version}' pebble 2>/dev/null || echo '?'), -strict," \
    "PEBBLE_VA_NOSLEEP=1, PEBBLE_WFE_NONCEREJECT=0"
echo "  bind:    $(named -v), RFC 2136 + TSIG on 127.0.0.1:53, every record in demo.test"
echo "  renew:   default concurrency (8 orders at once), ec-p256 keys"
echo "  host:    $(nproc) CPU(s), $(uname -sr)"
echo

# run_measured LABEL ARGS...: runs wildcert with GNU time; prints wall time and peak RSS.
failed=0
run_measured() {
    local label="$1"
    shift
    local rss_file="$E2E_WORK/rss" err="$E2E_WORK/bench.err" start end rc=0
    start="$(date +%s.%N)"
    /usr/bin/time -f %M -o "$rss_file" "$WILDCERT" "$@" >"$E2E_WORK/bench.out" 2>"$err" || rc=$?
    end="$(date +%s.%N)"
    local wall peak
    wall="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
    peak="$(tail -n 1 "$rss_file")"
    if ((rc != 0)); then
        printf '%-44s %9s s %9s KiB  FAILED (exit %s): %s\n' "$label" "$wall" "$peak" "$rc" \
            "$(tail -n 1 "$err")"
        failed=1
        return
    fi
    printf '%-44s %9s s %9s KiB\n' "$label" "$wall" "$peak"
}

printf '%-44s %11s %13s\n' "run" "wall" "peak RSS"
for count in $fleets; do
    profile="$E2E_WORK/fleet-$count.toml"
    fleet_profile "$profile" "$count"
    run_measured "renew, $count certificates, all due" \
        renew -c "$profile" --state-dir "$E2E_WORK/state-$count" --json
    issued="$(jq '.counts.issued' "$E2E_WORK/bench.out" 2>/dev/null || echo '?')"
    echo "    ($issued issued)"
done

profile="$E2E_WORK/fleet-$noop.toml"
state="$E2E_WORK/state-$noop"
fleet_profile "$profile" "$noop"
run_measured "setup: issue $noop certificates" renew -c "$profile" --state-dir "$state" --json
for run in 1 2 3; do
    run_measured "renew, $noop certificates, none due (run $run)" \
        renew -c "$profile" --state-dir "$state" --json
    not_due="$(jq '.counts["not-due"]' "$E2E_WORK/bench.out" 2>/dev/null || echo '?')"
    echo "    ($not_due not due)"
done
exit "$failed"
