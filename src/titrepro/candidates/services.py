"""Every write about candidates: one transaction each, scope re-checked here, audited when it matters.

Scope goes through the same ``queries`` functions as the pages: wrong role
``PermissionDenied`` (403), an object outside the user's scope ``Http404``.
A rule that says no raises ``core.refusals.Refused`` with its code, its French
message and the field it is about. VAE applications and accommodation
requests move through their lifecycles (``candidates.lifecycles``); the
authority's decisions are ``core.decisions.decide`` over ``candidates.decisions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.accounts.permissions import ensure_in
from titrepro.audit.services import record
from titrepro.candidates import imports
from titrepro.candidates.decisions import ACCOMMODATION_DECISION, VAE_DECISION
from titrepro.candidates.lifecycles import ACCOMMODATION, VAE
from titrepro.candidates.models import (
    Accommodation,
    AccommodationKind,
    AssessmentResult,
    Candidate,
    ImportJob,
    ImportStatus,
    InTrainingAssessment,
    Pathway,
    ProfessionalPortfolio,
    VaeApplication,
    VaeStatusChoice,
    extra_time_fraction,
    identity_key,
    validate_pdf,
)
from titrepro.candidates.queries import managed_centres, represented_candidates, vae_status
from titrepro.catalogue.models import CCP, Title
from titrepro.core import dating
from titrepro.core.dating import decision_date, not_in_future, plausible
from titrepro.core.decisions import decide
from titrepro.core.refusals import Refused
from titrepro.core.values import normalise_phone
from titrepro.directory.models import ApprovedCentre

# --- who may do what ----------------------------------------------------------------


def check_centre_staff(user: Any, centre: ApprovedCentre) -> None:
    """Centre staff of this centre, or the national administrator (403 / 404 otherwise)."""
    ensure_in(managed_centres(user), centre)


def check_candidate_or_staff(user: Any, candidate: Candidate) -> None:
    """The candidate themselves, their centre's staff, or the national administrator (403 / 404 otherwise)."""
    ensure_in(represented_candidates(user), candidate)


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
        raise Refused(
            "candidate_duplicate_in_centre",
            _("This person is already a candidate of this centre: %(candidate)s.")
            % {"candidate": duplicates.same_centre},
        )
    if identity.get("phone"):
        identity["phone"] = normalise_phone(identity["phone"])
    candidate = Candidate(centre=centre, **identity)
    try:
        candidate.full_clean(exclude=["identity_key"])
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Refused("candidate_invalid", " ".join(messages), None if field == "__all__" else field) from error
    candidate.save()
    record(actor=user, action="candidate.created", target=candidate, data={"centre": centre.code})
    warnings = [
        _("The same person is also a candidate of %(centres)s.") % {"centres": ", ".join(duplicates.other_centres)}
    ] * bool(duplicates.other_centres)
    return candidate, warnings


IDENTITY_FIELDS = ("birth_name", "usual_name", "given_names", "birth_date", "birth_place", "email", "phone")


def update_candidate(user: Any, candidate: Candidate, **identity: Any) -> Candidate:
    """Correct a candidate's identity or contact details (issue 9, item 2): the duplicate check again,
    the same validation as on entry, one audit entry with every field's before and after."""
    check_centre_staff(user, candidate.centre)
    if identity.get("phone"):
        identity["phone"] = normalise_phone(identity["phone"])
    with transaction.atomic():
        row = Candidate.objects.select_for_update().get(pk=candidate.pk)
        changes = {
            name: [_plain(getattr(row, name)), _plain(value)]
            for name, value in identity.items()
            if name in IDENTITY_FIELDS and getattr(row, name) != value
        }
        if not changes:
            return row
        duplicates = find_duplicates(
            row.centre,
            identity.get("birth_name", row.birth_name),
            identity.get("given_names", row.given_names),
            identity.get("birth_date", row.birth_date),
        )
        if duplicates.same_centre is not None and duplicates.same_centre.pk != row.pk:
            raise Refused(
                "candidate_duplicate_in_centre",
                _("This person is already a candidate of this centre: %(candidate)s.")
                % {"candidate": duplicates.same_centre},
            )
        for name in changes:
            setattr(row, name, identity[name])
        row.identity_key = identity_key(row.birth_name, row.given_names, row.birth_date)
        try:
            row.full_clean(exclude=["identity_key"])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            raise Refused("candidate_invalid", " ".join(messages), None if field == "__all__" else field) from error
        row.save()
        record(actor=user, action="candidate.updated", target=row, data={"changes": changes})
    return row


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def add_pathway(
    user: Any,
    candidate: Candidate,
    *,
    title: Title,
    route: str,
    provider_name: str = "",
    employer: str = "",
    started_on: date | None = None,
) -> Pathway:
    """A route to a title for the candidate (R-10, R-11); one per title and route."""
    check_centre_staff(user, candidate.centre)
    plausible(started_on, "started_on")
    with transaction.atomic():
        if Pathway.objects.filter(candidate=candidate, title=title, route=route).exists():
            raise Refused("pathway_duplicate", _("This candidate already has this route to this title."), "route")
        pathway = Pathway.objects.create(
            candidate=candidate,
            title=title,
            route=route,
            provider_name=provider_name,
            employer=employer,
            started_on=started_on,
        )
        record(
            actor=user,
            action="pathway.added",
            target=candidate,
            data={
                "title": title.code,
                "route": route,
                "started_on": _plain(started_on),
                "provider": provider_name,
                "employer": employer,
            },
        )
    return pathway


