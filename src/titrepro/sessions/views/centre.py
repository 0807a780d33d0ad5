"""Pages of the centre staff (/espace/centre/sessions/...): sessions, registrations, jury, convocations,
the session day and the yearly programme. Thin: reads through ``sessions.queries``, writes through
``sessions.services``; an action is offered only when its lifecycle says it is allowed, and a refusal
is shown with its reason."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.forms import formset_factory
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.audit.labels import action_label
from titrepro.audit.services import history
from titrepro.candidates.models import Candidate, Pathway
from titrepro.candidates.queries import managed_candidates, managed_centres
from titrepro.candidates.workspace import SELECTED
from titrepro.catalogue.models import TitleVersion
from titrepro.core import dating, pdf
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.directory.models import JuryMember
from titrepro.rules import sessions as session_rules
from titrepro.rules.standing import SessionKind as RulesKind
from titrepro.sessions import planning, queries, services, sheets
from titrepro.sessions.forms import (
    AttendanceForm,
    IncidentForm,
    InviteForm,
    MoveSlotForm,
    OptionalReasonForm,
    PlannedLineForm,
    PlanningResourcesForm,
    ReasonForm,
    RegisterForm,
    RegisterManyForm,
    RegisterPickForm,
    SessionForm,
    SlotForm,
)
from titrepro.sessions.lifecycles import (
    CONVOCATION,
    JURY,
    OPEN_FOR_REGISTRATIONS,
    REGISTRATION,
    SESSION,
    coverage_of,
    jury_check_of,
)
from titrepro.sessions.models import (
    ExamSession,
    JuryStatus,
    Programme,
    ProgrammeStatus,
    RegistrationStatus,
    SessionStatus,
    Timetable,
    TimetableSlot,
)
from titrepro.sessions.timetable import local_zone

GET_POST = require_http_methods(["GET", "POST"])

# The moves a centre makes from the session page: the service, whether it needs a reason, what is said after.
MOVES: dict[str, tuple[Callable[..., ExamSession], bool, Any]] = {
    "declare": (services.declare_session, False, gettext_lazy("The session is declared to the authority.")),
    "convene": (
        services.convene,
        False,
        gettext_lazy("The convocations are being sent: follow their delivery below."),
    ),
    "hold": (services.hold_session, False, gettext_lazy("The session is recorded as held.")),
    "cancel": (
        services.cancel_session,
        True,
        gettext_lazy("The session is cancelled; the people convened are told."),
    ),
}


def _list_crumb() -> tuple[str, str]:
    return _("Sessions"), reverse("sessions:centre_session_list")


def _session_crumb(session: ExamSession) -> tuple[str, str]:
    return session.number, reverse("sessions:centre_session_detail", args=[session.pk])


def _session(request: HttpRequest, pk: int) -> ExamSession:
    return get_scoped_or_404(queries.managed_sessions(request.user), pk=pk)


def _form_page(
    request: HttpRequest,
    session: ExamSession | None,
    form: Any,
    heading: str,
    submit: str,
    template: str = "sessions/centre/form.html",
    **extra: Any,
) -> HttpResponse:
    links = [_list_crumb()] + ([_session_crumb(session)] if session is not None else [])
    context = {
        "session": session,
        "form": form,
        "errors": form.error_list(),
        "heading": heading,
        "submit": submit,
        "cancel_url": reverse("sessions:centre_session_detail", args=[session.pk])
        if session is not None
        else reverse("sessions:centre_session_list"),
        "breadcrumb": crumbs(*links, (heading, "")),
        **extra,
    }
    return render(request, template, context, status=400 if form.is_bound else 200)


# Sessions -----------------------------------------------------------------------------------------


@login_required
def centre_session_list(request: HttpRequest) -> HttpResponse:
    sessions = queries.with_counts(queries.managed_sessions(request.user)).order_by("-first_day", "-number")
    wanted = request.GET.get("statut", "")
    if wanted in SessionStatus.values:
        sessions = sessions.filter(status=wanted)
    else:
        wanted = ""
    page = Paginator(sessions, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "sessions/centre/session_list.html",
        {
            "page": page,
            "statuses": SessionStatus.choices,
            "wanted": wanted,
            "filters": f"statut={wanted}" if wanted else "",
            "today": dating.today(),
            "programme_year": dating.today().year + (1 if dating.today().month >= 10 else 0),
            "breadcrumb": crumbs((_("Sessions"), "")),
        },
    )


@login_required
def centre_session_calendar(request: HttpRequest) -> HttpResponse:
    """The month of ``?mois=2027-03`` (the current month by default, or when the value is not a month):
    the sessions that run on any of its days, whatever their status, in a grid and in a list."""
    today = dating.today()
    month = queries.month_of(request.GET.get("mois"), today)
    sessions = list(
        queries.with_counts(queries.managed_sessions(request.user))
        .filter(first_day__lte=queries.month_end(month), last_day__gte=month)
        .order_by("first_day", "number")
    )
    return render(
        request,
        "sessions/centre/session_calendar.html",
        {
            "month": month,
            "weeks": queries.month_weeks(month, sessions),
            "weekdays": [WEEKDAYS[number] for number in range(7)],
            "sessions": sessions,
            "previous": queries.shift_month(month, -1),
            "next": queries.shift_month(month, 1),
            "today": today,
            "breadcrumb": crumbs(_list_crumb(), (_("Calendar"), "")),
        },
    )


@login_required
@GET_POST
def centre_session_new(request: HttpRequest) -> HttpResponse:
    centres = managed_centres(request.user)
    form = SessionForm(request.POST if request.method == "POST" else None, centres=centres)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        centre = data.pop("centre")
        try:
            session = services.create_session(request.user, centre, **data)
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Session %(number)s is created, being prepared.") % {"number": session.number})
            return redirect("sessions:centre_session_detail", session.pk)
    return _form_page(request, None, form, _("New session"), _("Create the session"))


def _readiness(session: ExamSession) -> dict[str, Any]:
    """What stands between the session and its convocations: coverage, jury, lead time (R-30, R-43, R-63, R-64)."""
    today = dating.today()
    coverage = coverage_of(session, today) if session.status == SessionStatus.DRAFT else None
    check = jury_check_of(session)
    names = {r.candidate_id: r.candidate for r in session.registrations.select_related("candidate")}
    members = {a.member_id: a.member for a in session.jury.select_related("member")}
    conflicts = [
        {"member": members.get(c.member), "candidate": names.get(c.candidate), "kind": c.kind, "detail": c.detail}
        for c in check.conflicts
    ]
    return {
        "coverage": coverage,
        "jury_check": check,
        "conflicts": conflicts,
        "deadline": session_rules.convocation_deadline(RulesKind(session.kind), session.first_day),
        "leave_deadline": session_rules.leave_request_deadline(session.first_day),
    }


@login_required
def centre_session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    user = request.user
    registrations = list(queries.registrations_of(session))
    jury = list(queries.jury_of(session))
    convocations = list(queries.convocations_of(session).order_by("pk"))
    entries = sorted(
        [entry for obj in (session, *registrations, *jury) for entry in history(obj)], key=lambda e: e.sequence
    )
    return render(
        request,
        "sessions/centre/session_detail.html",
        {
            "session": session,
            "ccps": list(session.ccps.order_by("number")),
            "moves": SESSION.offered(user, session),
            "registrations": [(r, REGISTRATION.can("withdraw", user, r)) for r in registrations],
            "jury": [(a, JURY.can("withdraw", user, a)) for a in jury],
            "convocations": [(c, CONVOCATION.can("resend", user, c)) for c in convocations],
            "incidents": list(session.incidents.select_related("registration__candidate")),
            "readiness": _readiness(session),
            # Registrations and invitations are taken while the session is prepared or declared.
            "open_for_people": session.status in (SessionStatus.DRAFT, SessionStatus.DECLARED),
            "history": [{"entry": e, "label": action_label(e.action)} for e in entries],
            "breadcrumb": crumbs(_list_crumb(), (session.number, "")),
        },
    )


@login_required
@GET_POST
def centre_session_move(request: HttpRequest, pk: int, move: str) -> HttpResponse:
    """Confirm, then make one move of the session (declare, convene, hold, cancel)."""
    if move not in MOVES:
        raise Http404
    session = _session(request, pk)
    service, needs_reason, done = MOVES[move]
    form = (ReasonForm if needs_reason else OptionalReasonForm)(request.POST if request.method == "POST" else None)
    answer = SESSION.can(move, request.user, session)
    if request.method == "POST" and form.is_valid():
        try:
            if needs_reason:
                service(request.user, session, reason=form.cleaned_data["reason"])
            else:
                service(request.user, session)
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, str(done))
            return redirect("sessions:centre_session_detail", session.pk)
    if not needs_reason:
        del form.fields["reason"]
    label = SESSION.move(move).label
    return _form_page(
        request, session, form, str(label), str(label), answer=answer, readiness=_readiness(session), move=move
    )


# Registrations -----------------------------------------------------------------------------------


def _registrable(request: HttpRequest, session: ExamSession) -> Any:
    """The centre's candidates with a pathway to the session's title, not registered to it yet."""
    already = session.registrations.filter(status=RegistrationStatus.REGISTERED).values("candidate_id")
    candidates = (
        managed_candidates(request.user)
        .filter(centre=session.centre, pathways__title=session.version.title)
        .exclude(pk__in=already)
        .distinct()
        .order_by("birth_name", "given_names", "birth_date")
    )
    text = request.GET.get("q", "").strip()
    if text:
        candidates = candidates.filter(Q(birth_name__icontains=text) | Q(usual_name__icontains=text))
    return candidates


@login_required
@GET_POST
def centre_registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    form = RegisterForm(request.POST if request.method == "POST" else None, candidates=_registrable(request, session))
    if request.method == "POST" and form.is_valid():
        try:
            services.register(request.user, session, form.cleaned_data["candidate"])
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The candidate is registered."))
            return redirect("sessions:centre_session_detail", session.pk)
    return _form_page(request, session, form, _("Register a candidate"), _("Register"))


@login_required
@GET_POST
def centre_registration_many(request: HttpRequest, pk: int) -> HttpResponse:
    """Several candidates at once: each is registered or refused with the rule's reason."""
    session = _session(request, pk)
    form = RegisterManyForm(
        request.POST if request.method == "POST" else None, candidates=_registrable(request, session)
    )
    outcomes = None
    if request.method == "POST" and form.is_valid():
        outcomes = services.register_many(request.user, session, form.cleaned_data["candidates"])
        registered = sum(1 for o in outcomes if o.registration is not None)
        if registered:
            messages.success(request, _("%(n)d candidate(s) registered.") % {"n": registered})
        if all(o.registration is not None for o in outcomes):
            return redirect("sessions:centre_session_detail", session.pk)
        form = RegisterManyForm(None, candidates=_registrable(request, session))
    return _form_page(
        request, session, form, _("Register several candidates"), _("Register the candidates"), outcomes=outcomes
    )


