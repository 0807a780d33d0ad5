"""Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (W3C vc-di-eddsa): the proof of our verifiable
credentials and status lists, Ed25519 over the RDFC-1.0 canonical form (``linked_data.canonical``).

The data signed is SHA-256(canonical proof configuration, with the document's ``@context``) followed by
SHA-256(canonical document without its proof); ``proofValue`` is "z" + base58btc of the signature. Public keys
are written as Multikey (``z6Mk…``: the multicodec prefix 0xed01 and the 32 bytes, in base58btc).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from titrepro.credentials import linked_data

CRYPTOSUITE = "eddsa-rdfc-2022"
PROOF_TYPE = "DataIntegrityProof"
ED25519_PUBLIC = b"\xed\x01"  # the multicodec prefix of an Ed25519 public key
ED25519_SECRET = b"\x80\x26"  # and of a private key (its 32-byte seed)


def multibase(data: bytes) -> str:
    return "z" + base58.b58encode(data).decode("ascii")


def from_multibase(value: str) -> bytes:
    """The bytes of a base58btc multibase string; ``ValueError`` for anything else."""
    if not isinstance(value, str) or not value.startswith("z"):
        raise ValueError("not a base58btc multibase value")
    return base58.b58decode(value[1:])


def multikey(key: Ed25519PublicKey) -> str:
    """The Multikey form of an Ed25519 public key: ``z6Mk…``."""
    return multibase(ED25519_PUBLIC + key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def public_key(value: str) -> Ed25519PublicKey:
    """The Ed25519 public key of a Multikey value; ``ValueError`` for anything else."""
    raw = from_multibase(value)
    if len(raw) != 34 or raw[:2] != ED25519_PUBLIC:
        raise ValueError("not an Ed25519 Multikey")
    return Ed25519PublicKey.from_public_bytes(raw[2:])


def private_key(value: str) -> Ed25519PrivateKey:
    """The Ed25519 private key of a multibase secret key (``z3u2…``, as the W3C test vectors write it)."""
    raw = from_multibase(value)
    if len(raw) != 34 or raw[:2] != ED25519_SECRET:
        raise ValueError("not an Ed25519 multibase secret key")
    return Ed25519PrivateKey.from_private_bytes(raw[2:])


def proof_configuration(verification_method: str, created: str, purpose: str = "assertionMethod") -> dict[str, Any]:
    """The proof's options before signing (``created``: an XML Schema dateTime, "2026-12-04T10:00:00Z")."""
    return {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created,
        "verificationMethod": verification_method,
        "proofPurpose": purpose,
    }


def hash_data(document: dict[str, Any], configuration: dict[str, Any]) -> bytes:
    """What the signature covers (vc-di-eddsa, "Hashing"): the proof configuration's hash, then the document's.
    Raises ``linked_data.Unsafe``."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    options = {**configuration, "@context": document.get("@context")}
    options.pop("proofValue", None)
    document_hash = hashlib.sha256(linked_data.canonical(unsigned).encode("utf-8")).digest()
    return _proof_hash(json.dumps(options, sort_keys=True, ensure_ascii=False)) + document_hash


@lru_cache(maxsize=256)
def _proof_hash(options: str) -> bytes:
    """The hash of a proof configuration, given as its JSON. The badges of a batch share theirs (the same key,
    context and second of creation): computed once (credentials.md, the speed of issuance)."""
    return hashlib.sha256(linked_data.canonical(json.loads(options)).encode("utf-8")).digest()


def sign(document: dict[str, Any], key: Ed25519PrivateKey, verification_method: str, created: str) -> dict[str, Any]:
    """``document`` with its proof; raises ``linked_data.Unsafe`` (nothing is signed that another verifier would
    read otherwise)."""
    configuration = proof_configuration(verification_method, created)
    signature = key.sign(hash_data(document, configuration))
    return {**document, "proof": {**configuration, "proofValue": multibase(signature)}}


class Check(StrEnum):
    VALID = "valid"
    ALTERED = "altered"  # the signature does not match the document: changed after signing
    UNKNOWN_KEY = "unknown_key"  # signed by a key we do not know
    MALFORMED = "malformed"  # no proof, another kind of proof, or a document that is not JSON-LD we can read


@dataclass(frozen=True)
class Verified:
    check: Check
    verification_method: str = ""
    detail: str = ""


def verify(document: Any, resolve: Callable[[str], Ed25519PublicKey | None]) -> Verified:
    """Whether ``document``'s proof holds; ``resolve`` gives the public key of a verification method (None when
    unknown). Never raises on bad input."""
    proof = document.get("proof") if isinstance(document, dict) else None
    if not isinstance(proof, dict):
        return Verified(Check.MALFORMED, detail="no proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return Verified(Check.MALFORMED, detail="not an eddsa-rdfc-2022 Data Integrity proof")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return Verified(Check.MALFORMED, detail="no verification method")
    key = resolve(method)
    if key is None:
        return Verified(Check.UNKNOWN_KEY, method)
    try:
        signature = from_multibase(proof.get("proofValue", ""))
        data = hash_data(document, proof)
    except (ValueError, linked_data.Unsafe) as error:
        # A term that no context defines was added, or the document is not JSON-LD: not what was signed.
        reason = getattr(error, "reason", "")
        check = Check.ALTERED if reason in ("dropped", "relative_iri", "control_character") else Check.MALFORMED
        return Verified(check, method, str(error))
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return Verified(Check.ALTERED, method)
    return Verified(Check.VALID, method)
