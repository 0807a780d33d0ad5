"""The documents' PAdES signature, and its verification (docs/decisions/0041-pades-signature-with-pyhanko.md).

``sign`` adds the authority's signature to a PDF/A-2b file rendered by ``core.pdf``: PAdES baseline B-B
(ETSI EN 319 142-1), ECDSA P-256 with SHA-256, in an invisible signature field, with pyHanko. It is an
incremental update: the signed file begins with the original bytes, and only adds the form field and its
signature. The file stays PDF 1.7 and keeps Typst's metadata untouched (the XMP with its PDF/A identification,
the OutputIntent), so that it stays PDF/A-2b.

``check`` says what a file is (``Verdict``), with pyHanko's validator, offline: the last signature must be
intact, cover the whole file and lead to one of the trusted roots (``keys.trust_roots`` unless told).
"""

from __future__ import annotations

import asyncio
import io
import secrets
from collections.abc import Coroutine, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any

from asn1crypto import algos, cms  # type: ignore[import-untyped]
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import constants
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore

from titrepro.credentials import keys
from titrepro.credentials.keys import SigningKey

FIELD = "Signature"
DIGEST = "sha256"
SIGNATURE_MAX = 72  # an ECDSA P-256 signature in DER: two integers of up to 33 bytes


def sign(pdf: bytes, key: SigningKey, *, name: str, reason: str, location: str) -> bytes:
    """``pdf`` signed by ``key``; ``name``, ``reason`` and ``location`` are what a PDF reader shows of it.

    The signing time is only the signature dictionary's ``/M``: PAdES forbids it in the CMS.
    """
    signer = _template_signer(key)
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD,
        md_algorithm=DIGEST,
        subfilter=SigSeedSubFilter.PADES,
        name=name,
        reason=reason,
        location=location,
    )
    # Reserving the CMS's exact room spares pyHanko a trial signature to measure it (twice: it is hex).
    signed: io.BytesIO = _run(
        _Pdf17Signer(metadata, signer).async_sign_pdf(
            _MetadataKeepingWriter(io.BytesIO(pdf)), bytes_reserved=2 * signer.cms_max_length
        )
    )
    return signed.getvalue()


def _run[T](coroutine: Coroutine[Any, Any, T]) -> T:
    """Run one of pyHanko's coroutines to its end from synchronous code. pyHanko's own synchronous calls use
    ``asyncio.run``, which fails in a thread whose event loop is already running (an ASGI server, a test that
    drove a browser): the coroutine then runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _Pdf17Signer(signers.PdfSigner):
    def register_extensions(self, pdf_out: BasePdfFileWriter, *, md_algorithm: str) -> None:
        """Only the ESIC extension that PAdES asks of a PDF 1.7 file (Typst's PDF/A-2b). pyHanko 0.38 adds
        ISO/TS 32002 for a P-256 key, and with it ``/Version /2.0``: a PDF/A-2b file is PDF 1.7 and must say so."""
        pdf_out.register_extension(constants.ESIC_EXTENSION_1)


class _MetadataKeepingWriter(IncrementalPdfFileWriter):
    def _update_meta(self) -> None:
        """Leave /Info and the XMP packet as Typst wrote them. pyHanko would add itself as producer and a
        modification date to both, re-serialising the packet in its own RDF shape (~1 ms), which nothing here
        can prove still PDF/A (no veraPDF); Typst's identification and extension schemas stay as they are.
        pyHanko's author gives this override for it (pyHanko issue #223); a test fails if it stops working."""


@lru_cache(maxsize=256)  # a key per authority: there are about a hundred
def _template_signer(key: SigningKey) -> _TemplateSigner:
    return _TemplateSigner(key)


class _TemplateSigner(signers.Signer):
    """A pyHanko signer that builds its CMS once per key, then fills in each document's digest and signature.

    pyHanko builds the same CMS for every document with asn1crypto, in pure Python (~11 ms), when only the
    message digest and the signature differ. This signer has pyHanko build it once with a made-up digest,
    keeps the DER around those two values, and splices them in. The signed attributes stay pyHanko's PAdES
    ones: content-type, message-digest, signing-certificate-v2 (no signing time). The digest has a fixed
    length; the signature, last in every structure that holds it, changes the lengths of those alone.
    """

    def __init__(self, key: SigningKey) -> None:
        super().__init__(
            signing_cert=_asn1(key.certificate),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(issuer) for issuer in key.chain]),  # type: ignore[no-untyped-call]
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_ecdsa"}),
        )
        self._private_key = key.private_key
        placeholder = secrets.token_bytes(32)
        template = _run(super().async_sign(placeholder, DIGEST, use_pades=True))
        signed_data = template["content"]
        signer_info = signed_data["signer_infos"][0]
        # The attributes are signed as a SET (0x31); the SignerInfo holds them implicitly tagged [0] (0xA0).
        attributes: bytes = b"\x31" + signer_info["signed_attrs"].dump()[1:]
        self._attributes_head, self._attributes_tail = attributes.split(placeholder)
        self._content_type: bytes = template["content_type"].dump()
        self._signed_data_head = b"".join(
            signed_data[field].dump()
            for field in ("version", "digest_algorithms", "encap_content_info", "certificates")
        )
        self._signer_info_head = b"".join(signer_info[field].dump() for field in ("version", "sid", "digest_algorithm"))
        self._signature_algorithm: bytes = signer_info["signature_algorithm"].dump()
        self.cms_max_length = len(self.cms(attributes, bytes(SIGNATURE_MAX)))

    def signed_attributes(self, digest: bytes) -> bytes:
        """The DER of the signed attributes for a document's ``digest``: what the key signs."""
        return self._attributes_head + digest + self._attributes_tail

    def cms(self, attributes: bytes, signature: bytes) -> bytes:
        """The DER of the CMS ContentInfo with these signed attributes and their signature."""
        signer_info = _der(
            0x30, self._signer_info_head + b"\xa0" + attributes[1:] + self._signature_algorithm + _der(0x04, signature)
        )
        signed_data = _der(0x30, self._signed_data_head + _der(0x31, signer_info))
        return _der(0x30, self._content_type + _der(0xA0, signed_data))

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run: bool = False) -> bytes:
        return self._private_key.sign(data, ec.ECDSA(hashes.SHA256()))

    async def async_sign(self, data_digest: bytes, digest_algorithm: str, *args: Any, **kwargs: Any) -> Any:
        """The CMS for ``data_digest``; pyHanko's other arguments (a timestamper, attribute settings) are those
        of the template, fixed once for all."""
        attributes = self.signed_attributes(data_digest)
        # Loaded lazily, dumped back as these very bytes.
        return cms.ContentInfo.load(self.cms(attributes, await self.async_sign_raw(attributes, digest_algorithm)))


