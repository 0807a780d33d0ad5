"""Pages of the authority agent for the PVs (/espace/dreets/pv/...): the PVs of its départements (to validate
first), one PV as submitted with its signatures, its validation or its return to the centre (R-71, R-72), and
the PV as a PDF.

Thin: the PVs are those of ``sessions.queries.authority_sessions`` (another département's: 404, another role:
403) once submitted — a PV the centre never submitted is still the jury's; writes go through
``deliberation.services`` (``validate``, ``return_minutes``), the buttons follow ``lifecycles.MINUTES``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.core.paginator import Paginator
from django.db.models import Case, DateTimeField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.audit.models import AuditEntry
from titrepro.catalogue.models import CCP
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.deliberation import documents, services
from titrepro.deliberation import minutes as content
from titrepro.deliberation.forms_authority import RETURNED, MinutesFilterForm, ReturnForm
from titrepro.deliberation.lifecycles import MINUTES
from titrepro.deliberation.models import Minutes, MinutesStatus, Result
from titrepro.sessions import queries
from titrepro.sessions.models import Attendance

PER_PAGE = 50
GET_POST = require_http_methods(["GET", "POST"])
M = MinutesStatus


def _list_crumb() -> tuple[str, str]:
    return _("PVs of my départements"), reverse("deliberation:authority_minutes_list")


def readable_minutes(user: Any) -> QuerySet[Minutes]:
    """The PVs of the agent's départements (every one for a national administrator) that reached the authority:
    submitted, validated, superseded, or returned to the centre (deliberated again, with the return's reason)."""
    sessions = queries.authority_sessions(user)
    return (
        Minutes.objects.filter(session__in=sessions.values("pk"))
        .filter(~Q(status=M.DELIBERATING) | ~Q(return_reason=""))
        .select_related("session__centre__authority", "session__version__title", "submitted_by", "validated_by")
    )


def state_of(minutes: Minutes) -> str:
    """The PV's state as the authority reads it: its status, or ``returned`` while the centre has it back."""
    return RETURNED if minutes.status == M.DELIBERATING else str(minutes.status)


# The list ------------------------------------------------------------------------------------------------------------


def _in_list_order(rows: QuerySet[Minutes]) -> QuerySet[Minutes]:
    """Submitted first, the oldest first (the queue to validate); then validated, returned and superseded, the
    latest first."""
    return rows.annotate(
        rank=Case(
            When(status=M.SUBMITTED, then=Value(0)),
            When(status=M.VALIDATED, then=Value(1)),
            When(status=M.DELIBERATING, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
        queued_at=Case(When(status=M.SUBMITTED, then=F("submitted_at")), output_field=DateTimeField()),
        done_at=Case(
            When(status=M.SUBMITTED, then=Value(None)),
            default=Coalesce("validated_at", "submitted_at"),
            output_field=DateTimeField(),
        ),
    ).order_by("rank", F("queued_at").asc(nulls_last=True), F("done_at").desc(nulls_last=True), "number")


@login_required
@require_GET
def authority_minutes_list(request: HttpRequest) -> HttpResponse:
    rows = readable_minutes(request.user)
    form = MinutesFilterForm(request.GET or None)
    wanted = form.valid_data().get("statut", "")
    if wanted == RETURNED:
        rows = rows.filter(status=M.DELIBERATING)
    elif wanted:
        rows = rows.filter(status=wanted)
    page = Paginator(_in_list_order(rows), PER_PAGE).get_page(request.GET.get("page"))
    kept = request.GET.copy()
    kept.pop("page", None)
    return render(
        request,
        "deliberation/authority/minutes_list.html",
        {
            "form": form,
            "page": page,
            "rows": [{"minutes": minutes, "state": state_of(minutes)} for minutes in page],
            "filters": kept.urlencode(),
            "filtered": bool(wanted),
            "breadcrumb": crumbs((_list_crumb()[0], "")),
        },
    )


# One PV ----------------------------------------------------------------------------------------------------------


def _candidate_rows(minutes: Minutes) -> list[dict[str, Any]]:
    """The candidates as the frozen content lists them, with the words for their codes and the CCPs' labels."""
    labels = {c.number: c.label for c in CCP.objects.filter(version=minutes.session.version_id)}
    rows = []
    for entry in minutes.content.get("candidates", []):
        result = entry.get("result", "")
        rows.append(
            {
                "registration": entry.get("registration"),
                "name": documents.candidate_name(entry),
                "birth_date": datetime.date.fromisoformat(entry["birth_date"]) if entry.get("birth_date") else None,
                "attendance": entry.get("attendance", ""),
                "attendance_label": documents.choice_label(Attendance, entry.get("attendance", "")),
                "result": result,
                "result_label": documents.choice_label(Result, result) if result else "",
                "ccps": [{"number": n, "label": labels.get(n, "")} for n in entry.get("ccps_awarded", [])],
                "reason": entry.get("reason", ""),
                "final_interview": bool(entry.get("final_interview")),
                "fraud_reports": list(entry.get("fraud_reports", [])),
                "remote": bool(entry.get("remote")),
            }
        )
    return rows


def _signature_rows(minutes: Minutes) -> list[dict[str, Any]]:
    return [
        {"signature": signature, "matches": bool(minutes.sha256) and signature.sha256 == minutes.sha256}
        for signature in minutes.signatures.select_related("assignment__member").order_by("signed_at", "pk")
    ]


def _history_labels() -> dict[str, str]:
    return {
        "minutes.submitted": _("Submitted to the authority"),
        "minutes.returned": _("Returned to the centre"),
        "minutes.validated": _("Validated"),
        "minutes.corrected": _("Corrective PV validated by the authority (appeal upheld)"),
        "minutes.superseded": _("Replaced by a corrective PV"),
        "minutes.signatures_voided": _("Signatures voided"),
        "minutes.holdings_written": _("Holdings written"),
    }


def _history(minutes: Minutes) -> list[dict[str, Any]]:
    """What happened to the PV once it reached the authority: submissions, returns with their reasons, validation."""
    labels = _history_labels()
    entries = AuditEntry.objects.filter(
        object_type=minutes._meta.label_lower, object_id=str(minutes.pk), action__in=list(labels)
    ).order_by("sequence")
    return [{"entry": entry, "label": labels[entry.action]} for entry in entries]


def _detail_url(minutes: Minutes) -> str:
    return reverse("deliberation:authority_minutes_detail", args=[minutes.pk])


@login_required
@GET_POST
def authority_minutes_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The PV as submitted, its signatures, and the validation or the return to the centre (POST ``action``)."""
    minutes = get_scoped_or_404(readable_minutes(request.user), pk=pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    give_back = ReturnForm(request.POST if action == "return" else None)
    refusal: Refused | None = None
    if action == "validate":
        try:
            services.validate(request.user, minutes)
        except Refused as refused:
            refusal = refused
        else:
            success(request, _("The PV is validated: the results are final and the candidates will be told."))
            return redirect(_detail_url(minutes))
    elif action == "return":
        if give_back.is_valid():
            try:
                services.return_minutes(request.user, minutes, reason=give_back.cleaned_data["reason"])
            except Refused as refused:
                if refused.field in give_back.fields:
                    give_back.add_refusal(refused)
                else:
                    refusal = refused
            else:
                success(request, _("The PV is returned to the centre with your reason."))
                return redirect(_detail_url(minutes))
    elif action:
        raise Http404
    if refusal is not None:
        minutes.refresh_from_db()  # another agent validated or returned it meanwhile: show where it stands now
    offered = MINUTES.offered(request.user, minutes)
    errors = give_back.error_list()
    session = minutes.session
    return render(
        request,
        "deliberation/authority/minutes_detail.html",
        {
            "minutes": minutes,
            "state": state_of(minutes),
            "session": session,
            "document": minutes.content,
            "candidates": _candidate_rows(minutes),
            "present": [
                {"assignment": m.get("assignment"), "name": f"{m.get('first_name', '')} {m.get('last_name', '')}"}
                for m in minutes.content.get("jury_present", [])
            ],
            "signatures": _signature_rows(minutes),
            "intact": bool(minutes.content) and content.digest(minutes.content) == minutes.sha256,
            "validate": offered.get("validate"),
            "give_back": offered.get("return"),
            "return_form": give_back,
            "refusal": refusal,
            "errors": errors,
            "error_heading": _("This decision cannot be recorded") if errors else "",
            "history": _history(minutes),
            "has_pdf": minutes.status != M.DELIBERATING,
            "breadcrumb": crumbs(_list_crumb(), (minutes.number, "")),
        },
        status=400 if errors or refusal is not None else 200,
    )


@login_required
@require_GET
def authority_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The PV as a PDF (``deliberation.documents``); a PV back with the centre has none (404)."""
    minutes = get_scoped_or_404(readable_minutes(request.user).exclude(status=M.DELIBERATING), pk=pk)
    response = HttpResponse(documents.render_minutes(minutes), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{minutes.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("dreets/pv/", authority_minutes_list, name="authority_minutes_list"),
    path("dreets/pv/<int:pk>/", authority_minutes_detail, name="authority_minutes_detail"),
    path("dreets/pv/<int:pk>/pdf/", authority_minutes_pdf, name="authority_minutes_pdf"),
]
