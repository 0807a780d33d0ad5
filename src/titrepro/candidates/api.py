"""``POST /api/v1/standing``: the same JSON in and out as ``titrepro standing``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from titrepro.candidates.standing import StandingInputError, StandingRequest, answer

router = Router(tags=["standing"])


@router.post("", response={200: dict[str, Any], 422: dict[str, Any]}, auth=None, summary="Standing of a candidate")
def standing(request: HttpRequest, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """What a candidate holds, what is missing, until when, and the next steps (docs/standing.md).

    The body follows the `StandingRequest` shape; errors answer 422 with one entry per field.
    """
    try:
        return 200, answer(body)
    except StandingInputError as exc:
        return 422, {"code": "invalid_request", "detail": exc.errors}


__all__ = ["StandingRequest", "router"]