# At most this many candidates are taken from one selection (the list shows 50 a page).
MAX_PICKED = 500


def _pk(value: str) -> int | None:
    """A primary key from the query string or the form, or None when it is not one (no 500 on garbage)."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _picked(request: HttpRequest) -> list[Candidate]:
    """The candidates ticked on the candidate list (``?candidat=1&candidat=2``), the user's only: an id
    outside their scope is as unknown as a missing one and is dropped, like a malformed one."""
    wanted = {pk for pk in map(_pk, request.GET.getlist(SELECTED)) if pk is not None}
    candidates = managed_candidates(request.user).filter(pk__in=sorted(wanted)[:MAX_PICKED])
    return list(candidates.order_by("birth_name", "given_names", "birth_date", "pk"))


def _open_sessions_for(request: HttpRequest, candidates: list[Candidate]) -> Any:
    """The user's sessions still taking registrations, of the candidates' centres and of a title one of them
    prepares; whether each candidate may sit it is the service's answer (register_many)."""
    titles = Pathway.objects.filter(candidate__in=candidates).values("title")
    return (
        queries.managed_sessions(request.user)
        .filter(
            status__in=OPEN_FOR_REGISTRATIONS,
            centre__in={c.centre_id for c in candidates},
            version__title__in=titles,
        )
        .select_related("centre")
        .order_by("first_day", "number")
    )