def _der(tag: int, content: bytes) -> bytes:
    """A DER TLV: the tag, the definite length, the content."""
    size = len(content)
    if size < 0x80:
        return bytes((tag, size)) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((tag, 0x80 | len(length))) + length + content


def _asn1(certificate: x509.Certificate) -> Any:
    return asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER))


class Verdict(StrEnum):
    """What a file is, in the order of the checks."""

    NOT_PDF = "not_pdf"  # not a PDF, truncated, unreadable
    ENCRYPTED = "encrypted"
    UNSIGNED = "unsigned"
    ALTERED = "altered"  # bytes changed after signing, or content appended: the signature does not cover it all
    UNKNOWN_SIGNER = "unknown_signer"  # intact, but the signer's chain leads to none of the trusted roots
    VALID = "valid"  # intact, covering the whole file, signed by a certificate issued by a trusted root


@dataclass(frozen=True)
class SignatureReport:
    verdict: Verdict
    signer: str = ""  # the signer certificate's subject CN
    signed_at: datetime | None = None  # the time the signer claims (for ours, the signature dictionary's /M)
    detail: str = ""  # English, for logs


def check(pdf: bytes, trust: Sequence[x509.Certificate] | None = None) -> SignatureReport:
    """What ``pdf`` is, its last signature validated against ``trust`` (default: ``keys.trust_roots()``).

    Offline (nothing is fetched: no revocation lists), fast enough for an upload; never raises on bad input.
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf))
        if reader.encrypted:
            return SignatureReport(Verdict.ENCRYPTED, detail="the file is encrypted")
        signatures = reader.embedded_regular_signatures
    except Exception as error:  # whatever a truncated or hostile file makes the parser raise
        return SignatureReport(Verdict.NOT_PDF, detail=f"not a readable PDF: {type(error).__name__}: {error}")
    if not signatures:
        return SignatureReport(Verdict.UNSIGNED, detail="no signature")
    signature = signatures[-1]
    roots = keys.trust_roots() if trust is None else trust
    context = ValidationContext(trust_roots=[_asn1(root) for root in roots], allow_fetching=False)
    try:
        # The difference analysis judges updates made after signing: any update here is refused anyway.
        status = _run(async_validate_pdf_signature(signature, context, skip_diff=True))
    except Exception as error:  # a signature container that cannot be read
        return SignatureReport(Verdict.ALTERED, detail=f"the signature cannot be validated: {error}")
    if not (status.intact and status.valid):
        verdict, detail = Verdict.ALTERED, "the signature does not match the signed bytes"
    elif status.coverage != SignatureCoverageLevel.ENTIRE_FILE:
        end = signature.byte_range[2] + signature.byte_range[3]
        verdict, detail = Verdict.ALTERED, f"signed up to byte {end} of {len(pdf)}: changed since"
    elif not status.bottom_line:
        verdict, detail = Verdict.UNKNOWN_SIGNER, f"the signer is not trusted ({status.trust_problem_indic})"
    else:
        verdict, detail = Verdict.VALID, status.summary()
    return SignatureReport(
        verdict,
        signer=status.signing_cert.subject.native.get("common_name", ""),
        signed_at=status.signer_reported_dt,
        detail=detail,
    )
