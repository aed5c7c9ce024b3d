# shellcheck shell=bash
# Harness additions for the hostile peers (tests/hostile_ca, tests/hostile_dns): each program
# takes MODE and a file, listens on loopback, and writes where it listens to the file. Source
# after lib.sh.

HOSTILE_PID=""
HOSTILE_AT=""

# start_hostile_program PROGRAM MODE [ARGS...]: starts PROGRAM in MODE (with ARGS after the
# address file) and waits (bounded) until it has written its address; sets HOSTILE_AT (URL or
# address) and HOSTILE_PID.
start_hostile_program() {
    local program="$1" mode="$2" name
    name="$(basename "$program")-$mode"
    local file="$E2E_WORK/$name.at" i
    rm -f "$file"
    "$program" "$mode" "$file" "${@:3}" >"$E2E_WORK/$name.log" 2>&1 &
    HOSTILE_PID=$!
    E2E_PIDS+=("$HOSTILE_PID")
    for ((i = 0; i < 100; i++)); do
        [[ -s "$file" ]] && break
        kill -0 "$HOSTILE_PID" 2>/dev/null || fail "$name exited: $(cat "$E2E_WORK/$name.log")"
        sleep 0.1
    done
    [[ -s "$file" ]] || fail "$name wrote no address"
    HOSTILE_AT="$(cat "$file")"
    e2e_log "$name at $HOSTILE_AT (pid $HOSTILE_PID)"
}

# stop_hostile: stops the program start_hostile_program started last.
stop_hostile() {
    kill -TERM "$HOSTILE_PID" 2>/dev/null || true
    wait "$HOSTILE_PID" 2>/dev/null || true
}
