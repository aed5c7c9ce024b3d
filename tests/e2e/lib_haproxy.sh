# shellcheck shell=bash
# Harness additions for the HAProxy deploy test, sourced after lib.sh: real HAProxy 2.6
# instances in the test's network namespace, each a TLS listener that answers "ok" without a
# backend, with an admin runtime socket and a second socket at level user (FIELD-NOTES-2.md).

# self_signed_pem FILE CN: a throwaway certificate and key (the "old" certificate HAProxy
# starts with), chain then key in one file as `crt` wants it.
self_signed_pem() {
    local file="$1" cn="$2"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
        -subj "/CN=$cn" -keyout "$file.key" -out "$file.crt" 2>/dev/null ||
        fail "openssl cannot make a self-signed certificate"
    cat "$file.crt" "$file.key" >"$file"
    rm -f "$file.crt" "$file.key"
}

# start_haproxy NAME ADDR:PORT: HAProxy on ADDR:PORT serving $E2E_WORK/haproxy-NAME/site.pem
# (made self-signed when missing), with admin.sock and user.sock in that folder; its pid in
# $E2E_WORK/haproxy-NAME/pid.
start_haproxy() {
    local name="$1" listen="$2"
    command -v haproxy >/dev/null || fail "haproxy missing: scripts/install-deps.sh installs it"
    local dir="$E2E_WORK/haproxy-$name"
    mkdir -p "$dir"
    [[ -f "$dir/site.pem" ]] || self_signed_pem "$dir/site.pem" "old-$name.demo.test"
    cat >"$dir/haproxy.cfg" <<CFG
global
    stats socket $dir/admin.sock mode 600 level admin
    stats socket $dir/user.sock mode 600 level user
    log stderr format short local0 notice

defaults
    mode http
    timeout connect 5s
    timeout client 120s
    timeout server 120s
    timeout http-keep-alive 120s

frontend fe
    bind $listen ssl crt $dir/site.pem
    http-request return status 200 content-type text/plain string ok
CFG
    rm -f "$dir/admin.sock" "$dir/user.sock"
    haproxy -f "$dir/haproxy.cfg" -db >"$dir/haproxy.log" 2>&1 &
    local pid=$! i
    E2E_PIDS+=("$pid")
    echo "$pid" >"$dir/pid"
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || fail "haproxy $name exited: $(tail -n 5 "$dir/haproxy.log")"
        if [[ -S "$dir/admin.sock" ]] &&
            openssl s_client -connect "$listen" -servername demo.test </dev/null >/dev/null 2>&1; then
            e2e_log "HAProxy $name on $listen (pid $pid)"
            return 0
        fi
        sleep 0.05
    done
    fail "haproxy $name did not start: $(tail -n 5 "$dir/haproxy.log")"
}

# stop_haproxy NAME: stops it and waits until it is gone.
stop_haproxy() {
    stop_server "$E2E_WORK/haproxy-$1/pid" "haproxy $1"
}

# served_serial ADDR:PORT [SNI]: the serial of the leaf served there, lower case.
served_serial() {
    openssl s_client -connect "$1" -servername "${2:-demo.test}" </dev/null 2>/dev/null |
        openssl x509 -noout -serial 2>/dev/null | sed 's/^serial=//' | tr 'A-F' 'a-f'
}

# pem_serial FILE: the serial of the first certificate in FILE, lower case.
pem_serial() {
    openssl x509 -in "$1" -noout -serial | sed 's/^serial=//' | tr 'A-F' 'a-f'
}
