"""Checks, as a User's adapter would, that what the DSP POSTs is signed by the DSP (BOXED-04):
an enveloped XML signature over the whole document, ECDSA P-256 / SHA-256, by the DspXmlSign
certificate the User holds. signxml does the checking, configured as dccsim's own verifier is
(`dccsim.server.duis.signing`), whose `verify_request` cannot serve here: it demands that the
signer be the RequestID's originator, and a response's originator is the User, not the DSP.

Run in worker processes after the measured window: a check costs about 0.7 ms of CPU.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cryptography import x509
from lxml import etree
from signxml import XMLVerifier
from signxml.exceptions import SignXMLException

from dccsim.bench.servers import worker_pool
from dccsim.server.duis.signing import signxml_configuration

# Documents checked per task handed to a worker process.
_CHUNK = 200
# Failures quoted in the report, at most.
QUOTED_FAILURES = 5


@dataclass(slots=True)
class VerifyResult:
    checked: int = 0
    verified: int = 0
    failures: list[str] = field(default_factory=list)  # the first few reasons

    def add(self, other: VerifyResult) -> None:
        self.checked += other.checked
        self.verified += other.verified
        self.failures += other.failures[: QUOTED_FAILURES - len(self.failures)]


def _verify_chunk(certificate_pem: bytes, documents: list[bytes]) -> VerifyResult:
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    # signxml itself, not dccsim's fast path: an independent check of what the DSP signed.
    config = signxml_configuration(certificate)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    result = VerifyResult()
    for document in documents:
        result.checked += 1
        try:
            XMLVerifier().verify(
                document, x509_cert=certificate, expect_config=config, parser=parser
            )
        except (SignXMLException, ValueError, etree.XMLSyntaxError) as error:
            if len(result.failures) < QUOTED_FAILURES:
                result.failures.append(f"{type(error).__name__}: {error}"[:300])
        else:
            result.verified += 1
    return result


def verify_dsp_signatures(
    documents: Sequence[bytes], certificate_pem: bytes, *, cpus: Iterable[int] | None = None
) -> VerifyResult:
    """Check every document's signature against the DSP's certificate, in worker processes on
    `cpus`."""
    result = VerifyResult()
    if not documents:
        return result
    with worker_pool(cpus) as pool:
        chunks = [
            pool.submit(_verify_chunk, certificate_pem, list(documents[i : i + _CHUNK]))
            for i in range(0, len(documents), _CHUNK)
        ]
        for chunk in chunks:
            result.add(chunk.result())
    return result
