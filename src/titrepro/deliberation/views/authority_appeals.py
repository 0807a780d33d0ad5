"""Pages of the authority agent for what follows the PV (/espace/dreets/recours/..., /espace/dreets/fraudes/...):
the candidates' appeals to answer (R-82) and the decisions on fraud reports (R-80).

Scoped to the agent's départements (``sessions.queries.authority_sessions``: another département's 404, another
role 403); the writes are ``deliberation.appeals``' and ``deliberation.fraud``'.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.catalogue.models import CCP, SessionKind
from titrepro.core.forms import DsfrForm
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.deliberation import appeals, fraud
from titrepro.deliberation.facts import ccps_sat
from titrepro.deliberation.forms import RESULTS
from titrepro.deliberation.models import Appeal, AppealStatus, Decision, FraudDecision, Sanction
from titrepro.sessions import queries
from titrepro.sessions.models import Incident, IncidentKind, Registration

GET_POST = require_http_methods(["GET", "POST"])


class AppealAnswerForm(DsfrForm):
    upheld = forms.TypedChoiceField(
        label=gettext_lazy("Your answer"),
        choices=[("0", gettext_lazy("Dismiss the appeal")), ("1", gettext_lazy("Uphold the appeal"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(
        label=gettext_lazy("Answer to the candidate"), required=False, max_length=5000, widget=forms.Textarea
    )
    result = forms.ChoiceField(label=gettext_lazy("New result (an appeal upheld)"), required=False)
    ccps = forms.TypedMultipleChoiceField(
        label=gettext_lazy("CCPs awarded"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    reason = forms.CharField(
        label=gettext_lazy("Reasons of the new decision"), required=False, max_length=5000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, kind: str, ccps: list[CCP], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result"].choices = [("", "—"), *((r.value, r.label) for r in RESULTS[SessionKind(kind)])]  # type: ignore[attr-defined]
        self.fields["ccps"].choices = [(c.number, f"CCP {c.number} — {c.label}") for c in ccps]  # type: ignore[attr-defined]


class FraudForm(DsfrForm):
    sanction = forms.ChoiceField(label=gettext_lazy("Sanction"), choices=Sanction.choices, widget=forms.RadioSelect)
    ban_years = forms.IntegerField(
        label=gettext_lazy("Length of the ban, in years"), required=False, min_value=1, max_value=10
    )
    withdraws = forms.BooleanField(
        label=gettext_lazy("Withdraw what the session awarded (fraud found after the results)"), required=False
    )
    reason = forms.CharField(label=gettext_lazy("Reasons"), required=False, max_length=5000, widget=forms.Textarea)


def _appeals(user: Any) -> Any:
    return Appeal.objects.filter(registration__session__in=queries.authority_sessions(user)).select_related(
        "registration__candidate", "registration__session__version__title"
    )


def _crumb() -> tuple[str, str]:
    return _("Appeals and fraud reports"), reverse("deliberation:authority_appeal_list")


@login_required
@require_GET
def authority_appeal_list(request: HttpRequest) -> HttpResponse:
    """The appeals to answer first, then those answered; the fraud reports of validated sessions and their
    decisions."""
    rows = sorted(_appeals(request.user), key=lambda a: (a.status != AppealStatus.FILED, a.filed_on, a.pk))
    reports = (
        Incident.objects.filter(
            kind=IncidentKind.FRAUD,
            registration__isnull=False,
            session__in=queries.authority_sessions(request.user),
        )
        .select_related("registration__candidate", "session")
        .order_by("-occurred_on", "pk")
    )
    decided = {d.incident_id: d for d in FraudDecision.objects.filter(incident__in=reports)}
    return render(
        request,
        "deliberation/authority/appeal_list.html",
        {
            "appeals": rows,
            "reports": [{"incident": i, "decision": decided.get(i.pk)} for i in reports],
            "breadcrumb": crumbs((_crumb()[0], "")),
        },
    )


@login_required
@GET_POST
def authority_appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Answer one appeal: dismissed, or upheld with the new decision (a corrective PV follows)."""
    appeal = get_scoped_or_404(_appeals(request.user), pk=pk)
    registration = appeal.registration
    session = registration.session
    decision = Decision.objects.filter(registration=registration).prefetch_related("ccps_awarded").first()
    ccps = list(CCP.objects.filter(version=session.version_id, number__in=ccps_sat(registration)).order_by("number"))
    form = AppealAnswerForm(request.POST or None, kind=session.kind, ccps=ccps)
    if request.method == "POST" and appeal.status == AppealStatus.FILED and form.is_valid():
        data = form.cleaned_data
        try:
            appeals.decide_appeal(
                request.user,
                appeal,
                upheld=data["upheld"],
                answer=data["answer"],
                result=data["result"] or None,
                ccps=data["ccps"],
                reason=data["reason"],
            )
        except Refused as refused:
            form.add_refusal(refused)
        else:
            success(request, _("Your answer to the appeal is recorded."))
            return redirect("deliberation:authority_appeal_list")
    errors = form.error_list()
    return render(
        request,
        "deliberation/authority/appeal_detail.html",
        {
            "appeal": appeal,
            "registration": registration,
            "session": session,
            "decision": decision,
            "awarded": [c.number for c in decision.ccps_awarded.all()] if decision else [],
            "form": form,
            "errors": errors,
            "breadcrumb": crumbs(_crumb(), (str(registration.candidate), "")),
        },
        status=400 if errors else 200,
    )


@login_required
@GET_POST
def authority_fraud_decision(request: HttpRequest, registration: int) -> HttpResponse:
    """The reasoned decision on a fraud report (R-80): a sanction, and the withdrawal of what was awarded when
    the fraud is found after the results."""
    registrations = Registration.objects.filter(session__in=queries.authority_sessions(request.user))
    row = get_scoped_or_404(registrations.select_related("candidate", "session"), pk=registration)
    reports = list(row.incidents.filter(kind=IncidentKind.FRAUD).order_by("occurred_on", "pk"))
    form = FraudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            fraud.decide_fraud(
                request.user,
                row,
                sanction=data["sanction"],
                reason=data["reason"],
                withdraws=data["withdraws"],
                incident=reports[-1] if reports else None,
                ban_years=data["ban_years"],
            )
        except Refused as refused:
            form.add_refusal(refused)
        else:
            success(request, _("The decision on the fraud report is recorded."))
            return redirect("deliberation:authority_appeal_list")
    errors = form.error_list()
    return render(
        request,
        "deliberation/authority/fraud_decision.html",
        {
            "registration": row,
            "session": row.session,
            "reports": reports,
            "decisions": list(row.fraud_decisions.order_by("-decided_on", "-pk")),
            "form": form,
            "errors": errors,
            "breadcrumb": crumbs(_crumb(), (str(row.candidate), "")),
        },
        status=400 if errors else 200,
    )


urlpatterns = [
    path("dreets/recours/", authority_appeal_list, name="authority_appeal_list"),
    path("dreets/recours/<int:pk>/", authority_appeal_detail, name="authority_appeal_detail"),
    path("dreets/fraudes/<int:registration>/", authority_fraud_decision, name="authority_fraud_decision"),
]
