#!/usr/bin/env bash
# wildcert deploy hook: uploads the new certificate and key to an appliance (firewall, load
# balancer, NAS) through its REST API with curl. Adapt the URL and the form fields to your
# appliance's API documentation; the shape below (multipart upload, bearer token, then an
# "activate" call) is what many of them offer.
#
#   deploy-appliance-curl.sh URL [TOKEN_FILE]
#
# Profile:
#   [[certificate.deploy]]
#   command = ["/usr/local/lib/wildcert/deploy-appliance-curl.sh",
#              "https://fw1.example.net/api/v2", "/etc/wildcert/fw1.token"]
#   timeout = "2m"
#
# The API token is read from a file (the second argument, else APPLIANCE_TOKEN_FILE) that only
# the user running wildcert can read. It never goes on a command line (other users could see it
# with ps) and is never printed: curl reads the header from its stdin.
#
# Environment, besides wildcert's WILDCERT_* variables:
#   APPLIANCE_TOKEN_FILE  the token file, when not given as an argument
#   APPLIANCE_CA_BUNDLE   the CA that signed the appliance's own HTTPS certificate, when it is
#                         not publicly trusted (TLS is always verified: never use --insecure)
set -euo pipefail

usage() {
    echo "usage: $0 URL [TOKEN_FILE] (or APPLIANCE_TOKEN_FILE in the environment)" >&2
    exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
url=${1%/}
token_file=${2:-${APPLIANCE_TOKEN_FILE:-}}
[[ -n $token_file ]] || usage
[[ $url == https://* ]] || {
    echo "$url: only https:// URLs are accepted (the key travels in the request)" >&2
    exit 2
}
[[ -r $token_file ]] || {
    echo "cannot read the token file $token_file" >&2
    exit 2
}
cert=${WILDCERT_FULLCHAIN:?not run by wildcert: WILDCERT_FULLCHAIN is not set}
key=${WILDCERT_KEY:?not run by wildcert: WILDCERT_KEY is not set}
name=${WILDCERT_NAME:-certificate}

if [[ ${WILDCERT_DRY_RUN:-0} == 1 ]]; then
    echo "dry run: not uploading $name to $url"
    exit 0
fi

curl_options=(--silent --show-error --fail --max-time 60 --proto '=https')
if [[ -n ${APPLIANCE_CA_BUNDLE:-} ]]; then
    curl_options+=(--cacert "$APPLIANCE_CA_BUNDLE")
fi

# call ARGS...: one API request with the token sent as a header read from stdin (-H @-).
call() {
    local token
    token=$(<"$token_file")
    printf 'Authorization: Bearer %s\n' "$token" | curl "${curl_options[@]}" -H @- "$@"
}

# --fail makes an HTTP error a non-zero exit; curl prints the status, never the header.
call -F "name=$name" -F "certificate=@$cert" -F "private_key=@$key" \
    "$url/certificates" >/dev/null
call -X POST --data-urlencode "name=$name" "$url/certificates/activate" >/dev/null
echo "uploaded and activated $name on $url (serial ${WILDCERT_SERIAL:-unknown})"
