# shellcheck shell=bash
# Harness for the propagation tests (issue 3): several BIND 9 servers on port 53, each on its own
# loopback address inside the test's network namespace, so that wildcert's discovery walks real
# NS records to real addresses.
#
#   primary    type primary, RFC 2136 updates by the default TSIG key, `notify no`
#   secondary  type secondary of the primary (AXFR/IXFR); it only transfers when the test says
#              so (prop_start_lag), which makes its lag exact and repeatable
#   resolver   recursion yes, one static-stub zone per test zone: the path for wildcert's
#              discovery ([dns] resolvers) and, as a second instance, for Pebble (-dnsserver),
#              because neither an authoritative BIND nor Pebble 2.4 chases a CNAME into another
#              zone. Two instances, because BIND keeps even a 0 s negative answer until the
#              end of the current second: the NXDOMAIN wildcert's discovery just got for an
#              _acme-challenge name must not be what Pebble gets a moment later.
#
# Every server gets an rndc control channel on ADDR:953 (one key per run, never granted DNS
# updates). Source after lib.sh, then call prop_setup after e2e_init.

# The addresses the tests use; lib.sh adds .2 and .3, prop_setup adds the rest.
# shellcheck disable=SC2034 # for the scripts that source this file
{
    PROP_RESOLVER=127.0.0.1
    PROP_NS1=127.0.0.2
    PROP_NS2=127.0.0.3
    PROP_NS3=127.0.0.4
    PROP_CA_RESOLVER=127.0.0.5
    PROP_RNDC_PORT=953
}

prop_setup() {
    local addr
    for addr in "$PROP_NS3" "$PROP_CA_RESOLVER"; do
        ip addr add "$addr/8" dev lo 2>/dev/null || true
        # Not a pipe into grep -q: with pipefail, ip's SIGPIPE would read as a failure.
        [[ "$(ip -o addr show dev lo)" == *" $addr/"* ]] || fail "cannot add $addr to lo"
    done
    command -v rndc >/dev/null 2>&1 || fail "rndc is missing (package bind9-utils)"
    [[ -f "$E2E_WORK/keys/wildcert-key.key" ]] || make_default_tsig_key
    local dir="$E2E_WORK/rndc"
    mkdir -p "$dir" "$E2E_WORK/zones"
    chmod 700 "$dir"
    tsig-keygen -a hmac-sha256 prop-rndc-key >"$dir/rndc.key" || fail "tsig-keygen for rndc"
    cat >"$dir/rndc.conf" <<EOF
include "$dir/rndc.key";
options { default-key "prop-rndc-key"; default-port $PROP_RNDC_PORT; };
EOF
}

# prop_rndc ADDR ARGS...: one rndc command to the server on ADDR.
prop_rndc() {
    local addr="$1"
    shift
    rndc -c "$E2E_WORK/rndc/rndc.conf" -s "$addr" -p "$PROP_RNDC_PORT" "$@"
}