def end_pathway(user: Any, pathway: Pathway, *, ended_on: date, reason: str = "") -> Pathway:
    """The pathway ended (training finished or stopped): not after today, not before it started."""
    check_centre_staff(user, pathway.candidate.centre)
    not_in_future(ended_on, "ended_on")
    with transaction.atomic():
        row = Pathway.objects.select_for_update().select_related("title").get(pk=pathway.pk)
        if row.ended_on is not None:
            raise Refused("pathway_already_ended", _("This pathway has already ended."))
        if row.started_on is not None and ended_on < row.started_on:
            raise Refused("pathway_end_before_start", _("A pathway cannot end before it starts."), "ended_on")
        row.ended_on = ended_on
        row.save(update_fields=["ended_on"])
        record(
            actor=user,
            action="pathway.ended",
            target=row.candidate,
            reason=reason,
            data={"title": row.title.code, "route": row.route, "ended_on": ended_on.isoformat()},
        )
    return row


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
        raise Refused("import_has_errors", _("The file has errors: nothing was imported."), "file")
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
    user: Any,
    centre: ApprovedCentre,
    name: str,
    content: bytes,
    *,
    commit: bool = True,
    progress: imports.Progress | None = None,
) -> imports.ImportReport:
    """Check the whole file, then (when ``commit`` and valid) write it."""
    check_centre_staff(user, centre)
    report = imports.check(centre, name, content, progress=progress)
    if commit and report.ok:
        return import_candidates(user, centre, report)
    return report


# --- pending imports (ImportJob): server-side, one hour, run by the worker when large ---------

SHOWN_ERRORS = 500


def stored_report(report: imports.ImportReport) -> dict[str, Any]:
    """What a job keeps of a report: the API's shape, the first 500 errors and the number of bad lines."""
    data = report.as_dict()
    data["errors"] = data["errors"][:SHOWN_ERRORS]
    data["warnings"] = data["warnings"][:SHOWN_ERRORS]
    data["bad_line_count"] = len(report.bad_lines)
    return data


def purge_expired_imports() -> int:
    """Delete the pending imports past their hour (with their file); returns how many."""
    deleted, _counts = ImportJob.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


def start_import(user: Any, centre: ApprovedCentre, name: str, content: bytes) -> ImportJob:
    """Keep the file server-side and check it: now when small, in the worker beyond
    ``TITREPRO_IMPORT_BACKGROUND_BYTES``. Nothing is written to the candidates."""
    check_centre_staff(user, centre)
    purge_expired_imports()
    background = len(content) > settings.TITREPRO_IMPORT_BACKGROUND_BYTES
    with transaction.atomic():
        job = ImportJob.objects.create(
            user=user,
            centre=centre,
            filename=name[:255],
            content=content,
            background=background,
            rows_total=imports.estimated_rows(name, content),
            expires_at=timezone.now() + timedelta(seconds=settings.TITREPRO_IMPORT_JOB_SECONDS),
        )
        if background:
            from titrepro.candidates.tasks import run_import_job

            run_import_job.enqueue(str(job.pk))  # same database, same transaction: the worker sees both or neither
    if not background:
        run_job(job)
    return job


def pending_import(user: Any, job_id: Any) -> ImportJob:
    """The user's own pending import in a centre they manage (403 for other roles, 404 for anyone else's);
    an expired one is refused (and deleted)."""
    centres = managed_centres(user)
    try:
        job = ImportJob.objects.select_related("centre").get(pk=job_id, user=user, centre__in=centres)
    except (ImportJob.DoesNotExist, ValidationError):
        raise Http404 from None
    if job.expired:
        job.delete()
        raise Refused("import_expired", _("This import has expired: upload the file again."), "file")
    return job


