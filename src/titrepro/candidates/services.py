"""Every write about candidates: one transaction each, scope checked here, audited when it matters.

Wrong role: ``PermissionDenied`` (403). Object outside the user's scope: ``Http404``.
A rule that says no: ``ValidationError`` with a French message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from titrepro.accounts.permissions import scope_of
from titrepro.audit.services import record
from titrepro.candidates import imports
from titrepro.candidates.models import (
    Accommodation,
    AccommodationKind,
    AssessmentResult,
    Candidate,
    DecisionStatus,
    InTrainingAssessment,
    Pathway,
    ProfessionalPortfolio,
    VaeApplication,
    VaeStatusChoice,
    identity_key,
    validate_pdf,
)
from titrepro.candidates.queries import vae_status
from titrepro.catalogue.models import CCP, Title
from titrepro.catalogue.reasons import reason_message
from titrepro.directory.models import ApprovedCentre
from titrepro.rules import standing as rules

# --- who may do what ----------------------------------------------------------------


def check_centre_staff(user: Any, centre: ApprovedCentre) -> None:
    """Centre staff of this centre, or the national administrator."""
    scope = scope_of(user)
    if scope.national:
        return
    if not scope.centres:
        raise PermissionDenied
    if centre.pk not in scope.centres:
        raise Http404


def check_authority_agent(user: Any, candidate: Candidate) -> None:
    """An agent of the authority of the candidate's centre (the DREETS decides, R-21, R-86)."""
    scope = scope_of(user)
    if not scope.authorities:
        raise PermissionDenied
    if candidate.centre.authority_id not in scope.authorities:
        raise Http404


def check_candidate_or_staff(user: Any, candidate: Candidate) -> None:
    """The candidate themselves, their centre's staff, or the national administrator."""
    scope = scope_of(user)
    if scope.national or candidate.pk in scope.candidates or candidate.centre_id in scope.centres:
        return
    if not (scope.centres or scope.candidates):
        raise PermissionDenied
    raise Http404


# --- identity -----------------------------------------------------------------------


@dataclass(frozen=True)
class Duplicates:
    same_centre: Candidate | None
    other_centres: tuple[str, ...]  # centre names, for a warning


def find_duplicates(centre: ApprovedCentre, birth_name: str, given_names: str, birth_date: date) -> Duplicates:
    key = identity_key(birth_name, given_names, birth_date)
    same = Candidate.objects.filter(centre=centre, identity_key=key).first()
    others = tuple(
        Candidate.objects.filter(identity_key=key)
        .exclude(centre=centre)
        .values_list("centre__name", flat=True)
        .distinct()
        .order_by("centre__name")
    )
    return Duplicates(same, others)


@transaction.atomic
def create_candidate(user: Any, centre: ApprovedCentre, **identity: Any) -> tuple[Candidate, list[str]]:
    """Enter one candidate; refuses a duplicate in the centre, warns of one in another centre."""
    check_centre_staff(user, centre)
    duplicates = find_duplicates(centre, identity["birth_name"], identity["given_names"], identity["birth_date"])
    if duplicates.same_centre is not None:
        raise ValidationError(
            _("This person is already a candidate of this centre: %(candidate)s.")
            % {"candidate": duplicates.same_centre}
        )
    candidate = Candidate(centre=centre, **identity)
    candidate.full_clean(exclude=["identity_key"])
    candidate.save()
    record(actor=user, action="candidate.created", target=candidate, data={"centre": centre.code})
    warnings = [
        _("The same person is also a candidate of %(centres)s.") % {"centres": ", ".join(duplicates.other_centres)}
    ] * bool(duplicates.other_centres)
    return candidate, warnings


# --- import -------------------------------------------------------------------------


