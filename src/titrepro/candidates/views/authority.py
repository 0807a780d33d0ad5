"""The DREETS agent's read of a candidate's record (/espace/dreets/candidats/...): what the VAE and
accommodation decisions are about. Read only: the centre corrects the record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.candidates import queries
from titrepro.candidates.files import portfolio_response
from titrepro.candidates.models import ProfessionalPortfolio
from titrepro.core.pages import crumbs


@login_required
def authority_candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_scoped_or_404(
        queries.with_record(queries.authority_candidates(request.user)),
        pk=pk,
    )
    today = timezone.localdate()
    vae = [(application, queries.vae_status(application, today)) for application in candidate.vae_applications.all()]
    return render(
        request,
        "candidates/spaces/authority_candidate_detail.html",
        {
            "candidate": candidate,
            "vae": vae,
            "history": list(queries.history(candidate)[:50]),
            "breadcrumb": crumbs((_("VAE applications"), reverse("spaces:authority_vae_list")), (str(candidate), "")),
        },
    )


@login_required
def authority_portfolio_file(request: HttpRequest, pk: int, portfolio_pk: int) -> FileResponse:
    candidate = get_scoped_or_404(queries.authority_candidates(request.user), pk=pk)
    portfolio = get_scoped_or_404(
        ProfessionalPortfolio.objects.filter(candidate=candidate).select_related("title"), pk=portfolio_pk
    )
    return portfolio_response(portfolio)
