"""What a file is, in the words the upload page and ``titrepro verify`` both say (R-73).

``verify_file`` checks the PDF's signature (``signing.check``: pyHanko, against the authorities' roots, nothing
fetched) and then looks the file's SHA-256 up in the register. ``verify_credential`` does the same for a digital
badge (its eddsa-rdfc-2022 proof against our authorities' keys, then the register and its status list bit);
``verify_any`` tells which a file is (a PDF, a credential's JSON, or a PNG or SVG it is baked into). One answer
among:

    authentic and valid                                   exit code 0
    authentic, but superseded / withdrawn / annulled      1
    not issued by titrepro (no signature, another key,    2
    or a signature of ours on a file not in the register)
    altered after signing                                 3
    not a readable PDF (not a PDF, truncated, encrypted)  4
    or not a credential (JSON, or a JSON that is not one)

with ``revoked`` for a badge whose bit is set (1), and ``unknown_key`` for a proof by a key that is not one of
our authorities' (2).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from django.utils.translation import gettext as _

from titrepro.credentials import badges, baking, codes, data_integrity, queries, signing
from titrepro.credentials.data_integrity import Check
from titrepro.credentials.models import Badge, IssuedDocument, Status


class Outcome(IntEnum):
    """The answer, as the command's exit code."""

    VALID = 0
    NO_LONGER_VALID = 1
    NOT_OURS = 2
    ALTERED = 3
    UNREADABLE = 4


@dataclass(frozen=True)
class FileVerdict:
    outcome: Outcome
    message: str  # French, for people
    code: str  # stable, for logs and tests: "valid", "superseded", "withdrawn", "annulled", "unsigned", ...
    sha256: str
    document: IssuedDocument | None = None
    badge: Badge | None = None


def status_message(document: IssuedDocument) -> str:
    """The verdict on a document of the register, in plain French."""
    return {
        Status.VALID: _("Authentic and valid."),
        Status.SUPERSEDED: _("Authentic, but superseded: a later document replaces it."),
        Status.WITHDRAWN: _("Authentic, but withdrawn by the authority."),
        Status.ANNULLED: _("Authentic, but annulled with its exam session."),
    }[Status(document.status)]


def verify_file(data: bytes) -> FileVerdict:
    """What ``data`` is (see the module's docstring). Never raises on bad input."""
    sha256 = hashlib.sha256(data).hexdigest()
    report = signing.check(data)
    verdict = signing.Verdict(report.verdict)
    if verdict in (signing.Verdict.NOT_PDF, signing.Verdict.ENCRYPTED):
        message = (
            _("This file is encrypted: titrepro never issues an encrypted PDF, so it is not one of its documents.")
            if verdict is signing.Verdict.ENCRYPTED
            else _("This file is not a readable PDF (another kind of file, or a truncated PDF).")
        )
        return FileVerdict(Outcome.UNREADABLE, message, verdict.value, sha256)
    if verdict is signing.Verdict.UNSIGNED:
        return FileVerdict(
            Outcome.NOT_OURS, _("This PDF carries no signature: it was not issued by titrepro."), "unsigned", sha256
        )
    if verdict is signing.Verdict.ALTERED:
        return FileVerdict(
            Outcome.ALTERED,
            _("This document was altered after it was signed: it is not authentic."),
            "altered",
            sha256,
        )
    if verdict is signing.Verdict.UNKNOWN_SIGNER:
        return FileVerdict(
            Outcome.NOT_OURS,
            _("This PDF is signed, but not by an authority of titrepro: it was not issued by titrepro."),
            "unknown_signer",
            sha256,
        )
    document = queries.by_sha256(sha256)
    if document is None:
        return FileVerdict(
            Outcome.NOT_OURS,
            _("This PDF is signed by an authority, but titrepro's register holds no such document."),
            "not_registered",
            sha256,
        )
    outcome = Outcome.VALID if document.status == Status.VALID else Outcome.NO_LONGER_VALID
    return FileVerdict(outcome, status_message(document), str(document.status), sha256, document)


