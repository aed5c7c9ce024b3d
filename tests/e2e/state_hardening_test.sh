#!/usr/bin/env bash
# The state directory defends itself (README "State directory"): the stale-file sweep removes
# only wildcert's own temporaries, a certificate named "account" does not deadlock on the
# account lock, planted symlinks and foreign folders are refused, loose modes repaired,
# outputs may not point into the state directory, one certificate name may not come from two
# profiles of a run, and reads of state and secret files are bounded and never block.
# Usage: state_hardening_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

e2e_log "--- a certificate issued once, to plant things around"
profile="$E2E_WORK/demo.toml"
state="$E2E_WORK/state"
write_profile "$profile"
issue "$profile" "$state"
assert_exit 0
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
(($(pebble_requests) > 0)) || fail "the request count does not see Pebble's requests"

e2e_log "--- (1) names like temporaries: refused; only real temporaries are swept"
bad="$E2E_WORK/tmpname.toml"
write_profile "$bad" name=web.tmp-4000000-x
issue "$bad" "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'tmpname\.toml:[0-9]+:[0-9]+: certificate\[1\]\.name' "cause"
# What an older version issued under that name, and a staging folder a killed run left.
mkdir -p "$state/archive/web.tmp-4000000-x/1"
cp "$state/live/demo/privkey.pem" "$state/archive/web.tmp-4000000-x/1/privkey.pem"
ln -s ../archive/web.tmp-4000000-x/1 "$state/live/web.tmp-4000000-x"
staging="$state/archive/demo/version.tmp-4000000-0123456789abcdef"
mkdir -p "$staging"
echo "half a version" >"$staging/privkey.pem"
wildcert_run list -c "$profile" --state-dir "$state" -v
assert_exit 0
[[ ! -e "$staging" ]] || fail "the killed run's staging folder was not swept"
[[ -s "$state/archive/web.tmp-4000000-x/1/privkey.pem" ]] || fail "a real key was swept"
[[ -L "$state/live/web.tmp-4000000-x" ]] || fail "a real live/ link was swept"
rm -rf "$state/archive/web.tmp-4000000-x" "$state/live/web.tmp-4000000-x"

e2e_log "--- (2) a certificate named account issues without waiting on itself"
write_profile "$E2E_WORK/account.toml" name=account
WILDCERT_E2E_RUN_TIMEOUT=90 issue "$E2E_WORK/account.toml" "$state"
assert_exit 0
assert_cert "$state/live/account" "$root" '*.demo.test' demo.test
[[ -e "$state/locks/cert-account.lock" ]] || fail "no locks/cert-account.lock"

e2e_log "--- (3) planted symlinks are refused, nothing is written where they point"
linked="$E2E_WORK/state-linked"
cp -a "$state" "$linked"
mv "$linked/audit.log" "$linked/audit.log.real"
ln -s "$E2E_WORK/elsewhere-audit" "$linked/audit.log"
issue "$profile" "$linked"
assert_exit 1
assert_matches "$WC_LAST_ERR" 'audit\.log is a symbolic link' "cause"
[[ ! -e "$E2E_WORK/elsewhere-audit" ]] || fail "something was written through audit.log"
rm "$linked/audit.log"
mkdir "$E2E_WORK/elsewhere-live"
mv "$linked/live" "$linked/live.real"
ln -s "$E2E_WORK/elsewhere-live" "$linked/live"
requests="$(pebble_requests)"
issue "$profile" "$linked"
assert_exit 1
assert_matches "$WC_LAST_ERR" 'live is a symbolic link' "cause"
assert_no_request_since "$requests"
[[ -z "$(ls -A "$E2E_WORK/elsewhere-live")" ]] || fail "something was written through live/"

