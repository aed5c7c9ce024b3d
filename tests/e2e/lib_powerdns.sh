# shellcheck shell=bash
# Harness additions for the PowerDNS e2e test, sourced after lib.sh: a real PowerDNS
# Authoritative server (pdns-server 4.7, sqlite3 backend) in the test's network namespace,
# serving a zone on DNS and its HTTP API (FIELD-NOTES-2.md).

# start_powerdns ADDR PORT ZONE: serves ZONE (SOA, NS ns1.ZONE, ns1.ZONE A ADDR) on ADDR:PORT
# with its API on ADDR:<a free port>. Caches are off, so that a query right after a change
# sees it. Sets PDNS_DIR, PDNS_API_URL, PDNS_API_KEY (exported) and PDNS_LOG.
start_powerdns() {
    local addr="$1" port="$2" zone="$3"
    command -v pdns_server >/dev/null && command -v pdnsutil >/dev/null &&
        command -v sqlite3 >/dev/null ||
        fail "pdns_server, pdnsutil or sqlite3 missing: scripts/install-deps.sh installs them"
    local schema=/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql
    [[ -f "$schema" ]] || fail "no $schema: scripts/install-deps.sh installs pdns-backend-sqlite3"
    PDNS_DIR="$E2E_WORK/pdns"
    PDNS_LOG="$PDNS_DIR/pdns.log"
    mkdir -p "$PDNS_DIR"
    sqlite3 "$PDNS_DIR/pdns.sqlite3" <"$schema" || fail "cannot create the PowerDNS database"
    PDNS_API_KEY="pdns-$(openssl rand -hex 16)"
    export PDNS_API_KEY
    local api_port
    api_port="$(free_port)"
    cat >"$PDNS_DIR/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$PDNS_DIR/pdns.sqlite3
local-address=$addr
local-port=$port
socket-dir=$PDNS_DIR
guardian=no
daemon=no
disable-syslog=yes
loglevel=6
cache-ttl=0
query-cache-ttl=0
negquery-cache-ttl=0
api=yes
api-key=$PDNS_API_KEY
webserver=yes
webserver-address=$addr
webserver-port=$api_port
webserver-allow-from=127.0.0.0/8
CONF
    pdnsutil --config-dir="$PDNS_DIR" create-zone "$zone" "ns1.$zone" >/dev/null 2>&1 ||
        fail "pdnsutil create-zone $zone failed"
    pdnsutil --config-dir="$PDNS_DIR" add-record "$zone" ns1 A 60 "$addr" >/dev/null 2>&1 ||
        fail "pdnsutil add-record ns1.$zone failed"
    pdns_server --config-dir="$PDNS_DIR" >"$PDNS_LOG" 2>&1 &
    local pid=$! i
    E2E_PIDS+=("$pid")
    PDNS_API_URL="http://$addr:$api_port"
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || fail "pdns_server exited: $(tail -n 5 "$PDNS_LOG")"
        if curl -fsS -o /dev/null -H "X-API-Key: $PDNS_API_KEY" \
            "$PDNS_API_URL/api/v1/servers/localhost/zones/$zone." 2>/dev/null &&
            dig @"$addr" -p "$port" SOA "$zone" +short +time=1 +tries=1 | grep -q .; then
            e2e_log "PowerDNS on $addr:$port serves $zone, API at $PDNS_API_URL (pid $pid)"
            return 0
        fi
        sleep 0.05
    done
    fail "PowerDNS did not answer on DNS and its API within 10s: $(tail -n 5 "$PDNS_LOG")"
}

# write_powerdns_profile FILE [EXTRA-LINES]: wildcard + apex of demo.test through the API; the
# key comes from ${PDNS_API_KEY} unless EXTRA-LINES ([dns.powerdns] keys) set api_key.
write_powerdns_profile() {
    local file="$1" extra
    # shellcheck disable=SC2016 # ${PDNS_API_KEY} is for wildcert to interpolate
    if (($# >= 2)); then extra="$2"; else extra='api_key = "${PDNS_API_KEY}"'; fi
    {
        acme_section
        cat <<TOML

[dns]
provider = "powerdns"
resolvers = ["127.0.0.1:53"]
propagation_timeout = "30s"
polling_interval = "200ms"
ttl = 60

[dns.powerdns]
api_url = "$PDNS_API_URL"
$extra

[[certificate]]
name = "demo"
domains = ["*.demo.test", "demo.test"]
key = "ec-p256"
TOML
    } >"$file"
}
