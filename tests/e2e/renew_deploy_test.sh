#!/usr/bin/env bash
# Outputs and deploy hooks after renew: PKCS#12 opened by openssl with the profile's password,
# the PEM bundle in HAProxy's order, DER, the hook's variables, a failed hook retried by the
# next run without issuing again, a deleted output written again.
# Usage: renew_deploy_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

out="$E2E_WORK/out"
mkdir -p "$out"
hook="$E2E_WORK/hook.sh"
# The hook records its environment, and fails while $E2E_WORK/hook-fails exists.
cat >"$hook" <<EOF
#!/usr/bin/env bash
set -euo pipefail
env | grep '^WILDCERT_' | sort >"$E2E_WORK/hook-env.txt"
echo "hook ran for \$WILDCERT_NAME"
if [[ -e "$E2E_WORK/hook-fails" ]]; then
    echo "appliance said no" >&2
    exit 3
fi
EOF
chmod +x "$hook"
export P12_PASSWORD="p12-secret-$RANDOM-$RANDOM"
profile="$E2E_WORK/deploy.toml"
# shellcheck disable=SC2016 # ${P12_PASSWORD} is for wildcert to interpolate
write_profile "$profile" name=web extra="[[certificate.output]]
format = \"pkcs12\"
path = \"$out/web.p12\"
password = \"\${P12_PASSWORD}\"

[[certificate.output]]
format = \"pem-bundle\"
path = \"$out/web-bundle.pem\"

[[certificate.output]]
format = \"der\"
path = \"$out/web.der\"
mode = \"0644\"

