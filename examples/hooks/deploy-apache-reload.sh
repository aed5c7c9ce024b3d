#!/usr/bin/env bash
# wildcert deploy hook: gracefully reloads Apache httpd after a certificate changed, once
# `apachectl configtest` accepts the configuration. Point mod_ssl at wildcert's live/ files:
#
#   SSLCertificateFile    /var/lib/wildcert/live/example.com/fullchain.pem
#   SSLCertificateKeyFile /var/lib/wildcert/live/example.com/privkey.pem
#
# Profile:
#   [[certificate.deploy]]
#   command = ["/usr/local/lib/wildcert/deploy-apache-reload.sh"]
#
# Environment: APACHE_SERVICE, the systemd unit to reload (default apache2 as on Debian;
# httpd on Red Hat systems), besides wildcert's WILDCERT_* variables. A non-zero exit keeps
# the deploy pending for the next `wildcert renew`.
set -euo pipefail

name=${WILDCERT_NAME:?not run by wildcert: WILDCERT_NAME is not set}
service=${APACHE_SERVICE:-apache2}

# configtest prints "Syntax OK" or the offending file and line, which wildcert reports.
apachectl configtest

if [[ ${WILDCERT_DRY_RUN:-0} == 1 ]]; then
    echo "dry run: Apache configuration is valid; not reloading for $name"
    exit 0
fi

# A reload is graceful: running requests finish with the old certificate, new connections
# get the new one.
systemctl reload "$service"
echo "$service reloaded for $name"
