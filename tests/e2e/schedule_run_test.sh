#!/usr/bin/env bash
# What `wildcert schedule` prints works as printed, against a real Pebble and BIND:
#   - two profiles installed one after the other get units of their own (the second --install
#     leaves the first's units alone), each with a real environment file (0600) that lists the
#     variables its profile reads, values left empty;
#   - once that file is filled in, the unit's ExecStart run under `env -i` with only that file's
#     variables (what systemd's EnvironmentFile= gives it) issues the certificate;
#   - the printed cron line, run by /bin/sh under `env -i` as cron would, sources the same file,
#     runs quietly (-q) and appends its output to the log file it names.
# Usage: schedule_run_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"

units="$E2E_WORK/units"
envdir="$E2E_WORK/etc-wildcert"
mkdir -p "$units"
site="$E2E_WORK/site.toml"
mail="$E2E_WORK/mail.toml"
write_profile "$site" name=site
write_profile "$mail" name=mail domains='"mail.demo.test"'
state="$E2E_WORK/state"

e2e_log "--- two profiles, two --install runs: units of their own, each with its environment file"
for name in site mail; do
    wildcert_run schedule -c "$E2E_WORK/$name.toml" --state-dir "$state" --install \
        --unit-dir "$units" --env-file "$envdir/$name.env" --log-file "$E2E_WORK/cron-$name.log"
    assert_exit 0
    assert_contains "$WC_OUT" "wrote $envdir/$name.env"
    assert_contains "$WC_OUT" "fill in $envdir/$name.env (TSIG_SECRET)"
    assert_contains "$WC_OUT" "systemctl enable --now wildcert-renew-$name.timer"
done
for name in site mail; do
    for kind in service timer; do
        [[ -f "$units/wildcert-renew-$name.$kind" ]] || fail "wildcert-renew-$name.$kind missing"
    done
    assert_eq 600 "$(stat -c %a "$envdir/$name.env")" "mode of $name.env"
    grep -qx 'TSIG_SECRET=' "$envdir/$name.env" || fail "$name.env does not list TSIG_SECRET="
    grep -qxF "EnvironmentFile=$envdir/$name.env" "$units/wildcert-renew-$name.service" ||
        fail "the $name unit does not read its environment file"
    grep -qF -- "-c $E2E_WORK/$name.toml" "$units/wildcert-renew-$name.service" ||
        fail "the $name unit does not run its own profile"
done
assert_eq 700 "$(stat -c %a "$envdir")" "mode of the environment file's folder"
dump=$(systemd-analyze verify "$units/wildcert-renew-site.service" \
    "$units/wildcert-renew-site.timer" 2>&1) || fail "systemd-analyze rejected the units: $dump"

e2e_log "--- a second --install of the same profile keeps the filled-in file"
printf 'TSIG_SECRET=%s\n' "$TSIG_SECRET" >"$envdir/site.env"
wildcert_run schedule -c "$site" --state-dir "$state" --install --unit-dir "$units" \
    --env-file "$envdir/site.env" --log-file "$E2E_WORK/cron-site.log"
assert_exit 0
assert_contains "$WC_OUT" "kept $envdir/site.env"
assert_eq "TSIG_SECRET=$TSIG_SECRET" "$(cat "$envdir/site.env")" "site.env after a second --install"

e2e_log "--- the unit's ExecStart under env -i, with the environment file's variables only"
exec_start="$(sed -n 's/^ExecStart=//p' "$units/wildcert-renew-site.service")"
read -r -a command <<<"$exec_start"
mapfile -t variables < <(grep -v '^#' "$envdir/site.env")
E2E_RUN_SEQ=$((E2E_RUN_SEQ + 1))
unit_out="$E2E_WORK/run-$E2E_RUN_SEQ.out" unit_err="$E2E_WORK/run-$E2E_RUN_SEQ.err"
rc=0
timeout 120 env -i "${variables[@]}" "${command[@]}" >"$unit_out" 2>"$unit_err" || rc=$?
((rc == 0)) || fail "the unit's command failed (exit $rc): $(tail -n 5 "$unit_err")"
assert_cert "$state/live/site" "$root" '*.demo.test' demo.test
grep -q '^site: issued serial ' "$unit_out" || fail "no issued line from the unit's run"

e2e_log "--- the printed cron line, run by sh under env -i: quiet, logged"
wildcert_run schedule -c "$site" --state-dir "$state" --env-file "$envdir/site.env" \
    --log-file "$E2E_WORK/cron-site.log"
assert_exit 0
cron="$(grep -E '^[0-9]+ [0-9]+,[0-9]+ \* \* \* ' "$WC_OUT")" || fail "no cron line printed"
cron_command="$(sed -E 's/^[0-9]+ [0-9]+,[0-9]+ \* \* \* //' <<<"$cron")"
[[ "$cron_command" == *" renew -q "* ]] || fail "the cron line does not run renew -q: $cron"
# Renewing now needs a certificate that is due: remove the one the unit issued.
rm -rf "$state/live/site" "$state/archive/site"
timeout 120 env -i /bin/sh -c "$cron_command" || fail "the cron line failed (exit $?)"
assert_cert "$state/live/site" "$root" '*.demo.test' demo.test
grep -q '^site: issued serial ' "$E2E_WORK/cron-site.log" ||
    fail "the cron log has no issued line: $(cat "$E2E_WORK/cron-site.log")"
! grep -q '^wildcert: ' "$E2E_WORK/cron-site.log" ||
    fail "-q still printed progress: $(cat "$E2E_WORK/cron-site.log")"
