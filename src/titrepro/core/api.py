"""The one error shape of the API, and the handlers that turn every refusal into it.

Every error the API answers is ``ApiError``: ``code`` (a stable English
machine code: the rule's own reason code for a refusal), ``message`` (French,
for people), ``field`` (the input it is about, when there is one) and, for a
request that fails validation, ``errors`` (one entry per field). Routers do
not catch anything: services raise ``Refused`` / ``PermissionDenied`` /
``Http404`` and the handlers installed on the ``NinjaAPI`` answer
422 (409 for a ``Conflict``) / 403 / 404; a missing or bad authentication is 401.

No input gives a 500 (issue 11): a body that cannot be read is 422
(``invalid_json``, ``invalid_multipart``) or 413 (``body_too_large``), text
the database cannot store is 422, a write that met another one is 409
(``write_conflict``), and a URL or a method that no operation takes under
``/api/`` is a JSON 404 / 405 (``TitreproAPI``, ``page_not_found``).

Operations declare the statuses they may answer with ``errors(...)``
(``READ_ERRORS``, ``WRITE_ERRORS``); ids, offsets and text path parameters
are the bounded types ``Id``, ``Offset`` and ``Segment``.
"""

from __future__ import annotations

import copy
import functools
import json
import logging
from collections.abc import Callable
from typing import Annotated, Any, cast

from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.urls import URLPattern
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser
from pydantic import Field

from titrepro.core.refusals import Conflict, Forbidden, NotFound, Refused

logger = logging.getLogger(__name__)


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


# 401 without authentication, 403 a role that may not (or a session write without its CSRF token),
# 404 missing or outside the caller's scope, 422 a query, path or body that is not valid.
READ_ERRORS = errors(401, 403, 404, 422)
# And 409 a conflict or a write that met another one, 413 a body over the size limit.
WRITE_ERRORS = errors(401, 403, 404, 409, 413, 422)

# The largest id the databases hold (PostgreSQL bigint, SQLite INTEGER): beyond it a lookup overflows.
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# Far beyond any page a client reads, and far below an overflow of ``offset + limit``.
MAX_OFFSET = 10_000_000
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET, description=f"Items to skip (at most {MAX_OFFSET}).")]
# A text path parameter (a title's code...): query strings and bodies go through ApiParser, paths do not.
Segment = Annotated[str, Field(pattern=r"^[^\x00]+$")]


def body(code: str, message: str, field: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"code": code, "message": message, "field": field, "reasons": [], "errors": [], **extra}


def refusal_body(refusal: Refused) -> dict[str, Any]:
    return body(refusal.code, refusal.message, refusal.field, reasons=list(refusal.reasons))


def _location(loc: Any) -> str:
    """``("body", "payload", "reason")`` -> ``"reason"``: the field as the client wrote it."""
    parts = [str(part) for part in (loc or ()) if part not in ("body", "payload", "query", "path", "form", "file")]
    return ".".join(parts) or "$"


# Reading request data ---------------------------------------------------------------------------


