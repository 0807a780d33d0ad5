"""``/api/v1/candidates``: candidates of the caller's scope, import, VAE and accommodation decisions.

Errors are JSON ``{"detail", "code"}`` with 403 (wrong role), 404 (missing or outside
the caller's scope) and 422 (a rule or the file says no).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from titrepro.accounts.api_auth import api_auth
from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.candidates import imports, queries, services
from titrepro.candidates.models import Candidate

router = Router(auth=api_auth, tags=["candidates"])


class Error(Schema):
    detail: Any
    code: str


class PathwayOut(Schema):
    title: str
    route: str
    provider_name: str
    started_on: date | None
    ended_on: date | None


class CandidateOut(Schema):
    id: int
    birth_name: str
    usual_name: str
    given_names: str
    birth_date: date
    birth_place: str
    email: str
    phone: str
    centre: str


class CandidateDetail(CandidateOut):
    pathways: list[PathwayOut]


class RowProblem(Schema):
    line: int
    column: str
    message: str


class ImportOut(Schema):
    filename: str
    valid: bool
    committed: bool
    rows: int
    file_errors: list[str]
    errors: list[RowProblem]
    warnings: list[RowProblem]
    to_create: int
    already_present: int
    pathways_to_create: int
    created: int
    pathways_created: int


class DecisionIn(Schema):
    decision: bool
    on: date
    reason: str = ""


class DecisionOut(Schema):
    id: int
    status: str
    decided_on: date | None


def _candidate_out(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.pk,
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "given_names": candidate.given_names,
        "birth_date": candidate.birth_date,
        "birth_place": candidate.birth_place,
        "email": candidate.email,
        "phone": candidate.phone,
        "centre": candidate.centre.code,
    }


def _forbidden() -> Status[dict[str, Any]]:
    return Status(403, {"detail": _("You may not do this."), "code": "forbidden"})


def _not_found() -> Status[dict[str, Any]]:
    return Status(404, {"detail": _("Not found."), "code": "not_found"})


def _invalid(error: ValidationError) -> Status[dict[str, Any]]:
    return Status(422, {"detail": " ".join(error.messages), "code": "rule_refused"})


ERRORS = {403: Error, 404: Error, 422: Error}


@router.get(
    "",
    response={200: list[CandidateOut], **ERRORS},
    url_name="candidates_list",
    summary="Candidates in the caller's scope",
)
def list_candidates(request: HttpRequest, q: str = "", limit: int = 100, offset: int = 0) -> Any:
    candidates = queries.candidates_visible_to(request.user)
    if q:
        candidates = queries.search(candidates, q)
    limit = max(1, min(limit, 1000))
    return Status(200, [_candidate_out(c) for c in candidates.order_by("pk")[offset : offset + limit]])


@router.get(
    "/{int:candidate_id}",
    response={200: CandidateDetail, **ERRORS},
    url_name="candidates_detail",
    summary="One candidate",
)
def get_candidate(request: HttpRequest, candidate_id: int) -> Any:
    try:
        candidate = get_scoped_or_404(queries.candidates_visible_to(request.user), pk=candidate_id)
    except Http404:
        return _not_found()
    body = _candidate_out(candidate) | {
        "pathways": [
            {
                "title": p.title.code,
                "route": p.route,
                "provider_name": p.provider_name,
                "started_on": p.started_on,
                "ended_on": p.ended_on,
            }
            for p in candidate.pathways.select_related("title")
        ]
    }
    return Status(200, body)


@router.post(
    "/import",
    response={200: ImportOut, 403: Error, 404: Error, 422: ImportOut},
    url_name="candidates_import",
    summary="Import candidates from a CSV or XLSX file (docs/candidates-import.md)",
)
def import_file(
    request: HttpRequest,
    file: File[UploadedFile],
    centre: Form[str],
    dry_run: Form[bool] = False,
) -> Any:
    """The whole file is checked; nothing is written unless it is valid (422 with every bad row)."""
    try:
        target = get_scoped_or_404(queries.centres_managed_by(request.user), code=centre)
        report = services.check_and_import(request.user, target, file.name or "import", file.read(), commit=not dry_run)
    except PermissionDenied:
        return _forbidden()
    except Http404:
        return _not_found()
    return Status(200 if report.ok else 422, report.as_dict())


@router.post(
    "/vae/{int:application_id}/decision",
    response={200: DecisionOut, **ERRORS},
    url_name="candidates_vae_decide",
    summary="Decide a VAE admissibility application (authority agent)",
)
def decide_vae(request: HttpRequest, application_id: int, payload: DecisionIn) -> Any:
    try:
        application = get_scoped_or_404(queries.vae_applications_for_authority(request.user), pk=application_id)
        application = services.decide_vae(
            request.user, application, admissible=payload.decision, on=payload.on, reason=payload.reason
        )
    except PermissionDenied:
        return _forbidden()
    except Http404:
        return _not_found()
    except ValidationError as error:
        return _invalid(error)
    return Status(200, {"id": application.pk, "status": application.status, "decided_on": application.decided_on})


@router.post(
    "/accommodations/{int:accommodation_id}/decision",
    response={200: DecisionOut, **ERRORS},
    url_name="candidates_accommodation_decide",
    summary="Decide an accommodation request (authority agent)",
)
def decide_accommodation(request: HttpRequest, accommodation_id: int, payload: DecisionIn) -> Any:
    try:
        accommodation = get_scoped_or_404(queries.accommodations_for_authority(request.user), pk=accommodation_id)
        accommodation = services.decide_accommodation(
            request.user, accommodation, granted=payload.decision, on=payload.on, reason=payload.reason
        )
    except PermissionDenied:
        return _forbidden()
    except Http404:
        return _not_found()
    except ValidationError as error:
        return _invalid(error)
    return Status(200, {"id": accommodation.pk, "status": accommodation.status, "decided_on": accommodation.decided_on})


# The template's columns, for clients that build files.
COLUMNS = imports.COLUMNS
