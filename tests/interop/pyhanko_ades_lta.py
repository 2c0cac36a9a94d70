#!/usr/bin/env python3
"""pyHanko's long-term validation (ETSI EN 319 102-1 §5.6.3, `ades_lta_validation`)
of the first signature of a PDF, from the file's own data only: no fetching,
revocation information required for the signer and for every CA below the root.

Usage: pyhanko_ades_lta.py ROOT.pem FILE.pdf
Prints `AdES <sub-indication> <bottom line>`; exits 0 only on AdESPassed.OK.
"""
import asyncio
import sys

from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation.ades import ades_lta_validation
from pyhanko.sign.validation.policy_decl import (
    PdfSignatureValidationSpec,
    RevinfoOnlineFetchingRule,
    RevocationInfoGatheringSpec,
    SignatureValidationSpec,
)
from pyhanko_certvalidator.context import CertValidationPolicySpec
from pyhanko_certvalidator.policy_decl import CertRevTrustPolicy, RevocationCheckingPolicy, RevocationCheckingRule
from pyhanko_certvalidator.registry import SimpleTrustManager


def main(root_path: str, pdf_path: str) -> int:
    required = RevocationCheckingRule.CRL_OR_OCSP_REQUIRED
    policy = CertValidationPolicySpec(
        trust_manager=SimpleTrustManager.build(trust_roots=[load_cert_from_pemder(root_path)]),
        revinfo_policy=CertRevTrustPolicy(
            RevocationCheckingPolicy(ee_certificate_rule=required, intermediate_ca_cert_rule=required)
        ),
    )
    spec = PdfSignatureValidationSpec(
        SignatureValidationSpec(
            cert_validation_policy=policy,
            revinfo_gathering_policy=RevocationInfoGatheringSpec(
                online_fetching_rule=RevinfoOnlineFetchingRule.LOCAL_ONLY
            ),
        )
    )
    with open(pdf_path, "rb") as f:
        signature = PdfFileReader(f).embedded_regular_signatures[0]
        result = asyncio.run(ades_lta_validation(signature, spec))
    bottom = result.api_status.bottom_line if result.api_status else None
    print("AdES", result.ades_subindic, bottom)
    return 0 if str(result.ades_subindic) == "AdESPassed.OK" else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
