#!/usr/bin/env bash
# Crash safety: wildcert issue of a two-certificate profile is killed with SIGKILL at more than
# 30 points spread over its run. After each kill live/ holds the old complete set or a new
# complete one (never a mix), and the next run completes and removes every record the killed
# run left.
# Usage: crash_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
# shellcheck source-path=SCRIPTDIR source=lib_crash.sh
source "$(dirname "$0")/lib_crash.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
# No nonce rejections here: the kill points should spread over the steps, not over retries.
# No authorization reuse: every run publishes records, so kills can land while they are out.
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0 PEBBLE_AUTHZREUSE=0
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
profile="$E2E_WORK/crash.toml"
state="$E2E_WORK/state"
fleet_profile "$profile" 2
names=(c01 c02)

e2e_log "--- the first set, then one unkilled run to measure how long a run takes"
issue "$profile" "$state"
assert_exit 0
assert_fleet_live "$state" "$root" 2
# Run times vary; the fastest of three sets the scale, so that most kills land inside a run.
duration=""
for ((i = 0; i < 3; i++)); do
    issue "$profile" "$state"
    assert_exit 0
    assert_fleet_live "$state" "$root" 2
    assert_no_challenge_records demo.test
    duration="$(awk -v a="${duration:-$WC_SECONDS}" -v b="$WC_SECONDS" 'BEGIN { print (b < a ? b : a) }')"
done
e2e_log "the fastest unkilled run took ${duration}s"

# A few kills right after the start (profile, state dir, account), then 36 spread evenly.
delays=(0.005 0.02 0.05 0.1)
for ((i = 1; i <= 36; i++)); do
    delays+=("$(awk -v d="$duration" -v i="$i" 'BEGIN { printf "%.3f", d * i / 38 }')")
done
# Slower runs end later: a few points past the fastest run's end reach their installs.
for f in 1.05 1.15 1.3; do
    delays+=("$(awk -v d="$duration" -v f="$f" 'BEGIN { printf "%.3f", d * f }')")
done
# Kill points keyed to an event instead of a time: as soon as the log says the records are
# published. On a fast machine (or a slow sanitizer build) that window can fall between two
# timed points.
delays+=(published published published)

declare -A before_fp before_target
killed=0 survived=0 finished_first=0 kept_old=0 took_new=0 left_behind=0 temporaries=0
stale=0 mixed=0 # any of them fails the test at once
declare -A phases
for ((k = 0; k < ${#delays[@]}; k++)); do
    delay="${delays[$k]}"
    for name in "${names[@]}"; do
        before_fp[$name]="$(leaf_fingerprint "$state" "$name")"
        before_target[$name]="$(live_target "$state" "$name")"
    done

    start_background issue -c "$profile" --state-dir "$state" -v
    if [[ "$delay" == published ]]; then
        for ((tick = 0; tick < 3000; tick++)); do # at most 30 s
            grep -q 'dns: published' "$WC_ERR" 2>/dev/null && break
            kill -0 "$WC_PID" 2>/dev/null || break
            sleep 0.01
        done
    else
        sleep "$delay"
    fi
    kill -KILL "$WC_PID" 2>/dev/null || true
    finish_background 10
    if ((WC_RC == 137)); then
        killed=$((killed + 1))
        phase="$(phase_of "$WC_LAST_ERR")"
    else
        # The run ended before the kill: it must have succeeded.
        assert_exit 0
        finished_first=$((finished_first + 1))
        phase="(finished)"
    fi
    phases[$phase]=$((${phases[$phase]:-0} + 1))

    # A kill inside a write leaves that write's temporary file (never under a final name):
    # counted here, and the next run must remove it.
    if [[ -n "$(find "$state" -name '*.tmp-*')" ]]; then
        temporaries=$((temporaries + 1))
    fi
    # archive/: a numbered version is complete the moment it appears (it is written in a staging
    # folder with a temporary name and renamed whole), even right after the kill.
    for name in "${names[@]}"; do
        for version in "$state/archive/$name"/[0-9]*/; do
            [[ -d "$version" ]] || continue
            for file in privkey.pem cert.pem chain.pem fullchain.pem info.txt; do
                [[ -s "$version/$file" ]] ||
                    fail "incomplete archive version $version after kill $k: no $file"
            done
        done
    done
    # live/: for each name the old set or a new complete one.
    for name in "${names[@]}"; do
        # A mix (a key that does not match its certificate, a fullchain of another version,
        # a missing file) fails the test here, so the summary's count can only be 0.
        assert_cert "$state/live/$name" "$root" "*.$name.demo.test" "$name.demo.test"
        if [[ "$(leaf_fingerprint "$state" "$name")" == "${before_fp[$name]}" ]]; then
            assert_eq "${before_target[$name]}" "$(live_target "$state" "$name")" \
                "live/$name target while its certificate is unchanged (kill $k after ${delay}s)"
            kept_old=$((kept_old + 1))
        else
            [[ "$(live_target "$state" "$name")" != "${before_target[$name]}" ]] ||
                fail "live/$name has a new certificate in its old version folder (kill $k)"
            took_new=$((took_new + 1))
        fi
    done
    left="$(challenge_record_count demo.test)"
    left_behind=$((left_behind + left))

    # The next run: renew (nothing is due) must still remove what the killed run left.
    renew "$profile" "$state"
    assert_exit 0
    if ((left > 0)); then
        assert_contains "$WC_ERR" "left by an earlier run"
    fi
    # Stale records after the next run fail the test here (the summary's count is of them).
    assert_no_challenge_records demo.test
    assert_eq 0 "$(journal_records "$state")" "journal lines after the next run (kill $k)"
    [[ -z "$(find "$state" -name '*.tmp-*')" ]] ||
        fail "temporaries left after the next run (kill $k): $(find "$state" -name '*.tmp-*')"
    for name in "${names[@]}"; do
        assert_no_partial_live "$state" "$name"
    done
    # Every fourth kill, a full issuance right after proves the state dir is fit to go on.
    if ((k % 4 == 3)); then
        issue "$profile" "$state"
        assert_exit 0
        assert_fleet_live "$state" "$root" 2
        assert_no_challenge_records demo.test
    fi
    survived=$((survived + 1))
    e2e_log "kill $((k + 1)) after ${delay}$([[ "$delay" == published ]] || echo s): $phase; $left record(s) left, removed by the next run"
done

total="${#delays[@]}"
((total >= 30)) || fail "only $total kill points"
((killed >= 30)) || fail "only $killed of $total runs were really killed (the others finished first)"
((left_behind > 0)) || fail "no kill landed while records were published: the delays miss that window"
printf 'kill points: %d of %d survived, %d stale records, %d mixed live/ sets\n' \
    "$survived" "$total" "$stale" "$mixed"
printf 'killed: %d (finished before the kill: %d); live sets kept: %d, new: %d; records left by kills: %d, kills that left temporary files: %d, all removed by the next run\n' \
    "$killed" "$finished_first" "$kept_old" "$took_new" "$left_behind" "$temporaries"
printf 'phases hit (last stderr line before the kill):\n'
for phase in "${!phases[@]}"; do
    printf '  %3d  %s\n' "${phases[$phase]}" "$phase"
done | sort -k2
