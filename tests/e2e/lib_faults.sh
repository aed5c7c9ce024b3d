# shellcheck shell=bash
# Harness additions for the DNS fault test (issue 7): a wildcert run in the background, so a
# test can break a server at a chosen moment of the run. Source after lib.sh.

FAULTS_PID=""
FAULTS_START=""

# faults_issue_start PROFILE STATE [ARGS...]: starts `wildcert issue -c PROFILE --state-dir
# STATE -v ARGS...` in the background with the same bounded run time as issue(); sets WC_OUT,
# WC_ERR, WC_CMD and FAULTS_PID. faults_issue_wait finishes it.
faults_issue_start() {
    local profile="$1" state="$2"
    shift 2
    E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
    WC_OUT="$E2E_WORK/run-$E2E_RUN_SEQ.out"
    WC_ERR="$E2E_WORK/run-$E2E_RUN_SEQ.err"
    WC_CMD="wildcert issue -c $profile --state-dir $state -v $*"
    FAULTS_START="$(date +%s.%N)"
    timeout -k 5 "${WILDCERT_E2E_RUN_TIMEOUT:-240}" "$WILDCERT" issue -c "$profile" \
        --state-dir "$state" -v "$@" >"$WC_OUT" 2>"$WC_ERR" &
    FAULTS_PID=$!
}

# faults_wait_line REGEX [SECONDS]: waits (bounded, default 60 s) until the running issue's
# stderr has a line matching REGEX; fails if the run ends first or the time runs out.
faults_wait_line() {
    local regex="$1" limit="${2:-60}" i
    for ((i = 0; i < limit * 50; i++)); do
        grep -qE -- "$regex" "$WC_ERR" 2>/dev/null && return 0
        kill -0 "$FAULTS_PID" 2>/dev/null ||
            fail "wildcert ended before logging /$regex/: $(tail -n 5 "$WC_ERR")"
        sleep 0.02
    done
    fail "wildcert did not log /$regex/ within ${limit}s"
}

# faults_issue_wait: waits for the background run; sets WC_RC, WC_SECONDS and WC_LAST_ERR
# like wildcert_run.
faults_issue_wait() {
    WC_RC=0
    wait "$FAULTS_PID" || WC_RC=$?
    local end
    end="$(date +%s.%N)"
    WC_SECONDS="$(awk -v a="$FAULTS_START" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
    # shellcheck disable=SC2034 # for the assertions in lib.sh and the tests
    WC_LAST_ERR="$(tail -n 1 "$WC_ERR")"
    e2e_log "run $E2E_RUN_SEQ: $WC_CMD -> exit $WC_RC in ${WC_SECONDS}s"
}

# faults_wait_txt_count SERVER:PORT NAME COUNT [SECONDS]: waits (bounded, default 10 s) until
# SERVER serves exactly COUNT TXT values at NAME.
faults_wait_txt_count() {
    local server="$1" name="$2" count="$3" limit="${4:-10}" i values
    for ((i = 0; i < limit * 20; i++)); do
        values="$(txt_values "$server" "$name")"
        [[ "$(grep -c . <<<"$values" || true)" == "$count" ]] && return 0
        sleep 0.05
    done
    fail "$server does not serve $count TXT value(s) at $name within ${limit}s: $values"
}
