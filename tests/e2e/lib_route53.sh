# shellcheck shell=bash
# Harness additions for the Route 53 e2e test, sourced after lib.sh: the fake-route53 process
# (which mirrors accepted changes into the test's BIND) and a route53 profile.

# start_fake_route53 BINARY ZONE [EXTRA-ARGS...]: starts the fake on an OS-chosen port with the
# credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, applying accepted
# changes to the BIND on 127.0.0.1:53 with the default TSIG key. Sets FAKE_ROUTE53_URL and
# FAKE_ROUTE53_LOG (each fake its own log).
start_fake_route53() {
    local binary="$1" zone="$2"
    shift 2
    [[ -x "$binary" ]] || fail "fake-route53 not found or not executable: $binary"
    E2E_FAKE_ROUTE53_SEQ=$((${E2E_FAKE_ROUTE53_SEQ:-0} + 1))
    FAKE_ROUTE53_LOG="$E2E_WORK/fake-route53-$E2E_FAKE_ROUTE53_SEQ.log"
    local out="$E2E_WORK/fake-route53-$E2E_FAKE_ROUTE53_SEQ.out"
    : >"$out" # exists before the background process opens it
    "$binary" --zone "$zone" --bind-server 127.0.0.1:53 --tsig-name wildcert-key \
        --tsig-secret "$(tsig_secret wildcert-key)" --log "$@" >"$out" 2>"$FAKE_ROUTE53_LOG" &
    local pid=$! i port=""
    E2E_PIDS+=("$pid")
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || fail "fake-route53 exited: $(tail -n 5 "$FAKE_ROUTE53_LOG")"
        port="$(sed -n 's/^listening on \([0-9]*\)$/\1/p' "$out")"
        [[ -n "$port" ]] && break
        sleep 0.1
    done
    [[ -n "$port" ]] || fail "fake-route53 never said 'listening on PORT'"
    FAKE_ROUTE53_URL="http://127.0.0.1:$port"
    e2e_log "fake Route 53 at $FAKE_ROUTE53_URL for $zone (pid $pid)"
}

# write_route53_profile FILE [EXTRA-LINES]: wildcard + apex of demo.test through the fake; the
# credentials come from the environment unless EXTRA-LINES ([dns.route53] keys) say otherwise.
write_route53_profile() {
    local file="$1" extra="${2:-}"
    {
        acme_section
        cat <<EOF

[dns]
provider = "route53"
resolvers = ["127.0.0.1:53"]
propagation_timeout = "30s"
polling_interval = "200ms"
ttl = 60

[dns.route53]
api_url = "$FAKE_ROUTE53_URL"
$extra

[[certificate]]
name = "demo"
domains = ["*.demo.test", "demo.test"]
key = "ec-p256"
EOF
    } >"$file"
}

# assert_no_aws_secret: neither stdout nor stderr of the last run shows the secret key or the
# session token.
assert_no_aws_secret() {
    local file
    for file in "$WC_OUT" "$WC_ERR"; do
        assert_not_contains "$file" "$AWS_SECRET_ACCESS_KEY"
        assert_not_contains "$file" "$AWS_SESSION_TOKEN"
    done
}
