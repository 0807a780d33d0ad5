"""The catalogue API, mounted at /api/v1/titles: read-only and public.

Thin over the reads shared with the pages (``queries``): the endpoints choose
what to prefetch so that each one runs a fixed number of SQL queries, and the
schemas (``api_schemas``) shape the answer.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from titrepro.catalogue import queries
from titrepro.catalogue.api_schemas import ErrorOut, TitleOut, TitleSummaryOut, VersionOut
from titrepro.catalogue.models import (
    CCP,
    CCS,
    Correspondence,
    EvaluationModality,
    Title,
    TitleVersion,
)

router = Router(tags=["catalogue"])


class CataloguePagination(LimitOffsetPagination):
    """Limit/offset pagination with a bounded page size."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100, description="Number of items per page (at most 100).")
        offset: int = Field(0, ge=0)


class TitleFilter(Schema):
    q: str = Field("", max_length=200, description="Searched in the code, label and RNCP codes of the titles.")


def _title_not_found(code: str) -> Status[ErrorOut]:
    return Status(404, ErrorOut(detail=f"No title with code {code}.", code="title_not_found"))


@router.get("", response=list[TitleSummaryOut], summary="List titles", operation_id="list_titles")
@paginate(CataloguePagination)
def list_titles(request: HttpRequest, filters: Query[TitleFilter]) -> object:
    """Titles ordered by code, with the version in force today."""
    return queries.search_titles(filters.q).prefetch_related("versions")


@router.get(
    "/{code}",
    response={200: TitleOut, 404: ErrorOut},
    summary="Get a title and its versions",
    operation_id="get_title",
)
def get_title(request: HttpRequest, code: str) -> object:
    title = queries.get_title(code)
    if title is None:
        return _title_not_found(code)
    return title


@router.get(
    "/{code}/versions/{label}",
    response={200: VersionOut, 404: ErrorOut},
    summary="Get one version of a title with its CCPs, competences and evaluation",
    operation_id="get_title_version",
)
def get_title_version(request: HttpRequest, code: str, label: str) -> object:
    version = queries.get_version(code, label)
    if version is None:
        if not Title.objects.filter(code=code).exists():
            return _title_not_found(code)
        return Status(
            404, ErrorOut(detail=f"Title {code} has no version {label}.", code="version_not_found")
        )
    return version
