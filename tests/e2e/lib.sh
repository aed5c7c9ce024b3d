# shellcheck shell=bash
# Harness for wildcert's end-to-end tests: a real BIND 9 and a real Pebble on loopback inside a
# private network namespace, started and stopped by the tests themselves
# (docs/dev/architecture.md §7).
#
# Usage from a test script:
#   source "$(dirname "$0")/lib.sh"
#   e2e_init "$@"          # re-executes the script in its own network namespace
#   start_bind main 127.0.0.1 53 demo.test
#   start_pebble 127.0.0.1:53
#   ...
# A missing server or tool is a failure, never a skip: in CI these tests must run.

E2E_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck disable=SC2034 # for the scripts that source this file
E2E_REPO_DIR="$(cd "$E2E_LIB_DIR/../.." && pwd)"

# shellcheck source=tests/e2e/lib_secret_scan.sh
source "$E2E_LIB_DIR/lib_secret_scan.sh"

E2E_PIDS=()      # every server this harness started, stopped by the EXIT trap
E2E_RUN_SEQ=0    # numbers wildcert runs so their output files do not collide
E2E_PEBBLE_SEQ=0 # numbers Pebble instances
# Scripts that are not tests (scripts/demo.sh, scripts/bench.sh) set E2E_REPORT_RESULT=0 to
# leave out the PASS/FAILED line.

# Progress lines; E2E_QUIET=1 silences them (failures are always printed).
e2e_log() {
    [[ "${E2E_QUIET:-}" == "1" ]] || printf 'e2e: %s\n' "$*" >&2
}

# Prints a failure with the last wildcert run's stderr (the usual cause) and exits 1.
fail() {
    printf 'e2e: FAIL: %s\n' "$*" >&2
    if [[ -n "${WC_ERR:-}" && -f "${WC_ERR:-}" ]]; then
        printf 'e2e: last wildcert run: %s (exit %s)\n' "${WC_CMD:-?}" "${WC_RC:-?}" >&2
        printf -- '--- stderr (last 30 lines) ---\n' >&2
        tail -n 30 "$WC_ERR" >&2
        printf -- '--- stdout ---\n' >&2
        cat "${WC_OUT:-/dev/null}" >&2
        printf -- '---\n' >&2
    fi
    exit 1
}

