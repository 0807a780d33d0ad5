"""A throwaway PKI for the tests of titrepro.credentials, and the independent tools that read its signatures.

``keys_folder`` makes the development PKI (``keys.init_keys``: a CA and authority keys) in a test's own folder
and points ``settings.TITREPRO_KEYS_DIR`` at it; ``issue`` makes the odd certificates (another curve, another
key) that ``init_keys`` never makes. ``pdfsig`` runs poppler's checker, trusting a CA through an NSS database
(``nss_database``, made with NSS's certutil).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from titrepro.core import pdf
from titrepro.credentials import keys

PARIS = ("75", "DREETS Île-de-France — Unité départementale de Paris")
LYON = ("69", "DDETS du Rhône")


def keys_folder(settings: Any, folder: Path, authorities: Iterable[tuple[str, str]] = (PARIS,)) -> Path:
    """``folder`` holding a development CA and the authorities' keys, and the folder the settings name."""
    keys.init_keys(authorities, folder=folder)
    settings.TITREPRO_KEYS_DIR = folder
    keys.clear_cache()
    return folder


@cache
def unsigned_pdf() -> bytes:
    """A one-page PDF/A-2b document, as Typst renders it: the example convocation."""
    data = json.loads((pdf.TEMPLATES / "examples" / "convocation.json").read_text(encoding="utf-8"))
    return pdf.render("convocation", data)


def issue(
    key: ec.EllipticCurvePrivateKey, ca_key: ec.EllipticCurvePrivateKey, ca: x509.Certificate, name: str
) -> x509.Certificate:
    """A signer's certificate for ``key``, issued by ``ca``."""
    now = datetime.now(UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(ca_key, hashes.SHA256())
    )


def read_ca(folder: Path) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = serialization.load_pem_private_key((folder / keys.CA_KEY).read_bytes(), password=None)
    assert isinstance(key, ec.EllipticCurvePrivateKey)
    return key, x509.load_pem_x509_certificate((folder / keys.CA_CERTIFICATE).read_bytes())


def pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing (Debian: poppler-utils, libnss3-tools, qpdf)"
    return path


def nss_database(folder: Path, ca: Path) -> str:
    """An NSS database in ``folder`` that trusts the CA certificate ``ca`` for signatures (pdfsig -nssdir)."""
    folder.mkdir()
    database = f"sql:{folder}"
    subprocess.run([tool("certutil"), "-N", "-d", database, "--empty-password"], check=True, capture_output=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [tool("certutil"), "-A", "-d", database, "-n", "ca", "-t", "CT,C,C", "-i", str(ca)],
        check=True,
        capture_output=True,
    )
    return database


def pdfsig(document: bytes, tmp_path: Path, nss: str | None = None) -> str:
    """What poppler's pdfsig says of ``document``'s signatures (trusting the roots of ``nss``, if given)."""
    path = tmp_path / "pdfsig.pdf"
    path.write_bytes(document)
    options = ["-nssdir", nss] if nss else []
    result = subprocess.run([tool("pdfsig"), *options, str(path)], capture_output=True, text=True, check=False)  # noqa: S603
    return result.stdout
