# shellcheck shell=bash
# Harness additions for the Cloudflare e2e tests: the fake Cloudflare API (tests/fakes/cloudflare)
# mirroring accepted changes into the BIND that start_bind started, and a profile for it.
# Source after lib.sh:
#   source "$(dirname "$0")/lib.sh"
#   source "$(dirname "$0")/lib_cloudflare.sh"

# start_fake_cloudflare BINARY [ARGS...]: starts fake-cloudflare for the zone demo.test, applying
# changes to 127.0.0.1:53 with the default TSIG key. Extra ARGS go to the fake (--token, ...;
# with --tls-cert and --tls-key it serves HTTPS). Sets CF_FAKE_URL (the api_url),
# CF_FAKE_ZONE_ID and CF_FAKE_LOG (one line per request); each fake has its own folder.
start_fake_cloudflare() {
    local binary="$1"
    shift
    [[ -x "$binary" ]] || fail "fake-cloudflare binary not found or not executable: $binary"
    [[ -f "$E2E_WORK/keys/wildcert-key.secret" ]] || make_default_tsig_key
    E2E_CF_FAKE_SEQ=$((${E2E_CF_FAKE_SEQ:-0} + 1))
    local dir="$E2E_WORK/fake-cloudflare-$E2E_CF_FAKE_SEQ" scheme=http arg
    for arg in "$@"; do
        [[ "$arg" != --tls-cert ]] || scheme=https
    done
    mkdir -p "$dir"
    # Created before the fake starts: the polling sed below must not race the redirection.
    : >"$dir/stdout"
    "$binary" --zone demo.test \
        --bind-server 127.0.0.1:53 --tsig-name wildcert-key \
        --tsig-secret-file "$E2E_WORK/keys/wildcert-key.secret" --log "$@" \
        >"$dir/stdout" 2>"$dir/requests.log" &
    local pid=$! i port=""
    E2E_PIDS+=("$pid")
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null ||
            fail "fake-cloudflare exited: $(tail -n 5 "$dir/requests.log")"
        port="$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$dir/stdout")"
        [[ -n "$port" ]] && break
        sleep 0.05
    done
    [[ -n "$port" ]] || fail "fake-cloudflare did not report its port"
    CF_FAKE_URL="$scheme://127.0.0.1:$port/client/v4"
    # shellcheck disable=SC2034 # for callers
    CF_FAKE_ZONE_ID="$(sed -n 's/^zone demo.test \([0-9a-f]*\)$/\1/p' "$dir/stdout")"
    CF_FAKE_LOG="$dir/requests.log"
    e2e_log "fake Cloudflare at $CF_FAKE_URL (pid $pid)"
}

# write_cloudflare_profile FILE [key=value...]: a complete cloudflare profile for the current
# Pebble, BIND and fake. Keys (defaults in brackets):
#   api_url [$CF_FAKE_URL]  credentials [unset: raw TOML lines for [dns.cloudflare], e.g.
#   'api_token = "${TOKEN}"'; unset leaves them to the environment]  extra_dns [unset: more
#   raw lines for [dns.cloudflare]]  name [demo]  domains ["*.demo.test", "demo.test"]
write_cloudflare_profile() {
    local file="$1"
    shift
    local -A p=(
        [api_url]="${CF_FAKE_URL:-}" [credentials]='' [extra_dns]=''
        [name]=demo [domains]='"*.demo.test", "demo.test"'
    )
    local kv
    for kv in "$@"; do
        [[ "$kv" == *=* ]] || fail "write_cloudflare_profile: not key=value: $kv"
        [[ -v "p[${kv%%=*}]" ]] || fail "write_cloudflare_profile: unknown key ${kv%%=*}"
        p["${kv%%=*}"]="${kv#*=}"
    done
    {
        printf '[acme]\n'
        printf 'directory = "%s"\n' "$PEBBLE_DIR_URL"
        printf 'ca_bundle = "%s"\n' "$PEBBLE_CA"
        printf 'contact = ["mailto:admin@demo.test"]\n'
        printf 'accept_terms = true\n'
        printf 'account_key = "ec-p256"\n\n'
        printf '[dns]\n'
        printf 'provider = "cloudflare"\n'
        printf 'resolvers = ["127.0.0.1:53"]\n'
        printf 'propagation_timeout = "30s"\n'
        printf 'polling_interval = "200ms"\n\n'
        printf '[dns.cloudflare]\n'
        printf 'api_url = "%s"\n' "${p[api_url]}"
        [[ -n "${p[credentials]}" ]] && printf '%s\n' "${p[credentials]}"
        [[ -n "${p[extra_dns]}" ]] && printf '%s\n' "${p[extra_dns]}"
        printf '\n[[certificate]]\n'
        printf 'name = "%s"\n' "${p[name]}"
        printf 'domains = [%s]\n' "${p[domains]}"
        printf 'key = "ec-p256"\n'
    } >"$file"
}

# cf_requests_since LINE REGEX: how many fake requests after log line LINE match REGEX.
cf_requests_since() {
    tail -n +"$(($1 + 1))" "$CF_FAKE_LOG" | grep -cE -- "$2" || true
}
