#!/usr/bin/env bash
# Every example hook parses with the shell its first line names, and passes shellcheck when
# that is installed (it is optional on a build machine: then only the parse is checked).
# Usage: examples_parse_test.sh REPO-DIR
set -euo pipefail

repo=${1:?usage: $0 REPO-DIR}
hooks=("$repo"/examples/hooks/*.sh)
[[ -e ${hooks[0]} ]] || {
    echo "FAIL: no example hooks under $repo/examples/hooks" >&2
    exit 1
}

failed=0
for hook in "${hooks[@]}"; do
    first=$(head -n 1 -- "$hook")
    case $first in
    '#!/bin/sh') shell='sh' ;;
    '#!/usr/bin/env bash' | '#!/bin/bash') shell='bash' ;;
    *)
        echo "FAIL: $hook: unexpected first line: $first" >&2
        failed=1
        continue
        ;;
    esac
    if ! "$shell" -n -- "$hook"; then
        echo "FAIL: $hook does not parse with $shell" >&2
        failed=1
    fi
    if [[ ! -x $hook ]]; then
        echo "FAIL: $hook is not executable" >&2
        failed=1
    fi
    # The deploy hooks promise strict mode; the DNS hooks are POSIX sh (set -eu).
    if [[ $shell == bash ]] && ! grep -qx 'set -euo pipefail' -- "$hook"; then
        echo "FAIL: $hook lacks 'set -euo pipefail'" >&2
        failed=1
    fi
done

if command -v shellcheck >/dev/null; then
    shellcheck -- "${hooks[@]}" || failed=1
else
    echo "shellcheck is not installed: checked the parse only"
fi

[[ $failed == 0 ]] || exit 1
echo "ok: ${#hooks[@]} example hooks"
