#!/usr/bin/env bash
# A hostile ACME CA (tests/hostile_ca, hardening issue items 6, 7, 10, 11) against the real
# binary: bodies without end, bytes paced to hold a request forever, authorizations for names
# the profile does not ask for, a chain of 20 000 certificates and a problem detail full of
# terminal escapes. Every run must exit 1 with a message naming the cap or the deadline, stay
# small (peak RSS) and within its deadline, publish no TXT record where none belongs, and never
# put a raw ESC on stderr.
# Usage: hostile_ca_test.sh PATH-TO-WILDCERT PATH-TO-HOSTILE-CA
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_hostile.sh
source "$(dirname "$0")/lib_hostile.sh"
e2e_init "$@"
e2e_binary "${1:-}"
[[ -x "${2:-}" ]] || fail "usage: $(basename "$0") PATH-TO-WILDCERT PATH-TO-HOSTILE-CA"
hostile_ca="$(realpath "$2")"
command -v /usr/bin/time >/dev/null || fail "/usr/bin/time missing (scripts/install-deps.sh)"

# The victim zone is served too: a client that believed the CA would write records there.
start_bind main 127.0.0.1 53 demo.test example.test
bind_log="$E2E_WORK/bind-main/named.log"

# Peak RSS in KB of every run, through a wrapper around the binary under test.
rss_file="$E2E_WORK/rss"
real_wildcert="$WILDCERT"
WILDCERT="$E2E_WORK/measured-wildcert"
cat >"$WILDCERT" <<EOF
#!/bin/sh
exec /usr/bin/time -f %M -o "$rss_file" "$real_wildcert" "\$@"
EOF
chmod 700 "$WILDCERT"
export WILDCERT
# A sanitizer build starts at about 170 MB (a plain one at a few MB): the bound is what this
# binary needs to start, measured here, plus 100 MB, far below a body of 4 GiB or 20 000
# certificates.
rm -f "$rss_file"
"$WILDCERT" --version >/dev/null
max_rss_kb=$(($(tail -n 1 "$rss_file") + 100 * 1024))
e2e_log "peak RSS bound: $max_rss_kb KB"
# Each run is bounded: a client without the limits is killed here, and fails.
export WILDCERT_E2E_RUN_TIMEOUT=60
request_timeout=3

# start_hostile MODE: starts hostile_ca in MODE; sets HOSTILE_URL and HOSTILE_PID.
start_hostile() {
    start_hostile_program "$hostile_ca" "$1"
    HOSTILE_URL="$HOSTILE_AT"
}

# against MODE: one issuance against hostile_ca in MODE, with the shared checks of a run that
# a hostile CA must not win: exit 1 and a one-line cause, a bounded peak RSS, no raw ESC, no
# certificate, no record left. Sets STATE and BIND_LINES (named.log lines before the run).
against() {
    local mode="$1" profile="$E2E_WORK/$1.toml"
    STATE="$E2E_WORK/state-$1"
    start_hostile "$mode"
    write_profile "$profile" directory="$HOSTILE_URL"
    # Plain http to loopback needs no bundle; the deadline is shortened for the trickle.
    sed -i -e '/^ca_bundle = /d' \
        -e "s/^account_key = .*/&\nrequest_timeout = \"${request_timeout}s\"/" "$profile"
    BIND_LINES="$(wc -l <"$bind_log")"
    rm -f "$rss_file"
    issue "$profile" "$STATE"
    stop_hostile
    assert_exit 1
    assert_failure_line
    [[ -s "$rss_file" ]] || fail "no peak RSS recorded for $mode"
    local rss
    rss="$(tail -n 1 "$rss_file")"
    e2e_log "$mode: peak RSS ${rss} KB, ${WC_SECONDS}s"
    ((rss < max_rss_kb)) || fail "$mode: peak RSS ${rss} KB, over $max_rss_kb KB"
    if grep -qP '\x1b' "$WC_ERR"; then
        fail "$mode: a raw ESC reached stderr"
    fi
    assert_no_live "$STATE" demo
    assert_no_challenge_records demo.test
    assert_no_challenge_records example.test
}

# records_added_since LINES: how many TXT additions BIND logged after line LINES.
records_added_since() {
    tail -n +"$(($1 + 1))" "$bind_log" | grep -c "adding an RR at '_acme-challenge" || true
}

# assert_seconds_below LIMIT: the last run took less than LIMIT seconds.
assert_seconds_below() {
    awk -v s="$WC_SECONDS" -v l="$1" 'BEGIN { exit !(s < l) }' ||
        fail "the run took ${WC_SECONDS}s, expected under $1s"
}

e2e_log "--- a directory announced as 4 GiB"
against huge-length
assert_matches "$WC_LAST_ERR" 'larger than the 256 KiB limit for an ACME directory \(Content-Length 4294967296\)' "cause"
assert_seconds_below 20

e2e_log "--- a directory as a chunked body without end"
against endless-chunked
assert_matches "$WC_LAST_ERR" 'larger than the 256 KiB limit for an ACME directory' "cause"
assert_seconds_below 20

