#!/usr/bin/env bash
# A hostile DNS server (tests/hostile_dns; hardening issue item 7, issue 13 item 4) against the
# real binary, as the RFC 2136 server and as the nameserver the checks ask: a TCP server that
# accepts and never answers, one that trickles a valid reply a byte a second, a TCP service
# that is not DNS (an HTTP server's 400), and UDP silence. Every run must end within its
# configured timeout plus a margin (wall time from date +%s%N), whatever the server does, and
# say what happened: the time it waited, "not a DNS reply", "connection refused" only when
# the port is closed. Records published to the real BIND are removed again.
# Usage: hostile_dns_test.sh PATH-TO-WILDCERT PATH-TO-HOSTILE-DNS
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_faults.sh
source "$(dirname "$0")/lib_faults.sh"
# shellcheck source-path=SCRIPTDIR source=lib_hostile.sh
source "$(dirname "$0")/lib_hostile.sh"
e2e_init "$@"
e2e_binary "${1:-}"
[[ -x "${2:-}" ]] || fail "usage: $(basename "$0") PATH-TO-WILDCERT PATH-TO-HOSTILE-DNS"
hostile_dns="$(realpath "$2")"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
# A run that ignored its deadlines is killed here, and fails.
export WILDCERT_E2E_RUN_TIMEOUT=90
# The margin over a deadline: start-up, discovery and the ACME account on a loaded 2-core
# machine with the sanitizer build. A per-read timeout would take 2x a silent server's
# timeout, and a trickled reply of ~30 bytes takes 30 s.
margin_ms=2000

# start_hostile MODE: starts hostile_dns in MODE; sets HOSTILE_ADDR (127.0.0.1:PORT) and
# HOSTILE_PID.
start_hostile() {
    start_hostile_program "$hostile_dns" "$1"
    HOSTILE_ADDR="$HOSTILE_AT"
}

# timed_run ARGS...: wildcert_run, with the wall time in ms (date +%s%N) in RUN_MS.
timed_run() {
    local start end
    start="$(date +%s%N)"
    wildcert_run "$@"
    end="$(date +%s%N)"
    RUN_MS=$(((end - start) / 1000000))
}

# assert_within DEADLINE_MS [AT_LEAST_MS]: the last run took less than DEADLINE_MS plus the
# margin (and at least AT_LEAST_MS, when given: the deadline was waited for, not skipped).
assert_within() {
    local limit=$(($1 + margin_ms))
    ((RUN_MS < limit)) || fail "the run took ${RUN_MS} ms; the deadline is $1 ms (+ ${margin_ms} ms margin)"
    [[ -z "${2:-}" ]] || ((RUN_MS >= $2)) || fail "the run took ${RUN_MS} ms, less than the $2 ms deadline it reports"
    e2e_log "wall time ${RUN_MS} ms (deadline $1 ms)"
}

# update_profile FILE SERVER: the hostile server takes the updates (timeout = 2 s); BIND
# resolves and is the nameserver.
update_profile() {
    write_profile "$1" server="$2"
    sed -i '/^\[dns\.rfc2136\]$/a timeout = 2' "$1"
}

# nameserver_profile FILE SERVER: BIND takes the updates; the hostile server is the one
# nameserver the checks ask, with a 2 s propagation timeout.
nameserver_profile() {
    write_profile "$1" nameservers="\"$2\"" propagation_timeout=2s
}

assert_clean() {
    assert_no_challenge_records demo.test
    assert_no_live "$1" demo
    assert_not_contains "$WC_ERR" "$TSIG_SECRET"
}

e2e_log "=== as the RFC 2136 server (the access check before any order is one UPDATE)"

e2e_log "--- accepts TCP, never answers"
start_hostile silent
update_profile "$E2E_WORK/u-silent.toml" "$HOSTILE_ADDR"
timed_run issue -c "$E2E_WORK/u-silent.toml" --state-dir "$E2E_WORK/s-u-silent" -v
stop_hostile
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "update of zone demo\.test\. at ${HOSTILE_ADDR//./\\.}: no answer within 2s" "cause"
assert_within 2000 2000
assert_clean "$E2E_WORK/s-u-silent"

e2e_log "--- trickles a valid reply, one byte a second"
start_hostile trickle
update_profile "$E2E_WORK/u-trickle.toml" "$HOSTILE_ADDR"
timed_run issue -c "$E2E_WORK/u-trickle.toml" --state-dir "$E2E_WORK/s-u-trickle" -v
stop_hostile
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "at ${HOSTILE_ADDR//./\\.}: no complete answer within 2s \([0-9]+ (of [0-9]+ )?bytes? arrived\)" "cause"
assert_within 2000 2000
assert_clean "$E2E_WORK/s-u-trickle"

e2e_log "--- an HTTP server on the port"
start_hostile not-dns
update_profile "$E2E_WORK/u-http.toml" "$HOSTILE_ADDR"
timed_run issue -c "$E2E_WORK/u-http.toml" --state-dir "$E2E_WORK/s-u-http" -v
stop_hostile
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "at ${HOSTILE_ADDR//./\\.}: not a DNS reply \(it starts with \"HTTP/1\.1 400 Bad Request" "cause"
if grep -qi "refused" <<<"$WC_LAST_ERR"; then
    fail "a service that is not DNS was reported as refused: $WC_LAST_ERR"
fi
# Told from the first bytes, not at the deadline.
assert_within 0
assert_clean "$E2E_WORK/s-u-http"

