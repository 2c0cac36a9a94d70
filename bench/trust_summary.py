#!/usr/bin/env python3
"""Summarises bench/trust-last-run.log (written by bench/trust.sh).

    python3 bench/trust_summary.py bench/trust-last-run.log

Takes the median over the rounds of every `BENCH <tool> <op> ...` line and
prints the goals of issue "Trust services":

* PAdES sign / verify: Dossier's rate over pyHanko's (goal ≥ 50×);
* envelope encrypt / decrypt and CMS sign / verify of 100 KB: Dossier's time
  over the "primitive-throughput bound" made of OpenSSL's `openssl speed`
  figures (goal ≤ 2×), with the `openssl cms` command per file beside it;

then our primitives against OpenSSL's. Figures are per CPU second (the
`cpu_*` fields): `openssl speed` divides by CPU time, and on a machine shared
with other work wall-clock rates say more about the other work than about the
code. Wall-clock figures follow in brackets.
"""
import re
import statistics
import sys
from collections import defaultdict

LINE = re.compile(r"^BENCH (\S+) (\S+) round=(\d+) .*?ops_per_s=([\d.]+)(?: .*cpu_ops_per_s=([\d.]+))?")
LOAD = re.compile(r"^== round (\d+): loadavg (.*)$")


def main() -> None:
    wall = defaultdict(list)
    cpu = defaultdict(list)
    loads = []
    with open(sys.argv[1] if len(sys.argv) > 1 else "bench/trust-last-run.log") as f:
        for line in f:
            if m := LINE.match(line):
                wall[(m[1], m[2])].append(float(m[4]))
                if m[5]:
                    cpu[(m[1], m[2])].append(float(m[5]))
            elif m := LOAD.match(line):
                loads.append(f"round {m[1]}: {m[2]}")

    def ops(tool: str, op: str, clock: str = "cpu") -> float:
        return statistics.median((cpu if clock == "cpu" else wall)[(tool, op)])

    def us(tool: str, op: str, clock: str = "cpu") -> float:
        return 1e6 / ops(tool, op, clock)

    def has(tool: str, op: str) -> bool:
        return (tool, op) in cpu

    rounds = max(len(v) for v in wall.values())
    print(f"\n## Summary: median of {rounds} round(s); load averages at the start of each round: {'; '.join(loads)}")
    print("Rates per CPU second of the measuring thread/process; [per wall-clock second] in brackets.\n")

    # Primitive-throughput bounds from `openssl speed`, µs per operation.
    sign, verify = us("openssl", "prim_ecdsa_p256_sign"), us("openssl", "prim_ecdsa_p256_verify")
    ecdh = us("openssl", "prim_ecdh_p256_derive")
    sha = us("openssl", "prim_sha256_100k")
    aes_enc, aes_dec = us("openssl", "prim_aes256cbc_enc_100k"), us("openssl", "prim_aes256cbc_dec_100k")
    bounds = {
        # Key generation is one fixed-base scalar multiplication, as an ECDSA
        # signature is; `openssl speed` has no P-256 key generation figure.
        "envelope_encrypt_100k": (sign + ecdh + aes_enc, "keygen≈ECDSA sign + ECDH + AES-256-CBC enc 100 KB"),
        "envelope_decrypt_100k": (ecdh + aes_dec, "ECDH + AES-256-CBC dec 100 KB"),
        "cms_sign_100k": (sha + sign, "SHA-256 100 KB + ECDSA sign"),
        "cms_verify_100k": (sha + 3 * verify, "SHA-256 100 KB + 3 ECDSA verify (signature, signer cert, CA cert)"),
        "pades_sign_bb": (sign, "ECDSA sign (+ SHA-256 of ~2 KB)"),
        "pades_verify": (3 * verify, "3 ECDSA verify (+ SHA-256 of ~2 KB)"),
    }

    print("| operation | Dossier | peer | ratio [wall] | goal | met? |")
    print("|---|---|---|---|---|---|")
    pades = [
        ("pades_sign_bb", "PAdES B-B sign, 1-page PDF", "≥ 50×"),
        ("pades_verify", "PAdES verify, 1-page PDF signed by Dossier", "≥ 50×"),
        ("pades_verify_pyhanko_signed", "PAdES verify, the page signed by pyHanko (reference)", ""),
    ]
    for op, label, goal in pades:
        if not (has("dossier", op) and has("pyhanko", op)):
            continue
        ours, theirs = ops("dossier", op), ops("pyhanko", op)
        ratio = ours / theirs
        wall_ratio = ops("dossier", op, "wall") / ops("pyhanko", op, "wall")
        peer = f"pyHanko {theirs:.1f}/s ({1e3 / theirs:.1f} ms)"
        if op == "pades_verify" and has("pyhanko", "pades_verify_shared_ctx"):
            peer += f"; one shared ValidationContext {ops('pyhanko', 'pades_verify_shared_ctx'):.1f}/s"
        met = ("yes" if ratio >= 50 else "NO") if goal else ""
        print(
            f"| {label} | {ours:.0f}/s ({1e6 / ours:.0f} µs) [{ops('dossier', op, 'wall'):.0f}/s] | {peer} "
            f"| {ratio:.0f}× pyHanko [{wall_ratio:.0f}×] | {goal} | {met} |"
        )
    startup = us("openssl-cms", "process_startup") if has("openssl-cms", "process_startup") else 0.0
    for op, label in [
        ("envelope_encrypt_100k", "EnvelopedData encrypt 100 KB"),
        ("envelope_decrypt_100k", "EnvelopedData decrypt 100 KB"),
        ("cms_sign_100k", "CMS SignedData sign 100 KB (attached)"),
        ("cms_verify_100k", "CMS SignedData verify 100 KB (chain of 3)"),
    ]:
        ours = us("dossier", op)
        bound, what = bounds[op]
        ratio = ours / bound
        cms = ""
        if has("openssl-cms", op):
            per = us("openssl-cms", op)
            cms = f"; `openssl cms` {per:.0f} µs CPU/file ({per - startup:.0f} µs net of {startup:.0f} µs start-up)"
        print(
            f"| {label} | {1e6 / ours:.0f}/s ({ours:.0f} µs) [{ops('dossier', op, 'wall'):.0f}/s] "
            f"| bound {bound:.0f} µs = {what}{cms} | {ratio:.2f}× bound [{us('dossier', op, 'wall') / bound:.2f}×] "
            f"| ≤ 2× | {'yes' if ratio <= 2 else 'NO'} |"
        )
    for op in ["pades_sign_bb", "pades_verify"]:
        bound, what = bounds[op]
        print(f"(info) {op}: Dossier {us('dossier', op):.0f} µs = {us('dossier', op) / bound:.2f}× the bound {bound:.0f} µs ({what})")

    print("\n| primitive | Dossier (default backend: ring ECDSA, aws-lc-rs static ECDH; RustCrypto SHA, AES) | OpenSSL speed | Dossier / OpenSSL time |")
    print("|---|---|---|---|")
    for op, label in [
        ("prim_ecdsa_p256_sign", "ECDSA P-256 sign"),
        ("prim_ecdsa_p256_verify", "ECDSA P-256 verify"),
        ("prim_ecdh_p256_keygen_agree", "ECDH P-256 keygen + agree (OpenSSL: derive only)"),
        ("prim_sha256_100k", "SHA-256, 100 KB"),
        ("prim_aes256cbc_enc_100k", "AES-256-CBC encrypt, 100 KB"),
        ("prim_aes256cbc_dec_100k", "AES-256-CBC decrypt, 100 KB"),
    ]:
        theirs_op = "prim_ecdh_p256_derive" if op == "prim_ecdh_p256_keygen_agree" else op
        ours, theirs = us("dossier", op), us("openssl", theirs_op)
        print(f"| {label} | {ours:.1f} µs | {theirs:.1f} µs | {ours / theirs:.1f}× |")


if __name__ == "__main__":
    main()
