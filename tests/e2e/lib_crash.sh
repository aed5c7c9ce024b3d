# shellcheck shell=bash
# Helpers for the crash and signal tests: wildcert runs in the background that the test kills
# or signals, and checks of the live/ set and the zone after such a run. Source after lib.sh
# (and lib_renew.sh for fleet profiles).

# start_background ARGS...: starts "$WILDCERT" ARGS... in the background (no `timeout` wrapper:
# the signals must reach wildcert itself). Sets WC_PID, WC_OUT, WC_ERR, WC_CMD and
# WC_STARTED (epoch seconds with fractions).
start_background() {
    E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
    WC_OUT="$E2E_WORK/run-$E2E_RUN_SEQ.out"
    WC_ERR="$E2E_WORK/run-$E2E_RUN_SEQ.err"
    WC_CMD="wildcert $* (background)"
    WC_STARTED="$(date +%s.%N)"
    # Created here, not by the background shell, so that a wait for a line can read it at once.
    : >"$WC_OUT"
    : >"$WC_ERR"
    "$WILDCERT" "$@" >"$WC_OUT" 2>"$WC_ERR" &
    WC_PID=$!
}

# finish_background [LIMIT]: waits at most LIMIT seconds (default 60) for the background run;
# a run still alive then is killed and fails the test. Sets WC_RC, WC_LAST_ERR and
# WC_SECONDS (since start_background).
finish_background() {
    local limit="${1:-60}" i
    for ((i = 0; i < limit * 50; i++)); do
        kill -0 "$WC_PID" 2>/dev/null || break
        sleep 0.02
    done
    if kill -0 "$WC_PID" 2>/dev/null; then
        kill -KILL "$WC_PID" 2>/dev/null || true
        wait "$WC_PID" 2>/dev/null || true
        fail "wildcert (pid $WC_PID) still ran ${limit}s after it should have ended"
    fi
    WC_RC=0
    wait "$WC_PID" || WC_RC=$?
    WC_SECONDS="$(awk -v a="$WC_STARTED" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
    # shellcheck disable=SC2034 # for callers
    WC_LAST_ERR="$(tail -n 1 "$WC_ERR")"
    e2e_log "run $E2E_RUN_SEQ: $WC_CMD -> exit $WC_RC in ${WC_SECONDS}s"
}

# wait_for_stderr TEXT [LIMIT]: waits (bounded, default 60s) until the background run's stderr
# holds TEXT; fails when the run ends or the limit passes first.
wait_for_stderr() {
    local text="$1" limit="${2:-60}" i
    for ((i = 0; i < limit * 50; i++)); do
        grep -qF -- "$text" "$WC_ERR" && return 0
        if ! kill -0 "$WC_PID" 2>/dev/null; then
            finish_background 1
            fail "wildcert ended before its stderr said '$text'"
        fi
        sleep 0.02
    done
    fail "no '$text' on wildcert's stderr within ${limit}s"
}

# wait_for_file FILE [LIMIT]: waits (bounded, default 60s) until FILE is not empty.
wait_for_file() {
    local file="$1" limit="${2:-60}" i
    for ((i = 0; i < limit * 50; i++)); do
        [[ -s "$file" ]] && return 0
        sleep 0.02
    done
    fail "$file did not appear within ${limit}s"
}

# live_target STATE NAME: where live/NAME points ("none" without one).
live_target() {
    readlink "$1/live/$2" 2>/dev/null || echo none
}

# leaf_fingerprint STATE NAME: SHA-256 fingerprint of live/NAME/cert.pem ("none" without one).
leaf_fingerprint() {
    if [[ -s "$1/live/$2/cert.pem" ]]; then
        openssl x509 -in "$1/live/$2/cert.pem" -noout -fingerprint -sha256 | cut -d= -f2
    else
        echo none
    fi
}

# challenge_record_count ZONE [SERVER:PORT]: how many _acme-challenge TXT records ZONE holds
# now (zone transfer).
challenge_record_count() {
    local zone="$1" server="${2:-127.0.0.1:53}"
    local host="${server%:*}" port="${server##*:}" axfr
    axfr="$(dig @"$host" -p "$port" AXFR "$zone" +time=3 +tries=1)" ||
        fail "AXFR $zone from $server failed"
    grep -ciE '^_acme-challenge.*[[:space:]]TXT[[:space:]]' <<<"$axfr" || true
}

# journal_records STATE: how many lines the state dir's cleanup journals hold.
journal_records() {
    if [[ -d "$1/journal" ]]; then
        find "$1/journal" -name '*.txt' -type f -exec cat {} + | grep -c . || true
    else
        echo 0
    fi
}

# phase_of LINE: a short label for the step a stderr line reports ("dns: published",
# "acme: order", ...), for the summary of where kills landed.
phase_of() {
    local line="$1"
    [[ -n "$line" ]] || {
        echo "(nothing yet)"
        return 0
    }
    awk '{ print $1, $2 }' <<<"${line#wildcert: }" | tr -d '0-9' | sed 's/[[:space:]]*$//'
}