class InvalidJson(Exception):
    """A body that is not JSON we can read: bad syntax or encoding, nested too deep, a number too long."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


class CsrfFailed(Exception):
    """A session request that writes came without its CSRF token (accounts.api_auth.SessionAuth)."""


def read_json(raw: bytes) -> Any:
    """The JSON of a request body, whose every string the database can store.

    ``InvalidJson`` if it cannot be read, ninja's ``ValidationError`` (422, the
    field named) for a string with NUL or an unpaired surrogate.
    """
    try:
        data = json.loads(raw)
    except RecursionError:
        raise InvalidJson(_("nested too deeply")) from None
    except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError, an integer of more than 4300 digits
        problem = str(exc).split(";")[0] if "digits" in str(exc) else str(exc)
        raise InvalidJson(problem) from None
    check_text(data, ("body",))
    return data


def _storable(text: str) -> bool:
    """PostgreSQL refuses NUL in text; neither database can encode an unpaired surrogate."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_text(data: Any, where: tuple[str | int, ...]) -> None:
    """Refuse (422) the first string in ``data`` the database cannot store; iterative, for any depth."""
    stack: list[tuple[tuple[str | int, ...], Any]] = [(where, data)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            if not _storable(value):
                message = _("This text contains a character that cannot be stored (NUL or an unpaired surrogate).")
                raise ValidationError([{"loc": loc, "msg": message, "type": "unstorable_text"}])
        elif isinstance(value, dict):
            stack.extend(((*loc, str(key)), item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend(((*loc, index), item) for index, item in enumerate(value))


class ApiParser(Parser):
    """ninja's parser, with ``read_json``'s checks; query strings and forms are checked the same way."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        return cast(dict[str, Any], read_json(request.body))

    def parse_querydict(self, data: Any, list_fields: list[str], request: HttpRequest) -> dict[str, Any]:
        for key in data:
            for value in data.getlist(key):
                check_text(value, ("query", key))
        return super().parse_querydict(data, list_fields, request)


# Errors of the database -------------------------------------------------------------------------

# PostgreSQL: serialization_failure, deadlock_detected, lock_not_available.
CONFLICT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def is_write_conflict(exc: OperationalError) -> bool:
    """A write that met another one: SQLite's lock still held after the timeout, PostgreSQL's lock errors."""
    if "database is locked" in str(exc) or "database table is locked" in str(exc):
        return True
    return getattr(exc.__cause__, "sqlstate", None) in CONFLICT_SQLSTATES


# The handlers -----------------------------------------------------------------------------------


def install_error_handlers(api: NinjaAPI) -> None:
    """Answer every refusal of every router in the one shape."""

    def respond(request: HttpRequest, status: int, data: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, data, status=status)

    def refused(request: HttpRequest, exc: Any) -> HttpResponse:
        status = 409 if isinstance(exc, Conflict) else 403 if isinstance(exc, Forbidden) else 422
        return respond(request, status, refusal_body(exc))

    def forbidden(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 403, body("forbidden", _("Your role does not allow this.")))

    def csrf_failed(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("The CSRF check failed: a request that writes with the session must send the X-CSRFToken header.")
        return respond(request, 403, body("csrf_failed", message))

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

    def invalid_json(request: HttpRequest, exc: Any) -> HttpResponse:
        message = _("this is not valid JSON (%(problem)s)") % {"problem": exc.problem}
        return respond(request, 422, body("invalid_json", message, "$", errors=[{"field": "$", "message": message}]))

    def invalid_multipart(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 422, body("invalid_multipart", _("The multipart/form-data body cannot be read.")))

    def unreadable(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 422, body("unreadable_body", _("The request body could not be read.")))

    def too_many_fields(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 422, body("too_many_fields", _("The request has too many fields or files.")))

    def too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        return respond(request, 413, body("body_too_large", _("The request body is too large.")))

    def database_error(request: HttpRequest, exc: Any) -> HttpResponse:
        if not is_write_conflict(exc):
            raise exc  # a real failure: logged, and a 500 (server_error below: JSON under /api/)
        message = _("Another change was being saved at the same time, so nothing was saved: try again.")
        response = respond(request, 409, body("write_conflict", message))
        response["Retry-After"] = "1"
        return response

    def http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        # ninja wraps what its parser raised (ApiParser: InvalidJson, ValidationError) in a 400.
        cause = exc.__cause__
        if isinstance(cause, InvalidJson):
            return invalid_json(request, cause)
        if isinstance(cause, ValidationError):
            return invalid(request, cause)
        return respond(request, exc.status_code, body("request_refused", _("The request could not be processed.")))

    api.add_exception_handler(Refused, refused)
    api.add_exception_handler(PermissionDenied, forbidden)
    api.add_exception_handler(AuthorizationError, forbidden)
    api.add_exception_handler(CsrfFailed, csrf_failed)
    api.add_exception_handler(Http404, not_found)
    api.add_exception_handler(AuthenticationError, unauthenticated)
    api.add_exception_handler(ValidationError, invalid)
    api.add_exception_handler(InvalidJson, invalid_json)
    api.add_exception_handler(MultiPartParserError, invalid_multipart)
    api.add_exception_handler(UnreadablePostError, unreadable)
    api.add_exception_handler(TooManyFieldsSent, too_many_fields)
    api.add_exception_handler(TooManyFilesSent, too_many_fields)
    api.add_exception_handler(RequestDataTooBig, too_large)
    api.add_exception_handler(OperationalError, database_error)
    api.add_exception_handler(HttpError, http_error)


# The API itself ---------------------------------------------------------------------------------


class TitreproAPI(NinjaAPI):
    """A ``NinjaAPI`` that answers in the one shape everywhere and documents what it answers.

    - the error handlers above and ``ApiParser``;
    - 405 (a method no operation of the path takes) in the shape, not ninja's plain text;
    - an OpenAPI document whose every ``$ref`` resolves: the ``$defs`` of a schema
      given by hand (``openapi_extra``) become components.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(parser=ApiParser(), **kwargs)
        install_error_handlers(self)

    @property
    def urls(self) -> tuple[list[Any], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = self._shaped_405(pattern.callback)
        return patterns, app_name, namespace

    def _shaped_405(self, view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)  # keeps csrf_exempt
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            response = view(request, *args, **kwargs)
            if isinstance(response, HttpResponseNotAllowed):
                shaped = self.create_response(
                    request, body("method_not_allowed", _("This method is not allowed here.")), status=405
                )
                shaped["Allow"] = response["Allow"]
                return shaped
            return response

        return wrapper

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Deep copies: the extra schemas are module constants shared by every call.
        schema["paths"] = copy.deepcopy(schema["paths"])
        components: dict[str, Any] = schema["components"]["schemas"]
        stack: list[Any] = [schema["paths"]]
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                for name, definition in node.pop("$defs", {}).items():
                    if components.setdefault(name, definition) != definition:
                        raise ValueError(f"Two different schemas are named {name} in the OpenAPI document")
                    stack.append(definition)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return schema


# Django's error pages: JSON under /api/ ---------------------------------------------------------

API_PREFIX = "/api/"


def json_response(data: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(json.dumps(data), status=status, content_type="application/json; charset=utf-8")


def _error_page(request: HttpRequest, template: str, status: int) -> HttpResponse:
    """The French DSFR page of an error (templates/<status>.html, issue 9 item 7).

    Rendered with the request (the header knows who is logged in, the CSP nonce is sent); if that
    fails too (the database is down...), a bare French page: an error page never raises.
    """
    try:
        return render(request, template, status=status)
    except Exception:
        logger.exception("The error page %s could not be rendered", template)
        text = _("An unexpected error occurred; it has been logged.")
        html = f'<!DOCTYPE html><html lang="fr"><title>titrepro</title><main><h1>{text}</h1><a href="/">titrepro</a></main></html>'
        return HttpResponse(html, status=status, content_type="text/html; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: a URL under /api/ that no operation takes is a JSON 404 in the shape."""
    if request.path_info.startswith(API_PREFIX):
        return json_response(body("not_found", _("Not found.")), 404)
    return _error_page(request, "404.html", 404)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler403: a page refused to this user (PermissionDenied outside the API's own handlers)."""
    if request.path_info.startswith(API_PREFIX):
        return json_response(body("forbidden", _("Your role does not allow this.")), 403)
    return _error_page(request, "403.html", 403)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler400 (a suspicious request Django refuses before any view)."""
    if request.path_info.startswith(API_PREFIX):
        return json_response(body("bad_request", _("The request is not valid.")), 400)
    return _error_page(request, "400.html", 400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: Django's own page is in English; a French page (JSON under /api/)."""
    if request.path_info.startswith(API_PREFIX):
        message = _("The CSRF check failed: a request that writes with the session must send the X-CSRFToken header.")
        return json_response(body("csrf_failed", message), 403)
    return _error_page(request, "403_csrf.html", 403)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: never expected, but JSON under /api/ too; a French page elsewhere, no stack trace."""
    if request.path_info.startswith(API_PREFIX):
        return json_response(body("server_error", _("An unexpected error occurred; it has been logged.")), 500)
    return _error_page(request, "500.html", 500)
