"""The catalogue API, mounted at /api/v1/titles: read-only and public.

Thin over the reads shared with the pages (``queries``, which prefetch so that
each endpoint runs a fixed number of SQL queries); the schemas
(``api_schemas``) shape the answers.
"""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from titrepro.catalogue import queries
from titrepro.catalogue.api_schemas import TitleOut, TitleSummaryOut, VersionOut
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.core.api import Offset, Segment, errors
from titrepro.core.refusals import NotFound

router = Router(tags=["catalogue"])


class CataloguePagination(LimitOffsetPagination):
    """Limit/offset pagination with a bounded page size."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=100, description="Number of items per page (at most 100).")
        offset: Offset = 0


class TitleFilter(Schema):
    q: str = Field("", max_length=200, description="Searched in the code, label, short label and RNCP codes.")


def _title_not_found(code: str) -> NotFound:
    return NotFound("title_not_found", _("No title with code %(code)s.") % {"code": code}, "code")


@router.get(
    "",
    response={200: list[TitleSummaryOut], **errors(422)},
    summary="List and search titles",
    operation_id="list_titles",
)
@paginate(CataloguePagination)
def list_titles(request: HttpRequest, filters: Query[TitleFilter]) -> object:
    """Titles ordered by code, each with its current version."""
    return queries.search_titles(filters.q)


@router.get(
    "/{code}",
    response={200: TitleOut, **errors(404, 422)},
    summary="Get a title and its versions",
    operation_id="get_title",
)
def get_title(request: HttpRequest, code: Segment) -> Title:
    """A title's identity, its sources and its versions ordered by validity."""
    try:
        return queries.get_title(code)
    except Http404:
        raise _title_not_found(code) from None


@router.get(
    "/{code}/versions/{label}",
    response={200: VersionOut, **errors(404, 422)},
    summary="Get a version of a title in full",
    operation_id="get_title_version",
)
def get_title_version(request: HttpRequest, code: Segment, label: Segment) -> TitleVersion:
    """One version: CCPs and their competences, CCS, transversal competences,
    evaluation modalities per session, correspondences and equivalences."""
    try:
        return queries.get_version(code, label)
    except Http404:
        if not Title.objects.filter(code=code).exists():
            raise _title_not_found(code) from None
        raise NotFound(
            "version_not_found",
            _("Title %(code)s has no version %(label)s.") % {"code": code, "label": label},
            "label",
        ) from None
