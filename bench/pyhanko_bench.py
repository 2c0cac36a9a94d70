#!/usr/bin/env python3
"""pyHanko's side of the PAdES benchmark in BENCHMARKS.md ("Trust services").

    python3 bench/pyhanko_bench.py DIR [SECONDS] [ROUNDS]

DIR holds the fixtures `trust_bench` wrote (root.pem, issuing.pem, signer.pem,
signer.key with PIN 1234, doc.pdf, signed.pdf). In one Python process, through
pyHanko's Python API, one thread:

* pades_sign_bb: PAdES B-B signature of doc.pdf (incremental update into
  memory), the same key and chain Dossier signs with;
* pades_verify: opens signed.pdf (signed by Dossier) and validates its
  signature against the test root, no fetching, revocation soft-fail, with a
  fresh ValidationContext each time (Dossier's verify caches nothing either);
* pades_verify_shared_ctx: the same with one ValidationContext for all runs
  (pyHanko may reuse what it learnt about the chain), for reference;
* pades_verify_pyhanko_signed: the same over doc.pdf signed by pyHanko, which
  reserves only the room its signature needs (Dossier reserves 12 KB, room
  for a time-stamp token: 24 KB of hex digits pyHanko's tokenizer reads).

The PDF pyHanko signs is written to DIR/pyhanko-signed.pdf, for trust_bench to
verify in turn; SECONDS = 0 only writes it.

Every verify asserts the signature is intact, valid and trusted and covers the
whole file; the first signature pyHanko makes is checked the same way. Output
lines match trust_bench's (cpu_* divide by the process's CPU time, user and
system, as trust_bench's divide by its thread's):

    BENCH pyhanko <op> round=<r> ops=<n> secs=<s> ops_per_s=<x> us_per_op=<y> cpu_secs=<c> cpu_ops_per_s=<z> cpu_us_per_op=<w>
    MEDIAN pyhanko <op> ops_per_s=<x> us_per_op=<y> cpu_ops_per_s=<z> cpu_us_per_op=<w>
"""
import statistics
import sys
import time
from io import BytesIO
from pathlib import Path

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext


def main() -> None:
    if len(sys.argv) < 2:
        sys.exit("usage: pyhanko_bench.py DIR [SECONDS] [ROUNDS]")
    d = Path(sys.argv[1])
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 3.0
    rounds = max(1, int(sys.argv[3])) if len(sys.argv) > 3 else 3

    signer = signers.SimpleSigner.load(
        str(d / "signer.key"),
        str(d / "signer.pem"),
        ca_chain_files=(str(d / "issuing.pem"),),
        key_passphrase=b"1234",
    )
    if signer is None:
        sys.exit("pyHanko could not load the signer's key and certificate")
    root = load_cert_from_pemder(str(d / "root.pem"))
    doc = (d / "doc.pdf").read_bytes()
    signed_by_dossier = (d / "signed.pdf").read_bytes()
    meta = signers.PdfSignatureMetadata(field_name="Signature1", subfilter=fields.SigSeedSubFilter.PADES)

    def context() -> ValidationContext:
        return ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")

    def check(pdf: bytes, vc: ValidationContext) -> None:
        sig = PdfFileReader(BytesIO(pdf)).embedded_signatures[0]
        status = validate_pdf_signature(sig, vc)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert status.bottom_line, status.pretty_print_details()
        assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE, status.coverage

    def sign() -> bytes:
        w = IncrementalPdfFileWriter(BytesIO(doc))
        out = signers.sign_pdf(w, meta, signer=signer, output=BytesIO())
        return out.getvalue()

    # Like with like: pyHanko's own signature and Dossier's both validate.
    signed_by_pyhanko = sign()
    check(signed_by_pyhanko, context())
    check(signed_by_dossier, context())
    (d / "pyhanko-signed.pdf").write_bytes(signed_by_pyhanko)
    if seconds <= 0:
        return

    shared = context()
    ops = {
        "pades_sign_bb": sign,
        "pades_verify": lambda: check(signed_by_dossier, context()),
        "pades_verify_shared_ctx": lambda: check(signed_by_dossier, shared),
        "pades_verify_pyhanko_signed": lambda: check(signed_by_pyhanko, context()),
    }
    rates = {name: [] for name in ops}
    cpu_rates = {name: [] for name in ops}
    for r in range(1, rounds + 1):
        for name, f in ops.items():
            for _ in range(3):  # warm-up
                f()
            n = 0
            cpu_start = time.process_time()
            start = time.perf_counter()
            while True:
                f()
                n += 1
                elapsed = time.perf_counter() - start
                if elapsed >= seconds:
                    break
            cpu = time.process_time() - cpu_start
            rate, cpu_rate = n / elapsed, n / cpu
            rates[name].append(rate)
            cpu_rates[name].append(cpu_rate)
            print(
                f"BENCH pyhanko {name} round={r} ops={n} secs={elapsed:.3f} "
                f"ops_per_s={rate:.1f} us_per_op={1e6 / rate:.1f} "
                f"cpu_secs={cpu:.3f} cpu_ops_per_s={cpu_rate:.1f} cpu_us_per_op={1e6 / cpu_rate:.1f}",
                flush=True,
            )
    for name in ops:
        m, c = statistics.median(rates[name]), statistics.median(cpu_rates[name])
        print(
            f"MEDIAN pyhanko {name} ops_per_s={m:.1f} us_per_op={1e6 / m:.1f} "
            f"cpu_ops_per_s={c:.1f} cpu_us_per_op={1e6 / c:.1f}"
        )


if __name__ == "__main__":
    main()
