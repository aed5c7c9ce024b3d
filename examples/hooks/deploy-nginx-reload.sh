#!/usr/bin/env bash
# wildcert deploy hook: reloads nginx after a certificate changed, once nginx accepts its
# configuration. nginx reads the files at reload, so point ssl_certificate at wildcert's
# live/ files and there is nothing to copy:
#
#   ssl_certificate     /var/lib/wildcert/live/example.com/fullchain.pem;
#   ssl_certificate_key /var/lib/wildcert/live/example.com/privkey.pem;
#
# Profile:
#   [[certificate.deploy]]
#   command = ["/usr/local/lib/wildcert/deploy-nginx-reload.sh"]
#   timeout = "60s"
#
# wildcert runs it without a shell, with WILDCERT_NAME, WILDCERT_FULLCHAIN, WILDCERT_KEY,
# WILDCERT_DRY_RUN, ... in its environment. A non-zero exit keeps the deploy pending: the next
# `wildcert renew` runs the hooks again without issuing again, so this must be safe to repeat
# (a reload is).
set -euo pipefail

name=${WILDCERT_NAME:?not run by wildcert: WILDCERT_NAME is not set}

if [[ ${WILDCERT_DRY_RUN:-0} == 1 ]]; then
    # A dry run got a staging certificate: check the configuration but serve nothing new.
    nginx -t
    echo "dry run: nginx configuration is valid; not reloading for $name"
    exit 0
fi

# `nginx -t` first: a reload with a broken configuration keeps the old workers, but says so
# only in nginx's error log. Failing here puts nginx's own message into wildcert's report.
nginx -t
systemctl reload nginx
echo "nginx reloaded for $name (${WILDCERT_DOMAINS:-})"
