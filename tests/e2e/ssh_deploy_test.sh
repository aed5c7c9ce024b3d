#!/usr/bin/env bash
# The ssh deployer against real OpenSSH servers on three loopback addresses: one renew pushes
# key and chain to all three at once with the modes and owner asked for and runs the reload;
# with one host down the other two are deployed, the run exits 1, and the next renew deploys
# only to the failed host (the others' files untouched); a host whose key is not in
# known_hosts fails with its fingerprint and gets nothing.
# Usage: ssh_deploy_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_renew.sh
source "$(dirname "$0")/lib_renew.sh"
# shellcheck source-path=SCRIPTDIR source=lib_ssh.sh
source "$(dirname "$0")/lib_ssh.sh"
e2e_init "$@"
e2e_binary "${1:-}"

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
ssh_client_setup
start_sshd a 127.0.0.2 2222
start_sshd b 127.0.0.3 2222
start_sshd c 127.0.0.4 2222
start_sshd stranger 127.0.0.5 2222 untrusted

json_target() {
    jq -r ".certificates[0].deploy.targets[$1].$2" "$WC_OUT" ||
        fail "no JSON report: $(head -c 300 "$WC_OUT")"
}
# remote_target NAME ADDR: one targets = [...] element writing under $E2E_WORK/remote-NAME.
remote_target() {
    local dir="$E2E_WORK/remote-$1"
    mkdir -p "$dir"
    printf '{ host = "%s", key_path = "%s/key.pem", fullchain_path = "%s/fullchain.pem", reload = "openssl x509 -in %s/fullchain.pem -noout -serial > %s/reloaded" }' \
        "$2" "$dir" "$dir" "$dir" "$dir"
}

profile="$E2E_WORK/ssh.toml"
write_profile "$profile" name=web extra="[[certificate.deploy]]
type = \"ssh\"
port = 2222
user = \"root\"
identity_file = \"$SSH_CLIENT_KEY\"
known_hosts = \"$SSH_KNOWN_HOSTS\"
owner = \"nobody\"
group = \"nogroup\"
mode = \"0640\"
targets = [
    $(remote_target a 127.0.0.2),
    $(remote_target b 127.0.0.3),
    $(remote_target c 127.0.0.4),
]"
state="$E2E_WORK/state"
live="$state/live/web"

# assert_deployed NAME: remote-NAME holds the live key and chain, with the modes and owner.
assert_deployed() {
    local dir="$E2E_WORK/remote-$1"
    assert_eq "$(cat "$live/fullchain.pem")" "$(cat "$dir/fullchain.pem")" "fullchain on $1"
    assert_eq "$(cat "$live/privkey.pem")" "$(cat "$dir/key.pem")" "key on $1"
    assert_eq "600 nobody nogroup" "$(stat -c '%a %U %G' "$dir/key.pem")" "key file on $1"
    assert_eq "640 nobody nogroup" "$(stat -c '%a %U %G' "$dir/fullchain.pem")" "chain file on $1"
    assert_eq "$(openssl x509 -in "$live/cert.pem" -noout -serial)" "$(cat "$dir/reloaded")" \
        "what the reload on $1 read"
    [[ -z "$(find "$dir" -name '.wildcert.*')" ]] || fail "temporary files left on $1"
}

e2e_log "--- one renew deploys to three hosts at once, with modes, owner and reload"
renew "$profile" "$state" --json -vv
assert_exit 0
assert_cert "$live" "$root" '*.demo.test' demo.test
for host in a b c; do assert_deployed "$host"; done
assert_eq "root@127.0.0.2:2222" "$(json_target 0 target)" "first target's name"
for i in 0 1 2; do assert_eq ok "$(json_target "$i" outcome)" "target $i"; done
assert_eq 3 "$(jq -s '[.[] | select(.event == "deploy" and .deployer == "ssh" and .outcome == "ok")] | length' "$state/audit.log")" \
    "deploy events in the audit log"
assert_not_contains "$WC_ERR" "PRIVATE KEY"
assert_not_contains "$WC_OUT" "PRIVATE KEY"

e2e_log "--- host b down: a and c deployed, exit 1; the next renew deploys to b only"
stop_sshd b
renew "$profile" "$state" --force --json
assert_exit 1
assert_eq ok "$(json_target 0 outcome)" "host a"
assert_eq failed "$(json_target 1 outcome)" "host b (down)"
assert_eq ok "$(json_target 2 outcome)" "host c"
assert_matches "$(json_target 1 failure)" 'ssh root@127\.0\.0\.3:2222: .*(refused|Connection)' "failure of host b"
assert_deployed a
assert_deployed c
wildcert_run list --state-dir "$state" --json
assert_exit 0
assert_eq "true 2" "$(jq -r '.certificates[0].deploy_state | "\(.pending) \(.targets_done | length)"' "$WC_OUT")" \
    "deploy state in list --json"
wildcert_run list --state-dir "$state"
assert_matches "$(grep '^web ' "$WC_OUT")" 'pending \(2 done\)' "DEPLOY column of list"
mtime_a="$(stat -c %Y.%N "$E2E_WORK/remote-a/key.pem")"
mtime_c="$(stat -c %Y.%N "$E2E_WORK/remote-c/fullchain.pem")"
start_sshd b 127.0.0.3 2222
renew "$profile" "$state" --json
assert_exit 0
assert_eq not-due "$(jq -r '.certificates[0].status' "$WC_OUT")" "status of the retry run"
assert_eq already-deployed "$(json_target 0 outcome)" "host a on the retry run"
assert_eq ok "$(json_target 1 outcome)" "host b on the retry run"
assert_eq already-deployed "$(json_target 2 outcome)" "host c on the retry run"
assert_deployed b
assert_eq "$mtime_a" "$(stat -c %Y.%N "$E2E_WORK/remote-a/key.pem")" "host a's files untouched"
assert_eq "$mtime_c" "$(stat -c %Y.%N "$E2E_WORK/remote-c/fullchain.pem")" "host c's files untouched"

e2e_log "--- a host whose key is not in known_hosts: its fingerprint, nothing written"
stranger_profile="$E2E_WORK/ssh-stranger.toml"
write_profile "$stranger_profile" name=web extra="[[certificate.deploy]]
type = \"ssh\"
host = \"127.0.0.5\"
port = 2222
user = \"root\"
identity_file = \"$SSH_CLIENT_KEY\"
known_hosts = \"$SSH_KNOWN_HOSTS\"
key_path = \"$E2E_WORK/remote-stranger/key.pem\"
fullchain_path = \"$E2E_WORK/remote-stranger/fullchain.pem\""
mkdir -p "$E2E_WORK/remote-stranger"
renew "$stranger_profile" "$state" --force --json
assert_exit 1
fingerprint="$(ssh-keygen -lf "$SSH_DIR/stranger/host_ed25519.pub" | awk '{ print $2 }')"
assert_matches "$(json_target 0 failure)" "host key not in $SSH_KNOWN_HOSTS" "unknown host key"
failure="$(json_target 0 failure)"
[[ "$failure" == *"ssh-ed25519 $fingerprint"* ]] ||
    fail "the failure does not give the host's fingerprint $fingerprint: $failure"
[[ -z "$(ls -A "$E2E_WORK/remote-stranger")" ]] || fail "files written to an unverified host"
! grep -q 127.0.0.5 "$SSH_KNOWN_HOSTS" || fail "the unknown host key was added to known_hosts"
