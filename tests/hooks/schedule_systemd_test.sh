#!/usr/bin/env bash
# `wildcert schedule --install` writes units that systemd's own parser reads back as meant:
# a binary, profile and state directory whose paths hold spaces, '%' and '$' come out of
# `systemd-analyze verify` as the same words, and the timer's schedule is the documented one.
# Usage: schedule_systemd_test.sh PATH-TO-WILDCERT
set -euo pipefail

wildcert=${1:?usage: $0 PATH-TO-WILDCERT}
command -v systemd-analyze >/dev/null || {
    echo "FAIL: systemd-analyze is needed to check the units (Debian: systemd)" >&2
    exit 1
}
work=$(mktemp -d)
trap 'rm -rf -- "$work"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

folder="$work/my tools %h"
mkdir -p "$folder" "$work/units"
cp -- "$wildcert" "$folder/wildcert"
profile="$folder/site \$HOME.toml"
: >"$profile"

"$folder/wildcert" schedule -c "$profile" --state-dir "$work/st ate" --install \
    --unit-dir "$work/units" --env-file "$folder/site.env" --log-file "$work/site.log" \
    >"$work/out" || fail "schedule --install failed: $(<"$work/out")"
# The unit names come from the profile's file name, with what systemd does not allow as '_'.
unit=wildcert-renew-site__HOME
grep -qx "now run: systemctl daemon-reload && systemctl enable --now $unit.timer" \
    "$work/out" || fail "no systemctl hint: $(<"$work/out")"

dump=$(SYSTEMD_LOG_LEVEL=debug systemd-analyze verify \
    "$work/units/$unit.service" "$work/units/$unit.timer" 2>&1) ||
    fail "systemd-analyze verify rejected the units: $dump"
# systemd shows the parsed argv re-quoted, with '$' still doubled: it is expanded at start.
expected="Command Line: \"$folder/wildcert\" renew -c \"$folder/site \\\$\\\$HOME.toml\" --state-dir \"$work/st ate\""
grep -qF -- "$expected" <<<"$dump" || fail "ExecStart parsed differently; expected
$expected
in:
$(grep -F 'Command Line' <<<"$dump")"
grep -qF -- "ReadWritePaths: -$work/st ate" <<<"$dump" || fail "ReadWritePaths parsed differently"
grep -qF -- "OnCalendar: *-*-* 00,12:00:00" <<<"$dump" || fail "OnCalendar parsed differently"
grep -qF -- "Persistent: yes" <<<"$dump" || fail "the timer is not persistent"
grep -qF -- "EnvironmentFile: $folder/site.env" <<<"$dump" ||
    fail "EnvironmentFile parsed differently: $(grep -F EnvironmentFile <<<"$dump")"
echo "ok: systemd reads the units back as written"
