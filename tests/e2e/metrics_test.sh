#!/usr/bin/env bash
# `wildcert metrics` against a real node_exporter: the textfile it writes passes `promtool
# check metrics`, node_exporter's textfile collector serves every certificate's expiry gauge
# with the certificate's notAfter, a pending deploy shows, and the example alert rules pass
# `promtool check rules` and their `promtool test rules` cases (the expiry alert fires).
# Usage: metrics_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
e2e_init "$@"
e2e_binary "${1:-}"
repo="$(cd "$(dirname "$0")/../.." && pwd)"

command -v promtool >/dev/null && command -v prometheus-node-exporter >/dev/null ||
    fail "promtool or prometheus-node-exporter missing: scripts/install-deps.sh installs them"
start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
profile="$E2E_WORK/fleet.toml"
fleet_profile "$profile" 2 '[[certificate.deploy]]
command = ["/bin/false"]'
state="$E2E_WORK/state"
renew "$profile" "$state"
assert_exit 1 # c02's deploy command fails: its deploy stays pending

e2e_log "--- the textfile: valid text format, one expiry gauge per certificate"
textdir="$E2E_WORK/textfile"
mkdir -p "$textdir"
wildcert_run metrics --state-dir "$state" --textfile "$textdir/wildcert.prom"
assert_exit 0
prom="$textdir/wildcert.prom"
promtool check metrics <"$prom" >"$E2E_WORK/promtool.out" 2>&1 ||
    fail "promtool check metrics: $(cat "$E2E_WORK/promtool.out")"
[[ ! -s "$E2E_WORK/promtool.out" ]] || fail "promtool check metrics found problems: $(cat "$E2E_WORK/promtool.out")"
assert_eq 644 "$(stat -c %a "$prom")" "mode of the textfile"
assert_not_contains "$prom" "$TSIG_SECRET"
wildcert_run metrics --state-dir "$state"
assert_exit 0
assert_eq "$(grep -v generated "$prom")" "$(grep -v generated "$WC_OUT")" "stdout and textfile"

e2e_log "--- node_exporter's textfile collector serves them"
port="$(free_port)"
prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
    --collector.disable-defaults --collector.textfile \
    --collector.textfile.directory="$textdir" >"$E2E_WORK/node_exporter.log" 2>&1 &
E2E_PIDS+=("$!")
scrape="$E2E_WORK/scrape.txt"
for ((i = 0; i < 200; i++)); do
    curl -fsS --max-time 2 -o "$scrape" "http://127.0.0.1:$port/metrics" 2>/dev/null && break
    sleep 0.05
done
[[ -s "$scrape" ]] || fail "node_exporter did not answer: $(tail -n 5 "$E2E_WORK/node_exporter.log")"
for name in c01 c02; do
    not_after="$(date -d "$(openssl x509 -in "$state/live/$name/cert.pem" -noout -enddate | cut -d= -f2)" +%s)"
    line="$(grep "^wildcert_certificate_expiry_timestamp_seconds{.*name=\"$name\"" "$scrape" || true)"
    [[ -n "$line" ]] || fail "no expiry gauge for $name in node_exporter's /metrics"
    [[ "$line" == *"domain=\"*.$name.demo.test\""* && "$line" == *'issuer="Pebble Intermediate'* ]] ||
        fail "labels of $name's expiry gauge: $line"
    # node_exporter may print the value in exponent form: compare numerically.
    value="$(awk '{ printf "%.0f", $NF }' <<<"$line")"
    assert_eq "$not_after" "$value" "expiry gauge of $name"
done
assert_contains "$scrape" 'wildcert_certificate_deploy_pending{name="c02"} 1'
assert_contains "$scrape" 'wildcert_certificate_deploy_pending{name="c01"} 0'
grep -qx 'node_textfile_scrape_error 0' "$scrape" || fail "node_exporter could not read the textfile"

e2e_log "--- the example alert rules"
promtool check rules "$repo/examples/monitoring/wildcert.rules.yml" >"$E2E_WORK/rules.out" 2>&1 ||
    fail "promtool check rules: $(cat "$E2E_WORK/rules.out")"
(cd "$repo/examples/monitoring" && promtool test rules wildcert.rules.test.yml) \
    >"$E2E_WORK/rules-test.out" 2>&1 || fail "promtool test rules: $(cat "$E2E_WORK/rules-test.out")"
