#!/usr/bin/env bash
# The haproxy deployer against real HAProxy 2.6 instances: after a renew, the listener serves
# the new certificate from the same process (no reload), a connection opened before the swap
# still works, the crt file on disk holds the new PEM, and verification saw the new leaf. A
# socket at level user, a crt HAProxy did not load and a stopped HAProxy each fail their
# target with a clear message; the next renew deploys to the failed targets only.
# Usage: haproxy_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
# shellcheck source-path=SCRIPTDIR source=lib_haproxy.sh
source "$(dirname "$0")/lib_haproxy.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
start_haproxy a 127.0.0.1:8443
start_haproxy b 127.0.0.2:8443
dir_a="$E2E_WORK/haproxy-a"
dir_b="$E2E_WORK/haproxy-b"

# json_target I FIELD: a field of target I of the first certificate in the last JSON report.
json_target() {
    jq -r ".certificates[0].deploy.targets[$1].$2" "$WC_OUT" ||
        fail "no JSON report: $(head -c 300 "$WC_OUT")"
}

profile="$E2E_WORK/haproxy.toml"
write_profile "$profile" name=web extra="[[certificate.deploy]]
type = \"haproxy\"
socket = \"$dir_a/admin.sock\"
crt = \"$dir_a/site.pem\"
verify = [\"127.0.0.1:8443\"]"
state="$E2E_WORK/state"

e2e_log "--- wildcert deployers lists haproxy and its keys"
wildcert_run deployers
assert_exit 0
assert_contains "$WC_OUT" "haproxy"
wildcert_run deployers haproxy
assert_exit 0
assert_contains "$WC_OUT" "socket"
assert_contains "$WC_OUT" "write_crt"

e2e_log "--- first renew: new certificate served by the same HAProxy, no reload"
pid_before="$(cat "$dir_a/pid")"
# A client connection opened on the old certificate, kept open across the swap.
coproc KEPT { openssl s_client -connect 127.0.0.1:8443 -servername demo.test -quiet 2>/dev/null; }
# ask_kept: one HTTP request on the kept connection; its body.
ask_kept() {
    printf 'GET / HTTP/1.1\r\nHost: demo.test\r\n\r\n' >&"${KEPT[1]}"
    local line body i
    for ((i = 0; i < 20; i++)); do
        IFS= read -r -t 10 line <&"${KEPT[0]}" || fail "no answer on the kept connection"
        [[ "$line" == $'\r' ]] && break
    done
    IFS= read -r -t 10 -N 2 body <&"${KEPT[0]}" || fail "no body on the kept connection"
    echo "$body"
}
assert_eq ok "$(ask_kept)" "answer on the kept connection before the swap"
renew "$profile" "$state" --json -vv
assert_exit 0
live="$state/live/web"
assert_cert "$live" "$root" '*.demo.test' demo.test
new_serial="$(pem_serial "$live/cert.pem")"
assert_eq "$new_serial" "$(served_serial 127.0.0.1:8443)" "serial served after the deploy"
assert_eq "$pid_before" "$(pgrep -f "haproxy -f $dir_a/haproxy.cfg" | head -n 1)" "HAProxy pid"
kill -0 "$pid_before" || fail "HAProxy a is gone"
assert_eq ok "$(ask_kept)" "answer on the kept connection after the swap"
exec {KEPT[1]}>&-
assert_eq "$new_serial" "$(pem_serial "$dir_a/site.pem")" "serial in the crt file on disk"
assert_eq "$(openssl pkey -in "$live/privkey.pem" -pubout)" \
    "$(openssl pkey -in "$dir_a/site.pem" -pubout)" "key in the crt file on disk"
assert_eq 600 "$(stat -c %a "$dir_a/site.pem")" "mode of the crt file"
assert_eq ok "$(json_target 0 outcome)" "target outcome"
assert_eq haproxy "$(json_target 0 type)" "target type"
assert_eq "$dir_a/admin.sock" "$(json_target 0 target)" "target name"
live_sha="$(openssl x509 -in "$live/cert.pem" -outform DER | sha256sum | cut -d' ' -f1)"
assert_eq "$live_sha" "$(json_target 0 'served[0].sha256')" "fingerprint verification saw"
assert_eq 1 "$(jq -s '[.[] | select(.event == "deploy" and .deployer == "haproxy" and .outcome == "ok")] | length' "$state/audit.log")" \
    "deploy events in the audit log"
assert_not_contains "$WC_ERR" "PRIVATE KEY"
assert_not_contains "$WC_OUT" "PRIVATE KEY"

e2e_log "--- a socket at level user: the target fails, saying it needs level admin"
user_profile="$E2E_WORK/haproxy-user.toml"
write_profile "$user_profile" name=web extra="[[certificate.deploy]]
type = \"haproxy\"
socket = \"$dir_a/user.sock\"
crt = \"$dir_a/site.pem\"
write_crt = false"
renew "$user_profile" "$state" --force --json
assert_exit 1
assert_eq failed "$(json_target 0 outcome)" "outcome at level user"
assert_matches "$(json_target 0 failure)" 'level admin' "failure at level user"
served_before="$(served_serial 127.0.0.1:8443)"
assert_eq "$new_serial" "$served_before" "still the first renewal's certificate"

e2e_log "--- a crt HAProxy did not load: the target fails naming the path"
wrong_profile="$E2E_WORK/haproxy-wrong.toml"
write_profile "$wrong_profile" name=web extra="[[certificate.deploy]]
type = \"haproxy\"
socket = \"$dir_a/admin.sock\"
crt = \"$dir_a/not-loaded.pem\"
write_crt = false"
renew "$wrong_profile" "$state" --force --json
assert_exit 1
assert_eq failed "$(json_target 0 outcome)" "outcome with a wrong crt"
assert_matches "$(json_target 0 failure)" "no certificate loaded from $dir_a/not-loaded.pem" \
    "failure with a wrong crt"

e2e_log "--- two instances, one stopped: the other is deployed, the next run retries only it"
pair_profile="$E2E_WORK/haproxy-pair.toml"
write_profile "$pair_profile" name=web extra="[[certificate.deploy]]
type = \"haproxy\"
targets = [
    { socket = \"$dir_a/admin.sock\", crt = \"$dir_a/site.pem\", verify = [\"127.0.0.1:8443\"] },
    { socket = \"$dir_b/admin.sock\", crt = \"$dir_b/site.pem\", verify = [\"127.0.0.2:8443\"] },
]"
stop_haproxy b
renew "$pair_profile" "$state" --force --json
assert_exit 1
pair_serial="$(pem_serial "$live/cert.pem")"
assert_eq ok "$(json_target 0 outcome)" "instance a"
assert_eq failed "$(json_target 1 outcome)" "instance b (stopped)"
assert_matches "$(json_target 1 failure)" "$dir_b/admin.sock" "failure of the stopped instance"
assert_eq "$pair_serial" "$(served_serial 127.0.0.1:8443)" "instance a serves the new certificate"
mtime_a="$(stat -c %Y.%N "$dir_a/site.pem")"
start_haproxy b 127.0.0.2:8443

# The crt file was written before the runtime API was tried: restarted, b loads the new one.
assert_eq "$pair_serial" "$(served_serial 127.0.0.2:8443)" "instance b after its restart"
renew "$pair_profile" "$state" --json
assert_exit 0
assert_eq not-due "$(jq -r '.certificates[0].status' "$WC_OUT")" "status of the retry run"
assert_eq already-deployed "$(json_target 0 outcome)" "instance a on the retry run"
assert_eq ok "$(json_target 1 outcome)" "instance b on the retry run"
assert_eq "$pair_serial" "$(served_serial 127.0.0.2:8443)" "instance b serves the new certificate"
assert_eq "$mtime_a" "$(stat -c %Y.%N "$dir_a/site.pem")" "instance a's crt file untouched"
renew "$pair_profile" "$state" --json
assert_exit 0
assert_eq false "$(jq -r '.certificates[0].deploy.ran' "$WC_OUT")" "deploy once every target is done"

e2e_log "--- probe: after a renew whose target b failed (level user), b is stale, a live"
stale_profile="$E2E_WORK/haproxy-pair-user.toml"
sed "s|$dir_b/admin.sock|$dir_b/user.sock|" "$pair_profile" >"$stale_profile"
renew "$stale_profile" "$state" --force --json
assert_exit 1
stale_serial="$(pem_serial "$live/cert.pem")"
wildcert_run probe -c "$stale_profile" --state-dir "$state" --json
assert_exit 1
assert_eq "live stale" "$(jq -r '[.endpoints[].state] | join(" ")' "$WC_OUT")" "probe states"
assert_eq "$stale_serial" "$(jq -r '.endpoints[0].serial' "$WC_OUT")" "serial probe saw at a"
assert_eq "$pair_serial" "$(jq -r '.endpoints[1].serial' "$WC_OUT")" "serial probe saw at b"
assert_eq "$stale_serial" "$(jq -r '.endpoints[1].live_serial' "$WC_OUT")" "live serial probe names"
wildcert_run probe -c "$stale_profile" --state-dir "$state"
assert_exit 1
assert_matches "$(cat "$WC_OUT")" "web  127\\.0\\.0\\.2:8443 \\(sni demo\\.test\\)  stale  serial $pair_serial" \
    "probe text"
e2e_log "--- the pair profile again: b (a target of its own) is deployed, a is left alone"
renew "$pair_profile" "$state" --json
assert_exit 0
assert_eq already-deployed "$(json_target 0 outcome)" "instance a"
assert_eq ok "$(json_target 1 outcome)" "instance b"
wildcert_run probe -c "$pair_profile" --state-dir "$state" --json
assert_exit 0
assert_eq "live live" "$(jq -r '[.endpoints[].state] | join(" ")' "$WC_OUT")" "probe after the fix"

e2e_log "--- a typo in a deploy key is an error before anything is ordered"
typo_profile="$E2E_WORK/haproxy-typo.toml"
write_profile "$typo_profile" name=web extra="[[certificate.deploy]]
type = \"haproxy\"
sockett = \"$dir_a/admin.sock\"
crt = \"$dir_a/site.pem\""
requests="$(pebble_requests)"
renew "$typo_profile" "$state" --force
assert_exit 2
assert_matches "$(cat "$WC_ERR")" "certificate\\[1\\]\\.deploy\\[1\\]\\.sockett: unknown key for type \"haproxy\"; did you mean 'socket'" \
    "typo error"
assert_no_request_since "$requests"

e2e_log "--- wildcert check asks every HAProxy target, changing nothing"
wildcert_run check -c "$stale_profile" --state-dir "$state"
assert_exit 1
grep -F -- "ok   deploy web haproxy $dir_a/admin.sock: " "$WC_OUT" >/dev/null ||
    fail "check has no ok line for instance a: $(cat "$WC_OUT")"
b_line="$(grep -F -- "FAIL deploy web haproxy $dir_b/user.sock: " "$WC_OUT" || true)"
[[ "$b_line" == *"level admin"* ]] || fail "check does not fail instance b for its level: $b_line"
assert_eq "$stale_serial" "$(served_serial 127.0.0.1:8443)" "instance a untouched by check"

e2e_log "--- renew --deploy-only: every target again, nothing ordered"
requests="$(pebble_requests)"
renew "$pair_profile" "$state" --deploy-only --json
assert_exit 0
assert_eq "ok ok" "$(jq -r '[.certificates[0].deploy.targets[].outcome] | join(" ")' "$WC_OUT")" \
    "targets deployed again"
assert_eq not-due "$(jq -r '.certificates[0].status' "$WC_OUT")" "status with --deploy-only"
assert_no_request_since "$requests"
wildcert_run renew -c "$pair_profile" --state-dir "$state" --deploy-only --force
assert_exit 2
assert_contains "$WC_ERR" "--deploy-only orders nothing"

e2e_log "--- --dry-run --run-hooks deploys only to the entries marked dry_run = true"
dry_profile="$E2E_WORK/haproxy-dry.toml"
write_profile "$dry_profile" name=web extra="[[certificate.deploy]]
type = \"haproxy\"
socket = \"$dir_a/admin.sock\"
crt = \"$dir_a/site.pem\"
dry_run = true

[[certificate.deploy]]
type = \"haproxy\"
socket = \"$dir_b/admin.sock\"
crt = \"$dir_b/site.pem\""
live_serial="$(pem_serial "$live/cert.pem")"
b_before="$(served_serial 127.0.0.2:8443)"
renew "$dry_profile" "$state" --dry-run --run-hooks --json
assert_exit 0
assert_eq 1 "$(jq '.certificates[0].deploy.targets | length' "$WC_OUT")" "targets in the dry run"
assert_eq "$dir_a/admin.sock" "$(json_target 0 target)" "the dry-run target"
dry_serial="$(served_serial 127.0.0.1:8443)"
[[ "$dry_serial" != "$live_serial" ]] || fail "instance a does not serve the dry run's certificate"
assert_eq "$b_before" "$(served_serial 127.0.0.2:8443)" "instance b untouched by the dry run"
assert_eq "$live_serial" "$(pem_serial "$live/cert.pem")" "live/ untouched by the dry run"
