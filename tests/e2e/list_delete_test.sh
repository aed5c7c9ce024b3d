#!/usr/bin/env bash
# list from the state directory alone (no profile, no secret: TSIG_SECRET unset), list -c adding
# what a profile wants that is missing, the profile recorded at issuance ("unknown" for an old
# record), and delete: refused without --yes when stdin is no terminal (at once, even on an
# open pipe), exit 3 under the certificate's lock, asked on a terminal (no keeps, yes deletes),
# --yes --json, gone from list, the other certificates untouched, no symlink followed.
# Usage: list_delete_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
e2e_init "$@"
e2e_binary "${1:-}"
command -v script >/dev/null 2>&1 || fail "script(1) is missing (package bsdutils)"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
state="$E2E_WORK/state"
web="$E2E_WORK/web.toml"
api="$E2E_WORK/api.toml"
write_profile "$web" name=web domains='"web.demo.test"'
write_profile "$api" name=api domains='"api.demo.test"' extra='[[certificate]]
name = "mail"
domains = ["mail.demo.test"]'

# without_secret ARGS...: wildcert_run with the profiles' only secret variable unset.
without_secret() {
    local saved="$TSIG_SECRET"
    unset TSIG_SECRET
    wildcert_run "$@"
    export TSIG_SECRET="$saved"
}
# list_field NAME JQ: a field of certificate NAME in the last run's list --json.
list_field() {
    jq -r --arg n "$1" ".certificates[] | select(.name == \$n) | $2" "$WC_OUT"
}
# web_untouched: web's version, files and archive are as they were issued.
web_untouched() {
    assert_eq "$web_link" "$(readlink "$state/live/web")" "live/web"
    assert_eq "$web_sum" "$(cat "$state"/live/web/*.pem | sha256sum)" "web's PEM files"
    assert_eq 1 "$(archive_versions "$state" web)" "archive versions of web"
}

e2e_log "--- issue web (web.toml), api and mail (api.toml)"
issue "$web" "$state"
assert_exit 0
issue "$api" "$state"
assert_exit 0
web_link="$(readlink "$state/live/web")"
web_sum="$(cat "$state"/live/web/*.pem | sha256sum)"
grep -qx "profile=$web" "$state/live/web/info.txt" || fail "info.txt of web records no profile"

e2e_log "--- list without -c and without the TSIG secret: every certificate, its profile and live path"
without_secret list --state-dir "$state" --json
assert_exit 0
assert_eq 3 "$(jq '.certificates | length' "$WC_OUT")" "certificates listed"
assert_eq "$web" "$(list_field web .profile)" "profile of web"
assert_eq "$api" "$(list_field mail .profile)" "profile of mail"
assert_eq "$state/live/api" "$(list_field api .paths.live_dir)" "live path of api"
assert_eq "mail.demo.test" "$(list_field mail '.domains | join(",")')" "domains of mail"
assert_eq ok "$(list_field api .state)" "state of api"
assert_eq ec-p256 "$(list_field web .key_type)" "key type of web"
assert_eq 89 "$(list_field web .days_left)" "days left of web"
without_secret list --state-dir "$state"
assert_exit 0
assert_matches "$(grep '^web ' "$WC_OUT")" "^web +web\.demo\.test +Pebble Intermediate.* ok +ok +$web +$state/live/web\$"
assert_eq 4 "$(wc -l <"$WC_OUT")" "table lines (header and three certificates)"

e2e_log "--- an old record without profile= says unknown"
sed -i '/^profile=/d' "$state/live/web/info.txt"
without_secret list --state-dir "$state" --json
assert_exit 0
assert_eq null "$(list_field web .profile)" "profile of an old record (JSON)"
without_secret list --state-dir "$state"
assert_matches "$(grep '^web ' "$WC_OUT")" " ok +ok +unknown +$state/live/web\$"
web_sum="$(cat "$state"/live/web/*.pem | sha256sum)"

e2e_log "--- delete without --yes and without a terminal: refused at once, nothing removed"
wildcert_run delete --cert api --state-dir "$state" </dev/null
assert_exit 2
assert_matches "$WC_LAST_ERR" 'not confirmed: stdin is not a terminal.*add --yes' "cause"
# A pipe that never ends would hang a prompt; it must be refused just as fast.
mkfifo "$E2E_WORK/open-pipe"
exec 7<>"$E2E_WORK/open-pipe"
WILDCERT_E2E_RUN_TIMEOUT=20 wildcert_run delete --cert api --state-dir "$state" <"$E2E_WORK/open-pipe"
exec 7>&-
assert_exit 2
awk -v s="$WC_SECONDS" 'BEGIN { exit !(s < 5) }' || fail "delete on an open pipe took ${WC_SECONDS}s"
[[ -L "$state/live/api" && -d "$state/archive/api" ]] || fail "a refused delete removed something"

e2e_log "--- delete while another run holds the certificate's lock: exit 3, nothing removed"
lock="$state/locks/cert-api.lock"
hold_lock "$lock" 30
wildcert_run delete --cert api --yes --state-dir "$state"
release_lock
assert_exit 3
assert_contains "$WC_ERR" "$lock is locked"
[[ -L "$state/live/api" && -d "$state/archive/api" ]] || fail "a delete under a held lock removed something"

