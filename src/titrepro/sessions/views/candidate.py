"""Pages of the candidate (/espace/candidat/...): their registrations for sessions and their convocations.

A candidate sees only their own (``queries.own_registrations`` / ``own_convocations``): another
candidate's convocation answers 404, another role 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from titrepro.accounts.permissions import get_scoped_or_404, scope_of
from titrepro.core.pages import crumbs
from titrepro.sessions import queries
from titrepro.sessions.models import DeliveryStatus
from titrepro.sessions.views.jury import convocation_response


@login_required
@require_GET
def candidate_session_list(request: HttpRequest) -> HttpResponse:
    registrations = list(
        queries.own_registrations(request.user)
        .prefetch_related("accommodations", "ccps")
        .order_by("-session__first_day", "pk")
    )
    convocations = list(
        queries.own_convocations(request.user)
        .filter(registration__candidate__in=[r.candidate_id for r in registrations])
        .filter(registration__isnull=False, status=DeliveryStatus.SENT)
        .order_by("-session__first_day", "pk")
    )
    return render(
        request,
        "sessions/candidate/session_list.html",
        {
            "registrations": registrations,
            "convocations": convocations,
            "breadcrumb": crumbs((_("My exam sessions"), "")),
        },
    )


@login_required
@require_GET
def candidate_convocation_pdf(request: HttpRequest, pk: int) -> FileResponse:
    if not scope_of(request.user).candidates:  # own_convocations also answers a jury member
        raise PermissionDenied
    convocation = get_scoped_or_404(
        queries.own_convocations(request.user).filter(registration__isnull=False).select_related("session"), pk=pk
    )
    return convocation_response(convocation)


urlpatterns = [
    path("candidat/sessions/", candidate_session_list, name="candidate_session_list"),
    path("candidat/convocations/<int:pk>/pdf/", candidate_convocation_pdf, name="candidate_convocation_pdf"),
]