def import_candidates(
    user: Any, centre: ApprovedCentre, report: imports.ImportReport, *, trusted: bool = False
) -> imports.ImportReport:
    """Write a checked import: all of it or nothing, one audit entry with the counts.

    ``trusted`` is for the operator's command line (no user: the audit log says "system").
    """
    if not trusted:
        check_centre_staff(user, centre)
    if not report.ok:
        raise ValidationError(_("The file has errors: nothing was imported."))
    with transaction.atomic():
        result = imports.write(centre, report)
        record(
            actor=user,
            action="candidates.imported",
            target=centre,
            data={
                "file": result.filename,
                "rows": result.rows,
                "created": result.created,
                "already_present": result.already_present,
                "pathways_created": result.pathways_created,
            },
        )
    return result


def check_and_import(
    user: Any, centre: ApprovedCentre, name: str, content: bytes, *, commit: bool = True
) -> imports.ImportReport:
    """Check the whole file, then (when ``commit`` and valid) write it."""
    check_centre_staff(user, centre)
    report = imports.check(centre, name, content)
    if commit and report.ok:
        return import_candidates(user, centre, report)
    return report


# --- ECF (évaluations en cours de formation, R-53) ------------------------------------


@transaction.atomic
def record_assessment(user: Any, pathway: Pathway, ccp: CCP, result: str, assessed_on: date) -> InTrainingAssessment:
    """Record an ECF result for one CCP of the pathway's title, on a date not in the future."""
    pathway = Pathway.objects.select_related("candidate__centre", "title").get(pk=pathway.pk)
    check_centre_staff(user, pathway.candidate.centre)
    ccp = CCP.objects.select_related("version__title").get(pk=ccp.pk)
    if ccp.version.title_id != pathway.title_id:
        raise ValidationError(
            _("CCP %(number)s of %(other)s is not a CCP of the title of this route (%(title)s).")
            % {"number": ccp.number, "other": ccp.version.title.code, "title": pathway.title.code}
        )
    if result not in AssessmentResult.values:
        raise ValidationError(_("Choose the result of the ECF from the list."))
    if assessed_on > timezone.localdate():
        raise ValidationError(_("The date of the ECF cannot be in the future."))
    if InTrainingAssessment.objects.filter(pathway=pathway, ccp=ccp, assessed_on=assessed_on).exists():
        raise ValidationError(_("This ECF result is already recorded."))
    assessment = InTrainingAssessment.objects.create(pathway=pathway, ccp=ccp, result=result, assessed_on=assessed_on)
    record(
        actor=user,
        action="assessment.recorded",
        target=assessment,
        data={
            "title": pathway.title.code,
            "version": ccp.version.label,
            "ccp": ccp.number,
            "result": result,
            "assessed_on": assessed_on.isoformat(),
        },
    )
    return assessment


# --- VAE ------------------------------------------------------------------------------


@transaction.atomic
def file_vae_application(user: Any, candidate: Candidate, title: Title, filed_on: date) -> VaeApplication:
    """Record a complete VAE file received on ``filed_on``; the yearly limits of R-22 apply
    across every centre where the same person is a candidate."""
    check_candidate_or_staff(user, candidate)
    previous = tuple(
        rules.VaeApplication(code, day)
        for code, day in VaeApplication.objects.filter(candidate__identity_key=candidate.identity_key).values_list(
            "title__code", "filed_on"
        )
    )
    refusal = rules.vae_application_allowed(previous, rules.VaeApplication(title.code, filed_on))
    if refusal is not None:
        raise ValidationError(reason_message(refusal))
    application = VaeApplication.objects.create(candidate=candidate, title=title, filed_on=filed_on)
    record(actor=user, action="vae.filed", target=application, data={"filed_on": filed_on.isoformat()})
    return application


def can_decide_vae(application: VaeApplication, on: date) -> tuple[bool, str]:
    """Whether the authority may still decide on ``on``, and why not."""
    if application.status != VaeStatusChoice.PENDING:
        return False, _("This application is already decided.")
    if on < application.filed_on:
        return False, _("A decision cannot come before the file was received.")
    status = vae_status(application, on)
    if status.tacit and status.decision_due and status.valid_until:
        return False, _(
            "No decision within two months: the application was accepted by silence after %(due)s; "
            "the admissibility is valid until %(until)s."
        ) % {"due": date_format(status.decision_due), "until": date_format(status.valid_until)}
    return True, ""


