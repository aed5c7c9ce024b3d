#!/usr/bin/env bash
# Fleet benchmark: wall time and peak RSS of `wildcert renew` over 50 and 200 certificates
# that are all due (fresh state), and over 1000 certificates of which none is due, against a
# local Pebble and BIND 9, with where the time went: CPU seconds of wildcert, Pebble and
# named during each run (the rest of the wall time is waiting). Figures only, no
# thresholds; exits 1 only when a run fails.
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
named_pid="${E2E_PIDS[0]}" pebble_pid="${E2E_PIDS[1]}"
ticks="$(getconf CLK_TCK)"
# cpu_ticks PID: user + system CPU time of PID so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
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
    local pebble_before named_before
    pebble_before="$(cpu_ticks "$pebble_pid")" named_before="$(cpu_ticks "$named_pid")"
    start="$(date +%s.%N)"
    /usr/bin/time -f '%M %U %S' -o "$rss_file" "$WILDCERT" "$@" >"$E2E_WORK/bench.out" \
        2>"$err" || rc=$?
    end="$(date +%s.%N)"
    local wall peak client pebble named
    wall="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')"
    read -r peak client_user client_sys < <(tail -n 1 "$rss_file")
    client="$(awk -v u="$client_user" -v s="$client_sys" 'BEGIN { printf "%.2f", u + s }')"
    pebble="$(awk -v a="$pebble_before" -v b="$(cpu_ticks "$pebble_pid")" -v t="$ticks" \
        'BEGIN { printf "%.2f", (b - a) / t }')"
    named="$(awk -v a="$named_before" -v b="$(cpu_ticks "$named_pid")" -v t="$ticks" \
        'BEGIN { printf "%.2f", (b - a) / t }')"
    if ((rc != 0)); then
        printf '%-44s %9s s %9s KiB  FAILED (exit %s): %s\n' "$label" "$wall" "$peak" "$rc" \
            "$(tail -n 1 "$err")"
        failed=1
        return
    fi
    printf '%-44s %9s s %9s KiB   cpu: wildcert %6s s, pebble %6s s, named %5s s\n' \
        "$label" "$wall" "$peak" "$client" "$pebble" "$named"
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
