#!/usr/bin/env bash
# wildcert deploy hook: HAProxy wants the private key and the certificate chain in one PEM
# file. This builds it from WILDCERT_KEY and WILDCERT_FULLCHAIN, replaces the target file
# atomically (a reader never sees half a file), then makes HAProxy load it.
#
#   deploy-haproxy.sh TARGET.pem
#
# Profile:
#   [[certificate.deploy]]
#   command = ["/usr/local/lib/wildcert/deploy-haproxy.sh", "/etc/haproxy/certs/example.com.pem"]
#
# (A [[certificate.output]] with format = "pem-bundle" writes the same file without a hook;
# this script is for setups that also need the reload, or a socket update.)
#
# Environment, besides wildcert's WILDCERT_* variables:
#   WILDCERT_HAPROXY_RELOAD  how HAProxy learns about the file:
#                              systemctl (default)  `systemctl reload haproxy`
#                              socket               `set ssl cert` + `commit ssl cert` on the
#                                                   runtime API, no reload at all (HAProxy 2.2+;
#                                                   needs socat and a stats socket at admin level)
#                              none                 only write the file
#   HAPROXY_SERVICE          the unit for systemctl (default haproxy)
#   HAPROXY_SOCKET           the runtime API socket (default /run/haproxy/admin.sock)
set -euo pipefail

usage() {
    echo "usage: $0 TARGET.pem (the combined key + chain file HAProxy reads)" >&2
    exit 2
}

[[ $# -eq 1 && -n $1 ]] || usage
target=$1
key=${WILDCERT_KEY:?not run by wildcert: WILDCERT_KEY is not set}
fullchain=${WILDCERT_FULLCHAIN:?not run by wildcert: WILDCERT_FULLCHAIN is not set}
reload=${WILDCERT_HAPROXY_RELOAD:-systemctl}

case $reload in
systemctl | socket | none) ;;
*)
    echo "WILDCERT_HAPROXY_RELOAD=$reload: expected systemctl, socket or none" >&2
    exit 2
    ;;
esac

# The temporary file sits next to the target so that mv is a rename on one file system, and
# is created 0600 from the start: it holds the private key.
folder=$(dirname -- "$target")
tmp=$(umask 077 && mktemp "$folder/.$(basename -- "$target").XXXXXX")
trap 'rm -f -- "$tmp"' EXIT

# Key first, then the leaf, then the intermediates: the order HAProxy expects. A missing
# final newline in one file must not glue two PEM lines together.
{
    cat -- "$key"
    [[ -z $(tail -c 1 -- "$key") ]] || echo
    cat -- "$fullchain"
} >"$tmp"
grep -q -- '-----BEGIN CERTIFICATE-----' "$tmp" || {
    echo "$fullchain holds no certificate" >&2
    exit 1
}
# Keep the mode (and owner, when we may) of the file being replaced, else 0600.
if [[ -e $target ]]; then
    chmod --reference="$target" -- "$tmp"
    chown --reference="$target" -- "$tmp" 2>/dev/null || true
fi
mv -f -- "$tmp" "$target"
trap - EXIT
echo "wrote $target for ${WILDCERT_NAME:-certificate}"

if [[ ${WILDCERT_DRY_RUN:-0} == 1 ]]; then
    echo "dry run: not telling HAProxy"
    exit 0
fi

case $reload in
systemctl)
    systemctl reload "${HAPROXY_SERVICE:-haproxy}"
    echo "haproxy reloaded"
    ;;
socket)
    socket=${HAPROXY_SOCKET:-/run/haproxy/admin.sock}
    # The runtime API takes the whole PEM as a payload between <<\n and an empty line, then
    # switches to it with `commit`; the certificate must already be known to HAProxy (loaded
    # from this same path by a `crt` line).
    answer=$(
        {
            printf 'set ssl cert %s <<\n' "$target"
            grep -v '^$' -- "$target"
            printf '\n'
        } | socat stdio "unix-connect:$socket"
    )
    [[ $answer == *"Transaction created"* || $answer == *"Transaction updated"* ]] || {
        echo "haproxy: set ssl cert: $answer" >&2
        exit 1
    }
    answer=$(printf 'commit ssl cert %s\n' "$target" | socat stdio "unix-connect:$socket")
    [[ $answer == *"Success!"* ]] || {
        echo "haproxy: commit ssl cert: $answer" >&2
        exit 1
    }
    echo "haproxy loaded $target through $socket"
    ;;
none) ;;
esac
