#!/usr/bin/env bash
# Captures the seed corpora of the ACME and DNS fuzz targets from real servers: Pebble 2.4
# (directory, account, order, authorization, problem) and BIND 9.18 (DNS replies in wire
# format), each started in a private network namespace with the e2e harness (tests/e2e/lib.sh).
# Usage: tests/fuzz/capture/capture_seeds.sh [OUT_DIR]   (default: tests/fuzz/corpus)
# Existing seeds with the same names are overwritten; the rest are kept.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
out="$(realpath -m "${1:-$here/../corpus}")"
# shellcheck source=tests/e2e/lib.sh
source "$here/../../e2e/lib.sh"
E2E_REPORT_RESULT=0
e2e_init "$@"

# Pebble validates through this BIND; its zone gets the challenge records.
start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
python3 "$here/acme_capture.py" "$PEBBLE_DIR_URL" "$PEBBLE_CA" "$out" '*.demo.test' demo.test

# A second BIND with the shapes the propagation checker and discovery meet: two TXT values at
# one name, a CNAME to a validation zone, a delegation with glue, split character-strings and
# an RRset too large for a 512-byte UDP reply.
dir="$E2E_WORK/bind-shapes"
mkdir -p "$dir"
cat >"$dir/named.conf" <<CONF
options {
    directory "$dir";
    pid-file "$dir/named.pid";
    listen-on port 53 { 127.0.0.2; };
    listen-on-v6 { none; };
    recursion no;
    dnssec-validation no;
    notify no;
};
controls { };
zone "fuzz.test" { type primary; file "$dir/fuzz.test.db"; };
CONF
{
    cat <<ZONE
\$TTL 300
@       IN SOA ns1.fuzz.test. hostmaster.fuzz.test. ( 2024061501 3600 600 86400 60 )
@       IN NS  ns1.fuzz.test.
@       IN NS  ns2.fuzz.test.
ns1     IN A   127.0.0.2
ns2     IN A   127.0.0.3
ns2     IN AAAA ::1
_acme-challenge IN TXT "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8"
_acme-challenge IN TXT "evaGxfADs6pSRb2LAv9IZf17Dt3juxGJ-PCt92wr-oA"
_acme-challenge.alias IN CNAME _acme-challenge.validation.fuzz.test.
_acme-challenge.validation IN TXT "ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8"
split   IN TXT "ZTRx1Ckl1-tM05o5zaiz" "TTA0yUy5AGereMgSNWC6Ll8"
sub     IN NS  ns1.sub.fuzz.test.
ns1.sub IN A   127.0.0.3
ZONE
    for i in $(seq 1 20); do
        printf 'big     IN TXT "value-%02d-ZTRx1Ckl1-tM05o5zaizTTA0yUy5AGereMgSNWC6Ll8"\n' "$i"
    done
} >"$dir/fuzz.test.db"
named -g -c "$dir/named.conf" -u root >"$dir/named.log" 2>&1 &
E2E_PIDS+=("$!")
for ((i = 0; i < 100; i++)); do
    dig @127.0.0.2 SOA fuzz.test +norec +short +time=1 +tries=1 2>/dev/null | grep -q ns1 && break
    sleep 0.1
done
python3 "$here/dns_capture.py" 127.0.0.2 53 fuzz.test "$out/dns_reply"
e2e_log "seeds written under $out"