# prop_zone ZONE HOST=ADDR...: the zone file template (in $E2E_WORK/zones) with one NS record
# per HOST; a HOST inside ZONE also gets its A record (glue), one outside does not (its address
# comes from its own zone, as at most hosting providers). The first HOST is the SOA MNAME. The
# SOA minimum (negative TTL) is 1 s, so "no such record" is never remembered for long.
prop_zone() {
    local zone="$1"
    shift
    (($# > 0)) || fail "prop_zone $zone: no name servers"
    local file="$E2E_WORK/zones/$zone.db" spec host addr
    {
        printf '%sTTL 300\n' '$'
        printf '@ IN SOA %s hostmaster.%s. ( 1 3600 600 86400 1 )\n' "${1%%=*}" "$zone"
        for spec in "$@"; do
            printf '@ IN NS %s\n' "${spec%%=*}"
        done
        for spec in "$@"; do
            host="${spec%%=*}" addr="${spec#*=}"
            if [[ "$host" == *".$zone." ]]; then
                printf '%s IN A %s\n' "$host" "$addr"
            fi
        done
        printf '@ IN A 127.0.0.1\n'
    } >"$file"
}

# prop_zone_add ZONE RECORD: appends one record line to the zone template.
prop_zone_add() {
    [[ -f "$E2E_WORK/zones/$1.db" ]] || fail "prop_zone_add: no template for $1"
    printf '%s\n' "$2" >>"$E2E_WORK/zones/$1.db"
}

# prop_zone_stanza SPEC DIR: the named.conf zone statement for one SPEC (see prop_start_named).
prop_zone_stanza() {
    local spec="$1" dir="$2" kind zone rest
    kind="${spec%%:*}" rest="${spec#*:}"
    zone="${rest%%:*}"
    case "$kind" in
    primary | static)
        [[ -f "$E2E_WORK/zones/$zone.db" ]] || fail "no zone template for $zone (prop_zone)"
        cp "$E2E_WORK/zones/$zone.db" "$dir/$zone.db"
        printf 'zone "%s" {\n    type primary;\n    file "%s/%s.db";\n' "$zone" "$dir" "$zone"
        if [[ "$kind" == primary ]]; then
            printf '    update-policy { %s };\n' "${PROP_BIND_GRANTS:-grant wildcert-key zonesub TXT;}"
        fi
        printf '};\n'
        ;;
    secondary)
        local primary="${rest#*:}"
        [[ "$primary" != "$rest" && -n "$primary" ]] || fail "secondary:$zone needs :PRIMARY_ADDR"
        printf 'zone "%s" {\n    type secondary;\n    primaries { %s; };\n};\n' "$zone" "$primary"
        ;;
    *) fail "prop_start_named: unknown zone spec '$spec'" ;;
    esac
}

