"""The catalogue's updates in the workspaces (/espace/national/catalogue/..., namespace ``catalogue_spaces``): each
import of France Compétences' RNCP export (``titrepro catalogue import-rncp``, docs/rncp-import.md) with the day
of its export and its report of what changed, title by title.

For national administrators only (``queries.visible_imports``): any other role gets 403. The pages read what
the import kept (``CatalogueImport.report``, language-neutral) and word it with ``rncp_import.describe``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.catalogue import rncp_import
from titrepro.catalogue.models import Title
from titrepro.catalogue.queries import visible_imports
from titrepro.core.pages import crumbs

app_name = "catalogue_spaces"

PER_PAGE = 25


@login_required
@require_GET
def catalogue_updates(request: HttpRequest) -> HttpResponse:
    """The imports, the latest first: when, which export, how many titles new or changed."""
    imports = (
        visible_imports(request.user)
        .defer("report")
        .annotate(
            fiches=KT("report__counts__ministry"),
            titles=KT("report__counts__titles"),
            new_titles=KT("report__counts__created"),
            changed=KT("report__counts__changed"),
            differences=KT("report__counts__differences"),
        )
    )
    page = Paginator(imports, PER_PAGE).get_page(request.GET.get("page"))
    heading = _("Catalogue updates")
    return render(
        request,
        "catalogue/spaces/updates.html",
        {"heading": heading, "page": page, "filters": "", "breadcrumb": crumbs((heading, ""))},
    )


def _title_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The titles that changed or differ, each with its sentences and its page in the catalogue (if it is there)."""
    entries = [entry for entry in report.get("titles", []) if entry.get("changes") or entry.get("differences")]
    known = set(Title.objects.filter(code__in=[entry["code"] for entry in entries]).values_list("code", flat=True))
    return [
        {
            "code": entry["code"],
            "label": entry["label"],
            "created": entry.get("created", False),
            "url": reverse("catalogue:title_detail", args=[entry["code"]]) if entry["code"] in known else "",
            "changes": [rncp_import.describe(change) for change in entry.get("changes", [])],
            "differences": [rncp_import.describe_difference(item) for item in entry.get("differences", [])],
        }
        for entry in entries
    ]


@login_required
@require_GET
def catalogue_update_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One import's report: its counts, then each title that changed or differs from confirmed data."""
    update = get_scoped_or_404(visible_imports(request.user), pk=pk)
    report = update.report
    rows = _title_rows(report)
    list_heading = _("Catalogue updates")
    heading = _("Update of %(day)s") % {"day": update.imported_at.strftime("%d/%m/%Y %H:%M")}
    return render(
        request,
        "catalogue/spaces/update_detail.html",
        {
            "heading": heading,
            "update": update,
            "counts": report.get("counts", {}),
            "rows": rows,
            "unchanged": len(report.get("titles", [])) - len(rows),
            "skipped": [rncp_import.describe_skip(skip) for skip in report.get("skipped", [])],
            "breadcrumb": crumbs((list_heading, reverse("catalogue_spaces:catalogue_updates")), (heading, "")),
        },
    )


urlpatterns = [
    path("national/catalogue/mises-a-jour/", catalogue_updates, name="catalogue_updates"),
    path("national/catalogue/mises-a-jour/<int:pk>/", catalogue_update_detail, name="catalogue_update_detail"),
]
