"""``POST /api/v1/standing``: the same JSON in and out as ``titrepro standing``."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from titrepro.catalogue.standing import StandingInputError, StandingRequest, answer

router = Router(tags=["standing"])

# Candidates, pathways, imports: for centre staff and authority agents (see candidates/api_records.py).

_REQUEST_SCHEMA = StandingRequest.model_json_schema(ref_template="#/components/schemas/{model}")


@router.post(
    "",
    response={200: dict[str, Any], 422: dict[str, Any]},
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
    the same errors: 422 with `{"code": "invalid_request", "detail": [{"field", "message"}]}`.
    """
    try:
        payload = json.loads(request.body or b"null")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return Status(
            422,
            {
                "code": "invalid_json",
                "detail": [{"field": "$", "message": _("this is not valid JSON (%(problem)s)") % {"problem": exc}}],
            },
        )
    try:
        return Status(200, answer(payload))
    except StandingInputError as exc:
        return Status(422, {"code": "invalid_request", "detail": exc.errors})