@login_required
@GET_POST
def centre_registration_pick(request: HttpRequest) -> HttpResponse:
    """The candidates ticked on the candidate list, registered to the session chosen here: each is registered
    or refused with the rule's reason (the same service and outcomes as ``centre_registration_many``)."""
    candidates = _picked(request)
    if request.method == "POST":
        chosen = _pk(request.POST.get("session", ""))
        if chosen is not None:
            _session(request, chosen)  # another centre's session is as unknown as a missing one: 404
    sessions = _open_sessions_for(request, candidates)
    form = RegisterPickForm(request.POST if request.method == "POST" and candidates else None, sessions=sessions)
    outcomes = None
    if form.is_bound and form.is_valid():
        session = form.cleaned_data["session"]
        outcomes = services.register_many(request.user, session, candidates)
        registered = sum(1 for o in outcomes if o.registration is not None)
        if registered:
            messages.success(request, _("%(n)d candidate(s) registered.") % {"n": registered})
        if all(o.registration is not None for o in outcomes):
            return redirect("sessions:centre_session_detail", session.pk)
        form = RegisterPickForm(None, sessions=sessions)
    return _form_page(
        request,
        None,
        form,
        _("Register candidates to a session"),
        _("Register the candidates"),
        template="sessions/centre/registration_pick.html",
        outcomes=outcomes,
        candidates=candidates,
        has_sessions=sessions.exists(),
        cancel_url=reverse("spaces:centre_candidate_list"),
    )