e2e_log "--- (3b) modes: 0777 repaired when the folder is ours, another user's refused"
loose="$E2E_WORK/state-loose"
mkdir -m 0777 "$loose"
chmod 0777 "$loose"
wildcert_run list -c "$profile" --state-dir "$loose" -v
assert_exit 0
assert_eq 700 "$(stat -c %a "$loose")" "mode of the repaired state dir"
assert_contains "$WC_ERR" "set to 0700"
foreign="$E2E_WORK/state-foreign"
mkdir -m 0700 "$foreign"
chown nobody "$foreign"
wildcert_run list -c "$profile" --state-dir "$foreign" -v
assert_exit 1
assert_matches "$WC_LAST_ERR" "state-foreign belongs to uid $(id -u nobody)" "cause"

e2e_log "--- (4) an output inside the state directory: exit 2 before any request"
inside="$E2E_WORK/inside.toml"
write_profile "$inside" extra="[[certificate.output]]
format = \"der\"
path = \"$state/live/demo/privkey.pem\""
key_before="$(sha256sum <"$state/live/demo/privkey.pem")"
requests="$(pebble_requests)"
issue "$inside" "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'inside\.toml:[0-9]+:[0-9]+: certificate\[1\]\.output\[1\]\.path: .* is inside the state directory' "cause"
assert_no_request_since "$requests"
assert_eq "$key_before" "$(sha256sum <"$state/live/demo/privkey.pem")" "the private key"

e2e_log "--- (5) one certificate name in two profiles of one folder: exit 2, both named"
folder="$E2E_WORK/profiles"
mkdir "$folder"
write_profile "$folder/a.toml"
write_profile "$folder/b.toml"
requests="$(pebble_requests)"
wildcert_run renew -c "$folder" --state-dir "$state" --force -v
assert_exit 2
assert_contains "$WC_ERR" "$folder/a.toml:"
assert_contains "$WC_ERR" "$folder/b.toml:"
assert_contains "$WC_ERR" 'certificate name "demo" is also used by'
assert_no_request_since "$requests"

e2e_log "--- (9) bounded reads: info.txt -> /dev/zero, a FIFO as tsig_secret_file"
# peak_rss_list OUT: runs list --json over $state under /usr/bin/time; sets RSS_KB and LIST_RC.
peak_rss_list() {
    local rss_file="$E2E_WORK/list.rss"
    LIST_RC=0
    timeout -k 5 60 /usr/bin/time -f %M -o "$rss_file" \
        "$WILDCERT" list -c "$profile" --state-dir "$state" --json >"$1" 2>>"$E2E_WORK/list.err" ||
        LIST_RC=$?
    ((LIST_RC != 124 && LIST_RC != 137)) || fail "list did not end within 60s"
    RSS_KB="$(tail -n 1 "$rss_file")"
}
# The baseline: the same list with a sane info.txt (a sanitizer build alone takes ~160 MiB).
peak_rss_list "$E2E_WORK/list-sane.json"
baseline_kb="$RSS_KB"
version="$(readlink "$state/live/demo")"
rm "$state/live/$version/info.txt"
ln -s /dev/zero "$state/live/$version/info.txt"
list_out="$E2E_WORK/list-zero.json"
peak_rss_list "$list_out"
e2e_log "list peak RSS: ${baseline_kb} KiB as issued, ${RSS_KB} KiB with info.txt -> /dev/zero (exit $LIST_RC)"
((RSS_KB < baseline_kb + 32 * 1024)) ||
    fail "list grew to ${RSS_KB} KiB reading info.txt -> /dev/zero (baseline ${baseline_kb} KiB)"
jq -e '.certificates[] | select(.name == "demo") | .reason | test("info\\.txt: is a symbolic link")' \
    "$list_out" >/dev/null || fail "list does not name info.txt as the cause: $(cat "$list_out")"

fifo="$E2E_WORK/tsig.fifo"
mkfifo "$fifo"
write_profile "$E2E_WORK/fifo.toml" tsig_secret_file="$fifo"
# renew loads the whole profile before anything else (list reads no [dns] table).
WILDCERT_E2E_RUN_TIMEOUT=20 wildcert_run renew -c "$E2E_WORK/fifo.toml" --state-dir "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'tsig_secret_file: .*FIFO, not a regular file' "cause"
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 5) }' ||
    fail "a FIFO as tsig_secret_file took ${WC_SECONDS}s to fail"
