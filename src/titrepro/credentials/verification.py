"""What a file is, in the words the upload page and ``titrepro verify`` both say (R-73).

``verify_file`` checks the PDF's signature (``signing.check``: pyHanko, against the authorities' roots, nothing
fetched) and then looks the file's SHA-256 up in the register. One answer among:

    authentic and valid                                   exit code 0
    authentic, but superseded / withdrawn / annulled      1
    not issued by titrepro (no signature, another key,    2
    or a signature of ours on a file not in the register)
    altered after signing                                 3
    not a readable PDF (not a PDF, truncated, encrypted)  4
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import IntEnum

from django.utils.translation import gettext as _

from titrepro.credentials import queries, signing
from titrepro.credentials.models import IssuedDocument, Status


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
