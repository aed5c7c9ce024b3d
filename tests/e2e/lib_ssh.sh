# shellcheck shell=bash
# Harness additions for the ssh deployer tests, sourced after lib.sh: real OpenSSH servers
# (Debian's openssh-server) as independent "hosts" on loopback addresses of the test's network
# namespace, each with its own host key, all accepting one client key (FIELD-NOTES-2.md).
# Nothing under ~/.ssh is read or written: the client gets -i and a known_hosts file.

# ssh_client_setup: makes the client key ($SSH_CLIENT_KEY) and an empty known_hosts
# ($SSH_KNOWN_HOSTS).
ssh_client_setup() {
    command -v sshd >/dev/null && command -v ssh >/dev/null ||
        fail "sshd or ssh missing: scripts/install-deps.sh installs openssh-server"
    SSH_DIR="$E2E_WORK/ssh"
    mkdir -p "$SSH_DIR"
    SSH_CLIENT_KEY="$SSH_DIR/client_ed25519"
    ssh-keygen -q -t ed25519 -N '' -f "$SSH_CLIENT_KEY" || fail "ssh-keygen failed"
    SSH_KNOWN_HOSTS="$SSH_DIR/known_hosts"
    : >"$SSH_KNOWN_HOSTS"
    # sshd wants its privilege separation folder.
    mkdir -p /run/sshd
}

# start_sshd NAME ADDR PORT [trusted]: an sshd on ADDR:PORT; with "trusted" (the default) its
# host key goes into $SSH_KNOWN_HOSTS. Its pid is in $SSH_DIR/NAME/pid.
start_sshd() {
    local name="$1" addr="$2" port="$3" trust="${4:-trusted}"
    local dir="$SSH_DIR/$name"
    mkdir -p "$dir"
    [[ -f "$dir/host_ed25519" ]] || ssh-keygen -q -t ed25519 -N '' -f "$dir/host_ed25519"
    cp "$SSH_CLIENT_KEY.pub" "$dir/authorized_keys"
    cat >"$dir/sshd_config" <<CFG
ListenAddress $addr:$port
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
StrictModes no
UsePAM no
MaxStartups 100
Subsystem sftp internal-sftp
CFG
    /usr/sbin/sshd -D -e -f "$dir/sshd_config" >"$dir/sshd.log" 2>&1 &
    local pid=$! i
    E2E_PIDS+=("$pid")
    echo "$pid" >"$dir/pid"
    if [[ "$trust" == trusted ]] && ! grep -q "^\[$addr\]:$port " "$SSH_KNOWN_HOSTS"; then
        echo "[$addr]:$port $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >>"$SSH_KNOWN_HOSTS"
    fi
    for ((i = 0; i < 200; i++)); do
        kill -0 "$pid" 2>/dev/null || fail "sshd $name exited: $(tail -n 5 "$dir/sshd.log")"
        if (exec 3<>"/dev/tcp/$addr/$port") 2>/dev/null; then
            e2e_log "sshd $name on $addr:$port (pid $pid)"
            return 0
        fi
        sleep 0.05
    done
    fail "sshd $name did not start: $(tail -n 5 "$dir/sshd.log")"
}

# stop_sshd NAME: stops it and waits until it is gone.
stop_sshd() {
    stop_server "$SSH_DIR/$1/pid" "sshd $1"
}
