"""The authorities' signing keys (docs/decisions/0041-pades-signature-with-pyhanko.md).

Each authority signs the documents it issues with its own key, ECDSA P-256, and the certificate a CA issued
for it. They are files in ``settings.TITREPRO_KEYS_DIR``, never in the database nor in the repository:

- ``authority-<département>.p12``: a PKCS#12 file holding the key, its certificate and the issuers, opened
  with ``settings.TITREPRO_KEYS_PASSWORD`` (how a real CA hands keys over);
- or ``authority-<département>.key.pem`` and ``authority-<département>.crt.pem``, the issuers in
  ``chain.pem`` (else ``ca.crt.pem``);
- ``ca.crt.pem`` and ``roots/*.pem``: the roots that the verification of a document trusts;
- ``authority-<département>.ed25519.pem``: the authority's Ed25519 key (PKCS#8 PEM), which signs its verifiable
  credentials (``data_integrity``, docs/decisions/0043); its public half is published in the authority's DID
  document.

``init_keys`` (``titrepro keys init``) makes a development PKI there: a root CA, made once and kept, a key and
certificate for each authority that has none, and an Ed25519 key for each authority without one. It is for
development and the demo; production is given real keys.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.exceptions import ValidationError

from titrepro.directory.models import DEPARTEMENT

logger = logging.getLogger(__name__)

CA_KEY = "ca.key.pem"
CA_CERTIFICATE = "ca.crt.pem"
CHAIN = "chain.pem"
ROOTS = "roots"
AUTHORITY_FILE = re.compile(r"^authority-(?P<departement>[0-9AB]{2,3})\.(?:p12|crt\.pem)$")
MINISTRY = "Ministère chargé de l’emploi"
CA_NAME = "titrepro — autorité de certification de développement"
CA_DAYS = 3650
AUTHORITY_DAYS = 1095
COMMON_NAME_BYTES = 64  # RFC 5280's upper bound, counted in UTF-8 by cryptography: a longer name is cut


class NoSigningKey(Exception):
    """An authority has no usable signing key: its files are missing or unreadable, or the key is not ECDSA
    P-256. A document that cannot be signed is not issued."""

    def __init__(self, departement: str, problem: str) -> None:
        super().__init__(f"No signing key for the département {departement}: {problem}")
        self.departement = departement


@dataclass(frozen=True)
class SigningKey:
    """An authority's key, with its certificate and the issuers up to the root (the signer's excluded)."""

    departement: str
    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


@dataclass(frozen=True)
class CredentialKey:
    """An authority's Ed25519 key for its verifiable credentials."""

    departement: str
    private_key: ed25519.Ed25519PrivateKey

    @property
    def public_key(self) -> ed25519.Ed25519PublicKey:
        return self.private_key.public_key()


def keys_dir() -> Path:
    return Path(settings.TITREPRO_KEYS_DIR)


def _authority_files(folder: Path, departement: str) -> tuple[Path, Path, Path]:
    """The PKCS#12 file, the PEM key and the PEM certificate an authority's key may be given as."""
    stem = f"authority-{departement}"
    return folder / f"{stem}.p12", folder / f"{stem}.key.pem", folder / f"{stem}.crt.pem"


def signing_key(departement: str) -> SigningKey:
    """The key of the authority of ``departement``, read once per process (``clear_cache`` forgets it).

    Raises ``NoSigningKey``, naming the files it looked for.
    """
    return _load(keys_dir(), departement)


def clear_cache() -> None:
    _load.cache_clear()
    _load_credential_key.cache_clear()


def _credential_file(folder: Path, departement: str) -> Path:
    return folder / f"authority-{departement}.ed25519.pem"


def credential_key(departement: str) -> CredentialKey:
    """The Ed25519 key of the authority of ``departement``, read once per process; raises ``NoSigningKey``."""
    return _load_credential_key(keys_dir(), departement)


@cache
def _load_credential_key(folder: Path, departement: str) -> CredentialKey:
    try:
        DEPARTEMENT(departement)
    except ValidationError:
        raise NoSigningKey(departement, "not a département code") from None
    path = _credential_file(folder, departement)
    if not path.is_file():
        raise NoSigningKey(departement, f"no {path.name} in {folder}")
    password = settings.TITREPRO_KEYS_PASSWORD.encode() or None
    try:
        data = path.read_bytes()
        try:
            key = serialization.load_pem_private_key(data, password=None)
        except TypeError:  # an encrypted key: opened with the keys' password
            key = serialization.load_pem_private_key(data, password=password)
    except (OSError, ValueError, TypeError) as error:
        raise NoSigningKey(departement, f"{path.name} cannot be read: {error}") from error
    if not isinstance(key, ed25519.Ed25519PrivateKey):
        raise NoSigningKey(departement, f"{path.name} is not an Ed25519 key")
    return CredentialKey(departement=departement, private_key=key)


