#!/bin/sh
# wildcert exec hook: publishes a DNS-01 challenge value with nsupdate (RFC 2136 dynamic
# update signed with TSIG), for a primary that wildcert's own rfc2136 provider cannot reach
# directly, or as a template for other tools.
#
# Profile:
#   [dns]
#   provider = "exec"
#   [dns.exec]
#   command = "/usr/local/lib/wildcert/dns-nsupdate.sh"
#
# Environment (set it where wildcert runs: systemd unit, cron line, CI job):
#   NSUPDATE_SERVER    primary server that accepts updates (host name or address; required)
#   NSUPDATE_PORT      its port (default 53)
#   NSUPDATE_KEY_FILE  TSIG key file as tsig-keygen prints it (required; keep it mode 0600):
#                        key "acme-key" { algorithm hmac-sha256; secret "..."; };
#   NSUPDATE_ZONE      zone to update (default: WILDCERT_ZONE, the zone wildcert found)
#   NSUPDATE_TIMEOUT   seconds nsupdate waits for the server (default 10)
#
# Interface (wildcert providers exec): called as `dns-nsupdate.sh add|remove FQDN VALUE`, once
# per value. add puts the value next to any others at the name (a wildcard and its apex share
# one name); remove deletes that one value only, and a value that is not there is no error
# (deleting an absent RR is a no-op, RFC 2136 §3.4.2.4), as wildcert requires.
set -eu

usage() {
    echo "usage: $0 add|remove FQDN VALUE" >&2
    exit 2
}

[ "$#" -eq 3 ] || usage
action=$1 fqdn=$2 value=$3

: "${NSUPDATE_SERVER:?set NSUPDATE_SERVER to the primary server}"
: "${NSUPDATE_KEY_FILE:?set NSUPDATE_KEY_FILE to the TSIG key file}"
port=${NSUPDATE_PORT:-53}
zone=${NSUPDATE_ZONE:-${WILDCERT_ZONE:-}}
ttl=${WILDCERT_TTL:-60}
timeout=${NSUPDATE_TIMEOUT:-10}
[ -n "$zone" ] || {
    echo "no zone: set NSUPDATE_ZONE (wildcert sets WILDCERT_ZONE)" >&2
    exit 2
}
[ -r "$NSUPDATE_KEY_FILE" ] || {
    echo "cannot read the key file $NSUPDATE_KEY_FILE" >&2
    exit 2
}

# Everything below goes into an nsupdate script: refuse anything that could add a command.
case $value in
'' | *[!A-Za-z0-9_-]*)
    echo "value is not base64url: $value" >&2
    exit 2
    ;;
esac
for word in "$fqdn" "$zone" "$port" "$ttl" "$NSUPDATE_SERVER"; do
    case $word in
    '' | *[!A-Za-z0-9._:-]*)
        echo "unexpected characters in '$word'" >&2
        exit 2
        ;;
    esac
done

case $action in
add) change="update add $fqdn $ttl TXT \"$value\"" ;;
remove) change="update delete $fqdn TXT \"$value\"" ;;
*) usage ;;
esac

# nsupdate exits non-zero and says why on stderr (REFUSED, NOTAUTH, a bad key...); wildcert
# puts its last lines into the error.
nsupdate -k "$NSUPDATE_KEY_FILE" -t "$timeout" <<UPDATE
server $NSUPDATE_SERVER $port
zone $zone
$change
send
UPDATE
