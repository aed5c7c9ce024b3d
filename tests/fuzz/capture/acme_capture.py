#!/usr/bin/env python3
"""Captures real ACME response bodies from a running Pebble as fuzz seeds.

Usage: acme_capture.py DIRECTORY_URL CA_BUNDLE OUT_DIR NAME...
Writes OUT_DIR/<target>/pebble_*.json for the directory, account, order and authorization
targets: exactly the bytes Pebble sent. Used by tests/fuzz/capture/capture_seeds.sh.
"""
import base64
import json
import os
import ssl
import sys
import urllib.request

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Client:
    def __init__(self, directory_url, ca_bundle):
        self.context = ssl.create_default_context(cafile=ca_bundle)
        self.key = ec.generate_private_key(ec.SECP256R1())
        numbers = self.key.public_key().public_numbers()
        self.jwk = {"crv": "P-256", "kty": "EC",
                    "x": b64url(numbers.x.to_bytes(32, "big")),
                    "y": b64url(numbers.y.to_bytes(32, "big"))}
        self.kid = None
        self.directory_raw = self.request(directory_url)[1]
        self.directory = json.loads(self.directory_raw)
        self.nonce = None

    def request(self, url, data=None, method=None):
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/jose+json")
        try:
            with urllib.request.urlopen(req, context=self.context) as response:
                return response.status, response.read(), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read(), error.headers

    def post(self, url, payload):
        if self.nonce is None:
            self.nonce = self.request(self.directory["newNonce"], method="HEAD")[2]["Replay-Nonce"]
        protected = {"alg": "ES256", "nonce": self.nonce, "url": url}
        if self.kid:
            protected["kid"] = self.kid
        else:
            protected["jwk"] = self.jwk
        protected_b64 = b64url(json.dumps(protected).encode())
        payload_b64 = "" if payload is None else b64url(json.dumps(payload).encode())
        der = self.key.sign(f"{protected_b64}.{payload_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        r, s = decode_dss_signature(der)
        body = json.dumps({"protected": protected_b64, "payload": payload_b64,
                           "signature": b64url(r.to_bytes(32, "big") + s.to_bytes(32, "big"))})
        status, data, headers = self.request(url, body.encode())
        self.nonce = headers.get("Replay-Nonce")
        if status == 400 and b"badNonce" in data:
            return self.post(url, payload)
        return status, data, headers


def save(out_dir, target, name, data):
    os.makedirs(os.path.join(out_dir, target), exist_ok=True)
    with open(os.path.join(out_dir, target, name), "wb") as file:
        file.write(data)


def main():
    directory_url, ca_bundle, out_dir = sys.argv[1:4]
    names = sys.argv[4:]
    client = Client(directory_url, ca_bundle)
    save(out_dir, "directory", "pebble_directory.json", client.directory_raw)

    status, data, headers = client.post(client.directory["newAccount"],
                                        {"termsOfServiceAgreed": True,
                                         "contact": ["mailto:ops@demo.test"]})
    assert status == 201, (status, data)
    save(out_dir, "account", "pebble_new_account.json", data)
    client.kid = headers["Location"]
    status, data, _ = client.post(client.kid, {"contact": []})
    save(out_dir, "account", "pebble_contact_removed.json", data)

    identifiers = [{"type": "dns", "value": name} for name in names]
    status, data, headers = client.post(client.directory["newOrder"],
                                        {"identifiers": identifiers})
    assert status == 201, (status, data)
    save(out_dir, "order", "pebble_new_order.json", data)
    order_url = headers["Location"]
    order = json.loads(data)
    for index, url in enumerate(order["authorizations"]):
        status, data, _ = client.post(url, None)
        authz = json.loads(data)
        kind = "wildcard" if authz.get("wildcard") else "plain"
        save(out_dir, "authorization", f"pebble_pending_{kind}.json", data)
        # Answering without a TXT record makes Pebble fail the challenge: a real embedded
        # problem document in the authorization and in the order.
        if index == 0:
            dns = [c for c in authz["challenges"] if c["type"] == "dns-01"][0]
            client.post(dns["url"], {})
            for _ in range(100):
                status, data, _ = client.post(url, None)
                if json.loads(data)["status"] != "pending":
                    break
            save(out_dir, "authorization", "pebble_invalid.json", data)
    status, data, _ = client.post(order_url, None)
    save(out_dir, "order", "pebble_order_after_failure.json", data)
    status, data, _ = client.post(order["finalize"], {"csr": "AAAA"})
    save(out_dir, "problem", "pebble_finalize_refused.json", data)
    status, data, _ = client.post(client.kid, {"status": "deactivated"})
    save(out_dir, "account", "pebble_deactivated.json", data)


if __name__ == "__main__":
    main()
