"""``/api/v1/documents``: the public verification of a document by its number, for the systems of the people who
check diplomas (an employer's, a school's). Open to anyone, like ``/verifier/``, and rate-limited the same way
(per client address, ``TITREPRO_VERIFY_RATE``; past it, 429 ``rate_limited``); every look is counted for the
holder. Only what the document prints, its status and since when, and the SHA-256 of the PDF issued.

``POST /api/v1/documents/badges/verify``: a digital badge (the credential's JSON as the body) verified as the
upload page does it, with a machine-readable answer (``verification.verify_credential``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit.core import is_ratelimited
from ninja import Field, Router, Schema
from ninja.responses import Status

from titrepro.accounts.throttle import client_ip
from titrepro.core.api import Segment, body, errors
from titrepro.credentials import codes, queries, verification
from titrepro.credentials.models import Consultation, IssuedDocument
from titrepro.credentials.views import bad_code_message

router = Router(tags=["documents"])


class DocumentOut(Schema):
    number: str = Field(..., description="The document's number, as printed: seven groups of four characters.")
    kind: str = Field(..., description="parchemin, livret or ccs.")
    status: str = Field(..., description="valid, superseded, withdrawn or annulled.")
    verdict: str = Field(..., description="The status in plain French.")
    status_changed_on: date | None
    superseded_by: str | None = Field(..., description="The number of the document that replaces it.")
    duplicate_of: str | None = Field(..., description="The number of the original of a duplicata.")
    sha256: str = Field(..., description="The SHA-256 of the PDF issued.")
    printed: dict[str, Any] = Field(..., description="What the document prints, and nothing else.")


def _out(document: IssuedDocument) -> dict[str, Any]:
    return {
        "number": document.printed_code,
        "kind": document.kind,
        "status": document.status,
        "verdict": verification.status_message(document),
        "status_changed_on": document.status_changed_on,
        "superseded_by": document.superseded_by.printed_code if document.superseded_by else None,
        "duplicate_of": document.duplicate_of.printed_code if document.duplicate_of else None,
        "sha256": document.sha256,
        "printed": document.data,
    }


def _by_address(group: str, request: HttpRequest) -> str:
    return client_ip(request)


class BadgeVerdictOut(Schema):
    outcome: int = Field(..., description="0 valid, 1 revoked, 2 not issued by titrepro, 3 altered, 4 not a badge.")
    code: str = Field(
        ...,
        description="valid, revoked, unknown_key, unsigned, not_registered, altered, not_json or not_a_credential.",
    )
    message: str = Field(..., description="The answer in plain French.")
    badge: str | None = Field(..., description="The badge's number, when it is one of the register.")
    document: str | None = Field(..., description="The number of the PDF document issued with it.")


def _limited(request: HttpRequest, group: str, setting: str) -> Status[dict[str, Any]] | None:
    """429 past the rate of ``setting``, counted with the page of the same ``group`` (``views.per_address``)."""
    rate = getattr(settings, setting)
    if is_ratelimited(request, group=group, key=_by_address, rate=lambda g, r: rate, increment=True):
        return Status(
            429,
            body(
                "rate_limited",
                _("Too many documents were verified from your address in a short time. Try again in a minute."),
            ),
        )
    return None


@router.post(
    "/badges/verify",
    response={200: BadgeVerdictOut, **errors(413, 422, 429)},
    auth=None,
    summary="Verify a digital badge (anyone)",
    url_name="badge_verify",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"type": "object", "description": "The credential."}}},
        }
    },
)
def verify_badge(request: HttpRequest) -> Status[dict[str, Any]]:
    """The badge's proof (eddsa-rdfc-2022, our authorities' keys), then the register and its status list: always
    200 with the verdict (``outcome`` and ``code``), whatever was sent."""
    refused = _limited(request, "verify-file", "TITREPRO_VERIFY_FILE_RATE")
    if refused is not None:
        return refused
    verdict = verification.verify_badge_file(request.body)
    if verdict.document is not None:
        with transaction.atomic():
            Consultation.objects.create(document=verdict.document, channel=Consultation.Channel.UPLOAD)
    return Status(
        200,
        {
            "outcome": int(verdict.outcome),
            "code": verdict.code,
            "message": verdict.message,
            "badge": verdict.badge.printed_code if verdict.badge else None,
            "document": verdict.document.printed_code if verdict.document else None,
        },
    )


@router.get(
    "/{code}",
    response={200: DocumentOut, **errors(404, 422, 429)},
    auth=None,
    summary="Verify a document by its number (anyone)",
    url_name="document_verify",
)
def verify_document(request: HttpRequest, code: Segment) -> Status[dict[str, Any]]:
    """422 ``document_number_typo`` (a character mistyped: the check character does not match) or
    ``document_number_format``; 404 ``document_not_found``."""
    refused = _limited(request, "verify", "TITREPRO_VERIFY_RATE")
    if refused is not None:
        return refused
    try:
        normalised = codes.normalise(code)
    except codes.BadCode as bad:
        return Status(422, body(f"document_number_{bad.reason}", bad_code_message(bad.reason), "code"))
    document = queries.by_code(normalised)
    if document is None:
        return Status(404, body("document_not_found", _("No document issued by titrepro has this number."), "code"))
    with transaction.atomic():
        Consultation.objects.create(document=document, channel=Consultation.Channel.CODE)
    return Status(200, _out(document))