def confirm_import(user: Any, job: ImportJob) -> ImportJob:
    """Write a checked, valid pending import: now when small, in the worker when large."""
    check_centre_staff(user, job.centre)
    if job.user_id != user.pk:
        raise Http404
    if job.expired:
        raise Refused("import_expired", _("This import has expired: upload the file again."), "file")
    if job.status != ImportStatus.CHECKED or not (job.report or {}).get("valid"):
        raise Refused("import_not_ready", _("This import cannot be confirmed in its current state."), "file")
    updated = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED).update(
        status=ImportStatus.QUEUED, commit=True, rows_done=0
    )
    if not updated:  # confirmed twice at the same time: one wins
        raise Refused("import_not_ready", _("This import cannot be confirmed in its current state."), "file")
    job.refresh_from_db()
    if job.background:
        from titrepro.candidates.tasks import run_import_job

        run_import_job.enqueue(str(job.pk))
    else:
        run_job(job)
    return job


class ImportTimeLimit(Exception):
    """The import ran past ``TITREPRO_IMPORT_TIME_LIMIT_SECONDS``."""


def run_job(job: ImportJob, *, deadline: float | None = None) -> ImportJob:
    """Check (or, once confirmed, check again and write) a pending import, recording its progress.

    The writing is ``import_candidates``: one transaction, all or nothing. The file is checked
    again before writing: the candidates of the centre may have changed within the hour.
    """
    import time

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING, rows_done=0)

    def progress(rows: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(rows_done=rows)
        if deadline is not None and time.monotonic() > deadline:
            raise ImportTimeLimit

    try:
        report = check_and_import(
            job.user, job.centre, job.filename, bytes(job.content), commit=job.commit, progress=progress
        )
    except ImportTimeLimit:
        message = _("The import took longer than %(minutes)s minutes and was stopped: nothing was imported.") % {
            "minutes": max(settings.TITREPRO_IMPORT_TIME_LIMIT_SECONDS // 60, 1)
        }
        ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.FAILED, error=message)
        job.refresh_from_db()
        return job
    if job.commit and report.committed:
        status = ImportStatus.DONE
    elif job.commit:
        status = ImportStatus.FAILED  # the file no longer checks: nothing was written
    else:
        status = ImportStatus.CHECKED
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, report=stored_report(report), rows_done=report.rows, rows_total=report.rows
    )
    job.refresh_from_db()
    return job


# --- ECF (évaluations en cours de formation, R-53) ------------------------------------


@transaction.atomic
def record_assessment(user: Any, pathway: Pathway, ccp: CCP, result: str, assessed_on: date) -> InTrainingAssessment:
    """Record an ECF result for one CCP of the pathway's title, on a date not in the future."""
    pathway = Pathway.objects.select_related("candidate__centre", "title").get(pk=pathway.pk)
    check_centre_staff(user, pathway.candidate.centre)
    ccp = CCP.objects.select_related("version__title").get(pk=ccp.pk)
    if ccp.version.title_id != pathway.title_id:
        raise Refused(
            "ecf_ccp_not_of_the_title",
            _("CCP %(number)s of %(other)s is not a CCP of the title of this route (%(title)s).")
            % {"number": ccp.number, "other": ccp.version.title.code, "title": pathway.title.code},
            "ccp",
        )
    if result not in AssessmentResult.values:
        raise Refused("ecf_result_unknown", _("Choose the result of the ECF from the list."), "result")
    if assessed_on > dating.today():
        raise Refused("ecf_date_in_future", _("The date of the ECF cannot be in the future."), "assessed_on")
    plausible(assessed_on, "assessed_on")
    if InTrainingAssessment.objects.filter(pathway=pathway, ccp=ccp, assessed_on=assessed_on).exists():
        raise Refused("ecf_already_recorded", _("This ECF result is already recorded."))
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


# --- VAE (R-20 to R-22) ---------------------------------------------------------------


def file_vae_application(user: Any, candidate: Candidate, title: Title, filed_on: date) -> VaeApplication:
    """Record a complete VAE file received on ``filed_on``; the yearly limits of R-22 apply
    across every centre where the same person is a candidate. The filing date starts the
    authority's two months (R-21): it is dated like a decision (``core.dating``)."""
    decision_date(filed_on, "filed_on")
    application = VaeApplication(candidate=candidate, title=title, filed_on=filed_on)
    return VAE.create("file", user, application, on=filed_on, data={"filed_on": filed_on.isoformat()})