[[certificate.deploy]]
command = [\"$hook\", \"--reload\"]
timeout = \"20s\""
state="$E2E_WORK/state"

e2e_log "--- first renew: issued, three outputs written, the hook runs"
renew "$profile" "$state" --json -vv
assert_exit 0
assert_eq issued "$(jq -r '.certificates[0].status' "$WC_OUT")" "status"
assert_eq true "$(jq -r '.certificates[0].deploy.ok' "$WC_OUT")" "deploy ok"
assert_eq 3 "$(jq '.certificates[0].deploy.outputs | length' "$WC_OUT")" "outputs written"
assert_eq 1 "$(jq '.certificates[0].deploy.hooks | length' "$WC_OUT")" "hooks run"
live="$state/live/web"
assert_cert "$live" "$root" '*.demo.test' demo.test
# The PKCS#12 password never shows, even at -vv and in JSON.
assert_not_contains "$WC_OUT" "$P12_PASSWORD"
assert_not_contains "$WC_ERR" "$P12_PASSWORD"

e2e_log "--- PKCS#12 opens with the configured password and holds key, leaf and chain"
openssl pkcs12 -in "$out/web.p12" -passin "pass:$P12_PASSWORD" -nodes -out "$E2E_WORK/p12.pem" \
    2>"$E2E_WORK/p12.err" || fail "openssl pkcs12 cannot open web.p12: $(cat "$E2E_WORK/p12.err")"
if openssl pkcs12 -in "$out/web.p12" -passin pass:wrong -nodes -out /dev/null 2>/dev/null; then
    fail "web.p12 opens with a wrong password"
fi
assert_eq "$(openssl pkey -in "$live/privkey.pem" -pubout)" \
    "$(openssl pkey -in "$E2E_WORK/p12.pem" -pubout)" "key in the PKCS#12"
p12_certs="$(cert_fingerprints "$E2E_WORK/p12.pem" | sort)"
live_certs="$(cert_fingerprints "$live/fullchain.pem" | sort)"
assert_eq "$live_certs" "$p12_certs" "certificates in the PKCS#12"
assert_eq 600 "$(stat -c %a "$out/web.p12")" "mode of web.p12"

e2e_log "--- PEM bundle: key first, then leaf, then chain"
first_block="$(grep -m 1 -- '-----BEGIN' "$out/web-bundle.pem")"
assert_eq "-----BEGIN PRIVATE KEY-----" "$first_block" "first block of the bundle"
assert_eq "$(openssl pkey -in "$live/privkey.pem" -pubout)" \
    "$(openssl pkey -in "$out/web-bundle.pem" -pubout)" "key in the bundle"
assert_eq "$(cert_fingerprints "$live/fullchain.pem")" "$(cert_fingerprints "$out/web-bundle.pem")" \
    "certificates of the bundle, in order"
assert_eq 600 "$(stat -c %a "$out/web-bundle.pem")" "mode of the bundle"

e2e_log "--- DER: the leaf alone"
assert_eq "$(openssl x509 -in "$live/cert.pem" -noout -fingerprint -sha256)" \
    "$(openssl x509 -inform DER -in "$out/web.der" -noout -fingerprint -sha256)" "DER leaf"
assert_eq 644 "$(stat -c %a "$out/web.der")" "mode of web.der"

e2e_log "--- the hook saw the documented variables"
env_file="$E2E_WORK/hook-env.txt"
serial="$(jq -r '.certificates[0].serial' "$WC_OUT")"
assert_contains "$env_file" "WILDCERT_NAME=web"
assert_contains "$env_file" "WILDCERT_DOMAINS=*.demo.test demo.test"
assert_contains "$env_file" "WILDCERT_LIVE_DIR=$live"
assert_contains "$env_file" "WILDCERT_CERT=$live/cert.pem"
assert_contains "$env_file" "WILDCERT_CHAIN=$live/chain.pem"
assert_contains "$env_file" "WILDCERT_FULLCHAIN=$live/fullchain.pem"
assert_contains "$env_file" "WILDCERT_KEY=$live/privkey.pem"
assert_contains "$env_file" "WILDCERT_OUTPUTS=$out/web.p12 $out/web-bundle.pem $out/web.der"
assert_contains "$env_file" "WILDCERT_SERIAL=$serial"
assert_contains "$env_file" "WILDCERT_DRY_RUN=0"
assert_contains "$WC_ERR" "hook ran for web"
assert_eq 1 "$(jq -s '[.[] | select(.event == "hook-run" and .outcome == "ok")] | length' "$state/audit.log")" \
    "hook-run lines in audit.log"

e2e_log "--- a failing hook: reported, exit 1, the certificate kept"
touch "$E2E_WORK/hook-fails"
renew "$profile" "$state" --force --json
assert_exit 1
assert_eq renewed "$(jq -r '.certificates[0].status' "$WC_OUT")" "status with a failing hook"
assert_eq false "$(jq -r '.certificates[0].deploy.ok' "$WC_OUT")" "deploy ok with a failing hook"
jq -r '.certificates[0].deploy.failure' "$WC_OUT" | grep -q 'exited with status 3' ||
    fail "the failure does not give the hook's status: $(jq -c '.certificates[0].deploy' "$WC_OUT")"
assert_eq 2 "$(archive_versions "$state" web)" "archive versions after the forced renewal"
assert_cert "$live" "$root" '*.demo.test' demo.test

e2e_log "--- the next run retries the hook without issuing again"
rm "$E2E_WORK/hook-fails"
renew "$profile" "$state" --json
assert_exit 0
assert_eq not-due "$(jq -r '.certificates[0].status' "$WC_OUT")" "status of the retry run"
assert_eq true "$(jq -r '.certificates[0].deploy.ran' "$WC_OUT")" "deploy ran in the retry run"
assert_eq true "$(jq -r '.certificates[0].deploy.ok' "$WC_OUT")" "deploy ok in the retry run"
assert_eq 2 "$(archive_versions "$state" web)" "archive versions after the retry (no new issuance)"
assert_not_contains "$WC_ERR" "acme: order"
renew "$profile" "$state" --json
assert_exit 0
assert_eq false "$(jq -r '.certificates[0].deploy.ran' "$WC_OUT")" "deploy ran once the hook succeeded"

e2e_log "--- a deleted output is written again on the next run"
rm "$out/web.der"
renew "$profile" "$state" --json
assert_exit 0
assert_eq true "$(jq -r '.certificates[0].deploy.ran' "$WC_OUT")" "deploy ran for the missing output"
[[ -s "$out/web.der" ]] || fail "web.der was not written again"
assert_eq 2 "$(archive_versions "$state" web)" "archive versions after rewriting an output"
assert_no_challenge_records demo.test
