"""``/api/v1/candidates``: candidates of the caller's scope, import, VAE and accommodation decisions.

Errors are ``core.api.ApiError`` (403 wrong role, 404 missing or outside the
caller's scope, 422 a rule says no); an import whose file has errors answers
422 with its report (every bad row), which also carries ``code`` and ``message``.
The decisions are the one endpoint shape of ``core.decisions``.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from titrepro.accounts.api_auth import api_auth
from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.candidates import imports, queries, services
from titrepro.candidates.decisions import ACCOMMODATION_DECISION, VAE_DECISION
from titrepro.candidates.models import Candidate
from titrepro.core.api import READ_ERRORS, ApiError, Id, Offset, errors
from titrepro.core.decisions import add_decision_endpoint

router = Router(auth=api_auth, tags=["candidates"])


class PathwayOut(Schema):
    title: str
    route: str
    provider_name: str
    employer: str
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
    # With a 422: the one error shape's code and message, beside the report.
    code: str | None = None
    message: str | None = None


class ImportRejected(ImportOut):
    """The 422 of a file with errors: the report, with the one error shape's code and message."""

    code: str
    message: str


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


@router.get(
    "",
    response={200: list[CandidateOut], **READ_ERRORS},
    url_name="candidates_list",
    summary="Candidates in the caller's scope",
)
def list_candidates(
    request: HttpRequest,
    q: Annotated[str, Field(max_length=200)] = "",
    limit: Annotated[int, Field(ge=1, le=1000, description="Number of candidates (at most 1000).")] = 100,
    offset: Offset = 0,
) -> Any:
    candidates = queries.visible_candidates(request.user)
    if q:
        candidates = queries.search(candidates, q)
    return Status(200, [_candidate_out(c) for c in candidates.order_by("pk")[offset : offset + limit]])


@router.get(
    "/{int:candidate_id}",
    response={200: CandidateDetail, **READ_ERRORS},
    url_name="candidates_detail",
    summary="One candidate",
)
def get_candidate(request: HttpRequest, candidate_id: Id) -> Any:
    candidate = get_scoped_or_404(queries.visible_candidates(request.user), pk=candidate_id)
    body = _candidate_out(candidate) | {
        "pathways": [
            {
                "title": p.title.code,
                "route": p.route,
                "provider_name": p.provider_name,
                "employer": p.employer,
                "started_on": p.started_on,
                "ended_on": p.ended_on,
            }
            for p in candidate.pathways.select_related("title")
        ]
    }
    return Status(200, body)


@router.post(
    "/import",
    response={200: ImportOut, **errors(401, 403, 404, 409, 413), 422: ImportRejected | ApiError},
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
    target = get_scoped_or_404(queries.managed_centres(request.user), code=centre)
    report = services.check_and_import(request.user, target, file.name or "import", file.read(), commit=not dry_run)
    if report.ok:
        return Status(200, report.as_dict())
    return Status(
        422,
        {**report.as_dict(), "code": "import_has_errors", "message": _("The file has errors: nothing was imported.")},
    )


add_decision_endpoint(
    router,
    "/vae/{int:request_id}/decision",
    VAE_DECISION,
    url_name="candidates_vae_decide",
    summary="Decide a VAE admissibility application (authority agent)",
)
add_decision_endpoint(
    router,
    "/accommodations/{int:request_id}/decision",
    ACCOMMODATION_DECISION,
    url_name="candidates_accommodation_decide",
    summary="Decide an accommodation request (authority agent)",
)


# The template's columns, for clients that build files.
COLUMNS = imports.COLUMNS
