#!/usr/bin/env bash
# Deploy benchmark: one renewed certificate pushed to N hosts over SSH (real sshd instances on
# loopback addresses of a private network namespace), each with a remote reload that reads the
# new chain back. The deploy is measured alone: after one renew, the status file is set back
# to "deploy pending, no target done" (what a failed deploy leaves), and the next renew does
# nothing but deploy. Prints wall times and the per-target median; no thresholds.
# Usage: scripts/bench_ssh_deploy.sh [RUNS] [PATH-TO-WILDCERT]   (BENCH_HOSTS=20;
#        BENCH_SSH_OPTIONS="KexAlgorithms=curve25519-sha256" passes ssh_options)
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
build="$(realpath -m "${WILDCERT_BUILD_DIR:-$repo/build}")"
runs="${1:-5}"
binary="${2:-$build/src/cli/wildcert}"
hosts="${BENCH_HOSTS:-20}"
if [[ "${WILDCERT_E2E_NETNS:-}" != "1" && -z "${2:-}" ]]; then
    [[ -f "$build/build.ninja" ]] || meson setup "$build" "$repo" >/dev/null
    ninja -C "$build" -j2 src/cli/wildcert >/dev/null
fi

export E2E_REPORT_RESULT=0
export E2E_QUIET=1
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib.sh
source "$repo/tests/e2e/lib.sh"
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib_renew.sh
source "$repo/tests/e2e/lib_renew.sh"
# shellcheck source-path=SCRIPTDIR/../tests/e2e source=lib_ssh.sh
source "$repo/tests/e2e/lib_ssh.sh"
e2e_init "$@"
e2e_binary "$binary"

start_bind bench 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53 PEBBLE_WFE_NONCEREJECT=0
export TSIG_SECRET
TSIG_SECRET="$(tsig_secret wildcert-key)"
ssh_client_setup
targets=""
for ((i = 1; i <= hosts; i++)); do
    addr="127.0.1.$i"
    start_sshd "h$i" "$addr" 2222
    dir="$E2E_WORK/remote-$i"
    mkdir -p "$dir"
    targets+="    { host = \"$addr\", key_path = \"$dir/key.pem\", fullchain_path = \"$dir/fullchain.pem\", reload = \"openssl x509 -in $dir/fullchain.pem -noout -serial > $dir/reloaded\" },"$'\n'
done
profile="$E2E_WORK/bench-ssh.toml"
write_profile "$profile" name=web extra="[[certificate.deploy]]
type = \"ssh\"
port = 2222
user = \"root\"
identity_file = \"$SSH_CLIENT_KEY\"
known_hosts = \"$SSH_KNOWN_HOSTS\"
ssh_options = \"${BENCH_SSH_OPTIONS:-}\"
targets = [
$targets]"
state="$E2E_WORK/state"
renew "$profile" "$state" --json
[[ "$WC_RC" == 0 ]] || { echo "bench: the first renew failed: $(tail -n 3 "$WC_ERR")" >&2; exit 1; }

echo "wildcert benchmark: deploy one certificate to $hosts SSH hosts (sshd on loopback), reload on each"
echo "  binary:  $WILDCERT"
echo "  ssh:     $(ssh -V 2>&1), up to 8 targets at once, ssh_options: ${BENCH_SSH_OPTIONS:-(none)}"
walls=() medians=()
for ((run = 1; run <= runs; run++)); do
    # What a failed deploy leaves: pending, no target done for this version.
    sed -i -e 's/^deploy_pending=.*/deploy_pending=1/' -e '/^deployed=/d' "$state/status/web.txt"
    renew "$profile" "$state" --json
    [[ "$WC_RC" == 0 ]] || { echo "bench: run $run failed: $(tail -n 3 "$WC_ERR")" >&2; exit 1; }
    done_count="$(jq '[.certificates[0].deploy.targets[] | select(.outcome == "ok")] | length' "$WC_OUT")"
    [[ "$done_count" == "$hosts" ]] || { echo "bench: run $run deployed $done_count of $hosts" >&2; exit 1; }
    median="$(jq '[.certificates[0].deploy.targets[].elapsed_ms] | sort | .[length / 2 | floor]' "$WC_OUT")"
    walls+=("$WC_SECONDS") medians+=("$median")
    printf '  run %d: %s s wall (the whole renew run), per-target median %s ms\n' "$run" "$WC_SECONDS" "$median"
done
sorted_walls="$(printf '%s\n' "${walls[@]}" | sort -n | tr '\n' ' ')"
sorted_medians="$(printf '%s\n' "${medians[@]}" | sort -n | tr '\n' ' ')"
echo "  wall (sorted):              $sorted_walls"
echo "  per-target median (sorted): $sorted_medians ms"