@transaction.atomic
def decide_vae(
    user: Any, application: VaeApplication, *, admissible: bool, on: date, reason: str = ""
) -> VaeApplication:
    """The authority's admissibility decision (R-20, R-21), within two months of the complete file."""
    application = (
        VaeApplication.objects.select_for_update().select_related("candidate__centre", "title").get(pk=application.pk)
    )
    check_authority_agent(user, application.candidate)
    allowed, why = can_decide_vae(application, on)
    if not allowed:
        raise ValidationError(why)
    if not admissible and not reason.strip():
        raise ValidationError(_("A refusal must give its reason."))
    before = application.status
    application.status = VaeStatusChoice.ADMISSIBLE if admissible else VaeStatusChoice.REFUSED
    application.decided_on = on
    application.decided_by = application.candidate.centre.authority
    application.reason = reason.strip()
    application.save(update_fields=["status", "decided_on", "decided_by", "reason"])
    record(
        actor=user,
        action="vae.decided",
        target=application,
        reason=application.reason,
        data={"from": before, "to": application.status, "decided_on": on.isoformat()},
    )
    return application


# --- accommodations (R-85, R-86) ----------------------------------------------------


@transaction.atomic
def request_accommodation(
    user: Any,
    candidate: Candidate,
    *,
    requested_on: date,
    kinds: list[str],
    details: str = "",
    medical_opinion_on: date | None = None,
) -> Accommodation:
    check_candidate_or_staff(user, candidate)
    unknown = set(kinds) - set(AccommodationKind.values)
    if not kinds or unknown:
        raise ValidationError(_("Choose at least one kind of accommodation from the list."))
    accommodation = Accommodation.objects.create(
        candidate=candidate,
        requested_on=requested_on,
        kinds=list(kinds),
        details=details,
        medical_opinion_on=medical_opinion_on,
    )
    record(actor=user, action="accommodation.requested", target=accommodation, data={"kinds": list(kinds)})
    return accommodation


@transaction.atomic
def decide_accommodation(
    user: Any, accommodation: Accommodation, *, granted: bool, on: date, reason: str = ""
) -> Accommodation:
    """The authority's decision on an accommodation request (R-86)."""
    accommodation = (
        Accommodation.objects.select_for_update().select_related("candidate__centre").get(pk=accommodation.pk)
    )
    check_authority_agent(user, accommodation.candidate)
    if accommodation.status != DecisionStatus.REQUESTED:
        raise ValidationError(_("This request is already decided."))
    if on < accommodation.requested_on:
        raise ValidationError(_("A decision cannot come before the request."))
    if accommodation.medical_opinion_on is None and granted:
        raise ValidationError(_("An accommodation is granted on a medical opinion: record its date first."))
    if not granted and not reason.strip():
        raise ValidationError(_("A refusal must give its reason."))
    accommodation.status = DecisionStatus.GRANTED if granted else DecisionStatus.REFUSED
    accommodation.decided_on = on
    accommodation.decided_by = accommodation.candidate.centre.authority
    accommodation.reason = reason.strip()
    accommodation.save(update_fields=["status", "decided_on", "decided_by", "reason"])
    record(
        actor=user,
        action="accommodation.decided",
        target=accommodation,
        reason=accommodation.reason,
        data={"to": accommodation.status, "decided_on": on.isoformat(), "kinds": accommodation.kinds},
    )
    return accommodation


# --- dossier professionnel ----------------------------------------------------------


@transaction.atomic
def upload_portfolio(
    user: Any, candidate: Candidate, *, title: Title, file: Any, declaration: bool, signed_on: date | None
) -> ProfessionalPortfolio:
    check_candidate_or_staff(user, candidate)
    validate_pdf(file)
    if not declaration or signed_on is None:
        raise ValidationError(_("Tick the declaration on honour and give the date you signed it."))
    portfolio = ProfessionalPortfolio(
        candidate=candidate, title=title, file=file, declaration_on_honour=True, signed_on=signed_on
    )
    portfolio.save()
    record(actor=user, action="portfolio.uploaded", target=candidate, data={"title": title.code})
    return portfolio
