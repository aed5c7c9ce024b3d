#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it (.ci/run calls this):
#   1. installs the Debian packages it needs,
#   2. builds with warnings as errors and runs every suite (unit + e2e against a real Pebble
#      and a real BIND9 started by the tests),
#   3. builds again under AddressSanitizer + UndefinedBehaviorSanitizer and runs the unit tests.
# Any missing server or tool is a failure, never a skip.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/install-deps.sh

setup() {
    local dir=$1
    shift
    if [ -f "$dir/build.ninja" ]; then
        meson configure "$dir" "$@"
    else
        meson setup "$dir" "$@"
    fi
}

echo "== build (warnings are errors)"
setup build -Dwerror=true -Db_sanitize=none
ninja -C build
echo "== unit and e2e tests"
meson test -C build --print-errorlogs --num-processes 2

echo "== unit tests under ASan + UBSan"
setup build-sanitize -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false
ninja -C build-sanitize tests/unit/unit-tests
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
    meson test -C build-sanitize --suite unit --print-errorlogs
echo "== all tests passed"
