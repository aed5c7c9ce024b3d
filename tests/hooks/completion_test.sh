#!/usr/bin/env bash
# The generated completion scripts in the shells themselves. bash: the script loads in
# `bash --norc`, registers _wildcert, and the function, given COMP_WORDS and COMP_CWORD as
# readline sets them, fills COMPREPLY. fish: `complete -C` runs fish's own completion of a
# line. zsh: the script loads, sourced and autoloaded by compinit, and a line typed with TAB
# into an interactive zsh gets the expected matches (zsh_complete.zsh).
# Certificate names come from the real binary (`wildcert list-names`), from a profile given
# with -c and from a state directory.
# Usage: completion_test.sh WILDCERT-BINARY BASH-SCRIPT ZSH-SCRIPT FISH-SCRIPT
set -euo pipefail
wildcert="$1" bash_script="$2" zsh_script="$3" fish_script="$4"
fail() { echo "FAIL: $*" >&2; exit 1; }
for shell in bash zsh fish; do
    command -v "$shell" >/dev/null || fail "$shell is not installed (scripts/install-deps.sh)"
done
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The scripts run `wildcert` by the name typed; the shells keep their files in $work.
PATH="$(cd "$(dirname "$wildcert")" && pwd):$PATH"
export PATH HOME="$work/home" XDG_CONFIG_HOME="$work/config" XDG_DATA_HOME="$work/data"
mkdir -p "$HOME"
unset WILDCERT_STATE_DIR

# A profile with two certificates (list-names reads it as TOML only), and a state directory
# with one certificate, as live/NAME -> ../archive/NAME/1.
cat >"$work/site.toml" <<'EOF'
[acme]
directory = "https://ca.example.test/directory"

[[certificate]]
name = "www"
domains = ["www.example.test"]

[[certificate]]
name = "mail"
domains = ["mail.example.test"]
EOF
mkdir -p "$work/state/live" "$work/state/archive/old-www/1" "$work/state-default/live"
ln -s ../archive/old-www/1 "$work/state/live/old-www"
ln -s ../archive/api/1 "$work/state-default/live/api"
checks=0

# `wildcert completion SHELL` prints what the build installs.
for shell in bash zsh fish; do
    script_var="${shell}_script"
    cmp -s <("$wildcert" completion "$shell") "${!script_var}" ||
        fail "wildcert completion $shell differs from ${!script_var}"
done

# --- bash ---------------------------------------------------------------------------------
registered="$(bash --norc --noprofile -c 'source "$1" && complete -p wildcert' _ "$bash_script")"
[[ "$registered" == "complete -F _wildcert wildcert" ]] || fail "bash: complete -p wildcert: $registered"

