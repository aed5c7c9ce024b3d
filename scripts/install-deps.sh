#!/bin/sh
# Installs the Debian 12 packages wildcert needs to build, test and run its demo.
# Idempotent: packages that are present are left alone.
set -eu
packages="meson ninja-build pkg-config g++ clang-format
libbotan-2-dev libcpp-httplib-dev libldns-dev rapidjson-dev libtoml11-dev doctest-dev libssl-dev
pebble bind9 bind9-utils bind9-dnsutils openssl curl iproute2 util-linux time ca-certificates jq strace systemd
valgrind clang libclang-rt-14-dev man-db groff-base publicsuffix zsh fish
pdns-server pdns-backend-sqlite3 sqlite3 haproxy openssh-server openssh-client nginx-light
prometheus prometheus-node-exporter"
missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "install-deps: installing:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    # shellcheck disable=SC2086
    apt-get install -y -q --no-install-recommends $missing
fi
