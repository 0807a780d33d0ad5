"""Pages of the jury member for the deliberation (/espace/jury/deliberation/...): the candidates of a session they
sit on, one candidate's file with the member's evaluation sheets and the jury's decision, the PV to sign.

A member sees only the sessions they accepted (``queries.own_sittings``: another member's 404, another role
403) and, in them, only the candidates they are free of any link with (R-64: the others are not listed and
their pages are 404). Writes go through ``deliberation.services``.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from titrepro.accounts import otp
from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.candidates.files import portfolio_response
from titrepro.candidates.models import InTrainingAssessment, ProfessionalPortfolio
from titrepro.catalogue.models import CCP
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.deliberation import minutes as content
from titrepro.deliberation import queries, services
from titrepro.deliberation.facts import ccps_sat
from titrepro.deliberation.forms import DecisionForm, SheetForm, SignForm
from titrepro.deliberation.models import Decision, EvaluationSheet, Minutes, MinutesStatus
from titrepro.sessions.lifecycles import jury_check_of
from titrepro.sessions.models import Attendance, JuryAssignment, JuryStatus, Registration, RegistrationStatus

GET_POST = require_http_methods(["GET", "POST"])


def _sitting(request: HttpRequest, pk: int) -> JuryAssignment:
    return get_scoped_or_404(queries.own_sittings(request.user).filter(status=JuryStatus.ACCEPTED), pk=pk)


def _free_registrations(assignment: JuryAssignment) -> list[Registration]:
    """The candidates this member may evaluate: registered, and free of any link with them (R-64)."""
    free = jury_check_of(assignment.session).free_members
    registrations = (
        assignment.session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("candidate")
        .order_by("candidate__birth_name", "candidate__given_names", "pk")
    )
    return [r for r in registrations if assignment.member_id in free.get(r.candidate_id, ())]


def _crumbs(assignment: JuryAssignment, *more: tuple[str, str]) -> dict[str, Any]:
    return crumbs(
        (_("My jury sessions"), reverse("sessions:jury_invitation_list")),
        (assignment.session.number, reverse("sessions:jury_invitation_detail", args=[assignment.pk])),
        *more,
    )


def decision_row(registration: Registration, decision: Decision | None) -> dict[str, Any]:
    """A candidate's line: where their decision stands."""
    return {
        "registration": registration,
        "decision": decision,
        "result": decision.result if decision is not None else "",
        "result_label": decision.get_result_display() if decision is not None and decision.result else "",
        "ccps": [c.number for c in decision.ccps_awarded.all()] if decision is not None else [],
        "reason": decision.reason if decision is not None else "",
    }


@login_required
@GET_POST
def jury_deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's deliberation for a member: the candidates, where each decision stands, and the PV to sign."""
    assignment = _sitting(request, pk)
    session = assignment.session
    minutes = services.current_minutes(session)
    device = otp.confirmed_device(request.user)
    form = SignForm(request.POST if request.method == "POST" else None)
    if device is None:
        del form.fields["code"]
    if request.method == "POST":
        if request.POST.get("action") != "sign":
            raise Http404
        if form.is_valid():
            try:
                services.sign(request.user, minutes, code=form.cleaned_data.get("code"))
            except Refused as refused:
                form.add_refusal(refused)
            else:
                success(request, _("You signed the PV."))
                return redirect("deliberation:jury_deliberation", assignment.pk)
    registrations = _free_registrations(assignment)
    decisions = {d.registration_id: d for d in Decision.objects.filter(registration__in=registrations)}
    sha = content.digest(content.content(minutes))
    signatures = list(minutes.signatures.select_related("assignment__member").order_by("signed_at", "pk"))
    mine = next((s for s in signatures if s.assignment_id == assignment.pk and s.voided_at is None), None)
    errors = form.error_list()
    return render(
        request,
        "deliberation/jury/deliberation.html",
        {
            "assignment": assignment,
            "session": session,
            "minutes": minutes,
            "rows": [decision_row(r, decisions.get(r.pk)) for r in registrations],
            "present": minutes.present.filter(pk=assignment.pk).exists(),
            "signatures": signatures,
            "sha256": sha,
            "signed": mine is not None and mine.sha256 == sha,
            "deliberating": minutes.status == MinutesStatus.DELIBERATING,
            "form": form,
            "errors": errors,
            "breadcrumb": _crumbs(assignment, (_("Deliberation"), "")),
        },
        status=400 if errors else 200,
    )


def _sheet_rows(
    assignment: JuryAssignment, registration: Registration, bound: dict[int, SheetForm]
) -> list[dict[str, Any]]:
    sheets = EvaluationSheet.objects.filter(registration=registration).select_related("assignment__member")
    mine = {s.competence_id: s for s in sheets if s.assignment_id == assignment.pk}
    others: dict[int, list[EvaluationSheet]] = {}
    for other in sheets:
        if other.assignment_id != assignment.pk:
            others.setdefault(other.competence_id, []).append(other)
    rows = []
    for competence in queries.competences_of(registration):
        sheet = mine.get(competence.pk)
        form = bound.get(competence.pk) or SheetForm(
            competence=competence,
            initial={
                "criteria": sheet.criteria_met if sheet else [],
                "observations": sheet.observations if sheet else "",
                "proposal": sheet.proposal if sheet else "",
            },
        )
        rows.append({"competence": competence, "form": form, "sheet": sheet, "others": others.get(competence.pk, [])})
    return rows


