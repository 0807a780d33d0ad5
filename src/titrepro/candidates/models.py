"""Candidates and their routes: identity, pathways, ECF, accommodations, VAE, dossier professionnel."""

from __future__ import annotations

import uuid
from datetime import date
from fractions import Fraction
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titrepro.core.models import AuthorityDecision
from titrepro.core.values import fold as fold  # moved down to core (the catalogue search folds too)
from titrepro.core.values import validate_birth_date, validate_phone, validate_text

PORTFOLIO_MAX_BYTES = 10 * 1024 * 1024


def identity_key(birth_name: str, given_names: str, birth_date: date) -> str:
    """The key that names a person for duplicate detection: birth name, first given name, birth date."""
    given = fold(given_names.replace(",", " ")).split(" ")[0] if given_names.strip() else ""
    return f"{fold(birth_name)}|{given}|{birth_date.isoformat()}"


class Candidate(models.Model):
    birth_name = models.CharField(_("birth name"), max_length=150, validators=[validate_text])
    usual_name = models.CharField(_("usual name"), max_length=150, blank=True, validators=[validate_text])
    given_names = models.CharField(_("given names"), max_length=200, validators=[validate_text])
    birth_date = models.DateField(_("date of birth"), validators=[validate_birth_date])
    birth_place = models.CharField(_("place of birth"), max_length=200, validators=[validate_text])
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    centre = models.ForeignKey(
        "directory.ApprovedCentre", on_delete=models.PROTECT, related_name="candidates", verbose_name=_("centre")
    )
    identity_key = models.CharField(_("identity key"), max_length=400, editable=False, default="")
    # Written by the authority's fraud decision (R-80, deliberation.fraud): no registration for a session whose
    # first day is on or before it, at any centre (the same person: ``identity_key``).
    banned_until = models.DateField(_("banned from the sessions until"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["birth_name", "given_names"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "identity_key"],
                name="candidate_unique_identity_per_centre",
                violation_error_message=_(
                    "A candidate with the same birth name, first given name and date of birth already exists "
                    "in this centre."
                ),
            )
        ]
        indexes = [models.Index(fields=["identity_key"], name="candidate_identity_key")]

    def __str__(self) -> str:
        return f"{self.given_names} {self.usual_name or self.birth_name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A derived column, not a cascade: kept in step with the names it is made of.
        self.identity_key = self.compute_identity_key()
        super().save(*args, **kwargs)

    def compute_identity_key(self) -> str:
        return identity_key(self.birth_name, self.given_names, self.birth_date)


class Route(models.TextChoices):
    """R-10, R-11. Same values as ``titrepro.rules.standing.Route``."""

    TRAINING = "training", _("Training")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    VAE = "vae", _("VAE")
    ACCUMULATION = "accumulation", _("Accumulation of CCPs")


