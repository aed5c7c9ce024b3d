#!/usr/bin/env bash
# Crash and secret hygiene, and mistakes caught before the first request (issue 14 items
# 13-15): a running wildcert is not dumpable and has RLIMIT_CORE 0 unless WILDCERT_ALLOW_CORE=1;
# an error about a value from a WILDCERT_* variable or a ${VAR} names the variable, never the
# value; a 253-character domain, an IP address as a domain, a file where archive/<name>
# should be and a planted live/<name> symlink each end the run with nothing sent to the CA.
# Usage: hygiene_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"
# nobody cannot run the secret scan's wrapper (root's, 0700): the runs as nobody use the binary.
real_binary="$(realpath "$1")"
command -v python3 >/dev/null 2>&1 || fail "python3 is missing"
command -v setpriv >/dev/null 2>&1 || fail "setpriv is missing (package util-linux)"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

e2e_log "--- (13) no core dump: not dumpable, RLIMIT_CORE 0, unless WILDCERT_ALLOW_CORE=1"
# A CA that accepts the connection and never answers holds wildcert in its first request
# while the test looks at the process. It runs as nobody: /proc/PID/* of a process that is
# not dumpable belong to root, of a dumpable one to its user.
port="$(free_port)"
python3 -c '
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1])))
s.listen(8)
held = []
deadline = time.time() + 300
while time.time() < deadline:
    s.settimeout(1)
    try:
        held.append(s.accept()[0])
        print("accepted", flush=True)
    except socket.timeout:
        pass
' "$port" >"$E2E_WORK/silent-ca.log" 2>&1 &
E2E_PIDS+=("$!")
chmod 0711 "$E2E_WORK"
nobody_dir="$E2E_WORK/as-nobody"
mkdir -m 0755 "$nobody_dir"
write_profile "$nobody_dir/silent.toml" directory="http://127.0.0.1:$port/dir" ca_bundle="$root"
chmod 0644 "$nobody_dir/silent.toml" "$root"

# held_run ALLOW: starts wildcert as nobody against the silent CA (WILDCERT_ALLOW_CORE=ALLOW
# when ALLOW is not empty), waits until it is connected, prints its pid.
held_run() {
    local allow="$1" state="$nobody_dir/state-$RANDOM" accepted i
    mkdir -m 0700 "$state"
    chown nobody "$state"
    accepted="$(grep -c accepted "$E2E_WORK/silent-ca.log" || true)"
    (
        ulimit -c unlimited
        # ASan would set RLIMIT_CORE 0 itself: here the limit must be wildcert's own doing.
        exec setpriv --reuid=nobody --regid=nogroup --clear-groups \
            env ${allow:+WILDCERT_ALLOW_CORE=$allow} ASAN_OPTIONS="${ASAN_OPTIONS:-}:disable_coredump=0" \
            "$real_binary" check -c "$nobody_dir/silent.toml" --state-dir "$state"
    ) >"$E2E_WORK/held-$RANDOM.out" 2>"$E2E_WORK/held-$RANDOM.err" &
    local pid=$!
    E2E_PIDS+=("$pid")
    for ((i = 0; i < 300; i++)); do
        (($(grep -c accepted "$E2E_WORK/silent-ca.log" || true) > accepted)) && break
        kill -0 "$pid" 2>/dev/null || fail "wildcert ended before it reached the silent CA"
        sleep 0.1
    done
    ((i < 300)) || fail "wildcert did not connect to the silent CA within 30 s"
    printf '%s\n' "$pid"
}
# The soft limit: the one the kernel obeys when it would write a core. (The hard limit stays,
# so that a deploy hook may raise its own.)
core_limit() {
    awk '/^Max core file size/ { print $5 }' "/proc/$1/limits"
}

pid="$(held_run "")"
assert_eq root "$(stat -c %U "/proc/$pid/environ")" "owner of /proc/PID/environ (not dumpable)"
assert_eq 0 "$(core_limit "$pid")" "RLIMIT_CORE soft limit"
kill "$pid"
pid="$(held_run 1)"
assert_eq nobody "$(stat -c %U "/proc/$pid/environ")" "owner of /proc/PID/environ (WILDCERT_ALLOW_CORE=1)"
assert_eq unlimited "$(core_limit "$pid")" "RLIMIT_CORE with WILDCERT_ALLOW_CORE=1"
kill "$pid"

e2e_log "--- (14) a value from the environment is named by its variable, never printed"
profile="$E2E_WORK/demo.toml"
state="$E2E_WORK/state"
write_profile "$profile"
requests="$(pebble_requests)"
WILDCERT_ACME_DIRECTORY="$TSIG_SECRET" wildcert_run issue -c "$profile" --state-dir "$state"
assert_exit 2
assert_contains "$WC_ERR" "WILDCERT_ACME_DIRECTORY"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"
assert_no_request_since "$requests"
# shellcheck disable=SC2016 # ${BAD_TTL} is for wildcert to interpolate
write_profile "$E2E_WORK/interpolated.toml" polling_interval='${BAD_INTERVAL}'
BAD_INTERVAL="$TSIG_SECRET" wildcert_run issue -c "$E2E_WORK/interpolated.toml" --state-dir "$state"
assert_exit 2
assert_contains "$WC_ERR" "BAD_INTERVAL"
assert_not_contains "$WC_ERR" "$TSIG_SECRET"
assert_no_request_since "$requests"

e2e_log "--- (15) mistakes found before the first request: exit 2, nothing sent"
long_label="$(printf 'a%.0s' {1..60})"
long="$long_label.$long_label.$long_label.$(printf 'b%.0s' {1..60}).demo.test"
((${#long} == 253)) || fail "test bug: the long name has ${#long} characters"
for domains in "\"$long\"" '"127.0.0.1"'; do
    write_profile "$E2E_WORK/bad-name.toml" domains="$domains" name=bad
    issue "$E2E_WORK/bad-name.toml" "$state"
    assert_exit 2
    assert_matches "$WC_LAST_ERR" 'bad-name\.toml:[0-9]+:[0-9]+: certificate\[1\]\.domains' "cause"
    assert_no_request_since "$requests"
done
issue "$profile" "$state"
assert_exit 0
requests="$(pebble_requests)"
mv "$state/archive/demo" "$state/archive-demo.real"
: >"$state/archive/demo"
issue "$profile" "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'archive/demo' "cause"
assert_no_request_since "$requests"
rm "$state/archive/demo"
mv "$state/archive-demo.real" "$state/archive/demo"
mkdir "$E2E_WORK/planted"
mv "$state/live/demo" "$state/live-demo.real"
ln -s "$E2E_WORK/planted" "$state/live/demo"
issue "$profile" "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'live/demo' "cause"
assert_no_request_since "$requests"
[[ -z "$(ls -A "$E2E_WORK/planted")" ]] || fail "something was written through live/demo"