# on_terminal ANSWER ARGS...: wildcert ARGS... on a pty (script(1)) that types ANSWER.
on_terminal() {
    local answer="$1"
    shift
    E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
    WC_ERR="$E2E_WORK/run-$E2E_RUN_SEQ.tty.log"
    WC_OUT=/dev/null
    WC_CMD="script -c 'wildcert $*' (typing $answer)"
    WC_RC=0
    printf '%s\n' "$answer" |
        timeout -k 5 60 script -q -e -c "$WILDCERT $*" "$WC_ERR" >/dev/null || WC_RC=$?
    e2e_log "run $E2E_RUN_SEQ: $WC_CMD -> exit $WC_RC"
}

e2e_log "--- delete on a terminal: it asks; n keeps the certificate"
on_terminal n delete --cert api --state-dir "$state"
assert_exit 1
assert_contains "$WC_ERR" "wildcert: delete $state/live/api, $state/archive/api (1 version)"
assert_contains "$WC_ERR" "[y/N]"
assert_contains "$WC_ERR" "not confirmed; nothing was deleted"
[[ -L "$state/live/api" && -d "$state/archive/api" ]] || fail "an answer of n removed something"

e2e_log "--- y deletes live/, archive/ and status/ of api; the others stay"
[[ -f "$state/status/api.txt" ]] || fail "no status/api.txt to delete"
on_terminal y delete --cert api --state-dir "$state"
assert_exit 0
assert_contains "$WC_ERR" "api: deleted $state/live/api, $state/archive/api (1 version), $state/status/api.txt"
for gone in "$state/live/api" "$state/archive/api" "$state/status/api.txt"; do
    [[ ! -e "$gone" && ! -L "$gone" ]] || fail "$gone is still there"
done
web_untouched
[[ -L "$state/live/mail" && -s "$state/live/mail/cert.pem" ]] || fail "mail was touched"
assert_eq 1 "$(jq -s '[.[] | select(.event == "certificate-deleted" and .certificate == "api" and .outcome == "ok")] | length' "$state/audit.log")" \
    "certificate-deleted lines for api in audit.log"

without_secret list --state-dir "$state" --json
assert_exit 0
assert_eq "mail web" "$(jq -r '[.certificates[].name] | join(" ")' "$WC_OUT")" "certificates after the delete"

e2e_log "--- list -c adds what the profile wants that is missing (still without the secret)"
without_secret list --state-dir "$state" -c "$api" --json
assert_exit 0
assert_eq "api mail web" "$(jq -r '[.certificates[].name] | join(" ")' "$WC_OUT")" "certificates with -c"
assert_eq missing "$(list_field api .state)" "state of the deleted api"
assert_eq "$api" "$(list_field api .profile)" "profile of the missing api"
assert_eq ok "$(list_field mail .state)" "state of mail"
without_secret list --state-dir "$state" -c "$api"
assert_matches "$(grep '^api ' "$WC_OUT")" "^api +api\.demo\.test +- +- +- +now +missing +- +$api +$state/live/api\$"

e2e_log "--- delete --yes --json; an unknown name is exit 2"
wildcert_run delete --cert mail --yes --json --state-dir "$state" </dev/null
assert_exit 0
assert_eq true "$(jq -r .deleted "$WC_OUT")" "deleted in the JSON"
assert_eq "$state/live/mail $state/archive/mail $state/status/mail.txt" \
    "$(jq -r '.paths | join(" ")' "$WC_OUT")" "paths in the JSON"
[[ ! -e "$state/archive/mail" ]] || fail "archive/mail is still there"
web_untouched
wildcert_run delete --cert mail --yes --state-dir "$state"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'no certificate "mail" in' "cause"

e2e_log "--- no symlink is followed out of the state directory"
outside="$E2E_WORK/outside"
mkdir -p "$outside/keep"
echo keep >"$outside/keep/file"
# A link inside an archive version is removed as a link; its target stays.
ln -s "$outside/keep" "$state/archive/web/1/planted"
# archive/<name> itself a link: refused before anything is removed.
mkdir -p "$state/live"
ln -s ../archive/linked/1 "$state/live/linked"
ln -s "$outside" "$state/archive/linked"
wildcert_run delete --cert linked --yes --state-dir "$state"
assert_exit 1
assert_matches "$WC_LAST_ERR" 'archive/linked is a symbolic link' "cause"
[[ -L "$state/live/linked" ]] || fail "a refused delete removed live/linked"
rm "$state/archive/linked" "$state/live/linked"
wildcert_run delete --cert web --yes --state-dir "$state"
assert_exit 0
[[ "$(cat "$outside/keep/file")" == keep ]] || fail "delete followed a link out of the state directory"
[[ ! -e "$state/archive/web" ]] || fail "archive/web is still there"
without_secret list --state-dir "$state" --json
assert_eq 0 "$(jq '.certificates | length' "$WC_OUT")" "certificates at the end"
