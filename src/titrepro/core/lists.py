"""What every work list shares (issue 9, item 5): pages of 50 whose links keep the filters.

The template side is ``includes/pagination.html``: ``{% include "includes/pagination.html" %}``
with ``page`` and ``filters`` (the query string without ``page``) in the context.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def kept_filters(request: HttpRequest) -> str:
    """The list's query string without its page number (for the pagination and export links)."""
    kept = request.GET.copy()
    kept.pop("page", None)
    return kept.urlencode()


def paginate(request: HttpRequest, items: Sequence[Any] | Any, per_page: int = PER_PAGE) -> tuple[Page[Any], str]:
    """The page ``?page=`` asks for (the last one when past the end, the first for a bad number),
    and the filters its links keep."""
    return Paginator(items, per_page).get_page(request.GET.get("page")), kept_filters(request)