class Pathway(models.Model):
    """A candidate's route to a title (R-10, R-11)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="pathways")
    title = models.ForeignKey("catalogue.Title", on_delete=models.PROTECT, related_name="+", verbose_name=_("title"))
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    # directory.TrainingProvider does not exist yet: the provider's name, until it does.
    provider_name = models.CharField(_("training provider"), max_length=200, blank=True)
    # The employer during the pathway (apprenticeship, VAE): a jury member linked to it is in conflict.
    employer = models.CharField(_("employer"), max_length=200, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["candidate", "started_on", "pk"]
        verbose_name = _("pathway")
        verbose_name_plural = _("pathways")
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | Q(started_on__isnull=True)
                | Q(ended_on__gte=models.F("started_on")),
                name="pathway_ends_after_start",
                violation_error_message=_("A pathway cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "title", "route"],
                name="pathway_unique_route_per_title",
                violation_error_message=_("This candidate already has this route to this title."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.title.code} ({self.get_route_display()})"


class AssessmentResult(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")


class InTrainingAssessment(models.Model):
    """An ECF result for one CCP, given by the training provider (R-53)."""

    pathway = models.ForeignKey(Pathway, on_delete=models.CASCADE, related_name="assessments")
    ccp = models.ForeignKey("catalogue.CCP", on_delete=models.PROTECT, related_name="+", verbose_name=_("CCP"))
    result = models.CharField(_("result"), max_length=10, choices=AssessmentResult.choices)
    assessed_on = models.DateField(_("date"))

    class Meta:
        ordering = ["pathway", "ccp__number", "assessed_on"]
        verbose_name = _("in-training assessment (ECF)")
        verbose_name_plural = _("in-training assessments (ECF)")
        constraints = [
            models.UniqueConstraint(
                fields=["pathway", "ccp", "assessed_on"],
                name="ecf_unique_per_day",
                violation_error_message=_("This ECF result is already recorded."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.pathway.candidate} — CCP {self.ccp.number}: {self.get_result_display()}"


class AccommodationKind(models.TextChoices):
    """R-85: adapted validation methods."""

    EXTRA_TIME = "extra_time", _("Extra time")
    HUMAN_AID = "human_aid", _("Human aid")
    ADAPTED_ROOM = "adapted_room", _("Adapted room")
    EQUIPMENT = "equipment", _("Adapted equipment")
    OTHER = "other", _("Other")


class DecisionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


def extra_time_fraction(value: str) -> Fraction:
    """The extra time ``value`` ("1/3", "0.25", blank) as a fraction of a test's duration: 0 < x <= 1, or 0 when
    blank. Raises ``ValidationError`` (code ``extra_time_invalid``) otherwise."""
    text = (value or "").strip()
    if not text:
        return Fraction(0)
    try:
        fraction = Fraction(text.replace(",", "."))
    except (ValueError, ZeroDivisionError):
        fraction = Fraction(-1)
    if not 0 < fraction <= 1:
        raise ValidationError(
            _(
                "Give the extra time as a fraction of the duration greater than 0 and at most 1, for example 1/3 (R-85)."
            ),
            code="extra_time_invalid",
        )
    return fraction


def validate_extra_time(value: str) -> None:
    extra_time_fraction(value)


class Accommodation(AuthorityDecision):
    """A disabled candidate's request for adapted tests, decided by the authority (R-85, R-86).

    Its status changes only through ``candidates.lifecycles.ACCOMMODATION``.
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="accommodations")
    requested_on = models.DateField(_("requested on"))
    kinds = models.JSONField(_("accommodations asked for"), default=list)
    details = models.TextField(_("details"), blank=True)
    medical_opinion_on = models.DateField(_("date of the medical opinion"), null=True, blank=True)
    # Extra time as a fraction of each test's duration ("1/3"), blank when none (validate_extra_time);
    # it lengthens the tests the candidate does alone, and the interviews too when ``extra_time_orals``.
    extra_time = models.CharField(
        _("extra time"),
        max_length=8,
        blank=True,
        validators=[validate_extra_time],
        help_text=_("A fraction of each test's duration, for example 1/3; leave blank when none."),
    )
    extra_time_orals = models.BooleanField(_("also on the interviews"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=DecisionStatus.choices, default="requested")

    class Meta:
        ordering = ["-requested_on", "pk"]
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="requested", decided_on__isnull=True)
                | (~Q(status="requested") & Q(decided_on__isnull=False, decided_by__isnull=False)),
                name="accommodation_decision_is_dated",
                violation_error_message=_("A decision has a date and an authority; a request has neither."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — {self.requested_on:%d/%m/%Y} ({self.get_status_display()})"

    def kind_labels(self) -> list[str]:
        labels = dict(AccommodationKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.kinds]


class VaeStatusChoice(models.TextChoices):
    PENDING = "pending", _("Pending")
    ADMISSIBLE = "admissible", _("Admissible")
    REFUSED = "refused", _("Refused")


class VaeApplication(AuthorityDecision):
    """A VAE admissibility application; ``filed_on`` is when the complete file was received (R-20 to R-22).

    Its status changes only through ``candidates.lifecycles.VAE``: decided by the authority, or
    accepted by silence two months after the complete file (``tacit``; R-21).
    """

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="vae_applications")
    title = models.ForeignKey("catalogue.Title", on_delete=models.PROTECT, related_name="+", verbose_name=_("title"))
    filed_on = models.DateField(_("complete file received on"))
    status = models.CharField(_("status"), max_length=12, choices=VaeStatusChoice.choices, default="pending")
    tacit = models.BooleanField(_("accepted by silence"), default=False)

    class Meta:
        ordering = ["filed_on", "pk"]
        verbose_name = _("VAE application")
        verbose_name_plural = _("VAE applications")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="pending", decided_on__isnull=True)
                | (~Q(status="pending") & Q(decided_on__isnull=False, decided_on__gte=models.F("filed_on"))),
                name="vae_decision_is_dated",
                violation_error_message=_("A decision has a date, on or after the file was received."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — VAE {self.title.code} ({self.filed_on:%d/%m/%Y})"


def validate_pdf(file: Any) -> None:
    """At most 10 MB, and a real PDF (it starts with ``%PDF-``), whatever its name says."""
    if file.size is not None and file.size > PORTFOLIO_MAX_BYTES:
        raise ValidationError(_("The file is too large: 10 MB at most."), code="too_large")
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(5)
    file.seek(position)
    if head != b"%PDF-":
        raise ValidationError(_("The file is not a PDF document."), code="not_pdf")


def portfolio_path(instance: Any, filename: str) -> str:
    """A random name with a fixed ``.pdf`` extension, never the client's file name (issue 11, item 11):
    the name a person chose may carry personal data or a path, and is not ours to serve back."""
    today = timezone.now()
    return f"portfolios/{today:%Y}/{today:%m}/{uuid.uuid4().hex}.pdf"


class ProfessionalPortfolio(models.Model):
    """The candidate's dossier professionnel (DP) for a title, with their declaration on honour."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="portfolios")
    title = models.ForeignKey("catalogue.Title", on_delete=models.PROTECT, related_name="+", verbose_name=_("title"))
    file = models.FileField(_("file (PDF)"), upload_to=portfolio_path, validators=[validate_pdf])
    declaration_on_honour = models.BooleanField(_("declaration on honour"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # A new DP for the same title replaces this one, which stays in the history (issue 9, item 2).
    replaced_at = models.DateTimeField(_("replaced at"), null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("professional portfolio")
        verbose_name_plural = _("professional portfolios")
        constraints = [
            models.CheckConstraint(
                condition=Q(declaration_on_honour=True, signed_on__isnull=False),
                name="portfolio_declared_and_signed",
                violation_error_message=_("The declaration on honour must be ticked and dated."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "title"],
                condition=Q(replaced_at=None),
                name="portfolio_one_current_per_title",
                violation_error_message=_("A candidate has one current dossier professionnel per title."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.candidate} — DP {self.title.code}"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    CHECKED = "checked", _("checked, waiting for confirmation")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportJob(models.Model):
    """A pending import of candidates, kept server-side for an hour (issue 11, items 6 and 12).

    The file itself is here (``content``), never in the session; only the user who sent it, staff
    of its centre, may see or confirm it. Large files are checked and written by the task worker
    (``candidates.tasks``); ``rows_done`` / ``rows_total`` are its progress.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    centre = models.ForeignKey("directory.ApprovedCentre", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    # What the task does when it runs: check the file, or write it once confirmed.
    commit = models.BooleanField(default=False)
    background = models.BooleanField(default=False)
    rows_done = models.PositiveIntegerField(default=0)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("import of candidates")
        verbose_name_plural = _("imports of candidates")
        indexes = [models.Index(fields=["expires_at"], name="importjob_expires_idx")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.QUEUED, ImportStatus.RUNNING)


# What the candidate holds (written by the validation of a session's minutes, R-72) -----------------


class HoldingKind(models.TextChoices):
    CCP = "ccp", _("CCP")
    TITLE = "title", _("Title")
    CCS = "ccs", _("CCS")


class Holding(models.Model):
    """A CCP, a title or a CCS the candidate holds, with the day it was obtained and where it comes from (the
    minutes of a session, validated by the authority: R-72). The standing engine reads them
    (``sessions.facts.situation``). A withdrawal (fraud found after the session, R-80; an appeal, R-82; an
    annulled session, R-81) keeps the row with its day and reason: the history stays visible."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="holdings")
    kind = models.CharField(_("kind"), max_length=5, choices=HoldingKind.choices)
    version = models.ForeignKey(
        "catalogue.TitleVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("title version")
    )
    ccp = models.ForeignKey(
        "catalogue.CCP", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("CCP")
    )
    ccs = models.ForeignKey(
        "catalogue.CCS", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("CCS")
    )
    obtained_on = models.DateField(_("obtained on"))
    source = models.CharField(_("source"), max_length=200)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdraw_reason = models.TextField(_("reason for the withdrawal"), blank=True)

    class Meta:
        ordering = ["candidate", "obtained_on", "kind", "pk"]
        verbose_name = _("holding")
        verbose_name_plural = _("holdings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="ccp") & Q(ccp__isnull=False) & Q(ccs__isnull=True))
                | (Q(kind="title") & Q(ccp__isnull=True) & Q(ccs__isnull=True))
                | (Q(kind="ccs") & Q(ccp__isnull=True) & Q(ccs__isnull=False)),
                name="holding_names_what_it_holds",
                violation_error_message=_("A CCP holding names its CCP, a CCS holding its CCS, a title neither."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "ccp"],
                condition=Q(kind="ccp", withdrawn_on=None),
                name="holding_ccp_once",
                violation_error_message=_("The candidate already holds this CCP."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "version"],
                condition=Q(kind="title", withdrawn_on=None),
                name="holding_title_once",
                violation_error_message=_("The candidate already holds this title."),
            ),
            models.UniqueConstraint(
                fields=["candidate", "ccs"],
                condition=Q(kind="ccs", withdrawn_on=None),
                name="holding_ccs_once",
                violation_error_message=_("The candidate already holds this CCS."),
            ),
        ]

    def __str__(self) -> str:
        what = f"CCP {self.ccp.number}" if self.ccp else f"CCS {self.ccs.code}" if self.ccs else str(_("title"))
        return f"{self.candidate} — {what} ({self.obtained_on})"


class OutcomeKind(models.TextChoices):
    FAILURE = "failure", _("Failure")
    ABSENCE = "absence", _("Absence")


class ExamOutcome(models.Model):
    """A failure or an absence at a session of a title, from validated minutes: the resit rules count them
    (R-13, R-14). Voided, with its reason, when the session is annulled (R-81) or an appeal changes it."""

    candidate = models.ForeignKey(Candidate, on_delete=models.PROTECT, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=8, choices=OutcomeKind.choices)
    session_kind = models.CharField(_("session kind"), max_length=8)
    version = models.ForeignKey(
        "catalogue.TitleVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("title version")
    )
    on = models.DateField(_("day"))
    source = models.CharField(_("source"), max_length=200)
    voided_on = models.DateField(_("voided on"), null=True, blank=True)
    void_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["candidate", "on", "pk"]
        verbose_name = _("session outcome")
        verbose_name_plural = _("session outcomes")

    def __str__(self) -> str:
        return f"{self.candidate} — {self.get_kind_display()} ({self.on})"
