#!/usr/bin/env bash
# External Account Binding (RFC 8555 §7.3.4) against a real Pebble that requires it: HS256 with
# a padded base64url key, HS512 with an unpadded one, HS256 with a standard-base64 key from a
# file; each issues *.demo.test + demo.test. A profile without [acme.eab] and a wrong MAC key
# fail with exit 1 and a clear message; the MAC key never appears in any output, even at -vv.
# Usage: eab_test.sh PATH-TO-WILDCERT
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
# shellcheck source-path=SCRIPTDIR source=lib_accounts.sh
source "$(dirname "$0")/lib_accounts.sh"
e2e_init "$@"
e2e_binary "${1:-}"

# 32 bytes: base64 ends in '=' (the padded form Actalis hands out). 64 bytes: '=='.
key256_std="$(random_mac_key 32)"
key256_padded="$(to_base64url "$key256_std")"
key512_std="$(random_mac_key 64)"
key512_unpadded="$(unpadded "$(to_base64url "$key512_std")")"
# A key whose standard base64 holds '+' or '/', to prove the decoder takes that alphabet.
keystd_std=""
for ((i = 0; i < 100; i++)); do
    candidate="$(random_mac_key 33)"
    if [[ "$candidate" == *[+/]* ]]; then
        keystd_std="$candidate"
        break
    fi
done
[[ -n "$keystd_std" ]] || fail "no random key with + or / in 100 tries"
[[ "$key256_padded" == *= ]] || fail "test setup: the HS256 key is not padded"

E2E_PEBBLE_EAB_KEYS="$(printf '{"kid-256": "%s", "kid-512": "%s", "kid-std": "%s"}' \
    "$(unpadded "$key256_padded")" "$key512_unpadded" "$(unpadded "$(to_base64url "$keystd_std")")")"
export E2E_PEBBLE_EAB_KEYS

start_bind main 127.0.0.1 53 demo.test
start_pebble 127.0.0.1:53
root="$E2E_WORK/pebble-root.pem"
pebble_root "$root"
curl -fsS --cacert "$PEBBLE_CA" "$PEBBLE_DIR_URL" | grep -q '"externalAccountRequired": *true' ||
    fail "Pebble does not advertise externalAccountRequired"

all_secrets=("$key256_std" "$key256_padded" "$(unpadded "$key256_padded")" "$key512_std"
    "$key512_unpadded" "$keystd_std" "$(unpadded "$keystd_std")")
assert_no_secret_in_run() {
    local secret
    for secret in "${all_secrets[@]}"; do
        assert_secret_absent "$secret" "$WC_OUT" "$WC_ERR"
    done
}

state="$E2E_WORK/state"

e2e_log "--- HS256, key padded base64url in the profile"
profile="$E2E_WORK/hs256.toml"
write_profile "$profile" extra="$(eab_table kid-256 "$key256_padded")"
issue "$profile" "$state" -v
assert_exit 0
assert_contains "$WC_ERR" "account: created "
assert_contains "$WC_ERR" "key_id kid-256"
assert_cert "$state/live/demo" "$root" '*.demo.test' demo.test
assert_no_challenge_records demo.test
assert_no_secret_in_run
dir256="$(the_account_dir "$state")"
[[ "$dir256" == *-eab-* ]] || fail "the EAB account folder is not keyed by the key id: $dir256"
assert_contains "$dir256/account.txt" "eab_key_id=kid-256"

e2e_log "--- account show names the EAB key id, never the MAC key"
wildcert_run account show -c "$profile" --state-dir "$state" -vv
assert_exit 0
assert_contains "$WC_OUT" "eab_key_id: kid-256"
assert_contains "$WC_OUT" "status: valid"
assert_no_secret_in_run

e2e_log "--- rollover of an EAB-bound account keeps it bound and usable"
wildcert_run account rollover --key-type ec-p384 -c "$profile" --state-dir "$state" -vv
assert_exit 0
assert_contains "$WC_OUT" "key_type: ec-p384"
assert_contains "$WC_OUT" "eab_key_id: kid-256"
assert_no_secret_in_run

e2e_log "--- the same profile again: the stored EAB account is reused"
issue "$profile" "$state" -v
assert_exit 0
assert_not_contains "$WC_ERR" "account: created"
assert_eq 1 "$(account_count "$state")" "account folders"

e2e_log "--- HS512, key unpadded base64url, same state dir: a second account"
profile="$E2E_WORK/hs512.toml"
write_profile "$profile" name=demo512 extra="$(eab_table kid-512 "$key512_unpadded" HS512)"
issue "$profile" "$state" -v
assert_exit 0
assert_contains "$WC_ERR" "account: created "
assert_contains "$WC_ERR" "key_id kid-512"
assert_cert "$state/live/demo512" "$root" '*.demo.test' demo.test
assert_no_secret_in_run
assert_eq 2 "$(account_count "$state")" "account folders (one per EAB key id)"

e2e_log "--- HS384, key as standard base64 with + or / from hmac_key_file"
printf '%s\n' "$keystd_std" >"$E2E_WORK/eab-std.key"
profile="$E2E_WORK/std.toml"
write_profile "$profile" name=demostd extra="$(printf '[acme.eab]\nkey_id = "kid-std"\nhmac_key_file = "%s"\nalgorithm = "HS384"\n' "$E2E_WORK/eab-std.key")"
issue "$profile" "$E2E_WORK/state-std" -v
assert_exit 0
assert_cert "$E2E_WORK/state-std/live/demostd" "$root" '*.demo.test' demo.test
assert_no_secret_in_run

e2e_log "--- no [acme.eab] against a CA that requires it: exit 1 naming the keys"
profile="$E2E_WORK/none.toml"
write_profile "$profile"
issue "$profile" "$E2E_WORK/state-none"
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'requires External Account Binding'
assert_matches "$WC_LAST_ERR" '\[acme\.eab\] with key_id and hmac_key'
assert_no_live "$E2E_WORK/state-none" demo
assert_eq 0 "$(account_count "$E2E_WORK/state-none")" "account folders after a refused registration"

e2e_log "--- wrong MAC key: exit 1, the CA rejected the binding, no key in the output"
wrong="$(to_base64url "$(random_mac_key 32)")"
all_secrets+=("$wrong")
profile="$E2E_WORK/wrong.toml"
write_profile "$profile" extra="$(eab_table kid-256 "$wrong")"
issue "$profile" "$E2E_WORK/state-wrong" -v
assert_exit 1
assert_failure_line
assert_matches "$WC_LAST_ERR" 'the CA rejected the external account binding \(key_id kid-256\)'
assert_no_secret_in_run
assert_no_live "$E2E_WORK/state-wrong" demo

e2e_log "--- a key that is not base64 at all: profile error (exit 2) at file:line:key"
profile="$E2E_WORK/garbage.toml"
write_profile "$profile" extra="$(eab_table kid-256 'not*base64!')"
issue "$profile" "$E2E_WORK/state-garbage"
assert_exit 2
assert_matches "$WC_LAST_ERR" 'garbage\.toml:[0-9]+:[0-9]+: acme\.eab\.hmac_key: not a base64url or base64 MAC key'
assert_not_contains "$WC_ERR" 'not*base64!'
