# shellcheck shell=bash
# Certificates for Pebble's HTTPS listener that must NOT verify, for tls_test.sh. Each one is
# made with plain openssl, next to the harness CA that the profiles trust (lib.sh,
# e2e_pebble_tls). Source after lib.sh.

# tls_leaf DIR CN SAN SIGNER: a P-256 key and certificate in DIR/key.pem, DIR/cert.pem for SAN
# (e.g. "DNS:localhost,IP:127.0.0.1"), valid for 30 days, signed by SIGNER (a folder with ca.pem
# and ca.key).
tls_leaf() {
    local dir="$1" cn="$2" san="$3" signer="$4"
    mkdir -p "$dir"
    (
        cd "$dir"
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout key.pem -out srv.csr -subj "/CN=$cn"
        printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
            "$san" >ext.cnf
        openssl x509 -req -in srv.csr -CA "$signer/ca.pem" -CAkey "$signer/ca.key" \
            -CAcreateserial -out cert.pem -days 30 -extfile ext.cnf
    ) >"$dir/openssl.log" 2>&1 || fail "tls_leaf $dir: $(tail -n 5 "$dir/openssl.log")"
}

# tls_ca DIR CN: a self-signed CA in DIR/ca.pem, DIR/ca.key.
tls_ca() {
    local dir="$1" cn="$2"
    mkdir -p "$dir"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 30 -subj "/CN=$cn" \
        -addext basicConstraints=critical,CA:TRUE \
        -addext keyUsage=critical,keyCertSign,cRLSign >"$dir/openssl.log" 2>&1 ||
        fail "tls_ca $dir: $(tail -n 5 "$dir/openssl.log")"
}

# tls_leaf_dated DIR START END SIGNER: like tls_leaf for localhost/127.0.0.1, but valid exactly
# from START to END (YYYYMMDDHHMMSSZ). OpenSSL 3.0's `x509 -req` cannot backdate (it has no
# -not_before), so this goes through `openssl ca` with a throwaway database.
tls_leaf_dated() {
    local dir="$1" start="$2" end="$3" signer="$4"
    mkdir -p "$dir/newcerts"
    : >"$dir/index.txt"
    printf '1000\n' >"$dir/serial"
    cat >"$dir/ca.cnf" <<EOF
[ ca ]
default_ca = dated

[ dated ]
database = $dir/index.txt
new_certs_dir = $dir/newcerts
serial = $dir/serial
default_md = sha256
policy = any_name
unique_subject = no

[ any_name ]
commonName = supplied

[ server ]
subjectAltName = DNS:localhost,IP:127.0.0.1
basicConstraints = CA:FALSE
extendedKeyUsage = serverAuth
EOF
    (
        cd "$dir"
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout key.pem -out srv.csr -subj "/CN=localhost"
        openssl ca -batch -config ca.cnf -cert "$signer/ca.pem" -keyfile "$signer/ca.key" \
            -in srv.csr -out cert.pem -notext -extensions server \
            -startdate "$start" -enddate "$end"
    ) >"$dir/openssl.log" 2>&1 || fail "tls_leaf_dated $dir: $(tail -n 5 "$dir/openssl.log")"
}

# tls_not_after FILE: the certificate's notAfter as wildcert prints it (2020-02-01T00:00:00Z).
tls_not_after() {
    date -u -d "$(openssl x509 -in "$1" -noout -enddate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ
}

# tls_not_before FILE: the certificate's notBefore in the same form.
tls_not_before() {
    date -u -d "$(openssl x509 -in "$1" -noout -startdate | cut -d= -f2)" +%Y-%m-%dT%H:%M:%SZ
}

# start_pebble_with_cert DIR DNSSERVER: a Pebble whose HTTPS listener presents DIR/cert.pem.
# PEBBLE_CA stays the harness CA: that is what the profiles trust.
start_pebble_with_cert() {
    local dir="$1" dnsserver="$2"
    E2E_PEBBLE_CERT="$dir/cert.pem" E2E_PEBBLE_KEY="$dir/key.pem" start_pebble "$dnsserver"
}

# state_files STATE: every file under STATE's live/, archive/ and accounts/, and every line of
# its cleanup journals (nothing at all after a run that never reached the CA).
state_files() {
    local state="$1" sub
    for sub in live archive accounts; do
        if [[ -d "$state/$sub" ]]; then
            find "$state/$sub" -type f
        fi
    done
    if [[ -d "$state/journal" ]]; then
        find "$state/journal" -type f -name '*.txt' -exec cat {} +
    fi
    true
}

# start_plain_directory JSON: serves JSON at http://127.0.0.1:PORT/dir.json with python's
# http.server (a plain-HTTP "CA" on loopback, which the profile accepts); sets PLAIN_DIR_URL.
start_plain_directory() {
    local root="$E2E_WORK/plain-ca" port pid i
    mkdir -p "$root"
    printf '%s\n' "$1" >"$root/dir.json"
    port="$(free_port)"
    python3 -m http.server --bind 127.0.0.1 --directory "$root" "$port" \
        >"$root/server.log" 2>&1 &
    pid=$!
    E2E_PIDS+=("$pid")
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        if curl -fsS --max-time 2 "http://127.0.0.1:$port/dir.json" >/dev/null 2>&1; then
            # shellcheck disable=SC2034 # for callers
            PLAIN_DIR_URL="http://127.0.0.1:$port/dir.json"
            # shellcheck disable=SC2034 # for callers
            PLAIN_DIR_LOG="$root/server.log"
            return 0
        fi
        sleep 0.1
    done
    fail "start_plain_directory: no answer on port $port: $(tail -n 5 "$root/server.log")"
}
