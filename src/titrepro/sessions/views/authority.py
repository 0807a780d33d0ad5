"""Pages of the authority agent (DREETS / DDETS, /espace/dreets/...): the sessions of its départements, one
session with everything about it and its annulment (R-81), the yearly programmes of its centres (R-40).

Thin: reads through ``sessions.queries`` (scoped: another authority's session answers 404), writes through
``sessions.services``; the annulment is offered when the session's lifecycle says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractMonth
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.audit.labels import action_label
from titrepro.audit.models import AuditEntry
from titrepro.core import dating
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.directory.queries import visible_centres
from titrepro.sessions import queries, services
from titrepro.sessions.forms_people import AnnulForm, SessionFilterForm, year_of
from titrepro.sessions.lifecycles import SESSION
from titrepro.sessions.models import (
    ExamSession,
    JuryAssignment,
    PlannedSession,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
)

PER_PAGE = 50


def _sessions_crumb() -> tuple[str, str]:
    return _("Sessions of my départements"), reverse("sessions:authority_session_list")


# The list -------------------------------------------------------------------------------------------


def _filter_form(request: HttpRequest, sessions: QuerySet[ExamSession]) -> SessionFilterForm:
    titles = sorted(set(sessions.values_list("version__title__code", "version__title__label")))
    centres = visible_centres(request.user).filter(pk__in=sessions.values("centre")).order_by("name")
    return SessionFilterForm(
        request.GET or None, centres=centres, titles=[(code, f"{code} – {label}") for code, label in titles]
    )


def _filtered(sessions: QuerySet[ExamSession], wanted: dict[str, Any]) -> QuerySet[ExamSession]:
    if wanted["centre"] is not None:
        sessions = sessions.filter(centre=wanted["centre"])
    if wanted["titre"]:
        sessions = sessions.filter(version__title__code=wanted["titre"])
    if wanted["statut"]:
        sessions = sessions.filter(status=wanted["statut"])
    if wanted["du"] is not None:
        sessions = sessions.filter(last_day__gte=wanted["du"])
    if wanted["au"] is not None:
        sessions = sessions.filter(first_day__lte=wanted["au"])
    return sessions


@login_required
@require_GET
def authority_session_list(request: HttpRequest) -> HttpResponse:
    sessions = queries.authority_sessions(request.user)
    form = _filter_form(request, sessions)
    shown = queries.with_counts(_filtered(sessions, form.filters())).order_by("-first_day", "number")
    page = Paginator(shown, PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "sessions/authority/session_list.html",
        {
            "form": form,
            "page": page,
            "filters": kept.urlencode(),
            "filtered": form.filtered(),
            "breadcrumb": crumbs((_sessions_crumb()[0], "")),
        },
    )


# One session ----------------------------------------------------------------------------------------


def _history(
    session: ExamSession, registrations: list[Registration], jury: list[JuryAssignment]
) -> list[dict[str, Any]]:
    """The audit entries of the session, its registrations and its jury, in the order they were written."""
    wanted = Q(object_type=session._meta.label_lower, object_id=str(session.pk))
    for model, rows in ((Registration, registrations), (JuryAssignment, jury)):
        if rows:
            wanted |= Q(object_type=model._meta.label_lower, object_id__in=[str(row.pk) for row in rows])
    entries = AuditEntry.objects.filter(wanted).select_related("actor").order_by("sequence")
    return [{"entry": entry, "label": action_label(entry.action)} for entry in entries]


@login_required
@require_GET
def authority_session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_scoped_or_404(queries.with_counts(queries.authority_sessions(request.user)), pk=pk)
    registrations = list(queries.registrations_of(session))
    jury = list(queries.jury_of(session))
    annul = SESSION.offered(request.user, session).get("annul")
    return render(
        request,
        "sessions/authority/session_detail.html",
        {
            "session": session,
            "ccps": list(session.ccps.all()),
            "registrations": registrations,
            "jury": jury,
            "convocations": list(queries.convocations_of(session)),
            "incidents": list(session.incidents.select_related("registration__candidate").order_by("recorded_at")),
            "annul": annul,
            "history": _history(session, registrations, jury),
            "breadcrumb": crumbs(_sessions_crumb(), (session.number, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authority_session_annul(request: HttpRequest, pk: int) -> HttpResponse:
    """The annulment, a reasoned decision (R-81): the form, then ``services.annul_session``."""
    session = get_scoped_or_404(queries.authority_sessions(request.user), pk=pk)
    back = reverse("sessions:authority_session_detail", args=[session.pk])
    form = AnnulForm(request.POST if request.method == "POST" else None)
    refused: Refused | None = None
    if form.is_valid():
        try:
            services.annul_session(request.user, session, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            form.add_refusal(refusal)
            refused = refusal
        else:
            success(request, _("The session is annulled; the centre, the candidates and the jury will be told."))
            return redirect(back)
    answer = SESSION.can("annul", request.user, session)
    return render(
        request,
        "sessions/authority/session_annul.html",
        {
            "session": session,
            "form": form,
            "errors": form.error_list(),
            "error_heading": _("This decision cannot be recorded") if refused is not None else "",
            "unavailable": "" if answer.allowed or form.is_bound else answer.message,
            "cancel_url": back,
            "breadcrumb": crumbs(_sessions_crumb(), (session.number, back), (_("Annul the session"), "")),
        },
        status=400 if form.is_bound else 200,
    )


# The yearly programmes (R-40) ----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthLine:
    """One month of a centre's year: the sessions it planned (and the candidates it expected), those it declared."""

    month: int
    label: str
    planned: int
    expected: int
    declared: int


