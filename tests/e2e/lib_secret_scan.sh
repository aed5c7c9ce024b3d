# shellcheck shell=bash
# The secret scan (issue 7): with WILDCERT_E2E_SECRET_SCAN=1 every e2e test runs wildcert at the
# highest verbosity (-vv added to every run, --json where the test asks for it), and when the
# test ends every transcript it produced is searched for every secret the test handled:
#   - TSIG secrets (keys/*.secret, `secret "..."` clauses of the BIND configuration),
#   - the values of profile keys named like *secret*, *token*, *password*, *hmac*, *api_key* (EAB keys,
#     API tokens, PKCS#12 passwords) and the contents of the files their *_file variants name,
#   - secrets handed over in the environment (any variable named like the keys above, e.g.
#     WILDCERT_CLOUDFLARE_API_TOKEN, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
#   - the base64 body of every private key in the work folder (account and certificate keys).
# Transcripts: every *.out, *.err, *.log, *.json and *.ndjson file in the work folder: wildcert's
# stdout and stderr, the audit log, and the servers' logs (not Pebble's configuration file,
# pebble.json, which holds the EAB keys). One hit fails the test.
# WILDCERT_E2E_SECRET_SCAN_REPORT=FILE collects one summary line per test.

# Values shorter than this are too common to mean anything (e.g. "1", "true").
readonly E2E_SECRET_MIN_LENGTH=12

e2e_secret_scan_enabled() {
    [[ "${WILDCERT_E2E_SECRET_SCAN:-}" == "1" ]]
}

# secret_scan_wrap BINARY: prints the path of a wrapper that records the secret-looking
# variables of its environment, then execs BINARY with -vv added (same pid, so the tests'
# signals and kills still reach wildcert itself).
secret_scan_wrap() {
    local real="$1" dir="$E2E_WORK/secret-scan"
    mkdir -p "$dir"
    cat >"$dir/wildcert" <<EOF
#!/usr/bin/env bash
env | sed -n -E 's/^[A-Za-z0-9_]*(SECRET|TOKEN|PASSWORD|HMAC|API_KEY|secret|token|password|hmac|api_key)[A-Za-z0-9_]*=//p' \\
    >>"$dir/environment-values"
exec "$real" "\$@" -vv
EOF
    chmod 700 "$dir/wildcert"
    printf '%s\n' "$dir/wildcert"
}

# secret_scan_transcripts DIR: the files that show what wildcert (or a server) said.
secret_scan_transcripts() {
    # pebble.json is Pebble's configuration, an input that holds the EAB keys by design.
    find "$1" -path "$1/secret-scan" -prune -o -type f ! -name pebble.json \
        \( -name '*.out' -o -name '*.err' -o -name '*.log' -o -name '*.json' -o -name '*.ndjson' \) \
        -print
}

# secret_scan_collect DIR: prints every secret found in DIR, one per line (unfiltered).
secret_scan_collect() {
    local dir="$1" file
    cat "$dir/secret-scan/environment-values" 2>/dev/null || true
    find "$dir" -type f -name '*.secret' -exec awk 1 {} + 2>/dev/null || true # awk 1: a final newline each
    grep -rhoE 'secret "[^"]+"' "$dir" --include='*.conf' --include='*.key' 2>/dev/null |
        sed -E 's/^secret "(.*)"$/\1/' || true
    # Profile values: inline ones, and the contents of the files the *_file keys name.
    local key value
    while IFS= read -r -d '' file; do
        while IFS=$'\t' read -r key value; do
            if [[ "$key" == *_file ]]; then
                [[ "$value" == /* ]] || value="$(dirname "$file")/$value"
                [[ -f "$value" ]] && awk 1 "$value"
            elif [[ "$value" != *\$\{* ]]; then # ${VAR}: an interpolation, not a value
                printf '%s\n' "$value"
            fi
        done < <(grep -oE '[A-Za-z0-9_]+[[:space:]]*=[[:space:]]*"[^"]*"' "$file" |
            sed -E 's/^([A-Za-z0-9_]+)[[:space:]]*=[[:space:]]*"(.*)"$/\1\t\2/' |
            awk -F '\t' 'tolower($1) ~ /secret|token|password|hmac|api_key/')
    done < <(find "$dir" -type f -name '*.toml' -print0)
    # Private keys: the lines of their base64 bodies.
    while IFS= read -r -d '' file; do
        sed -n '/-----BEGIN .*PRIVATE KEY-----/,/-----END .*PRIVATE KEY-----/p' "$file" | grep -v -- '-----'
    done < <(grep -rlZ -- '-----BEGIN .*PRIVATE KEY-----' "$dir" --exclude-dir=secret-scan \
        --exclude='*.out' --exclude='*.err' --exclude='*.log' --exclude='*.json' --exclude='*.ndjson' \
        2>/dev/null || true)
}

# secret_scan DIR [REPORT-NAME]: 0 when no transcript in DIR holds a secret; prints a summary,
# and for each hit the file and the kind of secret (its first 4 characters, never all of it).
secret_scan() {
    local dir="$1" name="${2:-$(basename "$0")}"
    local list="$dir/secret-scan/secrets" transcripts="$dir/secret-scan/transcripts"
    mkdir -p "$dir/secret-scan"
    secret_scan_collect "$dir" | tr -d '\r' | awk -v min="$E2E_SECRET_MIN_LENGTH" 'length($0) >= min' |
        sort -u >"$list"
    secret_scan_transcripts "$dir" >"$transcripts"
    local secrets files hits=0 file secret
    secrets="$(wc -l <"$list")"
    files="$(wc -l <"$transcripts")"
    while IFS= read -r file; do
        if grep -q -- '-----BEGIN .*PRIVATE KEY-----' "$file"; then
            printf 'e2e: SECRET LEAK: %s holds a PEM private key\n' "$file" >&2
            hits=$((hits + 1))
        fi
        [[ -s "$list" ]] || continue
        while IFS= read -r secret; do
            printf 'e2e: SECRET LEAK: %s holds a secret (%s..., %d characters)\n' \
                "$file" "${secret:0:4}" "${#secret}" >&2
            hits=$((hits + 1))
        done < <(grep -oF -f "$list" -- "$file" | sort -u)
    done <"$transcripts"
    local summary="$name transcripts=$files secrets=$secrets leaks=$hits"
    e2e_log "secret scan: $summary"
    if [[ -n "${WILDCERT_E2E_SECRET_SCAN_REPORT:-}" ]]; then
        printf '%s\n' "$summary" >>"$WILDCERT_E2E_SECRET_SCAN_REPORT"
    fi
    ((hits == 0))
}
