"""The eddsa-rdfc-2022 cryptosuite reproduces, byte for byte, the W3C vc-di-eddsa test vectors and 1EdTech's
Open Badges 3.0 Linked Data proof test vector (``vectors/README.md``); and the issuer's guards refuse what another
verifier would canonicalise otherwise (credentials.md: dropped terms, relative IRIs, control characters)."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from titrepro.credentials import data_integrity, linked_data
from titrepro.credentials.data_integrity import Check

VECTORS = Path(__file__).parent / "vectors"
EXAMPLES_V2 = "https://www.w3.org/ns/credentials/examples/v2"


def vector(name: str) -> Any:
    text = (VECTORS / name).read_text(encoding="utf-8")
    return json.loads(text) if name.endswith(".json") else text


@pytest.fixture
def examples_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """The W3C examples context of the vectors (a vocabulary for any term): served to the test only."""
    extra = {EXAMPLES_V2: {"@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}}}
    monkeypatch.setattr(linked_data, "EXTRA", extra)


def test_the_w3c_vector_step_by_step(examples_context: None) -> None:
    unsigned = vector("w3c-unsigned.json")
    configuration = vector("w3c-proofConfigDataInt.json")
    assert linked_data.canonical(configuration) == vector("w3c-proofCanonDataInt.txt")
    assert linked_data.canonical(unsigned) == vector("w3c-canonDocDataInt.txt")
    del configuration["@context"]
    assert data_integrity.hash_data(unsigned, configuration).hex() == vector("w3c-combinedHashDataInt.txt").strip()


def test_the_w3c_vector_signed_and_verified(examples_context: None) -> None:
    key = data_integrity.private_key(vector("w3c-keyPair.json")["privateKeyMultibase"])
    public = vector("w3c-keyPair.json")["publicKeyMultibase"]
    assert data_integrity.multikey(key.public_key()) == public
    expected = vector("w3c-signedDataInt.json")
    proof = expected["proof"]
    signed = data_integrity.sign(vector("w3c-unsigned.json"), key, proof["verificationMethod"], proof["created"])
    assert signed == expected  # the same proofValue: Ed25519 is deterministic
    assert data_integrity.verify(signed, lambda method: data_integrity.public_key(public)).check is Check.VALID


def test_the_open_badges_3_vector() -> None:
    keys = vector("1edtech-ob-keys.json")
    expected = vector("1edtech-ob-signed.json")
    unsigned = {k: v for k, v in expected.items() if k != "proof"}
    proof = expected["proof"]
    configuration = {**data_integrity.proof_configuration(proof["verificationMethod"], proof["created"])}
    assert linked_data.canonical({**configuration, "@context": unsigned["@context"]}) == vector(
        "1edtech-ob-proof-canon.txt"
    )
    assert linked_data.canonical(unsigned) == vector("1edtech-ob-document-canon.txt")
    assert data_integrity.hash_data(unsigned, configuration).hex() == keys["dataToSignHex"]
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(keys["privateKeyHex"]))
    assert data_integrity.multikey(key.public_key()) == keys["publicKeyMultibase"]
    signed = data_integrity.sign(unsigned, key, proof["verificationMethod"], proof["created"])
    assert signed["proof"]["proofValue"] == proof["proofValue"]
    assert signed == expected


def _resolver(key: Ed25519PublicKey) -> Any:
    method = "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi"
    return lambda asked: key if asked == method else None


def test_a_changed_field_an_unknown_key_and_a_malformed_proof_are_told_apart() -> None:
    keys = vector("1edtech-ob-keys.json")
    signed = vector("1edtech-ob-signed.json")
    public = Ed25519PublicKey.from_public_bytes(bytes.fromhex(keys["publicKeyHex"]))
    resolve = _resolver(public)
    assert data_integrity.verify(signed, resolve).check is Check.VALID

    changed = copy.deepcopy(signed)
    changed["credentialSubject"]["achievement"]["name"] = "Leadership"
    assert data_integrity.verify(changed, resolve).check is Check.ALTERED
    added = copy.deepcopy(signed)
    added["grade"] = "A"  # a term no context defines: pyld would drop it, so would the signature's bytes
    assert data_integrity.verify(added, resolve).check is Check.ALTERED
    other = Ed25519PrivateKey.generate().public_key()
    assert data_integrity.verify(signed, lambda method: other).check is Check.ALTERED  # the key of the method
    assert data_integrity.verify(signed, lambda method: None).check is Check.UNKNOWN_KEY
    for broken in (
        {k: v for k, v in signed.items() if k != "proof"},
        {**signed, "proof": {**signed["proof"], "cryptosuite": "eddsa-jcs-2022"}},
        {**signed, "proof": {**signed["proof"], "proofValue": "not base58"}},
        [signed],
        "a string",
    ):
        assert data_integrity.verify(broken, resolve).check is Check.MALFORMED


BASE = vector("1edtech-ob-signed.json")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda d: d.update(grade="A"), "dropped"),
        (lambda d: d["credentialSubject"]["achievement"].update(id="achievements/teamwork"), "relative_iri"),
        (lambda d: d.update(name="Teamwork\u0007Badge"), "control_character"),
        (lambda d: d.update({"@context": [*d["@context"], "https://example.com/unknown-context.json"]}), "context"),
    ],
)
def test_the_issuer_refuses_what_another_verifier_would_read_otherwise(change: Any, reason: str) -> None:
    document = {k: v for k, v in copy.deepcopy(BASE).items() if k != "proof"}
    change(document)
    with pytest.raises(linked_data.Unsafe) as refused:
        data_integrity.sign(
            document, Ed25519PrivateKey.generate(), "https://example.edu/issuers/1#key", "2026-12-04T10:00:00Z"
        )
    assert refused.value.reason == reason


def test_the_shipped_contexts_are_the_published_ones() -> None:
    """The files are the contexts as published (their digests pinned here): a verifier loading the published
    ones reads the same terms."""
    digests = {
        url: hashlib.sha256((linked_data.CONTEXTS / name).read_bytes()).hexdigest()
        for url, name in linked_data.SHIPPED.items()
    }
    assert digests == {
        linked_data.VC_V2: "8a9f494a89ecc51db093e90e84713e07e84d6d9204364a9b3c7868b21751236f",
        linked_data.OB_V3: "ef2fa9c7846dce233cc166b43639027278be4ee44f00bb1d45c75de2dd0cd761",
    }


def test_the_scoped_context_cache_changes_no_byte(monkeypatch: pytest.MonkeyPatch, issued: Any) -> None:
    """``linked_data._stable_scopes`` and ``_cheap_context_keys`` (pyld's processed contexts and their keys kept
    across operations) give the canonical form pyld gives without them, for the vectors and for every badge issued
    (each computed twice: cold, then warm)."""
    from pyld import context_resolver, jsonld

    from titrepro.credentials.models import Badge

    patched = jsonld.JsonLdProcessor._process_context
    keyed = context_resolver.canonicalize
    assert getattr(patched, "stable_scopes", False), "pyld is not the pinned version: the cache is off"
    assert getattr(keyed, "cheap_keys", False)
    documents = [vector("1edtech-ob-signed.json"), *(badge.credential for badge in Badge.objects.all())]
    documents = [{k: v for k, v in d.items() if k != "proof"} for d in documents]
    with_cache = [linked_data.canonical(d) for d in documents] + [linked_data.canonical(d) for d in documents]
    monkeypatch.setattr(jsonld.JsonLdProcessor, "_process_context", patched.original)
    monkeypatch.setattr(context_resolver, "canonicalize", keyed.original)
    without = [linked_data.canonical(d) for d in documents]
    assert with_cache == without + without
