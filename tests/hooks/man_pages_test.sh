#!/usr/bin/env bash
# The generated man pages: man(1) reads both without a warning, wildcert.1 names every
# subcommand and option that the binary's own help lists, and wildcert.toml.5 every key that
# a section reader of src/config asks for.
# Usage: man_pages_test.sh WILDCERT-BINARY WILDCERT.1 WILDCERT.TOML.5 SOURCE-ROOT
set -euo pipefail
wildcert="$1" man1="$2" man5="$3" root="$4"
fail() { echo "FAIL: $*" >&2; exit 1; }

for page in "$man1" "$man5"; do
    [[ -s "$page" ]] || fail "$page is missing or empty"
    warnings="$(MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)"
    [[ -z "$warnings" ]] || fail "man --warnings on $page: $warnings"
done
text1="$(MANWIDTH=200 man -l "$man1" 2>/dev/null)"
text5="$(MANWIDTH=200 man -l "$man5" 2>/dev/null)"

# Commands from the overview: the lines of its "Commands:" block.
commands="$("$wildcert" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && /^  [a-z]/ { print $1 }')"
(($(wc -w <<<"$commands") >= 8)) || fail "too few commands in --help: $commands"
checked=0
for command in $commands; do
    grep -qE "^ *wildcert $command( |$)" <<<"$text1" || fail "wildcert.1 has no synopsis of $command"
    for option in $("$wildcert" "$command" --help | grep -oE '^  (-[a-zA-Z], )?--[a-z-]+' | grep -oE -- '--[a-z-]+'); do
        grep -qF -- "$option" <<<"$text1" || fail "wildcert.1 lacks $option ($command)"
        checked=$((checked + 1))
    done
done
((checked >= 30)) || fail "only $checked options checked"

# Keys straight from the readers' calls, independent of the key table the page comes from.
keys="$(grep -ohE '(find|optional_string|required_string|optional_bool|optional_integer|optional_string_array|read_duration|read_servers)\((dns, |acme, )?"[a-z_]+"' \
    "$root"/src/config/*_section.cpp "$root"/src/config/renew_before.cpp | grep -oE '"[a-z_]+"' | tr -d '"' | sort -u)"
(($(wc -w <<<"$keys") >= 30)) || fail "too few keys found in the readers: $keys"
for key in $keys renew_before; do
    grep -qE "^ *$key \(" <<<"$text5" || fail "wildcert.toml.5 does not document $key"
done
for provider in $("$wildcert" providers | awk '/^  [a-z]/ { print $1 }'); do
    grep -qF "[dns.$provider]" <<<"$text5" || fail "wildcert.toml.5 lacks [dns.$provider]"
done
echo "man pages: no warnings; $(wc -w <<<"$commands") commands, $checked options, $(wc -w <<<"$keys") keys documented"
