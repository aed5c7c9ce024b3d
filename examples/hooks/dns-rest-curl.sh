#!/bin/sh
# wildcert exec hook: a template for a DNS host with a REST API, using curl. Adapt the URLs
# and the JSON to your host's API documentation; the shape below (records under a zone,
# bearer token) is what most of them offer.
#
# Profile:
#   [dns]
#   provider = "exec"
#   [dns.exec]
#   command = "/usr/local/lib/wildcert/dns-rest-curl.sh"
#   timeout = 60
#
# Environment:
#   DNS_API_URL    base URL, e.g. https://dns.example.net/api/v1 (required)
#   DNS_API_TOKEN  API token (required). It is sent on curl's stdin, never on its command line,
#                  so other users cannot see it with ps; wildcert also cuts values of variables
#                  named *TOKEN*, *SECRET*, *KEY*, *PASSWORD* out of the stderr it reports.
#
# Interface (wildcert providers exec): called as `dns-rest-curl.sh add|remove FQDN VALUE`,
# once per value. add must keep the other values at the name; remove of a value that is
# already gone must succeed (wildcert removes on every failure path and after a crash).
set -eu

[ "$#" -eq 3 ] || {
    echo "usage: $0 add|remove FQDN VALUE" >&2
    exit 2
}
action=$1 value=$3
name=${2%.}                               # most REST APIs want names without the final dot
zone=${WILDCERT_ZONE:-}
zone=${zone%.}
ttl=${WILDCERT_TTL:-60}
: "${DNS_API_URL:?set DNS_API_URL}"
: "${DNS_API_TOKEN:?set DNS_API_TOKEN}"
[ -n "$zone" ] || {
    echo "WILDCERT_ZONE is not set" >&2
    exit 2
}
case $value in
'' | *[!A-Za-z0-9_-]*)
    echo "value is not base64url: $value" >&2
    exit 2
    ;;
esac

body=$(mktemp)
trap 'rm -f "$body"' EXIT

# request METHOD URL [JSON]: prints the HTTP status; the response body is in $body.
request() {
    if [ "$#" -eq 3 ]; then
        printf 'Authorization: Bearer %s\n' "$DNS_API_TOKEN" |
            curl -sS --max-time 30 -X "$1" -H @- -H 'Content-Type: application/json' \
                --data "$3" -o "$body" -w '%{http_code}' "$2"
    else
        printf 'Authorization: Bearer %s\n' "$DNS_API_TOKEN" |
            curl -sS --max-time 30 -X "$1" -H @- -o "$body" -w '%{http_code}' "$2"
    fi
}

# The last line of stderr becomes wildcert's error: make it say what the API said.
fail() {
    echo "$1: HTTP $2: $(head -c 300 "$body")" >&2
    exit 1
}

records="$DNS_API_URL/zones/$zone/records"
case $action in
add)
    status=$(request POST "$records" \
        "{\"type\":\"TXT\",\"name\":\"$name\",\"content\":\"$value\",\"ttl\":$ttl}")
    case $status in
    2??) ;;
    409) ;; # the same value is already there: add is idempotent
    *) fail "create TXT $name" "$status" ;;
    esac
    ;;
remove)
    # Found again by name and value, never by an id remembered from add (that is gone after a
    # crash).
    status=$(request DELETE "$records?type=TXT&name=$name&content=$value")
    case $status in
    2??) ;;
    404) ;; # already gone: success, as wildcert requires
    *) fail "delete TXT $name" "$status" ;;
    esac
    ;;
*)
    echo "unknown action: $action" >&2
    exit 2
    ;;
esac