# prop_named_run NAME ADDR CONF_BODY_FILE ZONE_TO_CHECK RD: writes the options shared by every
# server, starts named and waits (bounded) until it answers SOA for ZONE_TO_CHECK (with
# recursion desired when RD is "rec").
prop_named_run() {
    local name="$1" addr="$2" body="$3" check_zone="$4" rd="$5"
    local dir="$E2E_WORK/bind-$name"
    {
        printf 'include "%s";\n' "$E2E_WORK/keys/wildcert-key.key"
        printf 'include "%s";\n' "$E2E_WORK/rndc/rndc.key"
        cat <<EOF
controls {
    inet $addr port $PROP_RNDC_PORT allow { 127.0.0.0/8; } keys { "prop-rndc-key"; };
};
EOF
        cat "$body"
    } >"$dir/named.conf"
    named-checkconf "$dir/named.conf" >"$dir/checkconf.log" 2>&1 ||
        fail "BIND $name: named-checkconf: $(tail -n 5 "$dir/checkconf.log")"

    # shellcheck disable=SC2086 # word splitting of the extra arguments is wanted
    named -g -c "$dir/named.conf" -u root ${WILDCERT_E2E_NAMED_ARGS:-} >"$dir/named.log" 2>&1 &
    local pid=$!
    E2E_PIDS+=("$pid")
    local flag=+norec i
    [[ "$rd" == rec ]] && flag=+rec
    for ((i = 0; i < 150; i++)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            fail "BIND $name exited; log tail:"$'\n'"$(tail -n 20 "$dir/named.log")"
        fi
        # The control channel opens a moment after the first answer: wait for both.
        if [[ -n "$(dig @"$addr" SOA "$check_zone" "$flag" +short +time=1 +tries=1 2>/dev/null)" ]] &&
            prop_rndc "$addr" status >/dev/null 2>&1; then
            e2e_log "BIND $name on $addr:53 ready (pid $pid)"
            return 0
        fi
        sleep 0.1
    done
    fail "BIND $name: no SOA for $check_zone from $addr; log tail:"$'\n'"$(tail -n 20 "$dir/named.log")"
}

# prop_start_named NAME ADDR SPEC...: an authoritative-only named on ADDR:53. SPEC is one of
#   primary:ZONE                 from the prop_zone template; the default TSIG key may add and
#                                remove TXT records anywhere in ZONE (RFC 2136), unless
#                                PROP_BIND_GRANTS holds the update-policy rules to use instead
#                                (e.g. 'grant wildcert-key name _acme-challenge.x.test. TXT;')
#   static:ZONE                  the same without any update rights
#   secondary:ZONE:PRIMARY_ADDR  transfers ZONE from PRIMARY_ADDR at start, then only on
#                                `rndc refresh` (SOA refresh 3600 s, no NOTIFY anywhere)
# Returns once the first zone is served (for a secondary: once its first transfer is done).
prop_start_named() {
    local name="$1" addr="$2"
    shift 2
    (($# > 0)) || fail "prop_start_named $name: no zones"
    local dir="$E2E_WORK/bind-$name"
    mkdir -p "$dir"
    local first="${1#*:}"
    first="${first%%:*}"
    {
        cat <<EOF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    session-keyfile "$dir/session.key";
    managed-keys-directory "$dir";
    listen-on port 53 { $addr; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
    allow-query { any; };
    allow-transfer { 127.0.0.0/8; };
    transfer-source $addr;
    serial-query-rate 1000;
    query-source address $addr;
};
EOF
        local spec
        for spec in "$@"; do
            prop_zone_stanza "$spec" "$dir"
        done
    } >"$dir/body.conf"
    prop_named_run "$name" "$addr" "$dir/body.conf" "$first" norec
}

# prop_start_resolver NAME ADDR ZONE=ADDR[,ADDR...]...: a recursive named on ADDR:53 that
# reaches each ZONE through a static-stub at the given addresses and answers everything else
# from an empty local root (so nothing leaves the namespace). Its cache keeps answers for 0 s,
# which BIND still serves until the end of the current second: give Pebble its own instance
# (see the top of this file).
prop_start_resolver() {
    local name="$1" addr="$2"
    shift 2
    (($# > 0)) || fail "prop_start_resolver $name: no zones"
    local dir="$E2E_WORK/bind-$name"
    mkdir -p "$dir"
    cat >"$dir/root.db" <<EOF
\$TTL 300
. IN SOA root.invalid. hostmaster.invalid. ( 1 3600 600 86400 1 )
. IN NS root.invalid.
root.invalid. IN A $addr
EOF
    {
        cat <<EOF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    session-keyfile "$dir/session.key";
    managed-keys-directory "$dir";
    listen-on port 53 { $addr; };
    listen-on-v6 { none; };
    recursion yes;
    allow-recursion { any; };
    allow-query { any; };
    dnssec-validation no;
    qname-minimization off;
    max-cache-ttl 0;
    max-ncache-ttl 0;
    // Pebble 2.4 asks over UDP without EDNS and never retries over TCP, so a large TXT set
    // reaches it truncated. "none" keeps the stored (DNSSEC canonical) order, which puts the
    // 43-character ACME values before longer ones: they are in the part that fits.
    rrset-order { order none; };
    notify no;
    query-source address $addr;
};
zone "." { type primary; file "$dir/root.db"; };
EOF
        local spec
        for spec in "$@"; do
            printf 'zone "%s" {\n    type static-stub;\n    server-addresses { %s; };\n};\n' \
                "${spec%%=*}" "$(tr ',' ';' <<<"${spec#*=}")"
        done
    } >"$dir/body.conf"
    local first="${1%%=*}"
    prop_named_run "$name" "$addr" "$dir/body.conf" "$first" rec
}

# prop_resolve ADDR NAME: the TXT values a recursive server at ADDR resolves for NAME (CNAMEs
# followed), one a line, sorted.
prop_resolve() {
    dig @"$1" TXT "$2" +short +time=2 +tries=1 | grep '^"' | tr -d '"' | sort
}

# prop_serial ADDR ZONE: the SOA serial ADDR serves for ZONE (empty when it does not answer).
prop_serial() {
    dig @"$1" SOA "$2" +norec +short +time=1 +tries=1 2>/dev/null | awk 'NR == 1 { print $3 }'
}

# prop_start_lag LAG SECONDARY_ADDR PRIMARY_NAME ZONE...: a background watcher that makes the
# secondary lag LAG seconds behind the primary started as PRIMARY_NAME. It follows the primary's
# log (tail -F: no polling) and, LAG seconds after the first "updating zone 'ZONE/IN'" line,
# runs `rndc refresh ZONE` on the secondary, which then transfers (IXFR) at once. Updates that
# reach the primary meanwhile ride along with that transfer. Events go to $E2E_WORK/lag.log as
# "EPOCH event zone" lines: "primary-updated" when the log line arrived, "refresh" when rndc was
# started (the line is written once it returned, so lines may be out of order). Bounded by
# PROP_LAG_MAX_SECONDS (default 600); the EXIT trap stops it, and its tail dies with it.
prop_start_lag() {
    local lag="$1" secondary="$2" primary_log="$E2E_WORK/bind-$3/named.log"
    shift 3
    [[ -f "$primary_log" ]] || fail "prop_start_lag: no log $primary_log"
    local log="$E2E_WORK/lag.log" offset
    : >"$log"
    # Start reading where the log ends now: no race with an update that comes right after.
    offset=$(($(stat -c %s "$primary_log") + 1))
    (
        local tail_pid=""
        trap '[[ -n "$tail_pid" ]] && kill "$tail_pid" 2>/dev/null; exit 0' TERM INT
        exec {lines}< <(exec tail -c "+$offset" -F --pid="$BASHPID" "$primary_log" 2>/dev/null)
        tail_pid=$!
        # Integer microseconds from $EPOCHREALTIME: no process per comparison.
        local -A due=()
        local line zone now next wait_us lag_us end_us
        lag_us="$(awk -v l="$lag" 'BEGIN { printf "%d", l * 1000000 }')"
        end_us=$((${EPOCHREALTIME/./} + ${PROP_LAG_MAX_SECONDS:-600} * 1000000))
        while :; do
            now="${EPOCHREALTIME/./}"
            ((now < end_us)) || break
            for zone in "${!due[@]}"; do
                ((now >= due[$zone])) || continue
                unset "due[$zone]"
                # In the background: one rndc takes a noticeable time on a busy machine, and
                # the zones that are due together must be refreshed together.
                (
                    local started="$EPOCHREALTIME" event=refresh
                    prop_rndc "$secondary" refresh "$zone" >/dev/null 2>&1 || event=refresh-failed
                    printf '%s %s %s (rndc returned at %s)\n' "$started" "$event" "$zone" \
                        "$EPOCHREALTIME" >>"$log"
                ) &
            done
            # Sleep in read until the next refresh is due (at most 1 s at a time).
            next=$((now + 1000000))
            for zone in "${!due[@]}"; do
                ((due[$zone] < next)) && next="${due[$zone]}"
            done
            wait_us=$((next - ${EPOCHREALTIME/./}))
            ((wait_us > 1000)) || wait_us=1000
            if IFS= read -r -t "$(printf '%d.%06d' $((wait_us / 1000000)) $((wait_us % 1000000)))" \
                -u "$lines" line; then
                [[ "$line" =~ updating\ zone\ \'([^/]+)/IN\' ]] || continue
                zone="${BASH_REMATCH[1]}"
                [[ " $* " == *" $zone "* && ! -v "due[$zone]" ]] || continue
                due["$zone"]=$((${EPOCHREALTIME/./} + lag_us))
                printf '%s primary-updated %s\n' "$EPOCHREALTIME" "$zone" >>"$log"
            fi
        done
        kill "$tail_pid" 2>/dev/null || true
    ) &
    E2E_PIDS+=("$!")
    e2e_log "secondary $secondary lags ${lag}s behind $primary_log for $* (watcher pid $!)"
}

# prop_wait_in_sync SECONDARY_ADDR PRIMARY_ADDR ZONE SECONDS: bounded wait until both serve the
# same SOA serial for ZONE.
prop_wait_in_sync() {
    local secondary="$1" primary="$2" zone="$3" seconds="$4" i
    for ((i = 0; i < seconds * 10; i++)); do
        local p s
        p="$(prop_serial "$primary" "$zone")"
        s="$(prop_serial "$secondary" "$zone")"
        [[ -n "$p" && "$p" == "$s" ]] && return 0
        sleep 0.1
    done
    fail "$zone: secondary $secondary (serial $(prop_serial "$secondary" "$zone")) did not" \
        "catch up with $primary (serial $(prop_serial "$primary" "$zone")) within ${seconds}s"
}

# ---------------------------------------------------------------------------------------------
# Runs with a clock on every stderr line

# prop_issue PROFILE STATE [ARGS...]: like lib.sh's issue (WC_RC, WC_OUT, WC_ERR, WC_SECONDS,
# WC_LAST_ERR, WC_CMD), and also WC_STAMPED: each stderr line prefixed with the epoch time it
# arrived, so that a test can time the steps between lines.
prop_issue() {
    local profile="$1" state="$2"
    shift 2
    E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
    WC_OUT="$E2E_WORK/run-$E2E_RUN_SEQ.out"
    WC_ERR="$E2E_WORK/run-$E2E_RUN_SEQ.err"
    WC_STAMPED="$E2E_WORK/run-$E2E_RUN_SEQ.stamped"
    WC_CMD="wildcert issue -c $profile --state-dir $state -v $*"
    local rc_file="$E2E_WORK/run-$E2E_RUN_SEQ.rc" start end line
    start="$EPOCHREALTIME"
    : >"$WC_ERR"
    : >"$WC_STAMPED"
    {
        local rc=0
        timeout -k 5 "${WILDCERT_E2E_RUN_TIMEOUT:-240}" "$WILDCERT" issue -c "$profile" \
            --state-dir "$state" -v "$@" 2>&1 >"$WC_OUT" || rc=$?
        printf '%s\n' "$rc" >"$rc_file"
    } | while IFS= read -r line; do
        printf '%s\n' "$line" >>"$WC_ERR"
        printf '%s %s\n' "$EPOCHREALTIME" "$line" >>"$WC_STAMPED"
    done
    end="$EPOCHREALTIME"
    WC_RC="$(cat "$rc_file")"
    WC_SECONDS="$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')"
    # shellcheck disable=SC2034 # for the assertions in lib.sh
    WC_LAST_ERR="$(tail -n 1 "$WC_ERR")"
    e2e_log "run $E2E_RUN_SEQ: $WC_CMD -> exit $WC_RC in ${WC_SECONDS}s"
}

# The -v line that says every server serves every value: today's wording, and the one with
# figures the lead adds ("dns: all S server address(es) serve all N name(s) after T ms ...").
# shellcheck disable=SC2034 # for the scripts that source this file
PROP_AGREED_RE='dns: (every server serves every value|all [0-9]+ server address\(es\) serve all)'

# prop_line_time REGEX: the epoch time of the first stderr line of the last prop_issue that
# matches the extended REGEX (fails when there is none).
prop_line_time() {
    local t
    t="$(grep -E -m 1 -- "$1" "$WC_STAMPED" | cut -d' ' -f1)"
    [[ -n "$t" ]] || fail "no stderr line matching /$1/ in the last run"
    printf '%s\n' "$t"
}

# prop_elapsed FROM TO: TO - FROM in seconds with 3 decimals.
prop_elapsed() {
    awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'
}

# prop_less A B: true when the number A < B.
prop_less() {
    awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }'
}

# ---------------------------------------------------------------------------------------------
# Asking Pebble what it thinks, as the account wildcert created (RFC 8555 §6.3 POST-as-GET), so
# that a test can check authorization states without trusting wildcert's own report.

# prop_b64url: stdin -> base64url without padding (RFC 7515 §2).
prop_b64url() {
    basenc --base64url -w 0 | tr -d '='
}

# prop_pebble_get STATE URL: POST-as-GET of URL signed with the ES256 account key wildcert keeps
# in STATE; prints the response body. Retries a rejected nonce (badNonce) a few times.
prop_pebble_get() {
    local state="$1" url="$2"
    local account_dir key kid
    account_dir="$(find "$state/accounts" -mindepth 1 -maxdepth 1 -type d | head -n 1)"
    key="$account_dir/account.key"
    [[ -f "$key" ]] || fail "prop_pebble_get: no account key in $state"
    kid="$(sed -n 's/^url=//p' "$account_dir/account.txt")"
    [[ -n "$kid" ]] || fail "prop_pebble_get: no account URL in $account_dir/account.txt"
    [[ "$(openssl pkey -in "$key" -noout -text 2>/dev/null)" == *prime256v1* ]] ||
        fail "prop_pebble_get: the account key is not P-256 (profile account_key = ec-p256)"
    local nonce_url attempt
    nonce_url="${PEBBLE_DIR_URL%/dir}/nonce-plz"
    for ((attempt = 0; attempt < 5; attempt++)); do
        local nonce protected signing_input der r s signature body
        nonce="$(curl -fsS --max-time 10 --cacert "$PEBBLE_CA" -I "$nonce_url" |
            tr -d '\r' | sed -n 's/^[Rr]eplay-[Nn]once: //p')"
        [[ -n "$nonce" ]] || fail "prop_pebble_get: no nonce from $nonce_url"
        protected="$(printf '{"alg":"ES256","kid":"%s","nonce":"%s","url":"%s"}' "$kid" "$nonce" "$url" |
            prop_b64url)"
        signing_input="$protected."
        der="$E2E_WORK/.jws-sig.der"
        printf '%s' "$signing_input" | openssl dgst -sha256 -sign "$key" -binary >"$der" ||
            fail "prop_pebble_get: openssl could not sign"
        # RFC 7518 §3.4: JWS wants r || s, each 32 bytes, not the DER sequence openssl writes.
        read -r r s < <(openssl asn1parse -inform DER -in "$der" |
            sed -n 's/.*INTEGER *:\([0-9A-Fa-f]*\).*/\1/p' | tr '\n' ' ')
        signature="$(printf '%064s%064s' "$r" "$s" | tr ' ' '0' | basenc --base16 -d | prop_b64url)"
        body="$(curl -sS --max-time 10 --cacert "$PEBBLE_CA" \
            -H 'Content-Type: application/jose+json' \
            --data-binary "{\"protected\":\"$protected\",\"payload\":\"\",\"signature\":\"$signature\"}" \
            "$url")" || fail "prop_pebble_get: POST $url failed"
        if grep -q 'urn:ietf:params:acme:error:badNonce' <<<"$body"; then
            continue
        fi
        printf '%s\n' "$body"
        return 0
    done
    fail "prop_pebble_get: $url: badNonce five times"
}

# prop_order_url: the order URL from the last run's -v output ("acme: order URL (...)").
prop_order_urls() {
    sed -n 's/.*acme: order \(https:[^ ]*\) .*/\1/p' "$WC_ERR"
}

# prop_authz_states STATE ORDER_URL: one "IDENTIFIER STATUS" line per authorization of the
# order, as Pebble sees it (wildcards as *.NAME), sorted.
prop_authz_states() {
    local state="$1" order="$2" body authz
    body="$(prop_pebble_get "$state" "$order")"
    local -a authzs
    mapfile -t authzs < <(grep -o 'https://[^"]*/authZ/[^"]*' <<<"$body")
    ((${#authzs[@]} > 0)) || fail "order $order lists no authorizations: $body"
    for authz in "${authzs[@]}"; do
        body="$(prop_pebble_get "$state" "$authz")"
        # Pebble writes one member per line; the authorization's own status comes before its
        # challenges' (RFC 8555 §7.1.4 object, Pebble field order).
        local status value wildcard=""
        status="$(grep -m 1 -o '"status": *"[a-z]*"' <<<"$body" | sed 's/.*"\([a-z]*\)"$/\1/')"
        value="$(grep -m 1 -o '"value": *"[^"]*"' <<<"$body" | sed 's/.*"\([^"]*\)"$/\1/')"
        grep -q '"wildcard": *true' <<<"$body" && wildcard="*."
        printf '%s%s %s\n' "$wildcard" "$value" "$status"
    done | sort
}