@login_required
@GET_POST
def centre_registration_withdraw(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    session = _session(request, pk)
    registration = get_scoped_or_404(queries.registrations_of(session), pk=registration_pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw_registration(request.user, registration, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The registration is withdrawn; it stays in the history."))
            return redirect("sessions:centre_session_detail", session.pk)
    return _form_page(
        request,
        session,
        form,
        _("Withdraw the registration of %(person)s") % {"person": registration.candidate},
        _("Withdraw"),
    )


# Jury ---------------------------------------------------------------------------------------------


@login_required
@GET_POST
def centre_jury_invite(request: HttpRequest, pk: int) -> HttpResponse:
    session = _session(request, pk)
    busy = session.jury.filter(status__in=[JuryStatus.PROPOSED, JuryStatus.ACCEPTED]).values("member_id")
    # The habilitated members of the centre's département (a habilitation is recorded by the
    # département of the member's domicile, R-60): the names of other départements are not shown.
    members = (
        JuryMember.objects.filter(habilitations__title=session.version.title, authority=session.centre.authority)
        .exclude(pk__in=busy)
        .distinct()
        .order_by("last_name", "first_name")
    )
    form = InviteForm(request.POST if request.method == "POST" else None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(request.user, session, form.cleaned_data["member"])
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The jury member is invited: they answer from their space."))
            return redirect("sessions:centre_session_detail", session.pk)
    return _form_page(request, session, form, _("Invite a jury member"), _("Invite"))


@login_required
@require_POST
def centre_jury_withdraw(request: HttpRequest, pk: int, assignment_pk: int) -> HttpResponse:
    session = _session(request, pk)
    assignment = get_scoped_or_404(queries.jury_of(session), pk=assignment_pk)
    try:
        services.withdraw_member(request.user, assignment)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("sessions:centre_session_detail", session.pk)


# Convocations -------------------------------------------------------------------------------------


@login_required
@require_POST
def centre_convocation_resend(request: HttpRequest, pk: int, convocation_pk: int) -> HttpResponse:
    session = _session(request, pk)
    convocation = get_scoped_or_404(queries.convocations_of(session), pk=convocation_pk)
    try:
        services.resend(request.user, convocation)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("The convocation will be sent again."))
    return redirect("sessions:centre_session_detail", session.pk)


@login_required
def centre_convocation_pdf(request: HttpRequest, pk: int, convocation_pk: int) -> FileResponse:
    session = _session(request, pk)
    convocation = get_scoped_or_404(queries.convocations_of(session), pk=convocation_pk)
    return sheets.stored_pdf(convocation)


# The session day (R-45, R-80, R-81) ------------------------------------------------------------


@login_required
@GET_POST
def centre_session_day(request: HttpRequest, pk: int) -> HttpResponse:
    """Attendance, lateness and the dossier professionnel per candidate; incidents and fraud reports."""
    session = _session(request, pk)
    registrations = queries.registrations_of(session).filter(status=RegistrationStatus.REGISTERED)
    incident_form = IncidentForm(None, registrations=registrations, initial={"occurred_on": dating.today()})
    attendance_errors: dict[int, Any] = {}
    if request.method == "POST":
        if request.POST.get("form") == "incident":
            incident_form = IncidentForm(request.POST, registrations=registrations)
            if incident_form.is_valid():
                try:
                    services.record_incident(request.user, session, **incident_form.cleaned_data)
                except Refused as refusal:
                    incident_form.add_refusal(refusal)
                else:
                    messages.success(request, _("Recorded."))
                    return redirect("sessions:centre_session_day", session.pk)
        else:
            registration = get_scoped_or_404(registrations, pk=request.POST.get("registration") or 0)
            form = AttendanceForm(request.POST, prefix=f"r{registration.pk}")
            if form.is_valid():
                try:
                    services.record_attendance(request.user, registration, **form.cleaned_data)
                except Refused as refusal:
                    form.add_refusal(refusal)
                else:
                    messages.success(
                        request, _("Attendance of %(person)s recorded.") % {"person": registration.candidate}
                    )
                    return redirect("sessions:centre_session_day", session.pk)
            attendance_errors[registration.pk] = form
    rows = []
    for registration in registrations:
        form = attendance_errors.get(registration.pk) or AttendanceForm(
            prefix=f"r{registration.pk}",
            initial={
                "attendance": registration.attendance or "present",
                "arrived_at": registration.arrived_at,
                "note": registration.attendance_note,
                "portfolio_handed_in": registration.portfolio_handed_in,
            },
        )
        rows.append((registration, form))
    errors = [e for f in attendance_errors.values() for e in f.error_list()] + incident_form.error_list()
    return render(
        request,
        "sessions/centre/session_day.html",
        {
            "session": session,
            "rows": rows,
            "incident_form": incident_form,
            "incidents": list(session.incidents.select_related("registration__candidate")),
            "errors": errors,
            "breadcrumb": crumbs(_list_crumb(), _session_crumb(session), (_("Session day"), "")),
        },
        status=400 if errors else 200,
    )


@login_required
def centre_sign_in_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """The feuille d'émargement (R-45) as PDF: one row per candidate and jury member, a cell per day."""
    session = _session(request, pk)
    content = pdf.render("sign_in_sheet", sheets.sign_in_data(session))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="emargement-{session.number}.pdf"'
    return response


# The timetable -------------------------------------------------------------------------------------


def _planning_days(session: ExamSession) -> list[datetime.date]:
    return [
        session.first_day + datetime.timedelta(days=n) for n in range((session.last_day - session.first_day).days + 1)
    ]


def _planning_rows(
    session: ExamSession, saved: Timetable | None, bound: dict[int, MoveSlotForm], movable: bool
) -> list[dict[str, Any]]:
    """The planning by day: its timeline and its rows, each row with its move form (the bound one after a
    refused move)."""
    if saved is None:
        return []
    every_day = _planning_days(session)
    days = []
    for day in planning.by_day(planning.planned_slots(saved)):
        rows = []
        for part in day.parts:
            form = bound.get(part.slot.pk) or MoveSlotForm(
                prefix=f"s{part.slot.pk}",
                days=every_day,
                initial={"day": part.start.date().isoformat(), "start": part.start.time()},
            )
            rows.append(
                {
                    "slot": part.slot,
                    "start": part.start,
                    "end": part.end,
                    "jurors": part.jurors,
                    "form": form if movable else None,
                }
            )
        days.append({"day": day.day, "rows": rows, "timeline": planning.day_timeline(session, day)})
    return days


@login_required
@GET_POST
def centre_session_planning(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's planning: compute it, read it by day, move a part (R-43, R-45, R-50, R-63, R-64, R-85)."""
    session = _session(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    resources = PlanningResourcesForm(
        request.POST if action == "resources" else None,
        session=session,
        initial={
            "workstations": session.workstations,
            "lunch_starts_at": session.lunch_starts_at,
            "lunch_ends_at": session.lunch_ends_at,
        },
    )
    refusal: Refused | None = None
    bound: dict[int, MoveSlotForm] = {}
    if action == "plan":
        try:
            services.plan_session(request.user, session, settings=planning.solver_settings())
        except Refused as refused:
            refusal = refused
        else:
            messages.success(request, _("The planning is computed."))
            return redirect("sessions:centre_session_planning", session.pk)
    elif action == "resources":
        if resources.is_valid():
            try:
                services.set_planning_resources(request.user, session, **resources.cleaned_data)
            except Refused as refused:
                resources.add_refusal(refused)
            else:
                messages.success(request, _("Saved: compute the planning again to take it into account."))
                return redirect("sessions:centre_session_planning", session.pk)
    elif action == "move":
        slot = get_scoped_or_404(
            TimetableSlot.objects.filter(timetable__session=session), pk=_pk(request.POST.get("slot", "")) or 0
        )
        form = MoveSlotForm(request.POST, prefix=f"s{slot.pk}", days=_planning_days(session))
        if form.is_valid():
            start = datetime.datetime.combine(form.cleaned_data["day"], form.cleaned_data["start"], tzinfo=local_zone())
            try:
                services.move_slot(request.user, slot, start=start, accept_warning=form.cleaned_data["accept_warning"])
            except Refused as refused:
                form.add_refusal(refused)
            else:
                messages.success(request, _("The part is moved."))
                return redirect("sessions:centre_session_planning", session.pk)
        bound[slot.pk] = form
    elif action:
        raise Http404
    saved = Timetable.objects.filter(session=session).select_related("computed_by").first()
    movable = session.status in services.PLANNABLE
    errors = resources.error_list() + [e for f in bound.values() for e in f.error_list()]
    return render(
        request,
        "sessions/centre/session_planning.html",
        {
            "session": session,
            "timetable": saved,
            "days": _planning_rows(session, saved, bound, movable),
            "movable": movable,
            "resources": resources,
            "refusal": refusal,
            "errors": errors,
            "breadcrumb": crumbs(_list_crumb(), _session_crumb(session), (_("Planning"), "")),
        },
        status=400 if errors or refusal is not None else 200,
    )


@login_required
@require_GET
def centre_session_planning_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The planning printed: a table per day, landscape (404 until a planning is computed)."""
    session = _session(request, pk)
    saved = Timetable.objects.filter(session=session).first()
    if saved is None:
        raise Http404
    content = pdf.render("planning", planning.pdf_data(session, saved))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="planning-{session.number}.pdf"'
    return response


@login_required
@GET_POST
def centre_planning_slot(request: HttpRequest, pk: int, slot: int) -> HttpResponse:
    """One planned part changed in full: start, jury members, workstation; checked again as a move is."""
    session = _session(request, pk)
    row = get_scoped_or_404(
        TimetableSlot.objects.filter(timetable__session=session).select_related("registration__candidate"), pk=slot
    )
    if session.status not in services.PLANNABLE:
        raise Http404
    start = row.starts_at.astimezone(local_zone())
    form = SlotForm(
        request.POST or None,
        days=_planning_days(session),
        jury=session.jury.filter(status=JuryStatus.ACCEPTED)
        .select_related("member")
        .order_by("member__last_name", "member__first_name"),
        workstations=session.workstations,
        initial={
            "day": start.date().isoformat(),
            "start": start.time(),
            "jurors": list(row.jurors.all()),
            "workstation": row.workstation,
        },
    )
    if request.method == "POST" and form.is_valid():
        when = datetime.datetime.combine(form.cleaned_data["day"], form.cleaned_data["start"], tzinfo=local_zone())
        try:
            services.move_slot(
                request.user,
                row,
                start=when,
                accept_warning=form.cleaned_data["accept_warning"],
                jurors=list(form.cleaned_data["jurors"]),
                workstation=form.cleaned_data["workstation"],
            )
        except Refused as refused:
            form.add_refusal(refused)
        else:
            messages.success(request, _("The part is changed."))
            return redirect("sessions:centre_session_planning", session.pk)
    errors = form.error_list()
    return render(
        request,
        "sessions/centre/planning_slot.html",
        {
            "session": session,
            "heading": _("Change a part of the planning"),
            "submit": _("Save the change"),
            "cancel_url": reverse("sessions:centre_session_planning", args=[session.pk]),
            "slot": row,
            "start": start,
            "end": row.ends_at.astimezone(local_zone()),
            "form": form,
            "errors": errors,
            "breadcrumb": crumbs(
                _list_crumb(),
                _session_crumb(session),
                (_("Planning"), reverse("sessions:centre_session_planning", args=[session.pk])),
                (row.label, ""),
            ),
        },
        status=400 if errors else 200,
    )


# The yearly programme (R-40) ---------------------------------------------------------------------


@login_required
@GET_POST
def centre_programme(request: HttpRequest, year: int) -> HttpResponse:
    """The forecast of the year's sessions, sent to the authority before 31 January (R-40)."""
    if not 2000 <= year <= 2100:
        raise Http404
    centres = managed_centres(request.user)
    chosen = request.GET.get("centre") or request.POST.get("centre")
    centre = get_scoped_or_404(centres, pk=chosen) if chosen else centres.order_by("name").first()
    if centre is None:  # pragma: no cover - managed_centres refused a user without a centre (403)
        raise Http404
    programme = Programme.objects.filter(centre=centre, year=year).first()
    versions = (
        TitleVersion.objects.filter(approvals__centre=centre).select_related("title").distinct().order_by("title__code")
    )
    Lines = formset_factory(PlannedLineForm, extra=3, can_delete=True)
    initial = [
        {"kind": p.kind, "version": p.version, "month": p.month, "expected_candidates": p.expected_candidates}
        for p in (programme.planned.all() if programme else [])
    ]
    formset = Lines(
        request.POST if request.method == "POST" and "save" in request.POST else None,
        initial=initial,
        form_kwargs={"versions": versions},
    )
    errors: list[dict[str, str]] = []
    if request.method == "POST":
        try:
            if "send" in request.POST and programme is not None:
                services.send_programme(request.user, programme)
                messages.success(request, _("The programme is sent to the authority."))
                return redirect(reverse("sessions:centre_programme", args=[year]) + f"?centre={centre.pk}")
            if formset.is_valid():
                lines = [
                    services.PlannedLine(
                        f.cleaned_data["kind"],
                        f.cleaned_data["version"],
                        f.cleaned_data["month"],
                        f.cleaned_data["expected_candidates"],
                    )
                    for f in formset.forms
                    if f.cleaned_data and not f.cleaned_data.get("DELETE")
                ]
                services.save_programme(request.user, centre, year, lines)
                messages.success(request, _("The programme is saved."))
                return redirect(reverse("sessions:centre_programme", args=[year]) + f"?centre={centre.pk}")
            errors = [e for f in formset.forms for e in f.error_list()]
        except Refused as refusal:
            errors = [{"id": "", "label": "", "message": refusal.message}]
    return render(
        request,
        "sessions/centre/programme.html",
        {
            "centre": centre,
            "centres": centres,
            "year": year,
            "programme": programme,
            "sent": programme is not None and programme.status == ProgrammeStatus.SENT,
            "formset": formset,
            "due": services.programme_due(year),
            "errors": errors,
            "breadcrumb": crumbs(_list_crumb(), (_("Programme %(year)d") % {"year": year}, "")),
        },
        status=400 if errors else 200,
    )


urlpatterns = [
    path("centre/sessions/", centre_session_list, name="centre_session_list"),
    path("centre/sessions/calendrier/", centre_session_calendar, name="centre_session_calendar"),
    path("centre/sessions/nouvelle/", centre_session_new, name="centre_session_new"),
    path("centre/sessions/inscrire/", centre_registration_pick, name="centre_registration_pick"),
    path("centre/sessions/<int:pk>/", centre_session_detail, name="centre_session_detail"),
    path("centre/sessions/<int:pk>/etape/<slug:move>/", centre_session_move, name="centre_session_move"),
    path("centre/sessions/<int:pk>/inscriptions/nouvelle/", centre_registration_add, name="centre_registration_add"),
    path("centre/sessions/<int:pk>/inscriptions/plusieurs/", centre_registration_many, name="centre_registration_many"),
    path(
        "centre/sessions/<int:pk>/inscriptions/<int:registration_pk>/retrait/",
        centre_registration_withdraw,
        name="centre_registration_withdraw",
    ),
    path("centre/sessions/<int:pk>/jury/inviter/", centre_jury_invite, name="centre_jury_invite"),
    path(
        "centre/sessions/<int:pk>/jury/<int:assignment_pk>/retrait/", centre_jury_withdraw, name="centre_jury_withdraw"
    ),
    path(
        "centre/sessions/<int:pk>/convocations/<int:convocation_pk>/renvoi/",
        centre_convocation_resend,
        name="centre_convocation_resend",
    ),
    path(
        "centre/sessions/<int:pk>/convocations/<int:convocation_pk>/pdf/",
        centre_convocation_pdf,
        name="centre_convocation_pdf",
    ),
    path("centre/sessions/<int:pk>/jour/", centre_session_day, name="centre_session_day"),
    path("centre/sessions/<int:pk>/emargement/", centre_sign_in_sheet, name="centre_sign_in_sheet"),
    path("centre/sessions/<int:pk>/planning/", centre_session_planning, name="centre_session_planning"),
    path("centre/sessions/<int:pk>/planning/pdf/", centre_session_planning_pdf, name="centre_session_planning_pdf"),
    path("centre/sessions/<int:pk>/planning/<int:slot>/", centre_planning_slot, name="centre_planning_slot"),
    path("centre/programme/<int:year>/", centre_programme, name="centre_programme"),
]
