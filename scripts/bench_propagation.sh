#!/usr/bin/env bash
# Propagation benchmark: issues *.X + X against a local Pebble, with the name servers of
# tests/e2e/lib_propagation.sh on their own loopback addresses, in two set-ups:
#   (a) immediate: fast.test on one primary, which serves each update at once
#   (b) lagging:   demo.test on that primary and a real secondary that transfers LAG seconds
#                  after each update (default 2)
# and prints per run: the wall time, the time from "records published" to "all servers agree"
# (seen from outside, from the time stamps of the -v lines; and as the binary reports it),
# the polling rounds and DNS queries the binary reports, and the TXT queries the authoritative
# servers logged. Then the medians. Figures only, no thresholds; exit 1 only when a run fails.
# Expected: (a) one polling round; (b) the whole issuance takes LAG plus under a second.
# Usage: scripts/bench_propagation.sh [RUNS] [PATH-TO-WILDCERT]   (defaults: 5,
#        build/src/cli/wildcert; BENCH_LAG=SECONDS; WILDCERT_BUILD_DIR=DIR as scripts/bench.sh)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-5}"
lag="${BENCH_LAG:-2}"
build="$(realpath -m "${WILDCERT_BUILD_DIR:-$repo/build}")"
binary="${2:-$build/src/cli/wildcert}"
[[ "$runs" =~ ^[1-9][0-9]*$ && "$lag" =~ ^[0-9]+(\.[0-9]+)?$ ]] || {
    echo "usage: $0 [RUNS] [PATH-TO-WILDCERT]   (BENCH_LAG=SECONDS)" >&2
    exit 2
}
if [[ "${WILDCERT_E2E_NETNS:-}" != "1" && -z "${2:-}" ]]; then
    [[ -f "$build/build.ninja" ]] || meson setup "$build" "$repo" >/dev/null
    ninja -C "$build" -j2 src/cli/wildcert >/dev/null
fi

export E2E_REPORT_RESULT=0
export E2E_QUIET=1
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib.sh
source "$repo/tests/e2e/lib.sh"
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib_propagation.sh
source "$repo/tests/e2e/lib_propagation.sh"
e2e_init "$@"
e2e_binary "$binary"
prop_setup

prop_zone fast.test "ns1.fast.test.=$PROP_NS1"
prop_zone demo.test "ns1.demo.test.=$PROP_NS1" "ns2.demo.test.=$PROP_NS2"
prop_start_named primary "$PROP_NS1" primary:fast.test primary:demo.test
prop_start_named secondary "$PROP_NS2" "secondary:demo.test:$PROP_NS1"
prop_start_resolver resolver "$PROP_RESOLVER" "fast.test=$PROP_NS1" \
    "demo.test=$PROP_NS1,$PROP_NS2"
prop_start_resolver ca-resolver "$PROP_CA_RESOLVER" "fast.test=$PROP_NS1" \
    "demo.test=$PROP_NS1,$PROP_NS2"
prop_start_lag "$lag" "$PROP_NS2" primary demo.test
for addr in "$PROP_NS1" "$PROP_NS2"; do
    prop_rndc "$addr" querylog on >/dev/null || fail "rndc querylog on at $addr"
done
# No deliberately rejected nonces: they would only add noise.
start_pebble "$PROP_CA_RESOLVER:53" PEBBLE_WFE_NONCEREJECT=0

echo "wildcert propagation benchmark: issue *.X + X, $runs runs per set-up"
echo "  binary:  $WILDCERT ($("$WILDCERT" --version 2>/dev/null | head -n 1))"
echo "  bind:    $(named -v); primary $PROP_NS1:53, secondary $PROP_NS2:53 (IXFR on rndc refresh)," \
    "resolvers $PROP_RESOLVER:53 (discovery) and $PROP_CA_RESOLVER:53 (Pebble)"
echo "  dns:     polling_interval 200ms; discovery through NS records; fresh state dir per run"
echo "  (a) immediate: fast.test, one name server (the primary)"
echo "  (b) lagging:   demo.test, primary + secondary that transfers ${lag}s after each update"
echo "  host:    $(nproc) CPU(s), $(uname -sr)"
echo
echo "  wall      whole issuance (account, order, DNS, validation, finalize, download)"
echo "  observed  'dns: published' line -> 'all servers agree' line, from their arrival times"
echo "  reported  T ms, rounds and queries from 'dns: all S server address(es) serve all N"
echo "            name(s) after T ms (R round(s), Q queries)' (n/a: the binary does not print it)"
echo "  seen      TXT queries for _acme-challenge names without EDNS (wildcert's, not the"
echo "            resolver's) in the authoritative servers' query logs during the run"
echo

