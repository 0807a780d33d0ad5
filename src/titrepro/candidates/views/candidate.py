"""The candidate's own pages (/espace/candidat/...): their record and their dossier professionnel."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.candidates import queries, services
from titrepro.candidates.files import portfolio_response
from titrepro.candidates.forms_spaces import PortfolioForm
from titrepro.candidates.models import ProfessionalPortfolio
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused


@login_required
def candidate_home(request: HttpRequest) -> HttpResponse:
    candidates = list(
        queries.own_candidates(request.user).prefetch_related(
            "pathways__title", "accommodations", "vae_applications__title", "portfolios__title"
        )
    )
    today = timezone.localdate()
    records = [
        {
            "candidate": candidate,
            "vae": [(a, queries.vae_status(a, today)) for a in candidate.vae_applications.all()],
        }
        for candidate in candidates
    ]
    return render(
        request,
        "candidates/spaces/candidate_home.html",
        {"records": records, "breadcrumb": crumbs((_("My record"), ""))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def candidate_portfolio(request: HttpRequest) -> HttpResponse:
    candidate = queries.own_candidates(request.user).order_by("pk").first()
    if candidate is None:  # pragma: no cover - own_candidates raises 403 for a user without a candidate role
        return redirect("spaces:candidate_home")
    form = PortfolioForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.upload_portfolio(
                request.user,
                candidate,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
                declaration=form.cleaned_data["declaration"],
                signed_on=form.cleaned_data["signed_on"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("Your dossier professionnel has been received."))
            return redirect("spaces:candidate_home")
    return render(
        request,
        "candidates/spaces/candidate_portfolio.html",
        {
            "form": form,
            "errors": form.error_list(),
            "breadcrumb": crumbs((_("My record"), reverse("spaces:candidate_home")), (_("Dossier professionnel"), "")),
        },
    )


@login_required
def candidate_portfolio_file(request: HttpRequest, pk: int) -> FileResponse:
    """One of the candidate's own DPs (current or earlier), as a PDF attachment."""
    portfolio = get_scoped_or_404(
        ProfessionalPortfolio.objects.filter(candidate__in=queries.own_candidates(request.user)).select_related(
            "title"
        ),
        pk=pk,
    )
    return portfolio_response(portfolio)