def decide_vae(
    user: Any, application: VaeApplication, *, admissible: bool, on: date, reason: str = ""
) -> VaeApplication:
    """The authority's admissibility decision (R-20, R-21), within two months of the complete file."""
    return decide(VAE_DECISION, user, application, positive=admissible, on=on, reason=reason)


def settle_vae_applications(on: date) -> int:
    """The system records the acceptance by silence of every file left undecided two months (R-21):
    ``titrepro settle`` runs it daily. The acceptance dates from the end of the two months."""
    settled = 0
    # Two months are at least 59 days: only those files can have been accepted by silence (the rules decide).
    pending = (
        VaeApplication.objects.filter(status=VaeStatusChoice.PENDING, filed_on__lte=on - timedelta(days=59))
        .select_related("title")
        .order_by("pk")
    )
    for application in pending:
        status = vae_status(application, on)
        if not status.tacit or status.decision_due is None:
            continue
        VAE.apply(
            "accept_by_silence",
            None,
            application,
            on=on,
            changes={"tacit": True, "decided_on": status.decision_due, "recorded_on": dating.today()},
            data={"decision_due": status.decision_due.isoformat()},
        )
        settled += 1
    return settled


# --- accommodations (R-85, R-86) ----------------------------------------------------


def request_accommodation(
    user: Any,
    candidate: Candidate,
    *,
    requested_on: date,
    kinds: list[str],
    details: str = "",
    medical_opinion_on: date | None = None,
    extra_time: str = "",
    extra_time_orals: bool = False,
) -> Accommodation:
    """A request for adapted tests (R-85, R-86); ``extra_time``: a fraction of each test's duration ("1/3"),
    lengthening the tests done alone, and the interviews too when ``extra_time_orals``."""
    decision_date(requested_on, "requested_on")
    try:
        extra_time_fraction(extra_time)
    except ValidationError as error:
        raise Refused("accommodation_extra_time_invalid", " ".join(error.messages), "extra_time") from error
    if medical_opinion_on is not None:
        not_in_future(medical_opinion_on, "medical_opinion_on")
    unknown = set(kinds) - set(AccommodationKind.values)
    if not kinds or unknown:
        raise Refused(
            "accommodation_kinds_invalid", _("Choose at least one kind of accommodation from the list."), "kinds"
        )
    accommodation = Accommodation(
        candidate=candidate,
        requested_on=requested_on,
        kinds=list(kinds),
        details=details,
        medical_opinion_on=medical_opinion_on,
        extra_time=extra_time.strip(),
        extra_time_orals=bool(extra_time.strip()) and extra_time_orals,
    )
    return ACCOMMODATION.create(
        "request",
        user,
        accommodation,
        on=requested_on,
        data={"kinds": list(kinds)}
        | (
            {"extra_time": accommodation.extra_time, "extra_time_orals": accommodation.extra_time_orals}
            if accommodation.extra_time
            else {}
        ),
    )


def decide_accommodation(
    user: Any, accommodation: Accommodation, *, granted: bool, on: date, reason: str = ""
) -> Accommodation:
    """The authority's decision on an accommodation request (R-86)."""
    return decide(ACCOMMODATION_DECISION, user, accommodation, positive=granted, on=on, reason=reason)


# --- dossier professionnel ----------------------------------------------------------


@transaction.atomic
def upload_portfolio(
    user: Any, candidate: Candidate, *, title: Title, file: Any, declaration: bool, signed_on: date | None
) -> ProfessionalPortfolio:
    check_candidate_or_staff(user, candidate)
    try:
        validate_pdf(file)
    except ValidationError as error:
        raise Refused(f"portfolio_{error.code}", " ".join(error.messages), "file") from error
    if not declaration or signed_on is None:
        raise Refused(
            "portfolio_declaration_missing",
            _("Tick the declaration on honour and give the date you signed it."),
            "declaration",
        )
    not_in_future(signed_on, "signed_on")
    with transaction.atomic():
        # One current DP per title: a new one replaces the previous, which stays in the history.
        previous = (
            ProfessionalPortfolio.objects.select_for_update()
            .filter(candidate=candidate, title=title, replaced_at=None)
            .first()
        )
        if previous is not None:
            previous.replaced_at = timezone.now()
            previous.save(update_fields=["replaced_at"])
        portfolio = ProfessionalPortfolio(
            candidate=candidate, title=title, file=file, declaration_on_honour=True, signed_on=signed_on
        )
        portfolio.save()
        record(
            actor=user,
            action="portfolio.replaced" if previous is not None else "portfolio.uploaded",
            target=candidate,
            data={"title": title.code, "replaces": previous.pk if previous is not None else None},
        )
    return portfolio
