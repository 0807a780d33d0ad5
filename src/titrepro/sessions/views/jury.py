"""Pages of the jury member (/espace/jury/...): their invitations and sessions, the answer to an invitation,
the personal links they declare with a candidate (R-64), their own day in the session's planning, their
convocations, their calendar feed.

A jury member sees only their own invitations (``queries.own_assignments``: another member's answers 404,
another role 403); the moves are the jury lifecycle's (``JURY.can``), the writes ``sessions.services``'.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import error, success
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from titrepro.accounts.permissions import get_scoped_or_404, scope_of
from titrepro.core import dating
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.directory.models import JuryMember
from titrepro.sessions import feeds, leave, planning, queries, services
from titrepro.sessions.forms_people import AnswerForm, ConflictForm
from titrepro.sessions.lifecycles import JURY
from titrepro.sessions.models import (
    BUSY_JURY_STATES,
    CalendarFeed,
    Convocation,
    DeliveryStatus,
    JuryAssignment,
    JuryStatus,
    RegistrationStatus,
)
from titrepro.sessions.views import feed


def _list_crumb() -> tuple[str, str]:
    return _("My jury sessions"), reverse("sessions:jury_invitation_list")


@login_required
@require_GET
def jury_invitation_list(request: HttpRequest) -> HttpResponse:
    """The invitations to answer first, then the sessions accepted to come, then the rest (past, declined)."""
    today = dating.today()
    assignments = list(queries.own_assignments(request.user).order_by("first_day", "pk"))
    to_answer = [a for a in assignments if a.status == JuryStatus.PROPOSED and a.last_day >= today]
    upcoming = [a for a in assignments if a.status == JuryStatus.ACCEPTED and a.last_day >= today]
    shown = {a.pk for a in (*to_answer, *upcoming)}
    earlier = sorted((a for a in assignments if a.pk not in shown), key=lambda a: a.first_day, reverse=True)
    return render(
        request,
        "sessions/jury/invitation_list.html",
        {
            "to_answer": to_answer,
            "upcoming": upcoming,
            "earlier": earlier,
            "breadcrumb": crumbs((_list_crumb()[0], "")),
        },
    )


def _detail(
    request: HttpRequest, assignment: JuryAssignment, *, answer_form: AnswerForm | None = None, status: int = 200
) -> HttpResponse:
    session = assignment.session
    declared = set(assignment.declared_conflicts.values_list("registration_id", flat=True))
    registrations = (
        session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("candidate")
        .order_by("candidate__birth_name", "candidate__given_names", "pk")
    )
    active = assignment.status in BUSY_JURY_STATES
    # Names only, and only while the invitation is active (minimal data: a member who declined sees none).
    candidates = [{"registration": r, "declared": r.pk in declared} for r in registrations] if active else []
    offered = JURY.offered(request.user, assignment)
    convocations = [
        c
        for c in queries.own_convocations(request.user).filter(assignment=assignment, status=DeliveryStatus.SENT)
        if c.pdf
    ]
    form = answer_form or AnswerForm()
    leave_by = leave.deadline(assignment) if assignment.status in leave.LEAVE_STATES else None
    return render(
        request,
        "sessions/jury/invitation_detail.html",
        {
            "assignment": assignment,
            "session": session,
            "ccps": list(session.ccps.all()),
            "accept": offered.get("accept"),
            "decline": offered.get("decline"),
            "candidates": candidates,
            "active": active,
            "planned": hasattr(session, "timetable") and assignment.status == JuryStatus.ACCEPTED,
            "own_days": planning.member_day_rows(assignment) if active else [],
            "convocations": convocations,
            "leave_by": leave_by,
            "leave_late": leave_by is not None and dating.today() > leave_by and dating.today() < session.first_day,
            "employer": leave.current_employer(assignment) if leave_by is not None else "",
            "form": form,
            "errors": form.error_list(),
            "breadcrumb": crumbs(_list_crumb(), (session.number, "")),
        },
        status=status,
    )


def _own(request: HttpRequest, pk: int) -> JuryAssignment:
    return get_scoped_or_404(queries.own_assignments(request.user), pk=pk)


@login_required
@require_GET
def jury_invitation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _own(request, pk))


@login_required
@require_POST
def jury_invitation_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """Accept, or decline with an optional note (``services.answer_invitation``)."""
    assignment = _own(request, pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        accept = form.cleaned_data["answer"] == "accept"
        try:
            services.answer_invitation(request.user, assignment, accept=accept, note=form.cleaned_data["note"])
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            success(
                request,
                _("Your answer is recorded: you accepted.") if accept else _("Your answer is recorded: you declined."),
            )
            return redirect("sessions:jury_invitation_detail", pk=assignment.pk)
    return _detail(request, assignment, answer_form=form, status=400)


@login_required
@require_POST
def jury_conflict_declare(request: HttpRequest, pk: int) -> HttpResponse:
    """A personal link with one candidate of the session (R-64): the member will not evaluate them."""
    assignment = _own(request, pk)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        return _detail(request, assignment, answer_form=None, status=400)
    registration = get_scoped_or_404(
        assignment.session.registrations.select_related("candidate"), pk=form.cleaned_data["registration"]
    )
    if assignment.status not in BUSY_JURY_STATES:
        error(request, _("This invitation is no longer active: there is nothing to declare."))
        return redirect("sessions:jury_invitation_detail", pk=assignment.pk)
    services.declare_conflict(request.user, assignment, registration, note=form.cleaned_data["note"])
    success(
        request,
        _("Your link with %(person)s is declared: you will not evaluate this candidate.")
        % {"person": registration.candidate},
    )
    return redirect("sessions:jury_invitation_detail", pk=assignment.pk)


def convocation_response(convocation: Convocation) -> FileResponse:
    """A stored convocation as a PDF attachment (after the caller's scope check); 404 when not rendered."""
    if not convocation.pdf:
        raise Http404
    response = FileResponse(
        convocation.pdf.open("rb"),
        as_attachment=True,
        filename=f"convocation-{convocation.session.number}-{convocation.reference}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def jury_convocation_pdf(request: HttpRequest, pk: int) -> FileResponse:
    if not scope_of(request.user).jury_members:  # own_convocations also answers a candidate
        raise PermissionDenied
    convocation = get_scoped_or_404(
        queries.own_convocations(request.user).filter(assignment__isnull=False).select_related("session"), pk=pk
    )
    return convocation_response(convocation)


@login_required
@require_GET
def jury_leave_request_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The request for leave of absence to the member's employer (R-66), once they have accepted; else 404."""
    assignment = get_scoped_or_404(
        queries.own_assignments(request.user)
        .filter(status__in=leave.LEAVE_STATES)
        .select_related("session__version__title", "session__centre__authority", "member"),
        pk=pk,
    )
    response = HttpResponse(leave.render_pdf(assignment, issued=timezone.now()), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{leave.filename(assignment)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The calendar feed ----------------------------------------------------------------------------------


def _member_of(user: Any) -> JuryMember:
    """The jury member the user is (403 without the role)."""
    ids = scope_of(user).jury_members
    if not ids:
        raise PermissionDenied
    return JuryMember.objects.filter(pk__in=ids).order_by("pk")[0]


@login_required
@require_http_methods(["GET", "POST"])
def jury_calendar(request: HttpRequest) -> HttpResponse:
    """The secret address of the member's calendar; a POST makes it, or a new one that revokes the old."""
    member = _member_of(request.user)
    if request.method == "POST":
        renewing = CalendarFeed.objects.filter(member=member).exists()
        feeds.renew_feed(request.user, member)
        success(
            request,
            _("A new address is made: the old one no longer works.")
            if renewing
            else _("Your calendar address is made."),
        )
        return redirect("sessions:jury_calendar")
    current = CalendarFeed.objects.filter(member=member).first()
    address = (
        request.build_absolute_uri(reverse("sessions:calendar_feed", args=[current.token]))
        if current is not None
        else ""
    )
    return render(
        request,
        "sessions/jury/calendar.html",
        {
            "feed": current,
            "address": address,
            "breadcrumb": crumbs(_list_crumb(), (_("My calendar"), "")),
        },
    )


urlpatterns = [
    path("jury/sessions/", jury_invitation_list, name="jury_invitation_list"),
    path("jury/sessions/<int:pk>/", jury_invitation_detail, name="jury_invitation_detail"),
    path("jury/sessions/<int:pk>/reponse/", jury_invitation_answer, name="jury_invitation_answer"),
    path("jury/sessions/<int:pk>/conflits/", jury_conflict_declare, name="jury_conflict_declare"),
    path("jury/convocations/<int:pk>/pdf/", jury_convocation_pdf, name="jury_convocation_pdf"),
    path("jury/sessions/<int:pk>/autorisation-absence/", jury_leave_request_pdf, name="jury_leave_request_pdf"),
    path("jury/agenda/", jury_calendar, name="jury_calendar"),
    # Public (no login): the secret in the address is the key; calendars poll it.
    path("agenda/<str:token>.ics", feed.calendar_feed, name="calendar_feed"),
]