e2e_require_tools() {
    local tool missing=()
    for tool in named pebble unshare openssl tsig-keygen dig nsupdate curl ip ss timeout jq strace flock; do
        command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
    done
    if ((${#missing[@]} > 0)); then
        printf 'e2e: FAIL: missing required tool(s): %s\n' "${missing[*]}" >&2
        printf 'e2e: scripts/install-deps.sh installs them (packages bind9 bind9-utils' >&2
        printf ' bind9-dnsutils pebble openssl curl iproute2 util-linux coreutils jq strace)\n' >&2
        exit 1
    fi
}

# Re-executes the calling script inside a fresh network namespace (so BIND may own port 53 on
# 127.0.0.1, 127.0.0.2 and 127.0.0.3 without touching the host), then creates the work dir.
e2e_init() {
    e2e_require_tools
    # The marker says we were re-executed; an inherited marker in the host's namespace (where
    # pid 1 lives) must not make us start servers on the host's port 53.
    local own_ns init_ns
    own_ns="$(readlink /proc/self/ns/net 2>/dev/null || true)"
    init_ns="$(readlink /proc/1/ns/net 2>/dev/null || true)"
    if [[ "${WILDCERT_E2E_NETNS:-}" != "1" || (-n "$init_ns" && "$own_ns" == "$init_ns") ]]; then
        local -a unshare_args=(-n)
        # Without root, a user namespace maps us to root so that a network namespace is allowed.
        ((EUID == 0)) || unshare_args=(-r -n)
        export WILDCERT_E2E_NETNS=1
        exec unshare "${unshare_args[@]}" -- bash "$0" "$@"
    fi
    ip link set lo up || fail "cannot bring lo up in the network namespace"
    ip addr add 127.0.0.2/8 dev lo 2>/dev/null || true
    ip addr add 127.0.0.3/8 dev lo 2>/dev/null || true

    E2E_WORK="$(mktemp -d "${TMPDIR:-/tmp}/wildcert-e2e.XXXXXX")"
    export E2E_WORK
    trap e2e_cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    e2e_log "work dir $E2E_WORK"
}

# Stops every server (TERM, bounded wait, then KILL) and removes the work dir.
e2e_cleanup() {
    local rc=$?
    local pid i
    for pid in "${E2E_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${E2E_PIDS[@]}"; do
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    if [[ -n "${E2E_WORK:-}" && -d "$E2E_WORK" ]]; then
        if e2e_secret_scan_enabled && ! secret_scan "$E2E_WORK"; then
            printf 'e2e: FAIL: a secret appears in the output or logs (see above)\n' >&2
            ((rc != 0)) || rc=1
        fi
        if [[ "${WILDCERT_E2E_KEEP:-}" == "1" ]]; then
            e2e_log "kept work dir $E2E_WORK"
        else
            rm -rf "$E2E_WORK"
        fi
    fi
    if [[ "${E2E_REPORT_RESULT:-1}" == "1" ]]; then
        if ((rc == 0)); then
            e2e_log "PASS $(basename "$0")"
        else
            e2e_log "FAILED $(basename "$0") (exit $rc)"
        fi
    fi
    exit "$rc"
}

# ---------------------------------------------------------------------------------------------
# TSIG keys (RFC 8945). Every key made here is loaded by every BIND started afterwards and may
# update TXT records anywhere in its zones.

# make_tsig_key ALGORITHM [NAME]: makes the key once per work dir; sets TSIG_KEY_NAME and
# TSIG_KEY_SECRET and writes the secret alone to $E2E_WORK/keys/NAME.secret.
make_tsig_key() {
    local alg="$1" name="${2:-wildcert-key}"
    local dir="$E2E_WORK/keys"
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [[ ! -f "$dir/$name.key" ]]; then
        tsig-keygen -a "$alg" "$name" >"$dir/$name.key" || fail "tsig-keygen -a $alg $name"
        sed -n 's/.*secret "\([^"]*\)".*/\1/p' "$dir/$name.key" >"$dir/$name.secret"
        [[ -s "$dir/$name.secret" ]] || fail "no secret in tsig-keygen output for $name"
    fi
    # shellcheck disable=SC2034 # for callers
    TSIG_KEY_NAME="$name"
    TSIG_KEY_SECRET="$(cat "$dir/$name.secret")"
}

# tsig_secret NAME: prints the secret of a key made by make_tsig_key.
tsig_secret() {
    cat "$E2E_WORK/keys/$1.secret"
}

# The default key of every test: hmac-sha256, exported as TSIG_SECRET for ${TSIG_SECRET} in
# profiles and as TSIG_SECRET_FILE for tsig_secret_file.
make_default_tsig_key() {
    make_tsig_key hmac-sha256 wildcert-key
    export TSIG_SECRET="$TSIG_KEY_SECRET"
    export TSIG_SECRET_FILE="$E2E_WORK/keys/wildcert-key.secret"
}

# ---------------------------------------------------------------------------------------------
# BIND 9

# start_bind NAME ADDR PORT ZONES...: an authoritative-only named serving each zone with
# TSIG-guarded dynamic update of TXT records. ns1.<zone> points at ADDR so that NS discovery
# through this server leads back to it. Every key may update TXT records anywhere in the zones,
# unless E2E_BIND_GRANTS holds the update-policy rules to use instead (for every zone), e.g.
# 'grant wildcert-key name _acme-challenge.demo.test. TXT;'.
start_bind() {
    local name="$1" addr="$2" port="$3"
    shift 3
    (($# > 0)) || fail "start_bind $name: no zones"
    local dir="$E2E_WORK/bind-$name"
    mkdir -p "$dir"
    [[ -f "$E2E_WORK/keys/wildcert-key.key" ]] || make_default_tsig_key

    local keyfile grants=""
    for keyfile in "$E2E_WORK"/keys/*.key; do
        grants+="        grant $(basename "$keyfile" .key) zonesub TXT;"$'\n'
    done
    [[ -z "${E2E_BIND_GRANTS:-}" ]] || grants="        $E2E_BIND_GRANTS"$'\n'

    {
        for keyfile in "$E2E_WORK"/keys/*.key; do
            printf 'include "%s";\n' "$keyfile"
        done
        cat <<EOF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    session-keyfile "$dir/session.key";
    managed-keys-directory "$dir";
    listen-on port $port { $addr; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
    allow-query { any; };
    allow-transfer { 127.0.0.0/8; };
};
controls { };
EOF
        local zone
        for zone in "$@"; do
            cat <<EOF
zone "$zone" {
    type primary;
    file "$dir/$zone.db";
    update-policy {
$grants    };
};
EOF
        done
    } >"$dir/named.conf"

    local zone
    for zone in "$@"; do
        cat >"$dir/$zone.db" <<EOF
\$TTL 300
@       IN SOA ns1.$zone. hostmaster.$zone. ( 1 3600 600 86400 60 )
@       IN NS  ns1.$zone.
ns1     IN A   $addr
@       IN A   127.0.0.1
EOF
    done

    named-checkconf "$dir/named.conf" >"$dir/checkconf.log" 2>&1 ||
        fail "start_bind $name: named-checkconf: $(tail -n 5 "$dir/checkconf.log")"

    # WILDCERT_E2E_NAMED_ARGS="-d 5" makes BIND log why it rejects a message (e.g. FORMERR).
    # shellcheck disable=SC2086 # word splitting of the extra arguments is wanted
    named -g -c "$dir/named.conf" -u root ${WILDCERT_E2E_NAMED_ARGS:-} >"$dir/named.log" 2>&1 &
    local pid=$!
    E2E_PIDS+=("$pid")

    local i
    for ((i = 0; i < 100; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            fail "start_bind $name: named exited; log tail:"$'\n'"$(tail -n 20 "$dir/named.log")"
        fi
        if dig @"$addr" -p "$port" SOA "$1" +norec +short +time=1 +tries=1 2>/dev/null |
            grep -q "ns1.$1"; then
            e2e_log "BIND $name on $addr:$port serves $* (pid $pid)"
            return 0
        fi
        sleep 0.1
    done
    fail "start_bind $name: no SOA answer from $addr:$port; log tail:"$'\n'"$(tail -n 20 "$dir/named.log")"
}

# nsupdate_txt SERVER:PORT ZONE NAME VALUE add|delete [KEYNAME [ALG]]: one signed update, for
# checking the harness and for seeding records in tests.
nsupdate_txt() {
    local server="$1" zone="$2" owner="$3" value="$4" op="$5"
    local key="${6:-wildcert-key}" alg="${7:-hmac-sha256}"
    local host="${server%:*}" port="${server##*:}"
    nsupdate -y "$alg:$key:$(tsig_secret "$key")" <<EOF
server $host $port
zone $zone
update $op $owner 60 TXT "$value"
send
EOF
}

# txt_values SERVER:PORT NAME: the TXT values at NAME, one a line, sorted.
txt_values() {
    local host="${1%:*}" port="${1##*:}"
    dig @"$host" -p "$port" TXT "$2" +norec +short +time=2 +tries=1 | tr -d '"' | sort
}

# ---------------------------------------------------------------------------------------------
# Pebble

# Makes the TLS CA and the localhost/127.0.0.1 certificate for Pebble's listeners, once.
e2e_pebble_tls() {
    local dir="$E2E_WORK/pebble-tls"
    [[ -f "$dir/cert.pem" ]] && return 0
    mkdir -p "$dir"
    (
        cd "$dir"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout ca.key -out ca.pem -days 30 -subj "/CN=wildcert e2e pebble tls ca" \
            -addext basicConstraints=critical,CA:TRUE \
            -addext keyUsage=critical,keyCertSign,cRLSign
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout key.pem -out srv.csr -subj "/CN=localhost"
        printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >ext.cnf
        openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out cert.pem -days 30 -extfile ext.cnf
    ) >"$dir/openssl.log" 2>&1 || fail "pebble TLS certificate: $(tail -n 5 "$dir/openssl.log")"
}

# port_is_free PORT: true when nothing listens on PORT (TCP) in this namespace.
port_is_free() {
    ! ss -Hltn "sport = :$1" | grep -q .
}

# free_port: prints a random TCP port nobody listens on (not one handed out before).
free_port() {
    local port i
    for ((i = 0; i < 100; i++)); do
        port=$((20000 + RANDOM % 40000))
        [[ " ${E2E_PORTS_USED:-} " == *" $port "* ]] && continue
        if port_is_free "$port"; then
            E2E_PORTS_USED="${E2E_PORTS_USED:-} $port"
            printf '%s\n' "$port"
            return 0
        fi
    done
    fail "no free TCP port found"
}

# start_pebble DNSSERVER [VAR=value...]: a Pebble in strict mode validating through DNSSERVER.
# PEBBLE_VA_NOSLEEP=1 is set; the extra VAR=value pairs (e.g. PEBBLE_WFE_NONCEREJECT=0) go into
# its environment. Exports PEBBLE_DIR_URL, PEBBLE_MGMT_URL and PEBBLE_CA (the TLS CA to trust).
# With E2E_PEBBLE_EAB_KEYS set to a JSON object {"kid": "unpadded base64url MAC key", ...},
# Pebble requires External Account Binding with those keys. E2E_PEBBLE_CERT and E2E_PEBBLE_KEY
# replace its listener certificate (lib_tls.sh); PEBBLE_CA stays the harness CA.
start_pebble() {
    local dnsserver="$1"
    shift
    local eab='"externalAccountBindingRequired": false,'
    if [[ -n "${E2E_PEBBLE_EAB_KEYS:-}" ]]; then
        eab="\"externalAccountBindingRequired\": true, \"externalAccountMACKeys\": $E2E_PEBBLE_EAB_KEYS,"
    fi
    e2e_pebble_tls
    E2E_PEBBLE_SEQ=$((E2E_PEBBLE_SEQ + 1))
    local dir="$E2E_WORK/pebble-$E2E_PEBBLE_SEQ"
    local tls="$E2E_WORK/pebble-tls"
    local cert="${E2E_PEBBLE_CERT:-$tls/cert.pem}" key="${E2E_PEBBLE_KEY:-$tls/key.pem}"
    # A replaced certificate may be broken on purpose: then only readiness is probed.
    local -a probe_tls=(--cacert "$tls/ca.pem")
    [[ -z "${E2E_PEBBLE_CERT:-}" ]] || probe_tls=(--insecure)
    mkdir -p "$dir"

    local attempt pid listen mgmt i
    for ((attempt = 0; attempt < 3; attempt++)); do
        listen="$(free_port)"
        mgmt="$(free_port)"
        cat >"$dir/pebble.json" <<EOF
{ "pebble": {
    "listenAddress": "127.0.0.1:$listen",
    "managementListenAddress": "127.0.0.1:$mgmt",
    "certificate": "$cert",
    "privateKey": "$key",
    "httpPort": $(free_port),
    "tlsPort": $(free_port),
    "ocspResponderURL": "",
    $eab
    "certificateValidityPeriod": 7776000
} }
EOF
        env PEBBLE_VA_NOSLEEP=1 "$@" \
            pebble -strict -config "$dir/pebble.json" -dnsserver "$dnsserver" \
            >"$dir/pebble.log" 2>&1 &
        pid=$!
        E2E_PIDS+=("$pid")
        for ((i = 0; i < 300; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            if curl -fsS --max-time 2 "${probe_tls[@]}" \
                "https://127.0.0.1:$listen/dir" >/dev/null 2>&1; then
                export PEBBLE_DIR_URL="https://127.0.0.1:$listen/dir"
                export PEBBLE_MGMT_URL="https://127.0.0.1:$mgmt"
                export PEBBLE_CA="$tls/ca.pem"
                # shellcheck disable=SC2034 # for callers
                PEBBLE_LOG="$dir/pebble.log"
                e2e_log "Pebble at $PEBBLE_DIR_URL validating via $dnsserver (pid $pid)"
                return 0
            fi
            sleep 0.1
        done
        # A lost race for a port makes Pebble exit at once: try other ports.
        if kill -0 "$pid" 2>/dev/null; then
            break
        fi
        e2e_log "Pebble exited on start (attempt $((attempt + 1))): $(tail -n 2 "$dir/pebble.log")"
    done
    fail "start_pebble: /dir never answered; log tail:"$'\n'"$(tail -n 20 "$dir/pebble.log")"
}

# stop_server PIDFILE WHAT: stops the server whose pid PIDFILE holds and waits until it is
# gone (the deploy tests stop a target to see it fail, then start it again).
stop_server() {
    local pid i
    pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.05
    done
    fail "$2 (pid $pid) does not stop"
}

# pebble_requests: how many requests Pebble has logged so far (it logs each one it serves).
pebble_requests() {
    grep -c -E '(GET|POST|HEAD) /' "$PEBBLE_LOG" || true
}
# assert_no_request_since COUNT: Pebble served nothing after it had served COUNT.
assert_no_request_since() {
    local now
    now="$(pebble_requests)"
    [[ "$now" == "$1" ]] || fail "Pebble was asked $((now - $1)) time(s); expected no request"
}

# pebble_root FILE: the root that signs the current Pebble's issued chains.
pebble_root() {
    curl -fsS --max-time 10 --cacert "$PEBBLE_CA" -o "$1" "$PEBBLE_MGMT_URL/roots/0" ||
        fail "pebble_root: cannot fetch $PEBBLE_MGMT_URL/roots/0"
}

# ---------------------------------------------------------------------------------------------
# Profiles and runs

# acme_section: the [acme] table the provider profiles share, for the current Pebble.
acme_section() {
    printf '[acme]\ndirectory = "%s"\nca_bundle = "%s"\n' "${PEBBLE_DIR_URL:-}" "${PEBBLE_CA:-}"
    printf 'contact = ["mailto:admin@demo.test"]\naccept_terms = true\naccount_key = "ec-p256"\n'
}

# write_profile FILE [key=value...]: a complete rfc2136 profile for the current Pebble and BIND.
# Keys (defaults in brackets):
#   directory [$PEBBLE_DIR_URL]  ca_bundle [$PEBBLE_CA]  account_key [ec-p256]
#   resolvers ["127.0.0.1:53"]   nameservers [unset: discovery]  (TOML array contents)
#   propagation_timeout [30s]  polling_interval [200ms]  ttl [60]
#   server [127.0.0.1:53]  tsig_key [wildcert-key]  tsig_algorithm [hmac-sha256]
#   tsig_secret [${TSIG_SECRET}, left for wildcert to interpolate]  tsig_secret_file [unset]
#   name [demo]  domains ["*.demo.test", "demo.test"]  key [ec-p256]  reuse_key [unset]
#   extra [unset: raw TOML appended, e.g. a second [[certificate]]]
write_profile() {
    local file="$1"
    shift
    # shellcheck disable=SC2016 # ${TSIG_SECRET} is for wildcert to interpolate
    local -A p=(
        [directory]="${PEBBLE_DIR_URL:-}" [ca_bundle]="${PEBBLE_CA:-}" [account_key]=ec-p256
        [resolvers]='"127.0.0.1:53"' [nameservers]=''
        [propagation_timeout]=30s [polling_interval]=200ms [ttl]=60
        [server]=127.0.0.1:53 [tsig_key]=wildcert-key [tsig_algorithm]=hmac-sha256
        [tsig_secret]='${TSIG_SECRET}' [tsig_secret_file]=''
        [name]=demo [domains]='"*.demo.test", "demo.test"' [key]=ec-p256 [reuse_key]=''
        [extra]=''
    )
    local kv
    for kv in "$@"; do
        [[ "$kv" == *=* ]] || fail "write_profile: not key=value: $kv"
        [[ -v "p[${kv%%=*}]" ]] || fail "write_profile: unknown key ${kv%%=*}"
        p["${kv%%=*}"]="${kv#*=}"
    done
    {
        printf '[acme]\n'
        printf 'directory = "%s"\n' "${p[directory]}"
        printf 'ca_bundle = "%s"\n' "${p[ca_bundle]}"
        printf 'contact = ["mailto:admin@demo.test"]\n'
        printf 'accept_terms = true\n'
        printf 'account_key = "%s"\n\n' "${p[account_key]}"
        printf '[dns]\n'
        printf 'provider = "rfc2136"\n'
        printf 'resolvers = [%s]\n' "${p[resolvers]}"
        [[ -n "${p[nameservers]}" ]] && printf 'nameservers = [%s]\n' "${p[nameservers]}"
        printf 'propagation_timeout = "%s"\n' "${p[propagation_timeout]}"
        printf 'polling_interval = "%s"\n' "${p[polling_interval]}"
        printf 'ttl = %s\n\n' "${p[ttl]}"
        printf '[dns.rfc2136]\n'
        printf 'server = "%s"\n' "${p[server]}"
        printf 'tsig_key = "%s"\n' "${p[tsig_key]}"
        printf 'tsig_algorithm = "%s"\n' "${p[tsig_algorithm]}"
        if [[ -n "${p[tsig_secret_file]}" ]]; then
            printf 'tsig_secret_file = "%s"\n\n' "${p[tsig_secret_file]}"
        else
            printf 'tsig_secret = "%s"\n\n' "${p[tsig_secret]}"
        fi
        printf '[[certificate]]\n'
        printf 'name = "%s"\n' "${p[name]}"
        printf 'domains = [%s]\n' "${p[domains]}"
        printf 'key = "%s"\n' "${p[key]}"
        [[ -n "${p[reuse_key]}" ]] && printf 'reuse_key = %s\n' "${p[reuse_key]}"
        [[ -n "${p[extra]}" ]] && printf '\n%s\n' "${p[extra]}"
        true
    } >"$file"
}

# hold_lock FILE SECONDS: another process takes the flock on FILE (as a second wildcert run
# would) for SECONDS, and holds it before this returns; LOCK_HOLDER is its pid.
# -o: the lock belongs to flock itself, not to the sleep it starts, so killing flock frees it.
# Its output goes nowhere: a sleep left holding the test's stdout would keep meson waiting.
hold_lock() {
    flock -o "$1" sleep "$2" </dev/null >/dev/null 2>&1 &
    LOCK_HOLDER=$!
    local i
    for ((i = 0; i < 100; i++)); do
        flock -n "$1" true || return 0
        sleep 0.05
    done
    fail "hold_lock: $1 was not taken within 5 s"
}

# release_lock: ends the hold_lock holder (or waits for it when it ended by itself).
release_lock() {
    pkill -P "$LOCK_HOLDER" sleep 2>/dev/null || true
    kill "$LOCK_HOLDER" 2>/dev/null || true
    wait "$LOCK_HOLDER" 2>/dev/null || true
}

# wildcert_run ARGS...: runs the binary ($WILDCERT) with a bounded run time. Never fails by
# itself; sets WC_RC (exit code), WC_OUT and WC_ERR (files), WC_SECONDS (wall time) and
# WC_LAST_ERR (last stderr line).
wildcert_run() {
    program_run wildcert "$WILDCERT" "$@"
}

# program_run NAME PATH ARGS...: wildcert_run for another program under test (a library
# example), with the same bounded run time and the same WC_* results.
program_run() {
    local name="$1" program="$2"
    shift 2
    E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
    WC_OUT="$E2E_WORK/run-$E2E_RUN_SEQ.out"
    WC_ERR="$E2E_WORK/run-$E2E_RUN_SEQ.err"
    WC_CMD="$name $*"
    local start end
    start="$(date +%s.%N)"
    WC_RC=0
    timeout -k 5 "${WILDCERT_E2E_RUN_TIMEOUT:-240}" "$program" "$@" >"$WC_OUT" 2>"$WC_ERR" ||
        WC_RC=$?
    end="$(date +%s.%N)"
    WC_SECONDS="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
    WC_LAST_ERR="$(tail -n 1 "$WC_ERR")"
    e2e_log "run $E2E_RUN_SEQ: $WC_CMD -> exit $WC_RC in ${WC_SECONDS}s"
}

# issue PROFILE STATE [ARGS...]: wildcert issue -c PROFILE --state-dir STATE -v ARGS...
issue() {
    local profile="$1" state="$2"
    shift 2
    wildcert_run issue -c "$profile" --state-dir "$state" -v "$@"
}

# e2e_binary PATH: checks and exports the binary under test as WILDCERT.
e2e_binary() {
    [[ -n "${1:-}" ]] || fail "usage: $(basename "$0") PATH-TO-WILDCERT-BINARY"
    [[ -x "$1" ]] || fail "wildcert binary not found or not executable: $1"
    WILDCERT="$(realpath "$1")"
    if e2e_secret_scan_enabled; then
        WILDCERT="$(secret_scan_wrap "$WILDCERT")"
        e2e_log "secret scan: every run gets -vv; transcripts are scanned at the end"
    fi
    export WILDCERT
}

# ---------------------------------------------------------------------------------------------
# Assertions: each one fails the test at once with context.

assert_eq() {
    local expected="$1" actual="$2" what="${3:-value}"
    [[ "$expected" == "$actual" ]] || fail "$what: expected '$expected', got '$actual'"
}

# assert_exit CODE: the last wildcert run exited with CODE.
assert_exit() {
    [[ "$WC_RC" == "$1" ]] || fail "expected exit $1 from '$WC_CMD', got $WC_RC"
}

# assert_contains FILE TEXT: FILE contains TEXT (fixed string).
assert_contains() {
    grep -qF -- "$2" "$1" || fail "$(basename "$1") does not contain '$2'"
}

assert_not_contains() {
    ! grep -qF -- "$2" "$1" || fail "$(basename "$1") contains '$2'"
}

# assert_matches TEXT REGEX [WHAT]: extended regex match (case-insensitive).
assert_matches() {
    grep -qiE -- "$2" <<<"$1" || fail "${3:-text} '$1' does not match /$2/"
}

# assert_failure_line: the contract for failures: last stderr line "wildcert: error: <cause>".
assert_failure_line() {
    [[ "$WC_LAST_ERR" == "wildcert: error: "?* ]] ||
        fail "last stderr line is not 'wildcert: error: <cause>': '$WC_LAST_ERR'"
}

# assert_no_challenge_records ZONE [SERVER:PORT]: no _acme-challenge TXT left anywhere in ZONE
# (zone transfer, so names we did not think of are covered too).
assert_no_challenge_records() {
    local zone="$1" server="${2:-127.0.0.1:53}"
    local host="${server%:*}" port="${server##*:}" axfr
    axfr="$(dig @"$host" -p "$port" AXFR "$zone" +time=3 +tries=1)" ||
        fail "AXFR $zone from $server failed"
    grep -q 'SOA' <<<"$axfr" || fail "AXFR $zone from $server gave no SOA: $axfr"
    if grep -iE '^_acme-challenge.*[[:space:]]TXT[[:space:]]' <<<"$axfr" >&2; then
        fail "challenge TXT records left in $zone on $server (above)"
    fi
}

# Fingerprints of every certificate in a PEM file, one a line, in file order.
cert_fingerprints() {
    awk -v dir="$E2E_WORK" '
        /-----BEGIN CERTIFICATE-----/ { n++; f = dir "/.fp-" n ".pem" }
        f { print > f }
        /-----END CERTIFICATE-----/ { close(f); f = "" }
        END { print n + 0 > (dir "/.fp-count") }' "$1"
    local n i
    n="$(cat "$E2E_WORK/.fp-count")"
    for ((i = 1; i <= n; i++)); do
        openssl x509 -in "$E2E_WORK/.fp-$i.pem" -noout -fingerprint -sha256
        rm -f "$E2E_WORK/.fp-$i.pem"
    done
}

# cert_sans FILE: the DNS names of the certificate's SAN, sorted, one a line.
cert_sans() {
    openssl x509 -in "$1" -noout -ext subjectAltName |
        tail -n +2 | tr ',' '\n' | sed -n 's/^[[:space:]]*DNS://p' | sort
}

# assert_cert DIR ROOT NAMES...: DIR (a live folder) holds a complete, consistent certificate
# whose chain leads to ROOT and whose SAN set is exactly NAMES.
assert_cert() {
    local dir="$1" root="$2"
    shift 2
    local f
    for f in privkey cert chain fullchain; do
        [[ -s "$dir/$f.pem" ]] || fail "$dir/$f.pem missing or empty"
    done
    local out
    out="$(openssl verify -CAfile "$root" -untrusted "$dir/chain.pem" "$dir/cert.pem" 2>&1)" ||
        fail "chain does not verify against the Pebble root: $out"

    local want got
    want="$(printf '%s\n' "$@" | sort)"
    got="$(cert_sans "$dir/cert.pem")"
    [[ "$want" == "$got" ]] ||
        fail "SAN set of $dir/cert.pem: expected [$(tr '\n' ' ' <<<"$want")], got [$(tr '\n' ' ' <<<"$got")]"

    local mode
    mode="$(stat -L -c %a "$dir/privkey.pem")"
    [[ "$mode" == 600 ]] || fail "$dir/privkey.pem has mode $mode, expected 600"
    mode="$(stat -L -c %a "$dir")"
    [[ "$mode" == 700 ]] || fail "$dir has mode $mode, expected 700"

    local key_pub cert_pub
    key_pub="$(openssl pkey -in "$dir/privkey.pem" -pubout 2>&1)" ||
        fail "$dir/privkey.pem is not a readable private key"
    cert_pub="$(openssl x509 -in "$dir/cert.pem" -noout -pubkey)"
    [[ "$key_pub" == "$cert_pub" ]] || fail "privkey.pem does not match cert.pem"

    local expected_full actual_full
    expected_full="$(cert_fingerprints "$dir/cert.pem"; cert_fingerprints "$dir/chain.pem")"
    actual_full="$(cert_fingerprints "$dir/fullchain.pem")"
    [[ "$expected_full" == "$actual_full" ]] || fail "fullchain.pem is not cert.pem + chain.pem"
    [[ "$(cert_fingerprints "$dir/cert.pem" | wc -l)" == 1 ]] ||
        fail "cert.pem holds more than one certificate"
}

# assert_cert_key DIR TYPE: the certificate's key is of TYPE (ec-p256|ec-p384|rsa-NNNN).
assert_cert_key() {
    local text
    text="$(openssl x509 -in "$1/cert.pem" -noout -text)"
    case "$2" in
    ec-p256) grep -q 'ASN1 OID: prime256v1' <<<"$text" || fail "$1: certificate key is not P-256" ;;
    ec-p384) grep -q 'ASN1 OID: secp384r1' <<<"$text" || fail "$1: certificate key is not P-384" ;;
    rsa-*)
        if ! grep -q 'rsaEncryption' <<<"$text" ||
            ! grep -q "Public-Key: (${2#rsa-} bit)" <<<"$text"; then
            fail "$1: certificate key is not RSA ${2#rsa-}"
        fi
        ;;
    *) fail "assert_cert_key: unknown type $2" ;;
    esac
}

# assert_issued_line NAME LIVEDIR: stdout of the last run has the success line for NAME and its
# serial and expiry agree with the certificate on disk.
assert_issued_line() {
    local name="$1" live="$2" line
    line="$(grep -E "^$name: issued serial " "$WC_OUT")" || fail "no '$name: issued serial' line on stdout"
    local re="^$name: issued serial ([0-9A-Fa-f:]+) expires ([0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z) in (.+)$"
    [[ "$line" =~ $re ]] || fail "malformed success line: '$line'"
    local serial="${BASH_REMATCH[1]}" expires="${BASH_REMATCH[2]}" dir="${BASH_REMATCH[3]}"

    local want_serial want_expires
    want_serial="$(openssl x509 -in "$live/cert.pem" -noout -serial | cut -d= -f2)"
    serial="$(tr -d ':' <<<"$serial" | tr 'A-F' 'a-f' | sed 's/^0*//')"
    want_serial="$(tr 'A-F' 'a-f' <<<"$want_serial" | sed 's/^0*//')"
    assert_eq "$want_serial" "$serial" "serial on stdout"
    want_expires="$(date -u -d "$(openssl x509 -in "$live/cert.pem" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ)"
    assert_eq "$want_expires" "$expires" "expiry on stdout"
    [[ "$(realpath -m "$dir")" == "$(realpath -m "$live")" ]] ||
        fail "success line names '$dir', expected $live"
}

# assert_no_partial_live STATE NAME: either no live/NAME or a complete one; no temporary files.
assert_no_partial_live() {
    local state="$1" name="$2" f
    if [[ -e "$state/live/$name" || -L "$state/live/$name" ]]; then
        for f in privkey cert chain fullchain; do
            [[ -s "$state/live/$name/$f.pem" ]] || fail "partial live/$name: $f.pem missing"
        done
    fi
    if [[ -d "$state" ]]; then
        local tmp
        tmp="$(find "$state" -name '*.tmp*')"
        [[ -z "$tmp" ]] || fail "temporary files left in the state dir: $tmp"
    fi
}

# assert_no_live STATE NAME: nothing at live/NAME.
assert_no_live() {
    [[ ! -e "$1/live/$2" && ! -L "$1/live/$2" ]] || fail "$1/live/$2 exists after a failed run"
    assert_no_partial_live "$1" "$2"
}

# account_dirs STATE: how many account folders the state dir holds.
account_count() {
    if [[ -d "$1/accounts" ]]; then
        find "$1/accounts" -mindepth 1 -maxdepth 1 | wc -l
    else
        echo 0
    fi
}