e2e_log "--- nothing listens on TCP (UDP silent)"
start_hostile udp-silent
update_profile "$E2E_WORK/u-closed.toml" "$HOSTILE_ADDR"
timed_run issue -c "$E2E_WORK/u-closed.toml" --state-dir "$E2E_WORK/s-u-closed" -v
stop_hostile
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" "at ${HOSTILE_ADDR//./\\.}: TCP connection refused$" "cause"
assert_within 0
assert_clean "$E2E_WORK/s-u-closed"

e2e_log "=== as the nameserver: wildcert check (one SOA question, 3 s)"
# mode PATTERN: `wildcert check` with the hostile server as the only nameserver.
check_against() {
    start_hostile "$1"
    nameserver_profile "$E2E_WORK/c-$1.toml" "$HOSTILE_ADDR"
    timed_run check -c "$E2E_WORK/c-$1.toml" --state-dir "$E2E_WORK/s-c-$1"
    stop_hostile
    assert_exit 1
    local line
    line="$(grep -F "nameserver $HOSTILE_ADDR" "$WC_OUT")" || fail "check names no nameserver $HOSTILE_ADDR: $(cat "$WC_OUT")"
    assert_matches "$line" "^FAIL nameserver .*: unreachable: DNS server ${HOSTILE_ADDR//./\\.}: SOA query for demo\.test\.$2" "check line"
}
check_against silent ' \(over TCP after a truncated UDP reply\): no answer within 3s$'
assert_within 3000 3000
check_against trickle ' \(over TCP after a truncated UDP reply\): no complete answer within 3s \([0-9]+ (of [0-9]+ )?bytes? arrived\)$'
assert_within 3000 3000
check_against not-dns ' \(over TCP after a truncated UDP reply\): not a DNS reply \(it starts with "HTTP/1\.1 400 Bad Request'
assert_within 0
check_against udp-silent ': no answer within 3s$'
assert_within 3000 3000

e2e_log "=== as the nameserver: the propagation check of an issuance (2 s, 2 s per question)"
# The wait ends by propagation_timeout plus one question's timeout (4 s) whatever the server
# does; measured from the moment wildcert says it starts checking to its exit, which also
# covers removing the records from BIND.
propagation_against() {
    start_hostile "$1"
    nameserver_profile "$E2E_WORK/p-$1.toml" "$HOSTILE_ADDR"
    faults_issue_start "$E2E_WORK/p-$1.toml" "$E2E_WORK/s-p-$1"
    faults_wait_line 'dns: checking '
    local start end
    start="$(date +%s%N)"
    faults_issue_wait
    end="$(date +%s%N)"
    RUN_MS=$(((end - start) / 1000000))
    stop_hostile
    assert_exit 1
    assert_failure_line
    assert_contains "$WC_ERR" "$HOSTILE_ADDR"
    assert_matches "$(grep -F "$HOSTILE_ADDR" "$WC_ERR" | tail -n 1)" "$2" "propagation report"
    assert_clean "$E2E_WORK/s-p-$1"
}
propagation_against silent 'no answer within'
assert_within 4000 2000
propagation_against trickle 'no complete answer within'
assert_within 4000 2000

e2e_log "=== as the system resolver: host names are looked up within the exchange's deadline"
# getaddrinfo follows resolv.conf, here 30 s x 2 attempts at a resolver that never answers;
# the runs must end at wildcert's own deadlines. Each run gets a mount namespace of its own
# with this resolv.conf over /etc/resolv.conf.
start_hostile_program "$hostile_dns" udp-silent 127.0.0.77:53
printf 'nameserver 127.0.0.77\noptions timeout:30 attempts:2\n' >"$E2E_WORK/resolv.conf"
with_silent_resolver="$E2E_WORK/with-silent-resolver"
cat >"$with_silent_resolver" <<SCRIPT
#!/usr/bin/env bash
exec unshare -m -- bash -c 'mount --bind "\$0" /etc/resolv.conf && exec "\$@"' \
    "$E2E_WORK/resolv.conf" "$WILDCERT" "\$@"
SCRIPT
chmod +x "$with_silent_resolver"
real_wildcert="$WILDCERT"
WILDCERT="$with_silent_resolver"

e2e_log "--- the CA's host name (acme.request_timeout = 2s)"
profile="$E2E_WORK/l-ca.toml"
write_profile "$profile" directory="https://ca.lookup.test:14000/dir"
sed -i 's/^account_key = .*/&\nrequest_timeout = "2s"/' "$profile"
timed_run issue -c "$profile" --state-dir "$E2E_WORK/s-l-ca" -v
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'https://ca\.lookup\.test:14000/dir: no answer for host name "ca\.lookup\.test" within 2s from the system resolver \(see /etc/resolv\.conf\) \(the deadline for one HTTP exchange, acme\.request_timeout\); gave up after 4 attempts$' "cause"
# A server never reached is retried (README, "Outcome, failure and retry"): four lookups of
# 2 s each and the pauses of 1, 2 and 4 s between them; the resolver alone would take 60 s
# for each.
assert_within 15000 15000

e2e_log "--- [dns.rfc2136] server given as a host name (timeout = 2s)"
profile="$E2E_WORK/l-server.toml"
update_profile "$profile" "ns.lookup.test:53"
timed_run issue -c "$profile" --state-dir "$E2E_WORK/s-l-server" -v
assert_exit 2
assert_matches "$WC_LAST_ERR" 'dns\.rfc2136\.server: DNS server "ns\.lookup\.test:53": no answer for host name "ns\.lookup\.test" within 2s from the system resolver' "cause"
assert_within 2000 2000
assert_clean "$E2E_WORK/s-l-server"
WILDCERT="$real_wildcert"
stop_hostile
