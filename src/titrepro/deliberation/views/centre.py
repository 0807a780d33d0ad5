"""Pages of the centre's staff for the deliberation (/espace/centre/sessions/<pk>/deliberation/): the members
present (R-63), where each decision stands, the PV's signatures, and its submission to the authority (R-71).

A session of another centre is 404, another role 403 (``sessions.queries.managed_sessions``); the decisions
are the jury's (the centre does not decide), the writes ``deliberation.services``'.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.contrib.messages import success
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.deliberation import documents, services
from titrepro.deliberation import minutes as content
from titrepro.deliberation.forms import PresenceForm
from titrepro.deliberation.lifecycles import MINUTES
from titrepro.deliberation.models import Decision, Minutes, MinutesStatus
from titrepro.deliberation.views.jury import decision_row
from titrepro.sessions import queries
from titrepro.sessions.models import ExamSession, JuryStatus

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def centre_deliberation(request: HttpRequest, pk: int) -> HttpResponse:
    session = get_scoped_or_404(queries.managed_sessions(request.user), pk=pk)
    minutes = services.current_minutes(session)
    jury = session.jury.filter(status=JuryStatus.ACCEPTED).select_related("member").order_by("member__last_name")
    action = request.POST.get("action", "") if request.method == "POST" else ""
    presence = PresenceForm(
        request.POST if action == "presence" else None, jury=jury, initial={"present": list(minutes.present.all())}
    )
    refusal: Refused | None = None
    if action == "presence":
        if presence.is_valid():
            try:
                services.record_presence(request.user, session, list(presence.cleaned_data["present"]))
            except Refused as refused:
                presence.add_refusal(refused)
            else:
                success(request, _("The members present are recorded."))
                return redirect("deliberation:centre_deliberation", session.pk)
    elif action == "submit":
        try:
            services.submit(request.user, minutes)
        except Refused as refused:
            refusal = refused
        else:
            success(request, _("The PV is submitted to the authority."))
            return redirect("deliberation:centre_deliberation", session.pk)
    elif action:
        raise Http404
    registrations = content.registrations_of(minutes)
    decisions = {
        d.registration_id: d
        for d in Decision.objects.filter(registration__in=registrations).prefetch_related("ccps_awarded")
    }
    sha = content.digest(content.content(minutes))
    errors = presence.error_list()
    return render(
        request,
        "deliberation/centre/deliberation.html",
        {
            "session": session,
            "minutes": minutes,
            "presence": presence,
            "rows": [decision_row(r, decisions.get(r.pk)) for r in registrations],
            "signatures": list(minutes.signatures.select_related("assignment__member").order_by("signed_at", "pk")),
            "sha256": sha,
            "pdf": _printed(session) is not None,
            "submit": MINUTES.can("submit", request.user, minutes),
            "deliberating": minutes.status == MinutesStatus.DELIBERATING,
            "refusal": refusal,
            "errors": errors,
            "breadcrumb": crumbs(
                (_("Sessions"), reverse("sessions:centre_session_list")),
                (session.number, reverse("sessions:centre_session_detail", args=[session.pk])),
                (_("Deliberation"), ""),
            ),
        },
        status=400 if errors or refusal is not None else 200,
    )


def _printed(session: ExamSession) -> Minutes | None:
    """The session's last PV that left the centre (submitted, validated or superseded): its content is frozen."""
    return (
        Minutes.objects.filter(session=session)
        .exclude(status=MinutesStatus.DELIBERATING)
        .select_related("session__centre__authority", "session__version__title", "validated_by")
        .order_by("-revision")
        .first()
    )


@login_required
@require_GET
def centre_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's last submitted PV as a PDF (``deliberation.documents``); none submitted yet: 404."""
    session = get_scoped_or_404(queries.managed_sessions(request.user), pk=pk)
    minutes = _printed(session)
    if minutes is None:
        raise Http404
    response = HttpResponse(documents.render_minutes(minutes), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{minutes.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("centre/sessions/<int:pk>/deliberation/", centre_deliberation, name="centre_deliberation"),
    path("centre/sessions/<int:pk>/deliberation/pv/", centre_minutes_pdf, name="centre_minutes_pdf"),
]
