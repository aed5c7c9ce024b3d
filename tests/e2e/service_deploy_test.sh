#!/usr/bin/env bash
# The service deployer and endpoint verification against a real nginx: nginx reads the live/
# files, `renew` reloads it and verification sees the new leaf; a reload that is "forgotten"
# (a command that does nothing) is caught by verification, reported as failed with what the
# endpoint serves, and deployed again by the next run.
# Usage: service_deploy_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
# shellcheck source-path=SCRIPTDIR source=lib_haproxy.sh
source "$(dirname "$0")/lib_haproxy.sh"
e2e_init "$@"
e2e_binary "${1:-}"

command -v nginx >/dev/null || fail "nginx missing: scripts/install-deps.sh installs nginx-light"
start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
state="$E2E_WORK/state"
live="$state/live/web"

json_target() {
    jq -r ".certificates[0].deploy.targets[$1].$2" "$WC_OUT" ||
        fail "no JSON report: $(head -c 300 "$WC_OUT")"
}

e2e_log "--- the first certificate, then nginx serving it from live/"
plain="$E2E_WORK/plain.toml"
write_profile "$plain" name=web
renew "$plain" "$state"
assert_exit 0
nginx_dir="$E2E_WORK/nginx"
mkdir -p "$nginx_dir"
cat >"$nginx_dir/nginx.conf" <<CFG
pid $nginx_dir/nginx.pid;
error_log $nginx_dir/error.log;
worker_processes 1;
events {}
http {
    access_log off;
    client_body_temp_path $nginx_dir/body;
    proxy_temp_path $nginx_dir/proxy;
    fastcgi_temp_path $nginx_dir/fastcgi;
    uwsgi_temp_path $nginx_dir/uwsgi;
    scgi_temp_path $nginx_dir/scgi;
    server {
        listen 127.0.0.1:8444 ssl;
        ssl_certificate $live/fullchain.pem;
        ssl_certificate_key $live/privkey.pem;
        return 200 "ok";
    }
}
CFG
nginx -c "$nginx_dir/nginx.conf" -g 'daemon off;' >"$nginx_dir/nginx.out" 2>&1 &
E2E_PIDS+=("$!")
for ((i = 0; i < 200; i++)); do
    [[ -n "$(served_serial 127.0.0.1:8444)" ]] && break
    sleep 0.05
done
first_serial="$(pem_serial "$live/cert.pem")"
assert_eq "$first_serial" "$(served_serial 127.0.0.1:8444)" "nginx serves the first certificate"

e2e_log "--- service deployer: nginx reloaded, verification sees the new leaf"
profile="$E2E_WORK/nginx.toml"
write_profile "$profile" name=web extra="[[certificate.deploy]]
type = \"service\"
reload = \"nginx -c $nginx_dir/nginx.conf -s reload\"
verify = [\"127.0.0.1:8444\"]
verify_timeout = \"20s\""
renew "$profile" "$state" --force --json
assert_exit 0
second_serial="$(pem_serial "$live/cert.pem")"
[[ "$second_serial" != "$first_serial" ]] || fail "renew --force did not renew"
assert_eq "$second_serial" "$(served_serial 127.0.0.1:8444)" "nginx serves the renewed certificate"
assert_eq ok "$(json_target 0 outcome)" "service target"
assert_eq "127.0.0.1:8444 (sni demo.test)" "$(json_target 0 'served[0].endpoint')" "endpoint"

e2e_log "--- a forgotten reload: verification fails it, naming what is served"
forgot="$E2E_WORK/nginx-forgot.toml"
write_profile "$forgot" name=web extra="[[certificate.deploy]]
type = \"service\"
reload = \"true\"
verify = [\"127.0.0.1:8444\"]
verify_timeout = \"2s\""
renew "$forgot" "$state" --force --json
assert_exit 1
third_serial="$(pem_serial "$live/cert.pem")"
assert_eq failed "$(json_target 0 outcome)" "forgotten reload"
assert_matches "$(json_target 0 failure)" "verify 127\\.0\\.0\\.1:8444 \\(sni demo\\.test\\): serves .*serial $second_serial.*not the new certificate" \
    "what the endpoint serves"
assert_eq "$second_serial" "$(served_serial 127.0.0.1:8444)" "nginx still serves the old one"

e2e_log "--- the next run (reload fixed) deploys again, without a new order"
renew "$profile" "$state" --json
assert_exit 0
assert_eq not-due "$(jq -r '.certificates[0].status' "$WC_OUT")" "status of the retry run"
assert_eq ok "$(json_target 0 outcome)" "service target on the retry run"
assert_eq "$third_serial" "$(served_serial 127.0.0.1:8444)" "nginx serves the third certificate"
