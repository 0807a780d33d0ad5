"""The one error shape of the API, and the handlers that turn every refusal into it.

Every error the API answers is ``ApiError``: ``code`` (a stable English
machine code: the rule's own reason code for a refusal), ``message`` (French,
for people), ``field`` (the input it is about, when there is one) and, for a
request that fails validation, ``errors`` (one entry per field). Routers do
not catch anything: services raise ``Refused`` / ``PermissionDenied`` /
``Http404`` and the handlers installed on the ``NinjaAPI`` answer
422 (409 for a ``Conflict``) / 403 / 404; a missing or bad authentication is 401.

Operations declare the statuses they may answer with ``errors(...)``; ids and
offsets are the bounded types ``Id`` and ``Offset``.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, ValidationError
from pydantic import Field

from titrepro.core.refusals import Conflict, NotFound, Refused


class FieldProblem(Schema):
    field: str
    message: str


class ApiError(Schema):
    code: str
    message: str
    field: str | None = None
    # Every rule that said no, when several did (the first is ``code``).
    reasons: list[str] = []
    # A request that fails validation: one entry per field.
    errors: list[FieldProblem] = []


def errors(*statuses: int) -> dict[int, type[ApiError]]:
    """The error statuses of an operation, for its ``response=`` declaration."""
    return dict.fromkeys(statuses, ApiError)


READ_ERRORS = errors(401, 403, 404)
WRITE_ERRORS = errors(401, 403, 404, 422)

# The largest id the databases hold (PostgreSQL bigint, SQLite INTEGER): beyond it a lookup overflows.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Far beyond any page a client reads, and far below an overflow of ``offset + limit``.
MAX_OFFSET = 10_000_000
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description=f"Items to skip (at most {MAX_OFFSET}).")]


def body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "reasons": [], "errors": [], **extra}


def refusal_body(refusal: Refused) -> dict[str, Any]:
    return body(refusal.code, refusal.message, refusal.field, reasons=list(refusal.reasons))


def _location(loc: Any) -> str:
    """``("body", "payload", "reason")`` -> ``"reason"``: the field as the client wrote it."""
    parts = [str(part) for part in (loc or ()) if part not in ("body", "payload", "query", "path", "form", "file")]
    return ".".join(parts) or "$"


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every refusal of every router in the one shape."""

    def respond(request: HttpRequest, status: int, data: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, data, status=status)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 409 if isinstance(exc, Conflict) else 422, refusal_body(exc))

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 403, body("forbidden", _("Your role does not allow this.")))

    def not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        if isinstance(exc, NotFound):
            return respond(request, 404, body(exc.code, exc.message, exc.field))
        return respond(request, 404, body("not_found", _("Not found.")))

    def unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 401, body("unauthenticated", _("Authentication is required.")))

    def invalid(request: HttpRequest, exc: Any) -> HttpResponse:
        problems = [{"field": _location(e.get("loc")), "message": str(e.get("msg", ""))} for e in exc.errors]
        first = problems[0]["field"] if problems else None
        return respond(request, 422, body("invalid_request", _("The request is not valid."), first, errors=problems))

    api.add_exception_handler(Refused, refused)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(AuthorizationError, forbidden)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ValidationError, invalid)