failed=0
declare -A column=()

# One figure list per (set-up, column), space-separated; "n/a" entries are skipped by median.
add_figure() {
    column["$1"]="${column[$1]:-} $2"
}

median() {
    local values
    values="$(tr ' ' '\n' <<<"${column[$1]:-}" | grep -E '^[0-9.]+$' | sort -n || true)"
    if [[ -z "$values" ]]; then
        echo n/a
        return
    fi
    awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }' <<<"$values"
}

# Wildcert's TXT queries at the authoritative servers since the given log line counts.
seen_queries() {
    local total=0 name mark count
    for name in primary secondary; do
        mark="${log_mark[$name]}"
        count="$(tail -n +"$((mark + 1))" "$E2E_WORK/bind-$name/named.log" |
            grep -E 'query: _acme-challenge\.[^ ]* IN TXT -T? \(' -c || true)"
        total=$((total + count))
    done
    echo "$total"
}

declare -A log_mark=()
for setup in immediate lagging; do
    zone=fast.test
    [[ "$setup" == lagging ]] && zone=demo.test
    echo "($setup) $zone"
    printf '%5s  %9s  %13s  %13s  %7s  %8s  %5s\n' run "wall (s)" "observed (s)" "reported (ms)" \
        rounds queries seen
    for ((i = 1; i <= runs; i++)); do
        profile="$E2E_WORK/$setup-$i.toml"
        state="$E2E_WORK/state-$setup-$i"
        write_profile "$profile" server="$PROP_NS1:53" resolvers="\"$PROP_RESOLVER:53\"" \
            name="$setup" domains="\"*.$zone\", \"$zone\""
        for name in primary secondary; do
            log_mark[$name]="$(wc -l <"$E2E_WORK/bind-$name/named.log")"
        done
        E2E_QUIET=1 prop_issue "$profile" "$state"
        if [[ "$WC_RC" != 0 ]]; then
            printf '%5s  %9s  FAILED (exit %s): %s\n' "$i" "$WC_SECONDS" "$WC_RC" "$WC_LAST_ERR"
            failed=$((failed + 1))
            continue
        fi
        published="$(grep -F -m 1 'dns: published ' "$WC_STAMPED" | cut -d' ' -f1)"
        agreed="$(grep -E -m 1 "$PROP_AGREED_RE" "$WC_STAMPED" | cut -d' ' -f1)"
        observed=n/a
        [[ -n "$published" && -n "$agreed" ]] && observed="$(prop_elapsed "$published" "$agreed")"
        reported=n/a rounds=n/a queries=n/a
        line="$(grep -E -m 1 'dns: all [0-9]+ server address\(es\) serve all [0-9]+ name\(s\) after' \
            "$WC_ERR" || true)"
        re='after ([0-9]+) ms \(([0-9]+) round\(s\), ([0-9]+) quer'
        if [[ "$line" =~ $re ]]; then
            reported="${BASH_REMATCH[1]}" rounds="${BASH_REMATCH[2]}" queries="${BASH_REMATCH[3]}"
        fi
        seen="$(seen_queries)"
        printf '%5s  %9s  %13s  %13s  %7s  %8s  %5s\n' "$i" "$WC_SECONDS" "$observed" "$reported" \
            "$rounds" "$queries" "$seen"
        add_figure "$setup.wall" "$WC_SECONDS"
        add_figure "$setup.observed" "$observed"
        add_figure "$setup.reported" "$reported"
        add_figure "$setup.rounds" "$rounds"
        add_figure "$setup.queries" "$queries"
        add_figure "$setup.seen" "$seen"
        # The removal is an update too: let the secondary catch up, or the next run's records
        # would ride along with this refresh and seem to arrive early.
        [[ "$setup" == lagging ]] && E2E_QUIET=1 prop_wait_in_sync "$PROP_NS2" "$PROP_NS1" demo.test 30
    done
    printf '%6s  %9s  %13s  %13s  %7s  %8s  %5s\n' median "$(median "$setup.wall")" \
        "$(median "$setup.observed")" "$(median "$setup.reported")" "$(median "$setup.rounds")" \
        "$(median "$setup.queries")" "$(median "$setup.seen")"
    echo
done

if ((failed > 0)); then
    echo "$failed run(s) failed; their stderr is in the work dir (WILDCERT_E2E_KEEP=1 keeps it)"
    exit 1
fi
