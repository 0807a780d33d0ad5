"""``POST /api/v1/standing``: the same JSON in and out as ``titrepro standing``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from titrepro.catalogue.standing import StandingInputError, StandingRequest, answer
from titrepro.core.api import body, errors, read_json

router = Router(tags=["standing"])

# Candidates, pathways, imports: for centre staff and authority agents (see candidates/api_records.py).

_REQUEST_SCHEMA = StandingRequest.model_json_schema(ref_template="#/components/schemas/{model}")


@router.post(
    "",
    response={200: dict[str, Any], **errors(413, 422)},
    auth=None,
    summary="Standing of a candidate",
    # The operationId ninja derived from the module before it moved from candidates/api.py: the contract stays.
    operation_id="titrepro_candidates_api_standing",
    openapi_extra={
        "requestBody": {"required": True, "content": {"application/json": {"schema": _REQUEST_SCHEMA}}},
    },
)
def standing(request: HttpRequest) -> Status[dict[str, Any]]:
    """What a candidate holds, what is missing, until when, and the next steps (docs/standing.md).

    The body is read here rather than by ninja so that the API and the CLI give
    the same errors: 422 with the one error shape, `{"code": "invalid_request", "message", "field",
    "errors": [{"field", "message"}]}` (``core.api.ApiError``).
    """
    payload = read_json(request.body or b"null")  # 422 invalid_json, or invalid_request for text with NUL
    try:
        return Status(200, answer(payload))
    except StandingInputError as exc:
        first = exc.errors[0]["field"] if exc.errors else None
        return Status(422, body("invalid_request", _("The request is not valid."), first, errors=exc.errors))