def _credential_of(data: bytes) -> dict[str, Any] | str | None:
    """The credential a file holds (its JSON, or baked into a PNG or an SVG); "not_json" when it holds none."""
    stripped = data.lstrip()
    if stripped.startswith((b"{", b"[")):
        try:
            value = json.loads(data.decode("utf-8-sig"))
        except (UnicodeDecodeError, ValueError):
            return "not_json"
        return value if isinstance(value, dict) else None
    if data.startswith(baking.PNG_SIGNATURE) or stripped.startswith((b"<svg", b"<?xml")):
        return baking.unbake(data) or "not_json"
    return "not_json"


def verify_any(data: bytes) -> FileVerdict:
    """A PDF (``verify_file``), or a digital badge's JSON or picture (``verify_credential``). Never raises."""
    if data.lstrip()[:5] == b"%PDF-" or data.lstrip()[:1] not in (b"{", b"[", b"<", b"\x89"):
        return verify_file(data)
    return verify_badge_file(data)


def verify_badge_file(data: bytes) -> FileVerdict:
    """A digital badge's JSON, or a PNG or SVG it is baked into (``verify_credential``). Never raises."""
    sha256 = hashlib.sha256(data).hexdigest()
    credential = _credential_of(data)
    if credential == "not_json":
        return FileVerdict(
            Outcome.UNREADABLE,
            _("This file is neither a readable PDF nor a digital badge (JSON, or a PNG or SVG picture holding one)."),
            "not_json",
            sha256,
        )
    return verify_credential(credential, sha256)


def badge_message(badge: Badge) -> str:
    if badge.revoked_on is None:
        return _("Authentic and valid.")
    return _("Authentic, but revoked by the authority.")


def verify_credential(credential: Any, sha256: str = "") -> FileVerdict:
    """What a digital badge is (see the module's docstring): its proof, then the register. Never raises."""
    if not isinstance(credential, dict) or "VerifiableCredential" not in (credential.get("type") or []):
        return FileVerdict(
            Outcome.UNREADABLE,
            _("This JSON is not a verifiable credential (an Open Badges digital badge)."),
            "not_a_credential",
            sha256,
        )
    checked = data_integrity.verify(credential, badges.known_key)
    if checked.check is Check.MALFORMED:
        return FileVerdict(
            Outcome.NOT_OURS,
            _(
                "This badge carries no signature titrepro issues (a Data Integrity proof eddsa-rdfc-2022): it was not "
                "issued by titrepro."
            ),
            "unsigned",
            sha256,
        )
    if checked.check is Check.UNKNOWN_KEY:
        return FileVerdict(
            Outcome.NOT_OURS,
            _("This badge is signed, but not by an authority of titrepro: it was not issued by titrepro."),
            "unknown_key",
            sha256,
        )
    if checked.check is Check.ALTERED:
        return FileVerdict(
            Outcome.ALTERED,
            _("This badge was altered after it was signed: it is not authentic."),
            "altered",
            sha256,
        )
    badge = _registered(credential)
    if badge is None:
        return FileVerdict(
            Outcome.NOT_OURS,
            _("This badge is signed by an authority, but titrepro's register holds no such badge."),
            "not_registered",
            sha256,
        )
    outcome = Outcome.VALID if badge.revoked_on is None else Outcome.NO_LONGER_VALID
    return FileVerdict(
        outcome, badge_message(badge), "valid" if badge.revoked_on is None else "revoked", sha256, badge.document, badge
    )


def _registered(credential: dict[str, Any]) -> Badge | None:
    """The badge of the register this credential is, by the code in its ``id``; None when it is not (or the
    register's copy differs: a valid proof on other content is another credential)."""
    identifier = credential.get("id")
    if not isinstance(identifier, str):
        return None
    code = identifier.rstrip("/").rsplit("/", 1)[-1]
    try:
        normalised = codes.normalise(code)
    except codes.BadCode:
        return None
    badge = Badge.objects.select_related("document", "authority").filter(code=normalised).first()
    if badge is None or badge.credential != credential or identifier != badges.credential_url(badge.code):
        return None
    return badge
