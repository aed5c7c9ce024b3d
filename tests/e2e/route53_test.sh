#!/usr/bin/env bash
# Wildcard + apex issuance from Pebble through the Route 53 provider, against fake-route53
# (SigV4 checked, session token required, PENDING before INSYNC, throttling) which applies the
# accepted change batches to a real BIND; then a wrong secret key, and the shared credentials
# file; then SIGINT while a change stays PENDING. Secrets must never show, even with -vv.
# Usage: route53_test.sh PATH-TO-WILDCERT [PATH-TO-FAKE-ROUTE53]
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_route53.sh
source "$(dirname "$0")/lib_route53.sh"
# shellcheck source-path=SCRIPTDIR source=lib_crash.sh
source "$(dirname "$0")/lib_crash.sh"
e2e_init "$@"
e2e_binary "${1:-}"
fake_binary="${2:-$(dirname "$WILDCERT")/../../tests/fakes/route53/fake-route53}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
bind_log="$E2E_WORK/bind-main/named.log"

# Temporary credentials: the fake requires the token on every request.
AWS_ACCESS_KEY_ID="ASIAE2E$(openssl rand -hex 6 | tr 'a-f' 'A-F')"
AWS_SECRET_ACCESS_KEY="$(openssl rand -base64 30)"
AWS_SESSION_TOKEN="$(openssl rand -base64 48 | tr -d '\n')"
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
unset AWS_PROFILE AWS_SHARED_CREDENTIALS_FILE AWS_ENDPOINT_URL_ROUTE_53
# Every 4th request is throttled and each change is PENDING for two polls.
start_fake_route53 "$fake_binary" demo.test --insync-after 2 --throttle-every 4

e2e_log "--- issue with credentials from AWS_* (with a session token), -vv"
profile="$E2E_WORK/route53.toml"
write_route53_profile "$profile"
state="$E2E_WORK/state"
log_mark="$(wc -l <"$bind_log")"
issue "$profile" "$state" -v
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_issued_line demo "$state/live/demo"
assert_no_challenge_records demo.test
assert_no_aws_secret
# Both values reached BIND (one change batch), and both were removed again.
updates="$(tail -n +"$((log_mark + 1))" "$bind_log" | grep -F "updating zone 'demo.test/IN'" || true)"
assert_eq 2 "$(grep -c 'adding an RR' <<<"$updates")" "values added at _acme-challenge.demo.test"
assert_eq 2 "$(grep -c 'deleting an RR' <<<"$updates")" "values removed at _acme-challenge.demo.test"
assert_contains "$FAKE_ROUTE53_LOG" "POST /2013-04-01/hostedzone/"
assert_contains "$FAKE_ROUTE53_LOG" "GET /2013-04-01/change/"
grep -q -- '-> 400' "$FAKE_ROUTE53_LOG" || fail "the fake never throttled: the retry path was not run"
if grep -E -- '-> (403|500)' "$FAKE_ROUTE53_LOG" >&2; then
    fail "the fake refused requests (above)"
fi

e2e_log "--- a wrong secret key: a clear error, no secret, nothing left behind"
bad_profile="$E2E_WORK/route53-bad.toml"
bad_secret="wrong-$(openssl rand -hex 12)"
write_route53_profile "$bad_profile" "secret_access_key = \"$bad_secret\"
access_key_id = \"$AWS_ACCESS_KEY_ID\"
session_token = \"\${AWS_SESSION_TOKEN}\""
issue "$bad_profile" "$E2E_WORK/state-bad" -v
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'route53: .*SignatureDoesNotMatch' "last stderr line"
assert_matches "$WC_LAST_ERR" 'secret access key' "last stderr line"
assert_no_aws_secret
assert_not_contains "$WC_ERR" "$bad_secret"
assert_not_contains "$WC_OUT" "$bad_secret"
assert_no_challenge_records demo.test

e2e_log "--- credentials from a shared credentials file profile"
creds="$E2E_WORK/aws-credentials"
cat >"$creds" <<CREDS
[default]
aws_access_key_id = AKIDNOTTHISONE
aws_secret_access_key = not-this-one

[acme]
aws_access_key_id = $AWS_ACCESS_KEY_ID
aws_secret_access_key = $AWS_SECRET_ACCESS_KEY
aws_session_token = $AWS_SESSION_TOKEN
CREDS
chmod 600 "$creds"
saved_id="$AWS_ACCESS_KEY_ID" saved_secret="$AWS_SECRET_ACCESS_KEY" saved_token="$AWS_SESSION_TOKEN"
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
export AWS_SHARED_CREDENTIALS_FILE="$creds" AWS_PROFILE=acme
# A fresh state dir means a new account, so Pebble cannot reuse the earlier authorizations
# and the provider has to publish again.
batches_before="$(grep -c 'POST /2013-04-01/hostedzone/.* -> 200' "$FAKE_ROUTE53_LOG")"
issue "$profile" "$E2E_WORK/state-file" -v
AWS_ACCESS_KEY_ID="$saved_id" AWS_SECRET_ACCESS_KEY="$saved_secret" AWS_SESSION_TOKEN="$saved_token"
assert_exit 0
assert_cert "$E2E_WORK/state-file/live/demo" "$root" '*.demo.test' demo.test
assert_eq $((batches_before + 2)) "$(grep -c 'POST /2013-04-01/hostedzone/.* -> 200' "$FAKE_ROUTE53_LOG")" \
    "change batches accepted with the shared credentials file"
assert_no_challenge_records demo.test
assert_no_aws_secret

e2e_log "--- SIGINT while Route 53 keeps the change PENDING: out within seconds, records removed"
# A second fake whose changes never get INSYNC: the provider polls GetChange until stopped.
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN
unset AWS_SHARED_CREDENTIALS_FILE AWS_PROFILE
start_fake_route53 "$fake_binary" demo.test --insync-after 1000000
pending_profile="$E2E_WORK/route53-pending.toml"
write_route53_profile "$pending_profile"
pending_state="$E2E_WORK/state-pending"
start_background issue -c "$pending_profile" --state-dir "$pending_state" -v
for ((i = 0; i < 1500; i++)); do
    grep -qF 'GET /2013-04-01/change/' "$FAKE_ROUTE53_LOG" && break
    kill -0 "$WC_PID" 2>/dev/null || break
    sleep 0.02
done
grep -qF 'GET /2013-04-01/change/' "$FAKE_ROUTE53_LOG" ||
    fail "wildcert never polled GetChange: $(tail -n 3 "$WC_ERR") / $(tail -n 3 "$FAKE_ROUTE53_LOG")"
(($(challenge_record_count demo.test) > 0)) || fail "no challenge record reached BIND before SIGINT"
sent="$(date +%s.%N)"
kill -s INT "$WC_PID"
finish_background 20
after="$(awk -v a="$sent" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')"
e2e_log "SIGINT during the INSYNC wait: exit $WC_RC ${after}s after the signal"
assert_exit 130
assert_failure_line
assert_matches "$WC_LAST_ERR" 'interrupted' "last stderr line after SIGINT"
assert_no_challenge_records demo.test
assert_eq 0 "$(journal_records "$pending_state")" "journal lines after SIGINT"
awk -v s="$after" 'BEGIN { exit !(s < 5) }' || fail "wildcert took ${after}s to exit after SIGINT"
assert_no_aws_secret
printf 'SIGINT during the INSYNC wait: exit %s after %ss, records removed\n' "$WC_RC" "$after"
