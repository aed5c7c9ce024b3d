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
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
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
issue "$profile" "$state"
assert_exit 0
assert_fleet_live "$state" "$root" 2
assert_no_challenge_records demo.test
duration="$WC_SECONDS"
e2e_log "an unkilled run takes ${duration}s"

# A few kills right after the start (profile, state dir, account), then 32 spread evenly.
delays=(0.005 0.02 0.05 0.1)
for ((i = 1; i <= 32; i++)); do
    delays+=("$(awk -v d="$duration" -v i="$i" 'BEGIN { printf "%.3f", d * i / 34 }')")
done

declare -A before_fp before_target
killed=0 survived=0 finished_first=0 kept_old=0 took_new=0 left_behind=0
stale=0 mixed=0 # any of them fails the test at once
declare -A phases
for ((k = 0; k < ${#delays[@]}; k++)); do
    delay="${delays[$k]}"
    for name in "${names[@]}"; do
        before_fp[$name]="$(leaf_fingerprint "$state" "$name")"
        before_target[$name]="$(live_target "$state" "$name")"
    done

    start_background issue -c "$profile" --state-dir "$state" -v
    sleep "$delay"
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

    # live/: for each name the old set or a new complete one, and nothing half-written.
    for name in "${names[@]}"; do
        assert_no_partial_live "$state" "$name"
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
    # Every fourth kill, a full issuance right after proves the state dir is fit to go on.
    if ((k % 4 == 3)); then
        issue "$profile" "$state"
        assert_exit 0
        assert_fleet_live "$state" "$root" 2
        assert_no_challenge_records demo.test
    fi
    survived=$((survived + 1))
    e2e_log "kill $((k + 1)) after ${delay}s: $phase; $left record(s) left, removed by the next run"
done

total="${#delays[@]}"
((total >= 30)) || fail "only $total kill points"
((killed >= 30)) || fail "only $killed of $total runs were really killed (the others finished first)"
((took_new > 0)) || fail "no kill landed after an install: the delays do not reach the end of a run"
((left_behind > 0)) || fail "no kill landed while records were published: the delays miss that window"
printf 'kill points: %d of %d survived, %d stale records, %d mixed live/ sets\n' \
    "$survived" "$total" "$stale" "$mixed"
printf 'killed: %d (finished before the kill: %d); live sets kept: %d, new: %d; records left by kills: %d, all removed by the next run\n' \
    "$killed" "$finished_first" "$kept_old" "$took_new" "$left_behind"
printf 'phases hit (last stderr line before the kill):\n'
for phase in "${!phases[@]}"; do
    printf '  %3d  %s\n' "${phases[$phase]}" "$phase"
done | sort -k2