# WORD... as COMP_WORDS, the last one under the cursor: prints COMPREPLY sorted, one a line.
bash_complete() {
    bash --norc --noprofile -c '
        source "$1" && shift
        COMP_WORDS=("$@")
        COMP_CWORD=$(($# - 1))
        COMP_LINE="$*"
        COMP_POINT=${#COMP_LINE}
        _wildcert
        ((${#COMPREPLY[@]} == 0)) || printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$bash_script" "$@"
}
# SHELL EXPECTED LINE...: what SHELL offers for the line (its candidates sorted, joined by
# spaces) is EXPECTED. bash takes the line as words, the last one under the cursor; fish and
# zsh take it as one string, the cursor at its end.
expect() {
    local shell="$1" want="$2" got
    shift 2
    got="$("${shell}_complete" "$@" | paste -sd ' ')"
    [[ "$got" == "$want" ]] || fail "$shell: completing \"$*\": expected \"$want\", got \"$got\""
    checks=$((checks + 1))
}

expect bash "issue" wildcert is
expect bash "--concurrency --config" wildcert renew --con
expect bash "--concurrency --config" wildcert -v renew --con
expect bash "renew" wildcert -c "$work/site.toml" ren
expect bash "" wildcert list-n
# An option given once is not offered again; a repeatable one is.
expect bash "--dry-run-against-production" wildcert renew -c x --dry-run --dry
expect bash "--cert" wildcert renew -c x --cert a --ce
expect bash "--quiet" wildcert list --qu
expect bash "" wildcert list -q --qu
# Choices, also after "=": readline splits --json=s into "--json" "=" "s", and without "="
# in COMP_WORDBREAKS the word stays whole.
expect bash "ec-p256 ec-p384" wildcert account rollover -c x --key-type ec
expect bash "keyCompromise" wildcert revoke -c x --cert www --reason key
expect bash "stream" wildcert issue -c x --json =
expect bash "stream" wildcert issue -c x --json = s
expect bash "--json=stream" wildcert issue -c x --json=s
expect bash "" wildcert issue -c x --json s
# Operands.
expect bash "deactivate rollover show update-contact" wildcert account ""
expect bash "--key-type" wildcert account rollover --k
expect bash "renew" wildcert help ren
expect bash "rfc2136" wildcert providers rfc
expect bash "bash fish zsh" wildcert completion ""
# Files and folders.
expect bash "$work/site.toml" wildcert issue -c "$work/si"
expect bash "-c$work/site.toml" wildcert issue "-c$work/si"
expect bash "$work/state $work/state-default" wildcert list --state-dir "$work/sta"
# --cert: the profiles' names, however -c is spelt, also in a cluster and with ~.
for spelling in "-c $work/site.toml" "-c$work/site.toml" "--config $work/site.toml" \
    "--config = $work/site.toml" "--config=$work/site.toml" "-vc $work/site.toml"; do
    # shellcheck disable=SC2086 # the spelling is split into its words on purpose
    expect bash "mail www" wildcert issue $spelling --cert ""
done
cp "$work/site.toml" "$HOME/home-site.toml"
# shellcheck disable=SC2088 # the ~ is typed, for the script to expand
expect bash "www" wildcert renew -c '~/home-site.toml' --cert w
expect bash "mail www" wildcert revoke -c "$work/site.toml" --cert = ""
# delete takes no profile: the state directory's names, from --state-dir or the default.
expect bash "old-www" wildcert delete --state-dir "$work/state" --cert ""
expect bash "old-www" wildcert delete --state-dir="$work/state" --cert o
WILDCERT_STATE_DIR="$work/state-default" expect bash "api" wildcert delete --cert ""
expect bash "" wildcert delete --state-dir "$work/missing" --cert ""
[[ ! -e "$work/missing" ]] || fail "list-names created the state directory it was asked about"

# --- fish ---------------------------------------------------------------------------------
fish --no-config -n "$fish_script" || fail "fish -n: $fish_script does not parse"
# LINE: fish's completions of it, the candidates without their descriptions, sorted.
fish_complete() {
    fish --no-config -c 'source $argv[1]; and complete -C $argv[2]' "$fish_script" "$1" |
        cut -f1 | sort
}
expect fish "issue" "wildcert is"
expect fish "--concurrency --config" "wildcert renew --con"
expect fish "ec-p256 ec-p384" "wildcert account rollover -c x --key-type ec"
expect fish "--json=stream" "wildcert issue -c x --json="
expect fish "deactivate rollover show update-contact" "wildcert account "
expect fish "renew" "wildcert help ren"
expect fish "mail www" "wildcert issue -c $work/site.toml --cert "
expect fish "mail www" "wildcert issue --config=$work/site.toml --cert "
expect fish "old-www" "wildcert delete --state-dir $work/state --cert "
expect fish "$work/site.toml" "wildcert issue -c $work/si"
expect fish "" "wildcert list-n"

# --- zsh ----------------------------------------------------------------------------------
# Sourced after compinit, and autoloaded from a folder in $fpath: either way _wildcert is
# what completes wildcert.
sourced="$(zsh -f -c 'autoload -U compinit && compinit -u -d "$2/zcompdump-1" && source "$1" &&
    print -r -- "$_comps[wildcert]"' _ "$zsh_script" "$work" 2>&1)"
[[ "$sourced" == "_wildcert" ]] || fail "zsh: sourcing $zsh_script: $sourced"
mkdir -p "$work/zfunctions"
cp "$zsh_script" "$work/zfunctions/_wildcert"
autoloaded="$(zsh -f -c 'fpath=("$1" $fpath) && autoload -U compinit && compinit -u -d "$2/zcompdump-2" &&
    print -r -- "$_comps[wildcert]"' _ "$work/zfunctions" "$work" 2>&1)"
[[ "$autoloaded" == "_wildcert" ]] || fail "zsh: autoloaded from \$fpath: $autoloaded"
checks=$((checks + 2))
# LINE: what zsh offers for it, typed into an interactive zsh (zsh_complete.zsh), sorted.
zsh_complete() {
    timeout 30 zsh -f "$(dirname "$0")/zsh_complete.zsh" "$zsh_script" "$work" "$1"
}
expect zsh "issue" "wildcert is"
expect zsh "--concurrency --config" "wildcert renew --con"
expect zsh "ec-p256 ec-p384" "wildcert account rollover -c x --key-type ec"
expect zsh "stream" "wildcert issue -c x --json="
expect zsh "deactivate rollover show update-contact" "wildcert account "
expect zsh "renew" "wildcert help ren"
expect zsh "mail www" "wildcert issue -c $work/site.toml --cert "
expect zsh "mail www" "wildcert issue --config=$work/site.toml --cert="
expect zsh "old-www" "wildcert delete --state-dir $work/state --cert "
expect zsh "site.toml" "wildcert issue -c $work/si"
expect zsh "" "wildcert renew -c x --force --fo"

echo "completion: $checks checks of bash, fish and zsh passed"
