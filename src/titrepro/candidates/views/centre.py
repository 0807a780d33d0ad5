"""The centre staff's pages (/espace/centre/...): their candidates, entry, ECF, VAE filing, accommodation
requests, import and export. Thin: reads through ``candidates.queries``, writes through ``candidates.services``."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from titrepro.accounts.permissions import get_scoped_or_404, scope_of
from titrepro.audit.labels import action_label
from titrepro.candidates import imports, queries, services
from titrepro.candidates.files import portfolio_response
from titrepro.candidates.forms_spaces import (
    AccommodationRequestForm,
    AssessmentForm,
    CandidateForm,
    CandidateListForm,
    IdentityForm,
    ImportForm,
    PathwayEndForm,
    PathwayForm,
    VaeFilingForm,
)
from titrepro.candidates.models import Candidate, ImportStatus, Pathway, ProfessionalPortfolio
from titrepro.candidates.workspace import CANDIDATE_LIST, SELECTED
from titrepro.core.forms import DsfrForm
from titrepro.core.lists import paginate
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.core.spreadsheets import attachment
from titrepro.core.workspaces import list_actions


def _list_title(request: HttpRequest) -> str:
    """A national administrator sees every centre's candidates: the page says so."""
    if scope_of(request.user).national:
        return _("All candidates")
    return _("Candidates of my centre") if len(scope_of(request.user).centres) <= 1 else _("Candidates of my centres")


def _list_form(request: HttpRequest, candidates: Any) -> CandidateListForm:
    titles = sorted(set(Pathway.objects.filter(candidate__in=candidates).values_list("title__code", "title__label")))
    return CandidateListForm(request.GET or None, titles=[(code, f"{code} – {label}") for code, label in titles])


