#!/usr/bin/env python3
"""Captures real DNS replies (wire format) from a running BIND as fuzz seeds.

Usage: dns_capture.py SERVER_IP PORT ZONE OUT_DIR
Sends each question over UDP (no EDNS, like ldns's default) and writes the reply's bytes,
unchanged, to OUT_DIR/<case>.bin. The zone is the one tests/fuzz/capture/capture_seeds.sh
writes. Used by that script.
"""
import os
import random
import socket
import struct
import sys

TYPES = {"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "TXT": 16}


def encode_name(name):
    out = b""
    for label in name.rstrip(".").split("."):
        out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(server, port, name, rtype, recursion_desired=False):
    ident = random.randrange(65536)
    flags = 0x0100 if recursion_desired else 0
    packet = struct.pack(">HHHHHH", ident, flags, 1, 0, 0, 0)
    packet += encode_name(name) + struct.pack(">HH", TYPES[rtype], 1)
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(3)
        sock.sendto(packet, (server, port))
        reply, _ = sock.recvfrom(65535)
    assert reply[:2] == packet[:2], "reply to another question"
    return reply


def main():
    server, port, zone, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    os.makedirs(out_dir, exist_ok=True)
    cases = [
        ("bind_txt_two_values", f"_acme-challenge.{zone}", "TXT", False),
        ("bind_txt_recursion_desired", f"_acme-challenge.{zone}", "TXT", True),
        ("bind_txt_nxdomain", f"_acme-challenge.missing.{zone}", "TXT", False),
        ("bind_txt_nodata", f"ns1.{zone}", "TXT", False),
        ("bind_txt_truncated", f"big.{zone}", "TXT", False),
        ("bind_txt_split_strings", f"split.{zone}", "TXT", False),
        ("bind_soa", zone, "SOA", False),
        ("bind_ns_with_glue", zone, "NS", False),
        ("bind_cname", f"_acme-challenge.alias.{zone}", "CNAME", False),
        ("bind_txt_via_cname", f"_acme-challenge.alias.{zone}", "TXT", False),
        ("bind_referral", f"_acme-challenge.sub.{zone}", "TXT", False),
        ("bind_soa_referral", f"sub.{zone}", "SOA", False),
        ("bind_refused", "other.invalid", "SOA", False),
        ("bind_a_glue", f"ns1.{zone}", "A", False),
    ]
    for case, name, rtype, rd in cases:
        reply = query(server, port, name, rtype, rd)
        with open(os.path.join(out_dir, case + ".bin"), "wb") as file:
            file.write(reply)
        print(f"{case}: {len(reply)} bytes, rcode {reply[3] & 0x0F}, "
              f"flags {reply[2]:08b} {reply[3]:08b}")


if __name__ == "__main__":
    main()
