#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz/ and runs each for a
# time budget, then prints executions and crashes per target.
# Usage: scripts/fuzz.sh [SECONDS-PER-TARGET]   (default 60)
set -euo pipefail

seconds="${1:-60}"
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || {
    echo "usage: $0 [seconds-per-target]" >&2
    exit 2
}
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"

if ! command -v clang++ >/dev/null; then
    echo "fuzz: installing clang" >&2
    apt-get install -y clang >&2
fi

if [[ ! -d "$build" ]]; then
    # The libraries are instrumented too, so that coverage guides the fuzzer into them.
    CXX=clang++ meson setup "$build" "$root" -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dcpp_args=-fsanitize=fuzzer-no-link >&2
fi
targets=()
for source in "$root"/tests/fuzz/*_fuzz.cpp; do
    targets+=("$(basename "$source" _fuzz.cpp)")
done
ninja -C "$build" -j2 "${targets[@]/#/tests/fuzz/fuzz-}" >&2

printf '%-12s %12s %8s\n' target executions crashes
status=0
for target in "${targets[@]}"; do
    corpus="$build/corpus/$target"
    artifacts="$build/crashes/$target"
    mkdir -p "$corpus" "$artifacts"
    log="$build/fuzz-$target.log"
    # The seeds are read, never written: new inputs go to the build folder's corpus.
    "$build/tests/fuzz/fuzz-$target" "$corpus" "$root/tests/fuzz/corpus/$target" \
        -max_total_time="$seconds" -artifact_prefix="$artifacts/" -print_final_stats=1 \
        >"$log" 2>&1 || status=1
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    crashes="$(find "$artifacts" -type f | wc -l)"
    printf '%-12s %12s %8s\n' "$target" "${executions:-?}" "$crashes"
    [[ "$crashes" -eq 0 ]] || status=1
done
exit "$status"