@login_required
@GET_POST
def jury_candidate(request: HttpRequest, pk: int, registration: int) -> HttpResponse:
    """One candidate for a member: their file (dossier professionnel, ECF, accommodations), the member's sheet
    for each competence (R-65), the final interview and the jury's decision (R-50, R-70)."""
    assignment = _sitting(request, pk)
    session = assignment.session
    found = next((r for r in _free_registrations(assignment) if r.pk == registration), None)
    if found is None:
        raise Http404
    row = found
    decision = Decision.objects.filter(registration=row).prefetch_related("ccps_awarded").first()
    absent = row.attendance in (Attendance.ABSENT, Attendance.REFUSED)
    sat = ccps_sat(row)
    ccps = list(CCP.objects.filter(version=session.version_id, number__in=sat).order_by("number"))
    action = request.POST.get("action", "") if request.method == "POST" else ""
    bound: dict[int, SheetForm] = {}
    decision_form = DecisionForm(
        request.POST if action == "decide" else None,
        kind=session.kind,
        ccps=ccps,
        absent=absent,
        initial={
            "result": decision.result if decision else "",
            "ccps": [c.number for c in decision.ccps_awarded.all()] if decision else [],
            "reason": decision.reason if decision else "",
            "final_interview_held": decision.final_interview_held if decision else False,
            "final_interview_notes": decision.final_interview_notes if decision else "",
        },
    )
    if action == "decide":
        if decision_form.is_valid():
            data = decision_form.cleaned_data
            try:
                services.decide(
                    request.user,
                    row,
                    result=data["result"],
                    ccps=data.get("ccps", []),
                    reason=data["reason"],
                    final_interview_held=data["final_interview_held"],
                    final_interview_notes=data["final_interview_notes"],
                )
            except Refused as refused:
                decision_form.add_refusal(refused)
            else:
                success(request, _("The decision is saved."))
                return redirect("deliberation:jury_candidate", assignment.pk, row.pk)
    elif action.startswith("sheet-"):
        competence = next((c for c in queries.competences_of(row) if f"sheet-{c.pk}" == action), None)
        if competence is None:
            raise Http404
        form = SheetForm(request.POST, competence=competence)
        if form.is_valid():
            try:
                services.record_sheet(
                    request.user,
                    row,
                    competence,
                    observations=form.cleaned_data["observations"],
                    proposal=form.cleaned_data["proposal"],
                    criteria_met=form.cleaned_data["criteria"],
                )
            except Refused as refused:
                form.add_refusal(refused)
            else:
                success(request, _("Your sheet for %(code)s is saved.") % {"code": competence.code})
                return redirect(
                    reverse("deliberation:jury_candidate", args=[assignment.pk, row.pk]) + f"#c{competence.pk}"
                )
        bound[competence.pk] = form
    elif action:
        raise Http404
    sheets = _sheet_rows(assignment, row, bound)
    errors = decision_form.error_list() + [e for f in bound.values() for e in f.error_list()]
    minutes: Minutes = services.current_minutes(session)
    return render(
        request,
        "deliberation/jury/candidate.html",
        {
            "assignment": assignment,
            "session": session,
            "registration": row,
            "candidate": row.candidate,
            "decision": decision,
            "absent": absent,
            "portfolio": ProfessionalPortfolio.objects.filter(
                candidate=row.candidate_id, title=session.version.title_id, replaced_at=None
            ).first(),
            "ecf": InTrainingAssessment.objects.filter(
                pathway__candidate=row.candidate_id, pathway__title=session.version.title_id
            ).select_related("ccp"),
            "accommodations": list(row.accommodations.all()),
            "sheets": sheets,
            "decision_form": decision_form,
            "deliberating": minutes.status == MinutesStatus.DELIBERATING,
            "errors": errors,
            "breadcrumb": _crumbs(
                assignment,
                (_("Deliberation"), reverse("deliberation:jury_deliberation", args=[assignment.pk])),
                (str(row.candidate), ""),
            ),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def jury_portfolio_file(request: HttpRequest, pk: int, registration: int) -> FileResponse:
    """The candidate's current dossier professionnel for the session's title (R-52), as a PDF attachment; a
    candidate the member is linked with (R-64), or one without an uploaded DP, is 404."""
    assignment = _sitting(request, pk)
    found = next((r for r in _free_registrations(assignment) if r.pk == registration), None)
    if found is None:
        raise Http404
    portfolio = (
        ProfessionalPortfolio.objects.filter(
            candidate=found.candidate_id, title=assignment.session.version.title_id, replaced_at=None
        )
        .select_related("title")
        .first()
    )
    if portfolio is None:
        raise Http404
    return portfolio_response(portfolio)


urlpatterns = [
    path("jury/deliberation/<int:pk>/", jury_deliberation, name="jury_deliberation"),
    path("jury/deliberation/<int:pk>/candidats/<int:registration>/", jury_candidate, name="jury_candidate"),
    path(
        "jury/deliberation/<int:pk>/candidats/<int:registration>/dossier/",
        jury_portfolio_file,
        name="jury_portfolio_file",
    ),
]
