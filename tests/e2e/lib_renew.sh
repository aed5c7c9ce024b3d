# shellcheck shell=bash
# Helpers for the renew tests: profiles with many certificates, JSON and archive checks.
# Source after lib.sh.

# fleet_profile FILE COUNT [extra TOML for the last certificate]: an rfc2136 profile for the
# current Pebble and BIND with certificates c01..cNN, each "*.cNN.demo.test" + "cNN.demo.test".
fleet_profile() {
    local file="$1" count="$2" tail="${3:-}" extra="" i name
    for ((i = 2; i <= count; i++)); do
        name="$(printf 'c%02d' "$i")"
        extra+="[[certificate]]"$'\n'"name = \"$name\""$'\n'
        extra+="domains = [\"*.$name.demo.test\", \"$name.demo.test\"]"$'\n'
        ((i == count)) && [[ -n "$tail" ]] && extra+="$tail"$'\n'
        extra+=$'\n'
    done
    write_profile "$file" name=c01 domains='"*.c01.demo.test", "c01.demo.test"' extra="$extra"
}

# renew PROFILE STATE [ARGS...]: wildcert renew -c PROFILE --state-dir STATE -v ARGS...
renew() {
    local profile="$1" state="$2"
    shift 2
    wildcert_run renew -c "$profile" --state-dir "$state" -v "$@"
}

# json_count STATUS: how many certificates of the last run's JSON document have STATUS.
json_count() {
    jq --arg s "$1" '[.certificates[] | select(.status == $s)] | length' "$WC_OUT" ||
        fail "stdout of the last run is not the JSON document: $(head -c 300 "$WC_OUT")"
}

# json_summary FIELD: a field of the last run's JSON document (".counts.issued", ".exit_code").
json_summary() {
    jq -r "$1" "$WC_OUT" || fail "stdout of the last run is not JSON: $(head -c 300 "$WC_OUT")"
}

# archive_versions STATE NAME: how many versions archive/NAME holds.
archive_versions() {
    if [[ -d "$1/archive/$2" ]]; then
        find "$1/archive/$2" -mindepth 1 -maxdepth 1 -type d | wc -l
    else
        echo 0
    fi
}

# assert_fleet_live STATE ROOT COUNT: live/c01..cNN each hold a complete certificate for
# their two names (checked with openssl against ROOT).
assert_fleet_live() {
    local state="$1" root="$2" count="$3" i name
    for ((i = 1; i <= count; i++)); do
        name="$(printf 'c%02d' "$i")"
        assert_cert "$state/live/$name" "$root" "*.$name.demo.test" "$name.demo.test"
    done
}