@cache
def _load(folder: Path, departement: str) -> SigningKey:
    # The code becomes a file name: anything but a département code could name a file elsewhere.
    try:
        DEPARTEMENT(departement)
    except ValidationError:
        raise NoSigningKey(departement, "not a département code") from None
    p12_file, key_file, certificate_file = _authority_files(folder, departement)
    password = settings.TITREPRO_KEYS_PASSWORD.encode() or None
    try:
        if p12_file.is_file():
            key, certificate, issuers = pkcs12.load_key_and_certificates(p12_file.read_bytes(), password)
        elif key_file.is_file() and certificate_file.is_file():
            key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
            certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
            chain_file = next((path for path in (folder / CHAIN, folder / CA_CERTIFICATE) if path.is_file()), None)
            issuers = x509.load_pem_x509_certificates(chain_file.read_bytes()) if chain_file else []
        else:
            missing = " and ".join(path.name for path in (key_file, certificate_file) if not path.is_file())
            raise NoSigningKey(departement, f"no {p12_file.name}, and {missing} missing in {folder}")
    except (OSError, ValueError, TypeError) as error:
        raise NoSigningKey(departement, f"its files in {folder} cannot be read: {error}") from error
    if key is None or certificate is None:
        raise NoSigningKey(departement, f"{p12_file.name} lacks the key or its certificate")
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise NoSigningKey(departement, "the key is not an ECDSA P-256 key")
    if key.public_key() != certificate.public_key():
        raise NoSigningKey(departement, "the key does not match the certificate")
    chain = tuple(issuer for issuer in issuers if issuer != certificate)
    return SigningKey(departement=departement, private_key=key, certificate=certificate, chain=chain)


def trust_roots() -> list[x509.Certificate]:
    """The roots in the keys folder (``ca.crt.pem``, ``roots/*.pem``): what the verification of a document trusts."""
    folder = keys_dir()
    files = [folder / CA_CERTIFICATE, *sorted((folder / ROOTS).glob("*.pem"))]
    return [root for path in files if path.is_file() for root in x509.load_pem_x509_certificates(path.read_bytes())]


def published_chain_pem() -> bytes:
    """The roots and the authorities' certificates, in PEM: what a public page offers to check a signature with."""
    certificates = trust_roots()
    departements = {
        match["departement"] for path in keys_dir().glob("authority-*") if (match := AUTHORITY_FILE.match(path.name))
    }
    for departement in sorted(departements):
        try:
            key = signing_key(departement)
        except NoSigningKey as error:
            logger.warning("not published: %s", error)
            continue
        certificates += [key.certificate, *key.chain]
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in dict.fromkeys(certificates))


def init_keys(authorities: Iterable[tuple[str, str]], *, folder: Path | None = None) -> list[Path]:
    """A development PKI for ``authorities``, (département, name) pairs: the files written, in order.

    The root CA (``ca.key.pem``, ``ca.crt.pem``) is made once and kept; each authority without a file gets
    ``authority-<département>.key.pem`` and ``.crt.pem``, issued by that CA; each without an Ed25519 key gets
    ``authority-<département>.ed25519.pem``. Nothing existing is replaced: an authority with any file of its own
    for the PDF key is left alone there (``titrepro keys show`` tells whether they make a key). Private keys are
    readable by their owner only, and so is the folder.
    """
    folder = folder or keys_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    written: list[Path] = []
    ca: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None = None
    for departement, name in authorities:
        files = _authority_files(folder, departement)
        credential_file = _credential_file(folder, departement)
        if any(path.exists() for path in files):
            if not credential_file.exists():
                _write_key(credential_file, ed25519.Ed25519PrivateKey.generate())
                written.append(credential_file)
            continue
        _, key_file, certificate_file = files
        ca = ca or _development_ca(folder, written)
        key = ec.generate_private_key(ec.SECP256R1())
        _write_key(key_file, key)
        common_name = name.encode()[:COMMON_NAME_BYTES].decode(errors="ignore")  # never half a character
        _write_certificate(certificate_file, _issue(_name(common_name), key, ca, days=AUTHORITY_DAYS))
        written += [key_file, certificate_file]
        if not credential_file.exists():
            _write_key(credential_file, ed25519.Ed25519PrivateKey.generate())
            written.append(credential_file)
    return written


def _development_ca(folder: Path, written: list[Path]) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """The development root CA of ``folder``, made the first time (its files appended to ``written``)."""
    key_file, certificate_file = folder / CA_KEY, folder / CA_CERTIFICATE
    if key_file.exists() or certificate_file.exists():
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError(f"{key_file} is not an elliptic curve key")
        return key, x509.load_pem_x509_certificate(certificate_file.read_bytes())
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _issue(_name(CA_NAME), key, None, days=CA_DAYS)
    _write_key(key_file, key)
    _write_certificate(certificate_file, certificate)
    written += [key_file, certificate_file]
    return key, certificate


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, MINISTRY),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
        ]
    )


def _issue(
    subject: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    issuer: tuple[ec.EllipticCurvePrivateKey, x509.Certificate] | None,
    *,
    days: int,
) -> x509.Certificate:
    """A certificate for ``key``: a root CA's when ``issuer`` is None (self-signed), else a signer's issued by it.

    The extensions are the ones pdfsig, pyHanko and the PAdES validators accept: the CA may only issue end
    certificates; the signer's key signs with non-repudiation (content commitment), and has no extended usage.
    """
    ca = issuer is None
    issuer_key, issuer_name = (key, subject) if issuer is None else (issuer[0], issuer[1].subject)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))  # a verifier whose clock is a little behind
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=not ca,
                content_commitment=not ca,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=ca,
                crl_sign=ca,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if not ca:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), critical=False
        )
    return builder.sign(issuer_key, hashes.SHA256())


def _write_key(path: Path, key: ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey) -> None:
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    _write(path, pem, 0o600)


def _write_certificate(path: Path, certificate: x509.Certificate) -> None:
    _write(path, certificate.public_bytes(serialization.Encoding.PEM), 0o644)


def _write(path: Path, data: bytes, mode: int) -> None:
    """A new file (never over one that exists), with ``mode`` from the start: a key is never readable by others."""
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb") as file:
        file.write(data)
