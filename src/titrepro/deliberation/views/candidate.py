"""Pages of the candidate for their results (/espace/candidat/resultats/...): each validated result with its
reasons (R-72, R-74), the last day to appeal and the gracious appeal itself (R-82).

A candidate sees only their own registrations (``sessions.queries.own_registrations``: another's 404, another
role 403); a result shows once its session's PV is validated, never before.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.candidates.models import ExamOutcome, Holding, HoldingKind
from titrepro.catalogue.simulator import SIMULATE
from titrepro.core import dating
from titrepro.core.forms import DsfrForm
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.deliberation import appeals, documents
from titrepro.deliberation.models import Appeal, Decision, MinutesStatus
from titrepro.sessions import queries
from titrepro.sessions.models import Registration


class AppealForm(DsfrForm):
    text = forms.CharField(
        label=gettext_lazy("Grounds of your appeal"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("Only the jury's deliberation can be challenged, not a single mark (R-82)."),
    )


def _validated(registration: Registration) -> Decision | None:
    """The registration's decision, once its session's current PV is validated."""
    if not registration.session.minutes.filter(status=MinutesStatus.VALIDATED).exists():
        return None
    return (
        Decision.objects.filter(registration=registration).exclude(result="").prefetch_related("ccps_awarded").first()
    )


def _row(user: Any, registration: Registration) -> dict[str, Any] | None:
    decision = _validated(registration)
    if decision is None:
        return None
    return {
        "registration": registration,
        "session": registration.session,
        "decision": decision,
        "ccps": [f"CCP {c.number} — {c.label}" for c in decision.ccps_awarded.order_by("number")],
        "last_day": appeals.deadline(decision),
        "appeals": list(Appeal.objects.filter(registration=registration).order_by("filed_on", "pk")),
        "can_appeal": appeals.can_file(user, registration),
    }


def simulator_link(candidate: Any, title_code: str, on: Any) -> str:
    """ "Simuler mon parcours" filled from the candidate's record: route, training start, the CCPs and the title
    held (not withdrawn), the last failure or absence at a title session; the page computes from there."""
    params: dict[str, str] = {"title": title_code, "shown": title_code, "on": on.isoformat(), SIMULATE: "1"}
    pathway = candidate.pathways.filter(title__code=title_code).order_by("pk").first()
    if pathway is not None:
        params["route"] = pathway.route
        if pathway.started_on:
            params["training_started_on"] = pathway.started_on.isoformat()
    held = Holding.objects.filter(candidate=candidate, version__title__code=title_code, withdrawn_on=None)
    for holding in held.select_related("version", "ccp"):
        if holding.kind == HoldingKind.CCP and holding.ccp is not None:
            name = f"v{slugify(holding.version.label) or holding.version.pk}_ccp{holding.ccp.number}"
            params[name] = "on"
            params[f"{name}_on"] = holding.obtained_on.isoformat()
        elif holding.kind == HoldingKind.TITLE:
            params["title_held"] = "on"
            params["title_held_on"] = holding.obtained_on.isoformat()
    outcome = (
        ExamOutcome.objects.filter(
            candidate=candidate, version__title__code=title_code, voided_on=None, session_kind="title"
        )
        .select_related("version")
        .order_by("-on", "-pk")
        .first()
    )
    if outcome is not None:
        params |= {
            "outcome": outcome.kind,
            "outcome_on": outcome.on.isoformat(),
            "outcome_version": outcome.version.label,
        }
    return f"{reverse('catalogue:simulator')}?{urlencode(params)}"


def _list_crumb() -> tuple[str, str]:
    return _("My results"), reverse("deliberation:candidate_results")


@login_required
@require_GET
def candidate_results(request: HttpRequest) -> HttpResponse:
    registrations = queries.own_registrations(request.user).order_by("-session__first_day", "pk")
    rows = [row for row in (_row(request.user, r) for r in registrations) if row is not None]
    titles = dict.fromkeys((r["session"].version.title.code, r["session"].version.title.label) for r in rows)
    today = dating.today()
    simulations = [
        {"code": code, "label": label, "url": simulator_link(rows[0]["registration"].candidate, code, today)}
        for code, label in titles
    ]
    return render(
        request,
        "deliberation/candidate/results.html",
        {"rows": rows, "simulations": simulations, "breadcrumb": crumbs((_list_crumb()[0], ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_appeal(request: HttpRequest, registration: int) -> HttpResponse:
    """The gracious appeal against one validated result, within two months of its notification (R-82)."""
    found = get_scoped_or_404(queries.own_registrations(request.user), pk=registration)
    row = _row(request.user, found)
    if row is None:
        raise Http404
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            appeals.file_appeal(request.user, found, text=form.cleaned_data["text"])
        except Refused as refused:
            form.add_refusal(refused)
        else:
            success(request, _("Your appeal is filed: the authority will answer it."))
            return redirect("deliberation:candidate_results")
    errors = form.error_list()
    return render(
        request,
        "deliberation/candidate/appeal.html",
        {
            **row,
            "form": form,
            "errors": errors,
            "breadcrumb": crumbs(_list_crumb(), (_("Appeal"), "")),
        },
        status=400 if errors else 200,
    )


@login_required
@require_GET
def candidate_result_statement(request: HttpRequest, registration: int) -> HttpResponse:
    """The provisional result statement (PDF), right after validation (R-72); 404 before."""
    found = get_scoped_or_404(queries.own_registrations(request.user), pk=registration)
    try:
        content = documents.render_result_statement(found)
    except documents.NoStatement:
        raise Http404 from None
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="releve-provisoire-{found.session.number}.pdf"'
    return response


urlpatterns = [
    path("candidat/resultats/", candidate_results, name="candidate_results"),
    path("candidat/resultats/<int:registration>/recours/", candidate_appeal, name="candidate_appeal"),
    path(
        "candidat/resultats/<int:registration>/releve.pdf",
        candidate_result_statement,
        name="candidate_result_statement",
    ),
]