e2e_log "--- a directory trickled one byte a second"
against trickle
assert_matches "$WC_LAST_ERR" "no complete response within ${request_timeout}s \(the deadline for one HTTP exchange, acme\.request_timeout\)" "cause"
assert_matches "$WC_LAST_ERR" 'gave up after 4 attempts' "cause"
# Four attempts of 3 s with pauses of 1, 2 and 4 s: 19 s, and never less than the four deadlines.
awk -v s="$WC_SECONDS" -v d="$request_timeout" 'BEGIN { exit !(s >= 4 * d) }' ||
    fail "the trickle failed after ${WC_SECONDS}s, before four deadlines of ${request_timeout}s"
assert_seconds_below 35

e2e_log "--- a chain of 20 000 certificates"
against long-chain
assert_matches "$WC_LAST_ERR" 'larger than the 4 MiB limit for a certificate chain' "cause"
# This CA's authorizations are genuine: the records were published (and removed again), which
# shows that BIND's log records additions where the next cases expect none.
(($(records_added_since "$BIND_LINES") == 2)) ||
    fail "long-chain: expected 2 TXT additions in BIND's log, got $(records_added_since "$BIND_LINES")"

e2e_log "--- authorizations for victim.example.test"
against other-name
assert_matches "$WC_LAST_ERR" 'the CA asks to prove control of "(\*\.)?victim\.example\.test", a name this certificate does not ask for' "cause"
(($(records_added_since "$BIND_LINES") == 0)) || fail "other-name: a TXT record was published"

e2e_log "--- 3000 authorizations more than names"
against many-authz
assert_matches "$WC_LAST_ERR" '3002 authorizations for 2 name\(s\)' "cause"
(($(records_added_since "$BIND_LINES") == 0)) || fail "many-authz: a TXT record was published"

e2e_log "--- a problem detail with ESC, BEL and CR"
against escape-detail
assert_contains "$WC_ERR" 'rejectedIdentifier: \x1b[2J\x1b[1;1Hwildcert: issued demo, all is well\x07\x0dforged line'
if grep -qP '\x07|\r' "$WC_ERR"; then
    fail "escape-detail: a raw BEL or CR reached stderr"
fi

e2e_log "--- header lines without end"
against header-lines
assert_matches "$WC_LAST_ERR" 'the response headers are larger than the 64 KiB limit' "cause"
# Not retried (like a body over its limit), and told long before the deadline.
assert_not_contains "$WC_ERR" 'gave up after'
assert_seconds_below 10

e2e_log "--- one header line without end"
against header-line
assert_matches "$WC_LAST_ERR" 'the response headers are larger than the 64 KiB limit' "cause"
assert_seconds_below 10

e2e_log "--- a 404 page at the directory URL"
against not-found
assert_matches "$WC_LAST_ERR" "ACME directory http://127\.0\.0\.1:[0-9]+/dir: not an ACME directory: HTTP 404 with text/html; charset=utf-8$" "cause"

e2e_log "--- a web site's page at the directory URL"
against html-page
assert_matches "$WC_LAST_ERR" "not an ACME directory: HTTP 200 with text/html; charset=utf-8$" "cause"

# against_url NAME URL [CA_BUNDLE]: one issuance with URL as the directory; the shared
# checks of against() that do not need the hostile CA.
against_url() {
    local profile="$E2E_WORK/$1.toml"
    write_profile "$profile" directory="$2" ca_bundle="${3:-}"
    [[ -n "${3:-}" ]] || sed -i -e '/^ca_bundle = /d' "$profile"
    issue "$profile" "$E2E_WORK/state-$1"
    assert_exit 1
    assert_failure_line
    assert_no_live "$E2E_WORK/state-$1" demo
    assert_no_challenge_records demo.test
    if grep -qi 'about:blank\|problem document' "$WC_ERR"; then
        fail "$1: a problem document is quoted where there is none: $WC_LAST_ERR"
    fi
}

e2e_log "--- http:// at the HTTPS port of a real ACME server (Pebble)"
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
against_url plain-at-tls "${PEBBLE_DIR_URL/https:/http:}"
assert_matches "$WC_LAST_ERR" "ACME directory http://127\.0\.0\.1:[0-9]+/dir: not an ACME directory: HTTP 400 with .*; the server expects HTTPS here: use an https:// URL$" "cause"

e2e_log "--- a CA host name that does not resolve, and a port where nothing listens"
against_url no-such-host "https://ca.no-such-host.invalid/dir" "$PEBBLE_CA"
assert_matches "$WC_LAST_ERR" 'https://ca\.no-such-host\.invalid/dir: cannot resolve host name "ca\.no-such-host\.invalid": ' "cause"
unresolved="$WC_LAST_ERR"
closed_port="$(free_port)"
against_url closed-port "https://127.0.0.1:$closed_port/dir" "$PEBBLE_CA"
assert_matches "$WC_LAST_ERR" "https://127\.0\.0\.1:$closed_port/dir: connection refused \(nothing listens on 127\.0\.0\.1 port $closed_port\); gave up after 4 attempts$" "cause"
if grep -qi 'resolve' <<<"$WC_LAST_ERR" || grep -qi 'refused' <<<"$unresolved"; then
    fail "an unresolvable host and a refused port are not told apart: '$unresolved' / '$WC_LAST_ERR'"
fi