def _programme_rows(user: Any, year: int) -> list[dict[str, Any]]:
    """For each centre of the agent's départements: its programme of ``year`` and the sessions it declared."""
    today = dating.today()
    due = services.programme_due(year)
    centres = list(visible_centres(user).order_by("name"))
    programmes = {p.centre_id: p for p in queries.authority_programmes(user).filter(year=year)}
    planned: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for line in (
        PlannedSession.objects.filter(programme__in=list(programmes.values()))
        .values("programme__centre_id", "month")
        .annotate(sessions=Count("pk"), expected=Sum("expected_candidates"))
    ):
        planned[line["programme__centre_id"]][line["month"]] = (line["sessions"], line["expected"] or 0)
    declared_sessions = queries.authority_sessions(user).filter(first_day__year=year, declared_on__isnull=False)
    declared: dict[int, dict[int, int]] = defaultdict(dict)
    for centre_id, month, count in (
        declared_sessions.annotate(month=ExtractMonth("first_day"))
        .values("centre_id", "month")
        .annotate(sessions=Count("pk"))
        .order_by()
        .values_list("centre_id", "month", "sessions")
    ):
        declared[centre_id][month] = count
    registered = dict(
        Registration.objects.filter(session__in=declared_sessions, status=RegistrationStatus.REGISTERED)
        .values("session__centre_id")
        .annotate(n=Count("pk"))
        .values_list("session__centre_id", "n")
    )
    rows = []
    for centre in centres:
        programme = programmes.get(centre.pk)
        sent = programme is not None and programme.status == ProgrammeStatus.SENT
        sent_on = programme.sent_on if programme is not None and sent else None
        late = (sent_on > due) if sent_on is not None else today > due
        months = [
            MonthLine(
                month,
                str(MONTHS[month]),
                *planned[centre.pk].get(month, (0, 0)),
                declared[centre.pk].get(month, 0),
            )
            for month in range(1, 13)
        ]
        rows.append(
            {
                "centre": centre,
                "sent": sent,
                "sent_on": sent_on,
                "late": late,
                "planned": sum(m.planned for m in months),
                "expected": sum(m.expected for m in months),
                "declared": sum(m.declared for m in months),
                "registered": registered.get(centre.pk, 0),
                "months": [m for m in months if m.planned or m.declared],
            }
        )
    return rows


@login_required
@require_GET
def authority_programme_list(request: HttpRequest) -> HttpResponse:
    today = dating.today()
    year = year_of(request.GET.get("annee"), today)
    rows = _programme_rows(request.user, year)
    return render(
        request,
        "sessions/authority/programme_list.html",
        {
            "year": year,
            "due": services.programme_due(year),
            "rows": rows,
            "years": [year - 1, year + 1],
            "breadcrumb": crumbs((_("Session programmes of %(year)s") % {"year": year}, "")),
        },
    )


urlpatterns = [
    path("dreets/sessions/", authority_session_list, name="authority_session_list"),
    path("dreets/sessions/<int:pk>/", authority_session_detail, name="authority_session_detail"),
    path("dreets/sessions/<int:pk>/annuler/", authority_session_annul, name="authority_session_annul"),
    path("dreets/programmes/", authority_programme_list, name="authority_programme_list"),
]