@login_required
def centre_candidate_list(request: HttpRequest) -> HttpResponse:
    """The work list: filters, sort, pagination that keeps them, export of what is shown (issue 9, item 5)."""
    candidates = queries.managed_candidates(request.user)
    form = _list_form(request, candidates)
    shown = queries.work_list(candidates, **form.filters())
    page, filters = paginate(request, shown)
    rows = [
        {
            "candidate": candidate,
            "pathways": list(candidate.pathways.all()),
            "last_label": action_label(candidate.last_action) if candidate.last_action else "",
        }
        for candidate in page
    ]
    return render(
        request,
        "candidates/spaces/centre_candidate_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filters": filters,
            "filtered": any(form.filters()[k] for k in ("text", "title", "route", "request")),
            # What other apps offer for the ticked candidates (the sessions: register them to a session).
            "actions": list_actions(CANDIDATE_LIST),
            "selected": SELECTED,
            "heading": _list_title(request),
            "breadcrumb": crumbs((_list_title(request), "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_candidate_new(request: HttpRequest) -> HttpResponse:
    """Enter one candidate: refused if the same person is already a candidate of the centre,
    with a warning when they are one elsewhere (duplicate detection on entry)."""
    centres = queries.managed_centres(request.user)
    form = CandidateForm(request.POST or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        identity = {name: value for name, value in form.cleaned_data.items() if name != "centre"}
        try:
            candidate, warnings = services.create_candidate(request.user, form.cleaned_data["centre"], **identity)
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            for warning in warnings:
                messages.warning(request, warning)
            messages.success(request, _("The candidate is registered."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    return render(
        request,
        "candidates/spaces/centre_candidate_new.html",
        {
            "form": form,
            "errors": form.error_list(),
            "breadcrumb": crumbs(
                (_list_title(request), reverse("spaces:centre_candidate_list")), (_("New candidate"), "")
            ),
        },
    )


@login_required
def centre_candidate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_scoped_or_404(
        queries.with_record(queries.managed_candidates(request.user)),
        pk=pk,
    )
    today = timezone.localdate()
    vae = [(application, queries.vae_status(application, today)) for application in candidate.vae_applications.all()]
    return render(
        request,
        "candidates/spaces/centre_candidate_detail.html",
        {
            "candidate": candidate,
            "vae": vae,
            "has_account": candidate.roles.filter(pending=False).exists(),
            "history": list(queries.history(candidate)[:50]),
            "breadcrumb": crumbs((_list_title(request), reverse("spaces:centre_candidate_list")), (str(candidate), "")),
        },
    )


def _centre_candidate_form(
    request: HttpRequest, candidate: Candidate, form: DsfrForm, heading: str, submit: str, intro: str = ""
) -> HttpResponse:
    return render(
        request,
        "candidates/spaces/centre_candidate_form.html",
        {
            "candidate": candidate,
            "form": form,
            "errors": form.error_list(),
            "heading": heading,
            "intro": intro,
            "submit": submit,
            "breadcrumb": crumbs(
                (_list_title(request), reverse("spaces:centre_candidate_list")),
                (str(candidate), reverse("spaces:centre_candidate_detail", args=[candidate.pk])),
                (heading, ""),
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_assessment_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Record an ECF result (évaluation en cours de formation) for a CCP of one of the candidate's routes."""
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        candidate=candidate,
        initial={"assessed_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_assessment(
                request.user,
                form.cleaned_data["pathway"],
                form.cleaned_data["ccp"],
                form.cleaned_data["result"],
                form.cleaned_data["assessed_on"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The ECF result is recorded."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    no_route = not candidate.pathways.exists()
    return _centre_candidate_form(
        request,
        candidate,
        form,
        _("Record an ECF result"),
        _("Record the result"),
        _("This candidate has no route yet: an ECF result belongs to a route to a title.") if no_route else "",
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct the identity or the contact details (issue 9, item 2); audited with before and after."""
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    initial = {name: getattr(candidate, name) for name in services.IDENTITY_FIELDS}
    form = IdentityForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_candidate(request.user, candidate, **form.cleaned_data)
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The record is corrected."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    return _centre_candidate_form(request, candidate, form, _("Correct the identity"), _("Save the corrections"))


@login_required
@require_http_methods(["GET", "POST"])
def centre_pathway_add(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    form = PathwayForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_pathway(request.user, candidate, **form.cleaned_data)
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The pathway is added."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    return _centre_candidate_form(request, candidate, form, _("Add a pathway"), _("Add the pathway"))


@login_required
@require_http_methods(["GET", "POST"])
def centre_pathway_end(request: HttpRequest, pk: int, pathway_pk: int) -> HttpResponse:
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    pathway = get_scoped_or_404(Pathway.objects.filter(candidate=candidate).select_related("title"), pk=pathway_pk)
    form = PathwayEndForm(
        request.POST if request.method == "POST" else None, initial={"ended_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.end_pathway(
                request.user, pathway, ended_on=form.cleaned_data["ended_on"], reason=form.cleaned_data["reason"]
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The pathway is ended."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    heading = _("End the pathway %(pathway)s") % {"pathway": f"{pathway.title.code} ({pathway.get_route_display()})"}
    return _centre_candidate_form(request, candidate, form, heading, _("End the pathway"))


@login_required
@require_http_methods(["GET", "POST"])
def centre_vae_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a complete VAE file received by the authority (yearly limits of R-22)."""
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    form = VaeFilingForm(request.POST if request.method == "POST" else None, initial={"filed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.file_vae_application(
                request.user, candidate, form.cleaned_data["title"], form.cleaned_data["filed_on"]
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The VAE application is recorded."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    return _centre_candidate_form(
        request,
        candidate,
        form,
        _("File a VAE application"),
        _("Record the application"),
        _(
            "Per calendar year, a person may file one application for the same certification "
            "and applications for at most three different certifications."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_accommodation_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Request adapted tests for a disabled candidate (R-85); the authority decides (R-86)."""
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    form = AccommodationRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_accommodation(
                request.user,
                candidate,
                requested_on=timezone.localdate(),
                kinds=form.cleaned_data["kinds"],
                details=form.cleaned_data["details"],
                medical_opinion_on=form.cleaned_data["medical_opinion_on"],
                extra_time=form.cleaned_data["extra_time"],
                extra_time_orals=form.cleaned_data["extra_time_orals"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The accommodation request is sent to the authority."))
            return redirect("spaces:centre_candidate_detail", candidate.pk)
    return _centre_candidate_form(request, candidate, form, _("Request an accommodation"), _("Send the request"))


def _import_page(request: HttpRequest, context: dict[str, Any], *, partial: bool = False) -> HttpResponse:
    return render(
        request,
        "candidates/spaces/centre_import_status.html" if partial else "candidates/spaces/centre_import.html",
        {
            "columns": imports.COLUMNS,
            "breadcrumb": crumbs(
                (_list_title(request), reverse("spaces:centre_candidate_list")), (_("Import candidates"), "")
            ),
            "job": None,
            "report": None,
            "form": None,
            "errors": [],
            **context,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def centre_import(request: HttpRequest) -> HttpResponse:
    """Send a file: it is kept server-side (ImportJob, one hour) and checked, then its page shows the report."""
    centres = queries.managed_centres(request.user)
    form = ImportForm(request.POST or None, request.FILES or None, centres=centres)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = services.start_import(request.user, form.cleaned_data["centre"], upload.name, upload.read())
        return redirect("spaces:centre_import_job", job.pk)
    return _import_page(request, {"form": form, "errors": form.error_list()})


@login_required
@require_http_methods(["GET", "POST"])
def centre_import_job(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """One pending import: its progress while the worker runs it, its report, the confirm button.

    Only the user who sent the file sees it (404 for anyone else); an htmx poll gets the status region alone.
    """
    try:
        job = services.pending_import(request.user, pk)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("spaces:centre_import")
    if request.method == "POST":
        try:
            job = services.confirm_import(request.user, job)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect("spaces:centre_import_job", job.pk)
        if job.status == ImportStatus.DONE:
            report = job.report or {}
            messages.success(
                request,
                _("%(created)s candidates created, %(present)s already present.")
                % {"created": report.get("created", 0), "present": report.get("already_present", 0)},
            )
            return redirect("spaces:centre_candidate_list")
        return redirect("spaces:centre_import_job", job.pk)
    report = job.report
    # The upload form again when there is something to correct: a file with errors, or a failed run.
    send_again = not job.in_progress and (job.status == ImportStatus.FAILED or not (report or {}).get("valid"))
    form = ImportForm(centres=queries.managed_centres(request.user)) if send_again else None
    return _import_page(
        request,
        {"job": job, "report": report, "form": form},
        partial=request.headers.get("HX-Request") == "true",
    )


@login_required
def centre_export(request: HttpRequest) -> HttpResponse:
    centres = queries.managed_centres(request.user)
    centre_id = request.GET.get("centre")
    if centre_id is None or not centre_id.isdigit():
        centre = centres.order_by("pk").first()
        if centre is None:
            return redirect("spaces:centre_candidate_list")
    else:
        centre = get_scoped_or_404(centres, pk=int(centre_id))
    stamp = timezone.localdate().isoformat()
    # The list's filters, when the export comes from a filtered list: what is shown is what is exported.
    form = _list_form(request, queries.managed_candidates(request.user))
    filters = form.filters()
    only = None
    if any(filters[k] for k in ("text", "title", "route", "request")):
        only = queries.work_list(queries.managed_candidates(request.user).filter(centre=centre), **filters).values_list(
            "pk", flat=True
        )
    if request.GET.get("format") == "xlsx":
        return attachment(imports.export_xlsx(centre, only), f"candidats-{centre.code}-{stamp}.xlsx")
    return attachment(imports.export_csv(centre, only), f"candidats-{centre.code}-{stamp}.csv")


@login_required
def centre_portfolio_file(request: HttpRequest, pk: int, portfolio_pk: int) -> FileResponse:
    """A candidate's DP (current or earlier) for the centre staff, as a PDF attachment."""
    candidate = get_scoped_or_404(queries.managed_candidates(request.user), pk=pk)
    portfolio = get_scoped_or_404(
        ProfessionalPortfolio.objects.filter(candidate=candidate).select_related("title"), pk=portfolio_pk
    )
    return portfolio_response(portfolio)
