#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz) with clang into build-fuzz/ and runs each for a
# time budget, then prints executions and crashes per target.
# Usage: scripts/fuzz.sh [--ci | --build-only | SECONDS-PER-TARGET] [TARGET...]
#   --ci     the CI budget: 10 seconds per target
#   --build-only  build the targets and stop (CI builds them while other tests run)
#   default  60 seconds per target; TARGETs: only these (default: every *_fuzz.cpp)
# Exit status: 0 when every target built and ran without a crash; 1 on any crash, hang, or a
# target that failed to build or run; 2 on bad usage. Crash inputs are left in
# build-fuzz/crashes/<target>/: minimize them and commit them under tests/fuzz/regressions/.
set -euo pipefail

usage() {
    echo "usage: $0 [--ci | --build-only | seconds-per-target] [target...]" >&2
    exit 2
}

seconds=60
build_only=0
if (($# > 0)); then
    case "$1" in
    --ci) seconds=10 ;;
    --build-only) build_only=1 ;;
    -h | --help) usage ;;
    *)
        [[ "$1" =~ ^[0-9]+$ && "$1" -gt 0 ]] || usage
        seconds="$1"
        ;;
    esac
    shift
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
build="$root/build-fuzz"

targets=("$@")
if ((${#targets[@]} == 0)); then
    for source in "$root"/tests/fuzz/*_fuzz.cpp; do
        targets+=("$(basename "$source" _fuzz.cpp)")
    done
fi
for target in "${targets[@]}"; do
    [[ -f "$root/tests/fuzz/${target}_fuzz.cpp" ]] || {
        echo "fuzz: no target $target (tests/fuzz/${target}_fuzz.cpp)" >&2
        exit 2
    }
done

as_root() {
    if ((EUID == 0)); then
        "$@"
    else
        sudo "$@"
    fi
}

# Can clang link a libFuzzer binary? Debian ships the fuzzer runtime in libclang-rt-N-dev,
# which clang only recommends.
can_link_fuzzer() {
    local probe
    probe="$(mktemp -d)"
    printf '%s\n' '#include <cstddef>' '#include <cstdint>' \
        'extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t*, std::size_t) { return 0; }' \
        >"$probe/probe.cpp"
    local status=0
    clang++ -fsanitize=fuzzer,address,undefined "$probe/probe.cpp" -o "$probe/probe" \
        >/dev/null 2>&1 || status=1
    rm -rf "$probe"
    return "$status"
}

install_packages() {
    echo "fuzz: installing $*" >&2
    as_root apt-get install -y --no-install-recommends "$@" >&2 ||
        { as_root apt-get update >&2 && as_root apt-get install -y --no-install-recommends "$@" >&2; }
}

if ! command -v clang++ >/dev/null; then
    install_packages clang
fi
if ! can_link_fuzzer; then
    major="$(clang++ -dumpversion | cut -d. -f1)"
    install_packages "libclang-rt-$major-dev"
    can_link_fuzzer || {
        echo "fuzz: clang++ cannot link -fsanitize=fuzzer binaries" >&2
        exit 1
    }
fi

started=$SECONDS
if [[ ! -f "$build/build.ninja" ]]; then
    # The libraries are instrumented too, so that coverage guides the fuzzer into them.
    CXX=clang++ meson setup "$build" "$root" -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dcpp_args=-fsanitize=fuzzer-no-link >&2
fi
# Only the fuzz binaries and what they link: not the CLI, the unit tests or the fakes.
if ! ninja -C "$build" -j"${FUZZ_JOBS:-2}" "${targets[@]/#/tests/fuzz/fuzz-}" >&2; then
    echo "fuzz: the fuzz targets failed to build" >&2
    exit 1
fi
if ((build_only)); then
    echo "fuzz: build took $((SECONDS - started)) s" >&2
    exit 0
fi
echo "fuzz: build took $((SECONDS - started)) s; $seconds s per target" >&2

printf '%-16s %12s %8s %s\n' target executions crashes result
status=0
for target in "${targets[@]}"; do
    corpus="$build/corpus/$target"
    artifacts="$build/crashes/$target"
    mkdir -p "$corpus" "$artifacts"
    log="$build/fuzz-$target.log"
    seeds=("$root/tests/fuzz/corpus/$target")
    [[ -d "$root/tests/fuzz/regressions/$target" ]] && seeds+=("$root/tests/fuzz/regressions/$target")
    result=ok
    # Inputs of earlier runs stay in the folder; only this run's count.
    marker="$build/fuzz-$target.started"
    touch "$marker"
    # The seeds are read, never written: new inputs go to the build folder's corpus. A single
    # input that takes over 10 s counts as a hang.
    "$build/tests/fuzz/fuzz-$target" "$corpus" "${seeds[@]}" \
        -max_total_time="$seconds" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$artifacts/" -print_final_stats=1 >"$log" 2>&1 || result="failed (see $log)"
    executions="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)"
    crashes="$(find "$artifacts" -type f -newer "$marker" | wc -l)"
    if ((crashes > 0)); then
        result="crashed (inputs in $artifacts)"
    fi
    printf '%-16s %12s %8s %s\n' "$target" "${executions:-?}" "$crashes" "$result"
    [[ "$result" == ok ]] || status=1
done
exit "$status"
