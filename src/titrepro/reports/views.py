"""The results pages (/espace/centre/resultats/, /espace/dreets/resultats/): the figures of the sessions with a
validated PV, by session, centre or title version, as a table, a stacked-bar chart of the same rows and a CSV
(or XLSX) export of the same table (``?format=csv``).

Thin: the centre staff's page counts ``sessions.queries.managed_sessions`` (their centres), the authority's
``authority_sessions`` (their départements); a national administrator sees every session on both, any other role
gets 403. The filters come from the query string; a bad value is dropped (``ResultsFilterForm``), so a forged
link shows the default table rather than an error. The figures are defined in ``reports.queries``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET

from titrepro.core import dating
from titrepro.core.pages import crumbs
from titrepro.core.spreadsheets import download
from titrepro.reports import charts, queries
from titrepro.reports.forms import ResultsFilterForm
from titrepro.reports.queries import Figures, GroupBy
from titrepro.sessions import queries as session_queries
from titrepro.sessions.models import ExamSession

PER_PAGE = 50
EXPORTS = ("csv", "xlsx")


# The table: its columns, the same for the page and the export ------------------------------------------------------


def group_columns(group: GroupBy) -> list[str]:
    """The columns that say what each row is."""
    if group == "session":
        return [_("Session number"), _("First day"), _("Kind"), _("Centre"), _("Title code"), _("Version")]
    if group == "centre":
        return [_("Code"), _("Centre")]
    return [_("Title code"), _("Title"), _("Version")]


def figure_columns() -> list[str]:
    return [
        _("Candidates registered"),
        _("Candidates present"),
        _("Titles awarded"),
        _("Partial successes"),
        _("Failures"),
        _("Absences"),
        _("CCPs or CCS awarded"),
        _("Success rate (%)"),
    ]


def group_cells(group: GroupBy, row: Figures) -> list[Any]:
    if row.key is None:  # the total
        return [pgettext("results table", "Total"), *[""] * (len(group_columns(group)) - 1)]
    if group == "session":
        day = row.first_day.strftime("%d/%m/%Y") if row.first_day else ""
        return [row.session_number, day, row.kind_label, row.centre_name, row.title_code, row.version_label]
    if group == "centre":
        return [row.centre_code, row.centre_name]
    return [row.title_code, row.title_label, row.version_label]


def rate_cell(row: Figures) -> str:
    """The success rate in per cent with one decimal, in the reader's number format; empty when nobody was present."""
    return "" if row.percent is None else formats.number_format(row.percent, 1)


def figure_cells(row: Figures) -> list[Any]:
    return [
        row.registered,
        row.present,
        row.title_awarded,
        row.partial_success,
        row.failure,
        row.absent,
        row.awarded,
        rate_cell(row),
    ]


def export(fmt: str, group: GroupBy, rows: list[Figures], total: Figures) -> HttpResponse:
    header = [*group_columns(group), *figure_columns()]
    lines = [[*group_cells(group, row), *figure_cells(row)] for row in [*rows, total]]
    return download(fmt, f"results-{group}-{dating.today().isoformat()}", header, lines)


# The chart ------------------------------------------------------------------------------------------------------------


def legend() -> list[tuple[str, str]]:
    return [
        ("success", _("Success")),
        ("partial", _("Partial success")),
        ("failure", _("Failure")),
        ("absent", _("Absent")),
    ]


def rate_text(row: Figures) -> str:
    return "—" if row.percent is None else f"{formats.number_format(row.percent, 1)}\u00a0%"


def bar_of(row: Figures) -> charts.Bar:
    labels = dict(legend())
    counts = (
        ("success", row.successes),
        ("partial", row.partial_success),
        ("failure", row.failure),
        ("absent", row.absent),
    )
    parts = tuple(
        charts.Part(kind, count, _("%(result)s: %(count)s") % {"result": labels[kind], "count": count})
        for kind, count in counts
    )
    return charts.Bar(str(row.key), row.label, parts, rate_text(row))


# The page -------------------------------------------------------------------------------------------------------------


def _group_of(value: Any) -> GroupBy:
    for group in queries.GROUPS:
        if value == group:
            return group
    return "session"


def results_page(
    request: HttpRequest, sessions: QuerySet[ExamSession], *, heading: str, session_page: str
) -> HttpResponse:
    """The table, chart and export of ``sessions`` (already scoped to the user) with the request's filters; by
    session, each row links to the session's page ``session_page`` (a URL name taking the session's pk).

    Without ``annee`` in the query string the year is the latest one with results; ``annee=`` (empty) is every
    year; a value that is not one of the choices is dropped like the others."""
    years = queries.result_years(sessions)
    titles = queries.result_titles(sessions)
    default_year = str(years[0]) if years else ""
    data = request.GET.copy()
    if "annee" not in data:
        data["annee"] = default_year
    wanted = ResultsFilterForm(data, years=years, titles=titles).valid_data()
    group = _group_of(wanted.get("par"))
    year_text = str(wanted["annee"]) if "annee" in wanted else default_year
    title = wanted.get("titre") or ""
    chosen = {"par": group, "annee": year_text, "titre": title}
    form = ResultsFilterForm(chosen, years=years, titles=titles)  # what applies, never an error
    shown = queries.filtered(sessions, year=int(year_text) if year_text else None, title=title)

    fmt = request.GET.get("format")
    if fmt in EXPORTS:
        return export(fmt, group, queries.results(shown, group), queries.totals(shown))

    page = Paginator(queries.grouped(shown, group), PER_PAGE).get_page(request.GET.get("page"))
    rows = queries.figures(page.object_list, group)
    total = queries.totals(shown) if rows else Figures()
    filtered = bool(title) or year_text != default_year
    return render(
        request,
        "reports/results.html",
        {
            "heading": heading,
            "form": form,
            "group": group,
            "columns": group_columns(group),
            "rows": [
                {
                    "figures": row,
                    "cells": group_cells(group, row),
                    "rate": rate_text(row),
                    "link": reverse(session_page, args=[row.key]) if group == "session" else "",
                }
                for row in rows
            ],
            "total": {"figures": total, "cells": group_cells(group, total), "rate": rate_text(total), "link": ""},
            "chart": charts.stacked_bars([bar_of(row) for row in rows], legend()),
            "page": page,
            "filters": urlencode(chosen),
            "filtered": filtered,
            "any_results": bool(years),
            "export_url": request.path,
            "breadcrumb": crumbs((heading, "")),
        },
    )


@login_required
@require_GET
def centre_results(request: HttpRequest) -> HttpResponse:
    """The results of the centre staff's centres (every centre for a national administrator)."""
    return results_page(
        request,
        session_queries.managed_sessions(request.user),
        heading=_("Results of my centres"),
        session_page="sessions:centre_session_detail",
    )


@login_required
@require_GET
def authority_results(request: HttpRequest) -> HttpResponse:
    """The results of the authority agent's départements (every one for a national administrator)."""
    sessions = session_queries.authority_sessions(request.user)
    return results_page(
        request, sessions, heading=_("Results of my départements"), session_page="sessions:authority_session_detail"
    )


urlpatterns = [
    path("centre/resultats/", centre_results, name="centre_results"),
    path("dreets/resultats/", authority_results, name="authority_results"),
]
