"""What the jury records and decides, and the minutes (procès-verbal, PV) the authority validates.

    EvaluationSheet  one jury member's observations and proposal on one competence of one candidate (R-65)
    Decision         the jury's decision for one registration (R-70), checked by ``rules.deliberation``
    Minutes          the PV of a session (R-71): its members present, its state, the hash of its content
    Signature        a member's signature of the PV's content (its SHA-256); voided when the content changes
    DocumentToIssue  a document due after validation (R-72, R-73), for the documents app
    Appeal           a candidate's gracious appeal (R-82), decided by the authority
    FraudDecision    the authority's decision on a fraud report (R-80): sanction, withdrawal

A session has one current PV; a corrective PV (after an appeal, R-82) is a new revision of it, the earlier
ones kept.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Proposal(models.TextChoices):
    ACQUIRED = "acquired", _("Acquired")
    NOT_ACQUIRED = "not_acquired", _("Not acquired")


class EvaluationSheet(models.Model):
    """One jury member's sheet for one competence of one candidate: what they observed against the RE's
    criteria and what they propose (R-65). A member in conflict with the candidate (R-64) has none."""

    registration = models.ForeignKey(
        "exam_sessions.Registration", on_delete=models.PROTECT, related_name="evaluation_sheets"
    )
    assignment = models.ForeignKey(
        "exam_sessions.JuryAssignment", on_delete=models.PROTECT, related_name="evaluation_sheets"
    )
    competence = models.ForeignKey(
        "catalogue.Competence", on_delete=models.PROTECT, related_name="+", verbose_name=_("competence")
    )
    criteria_met = models.JSONField(_("criteria observed"), default=list, blank=True)
    observations = models.TextField(_("observations"), blank=True)
    proposal = models.CharField(_("proposal"), max_length=12, choices=Proposal.choices, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        ordering = ["registration", "competence__position", "assignment"]
        verbose_name = _("evaluation sheet")
        verbose_name_plural = _("evaluation sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "assignment", "competence"], name="evaluation_sheet_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} — {self.competence.code}"


class Result(models.TextChoices):
    """The outcomes of R-70 (``rules.deliberation.Result``)."""

    TITLE_AWARDED = "title_awarded", _("Title awarded")
    PARTIAL_SUCCESS = "partial_success", _("Partial success")
    FAILURE = "failure", _("Failure")
    AWARDED = "awarded", _("Awarded")
    ABSENT = "absent", _("Absent")
    ABSENT_EXCUSED = "absent_excused", _("Absent, excused")


class Decision(models.Model):
    """The jury's decision for one registration (R-70): checked by ``rules.deliberation.check`` before it is
    saved, so a decision the texts forbid never reaches the minutes. The final interview is recorded here (R-50)."""

    registration = models.OneToOneField("exam_sessions.Registration", on_delete=models.PROTECT, related_name="decision")
    result = models.CharField(_("result"), max_length=16, choices=Result.choices, blank=True)
    ccps_awarded = models.ManyToManyField("catalogue.CCP", blank=True, related_name="+", verbose_name=_("CCPs awarded"))
    reason = models.TextField(_("reason"), blank=True)
    final_interview_held = models.BooleanField(_("final interview held"), default=False)
    final_interview_notes = models.TextField(_("final interview"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The day the result was notified to the candidate (the e-mail after validation): the appeal runs from it.
    notified_on = models.DateField(_("result notified on"), null=True, blank=True)

    class Meta:
        ordering = ["registration"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.registration} — {self.get_result_display()}"


class MinutesStatus(models.TextChoices):
    DELIBERATING = "deliberating", _("Deliberation under way")
    SUBMITTED = "submitted", _("Submitted to the authority")
    VALIDATED = "validated", _("Validated")
    SUPERSEDED = "superseded", _("Replaced by a corrective PV")


class Minutes(models.Model):
    """The PV of a session (R-71): drawn up from the decisions, signed by every member present, submitted by
    the centre, validated by the authority (R-72) or returned to the centre with a reason."""

    session = models.ForeignKey("exam_sessions.ExamSession", on_delete=models.PROTECT, related_name="minutes")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    number = models.CharField(_("number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DELIBERATING
    )
    present = models.ManyToManyField(
        "exam_sessions.JuryAssignment", blank=True, related_name="+", verbose_name=_("jury members present")
    )
    reason = models.TextField(_("reason for the revision"), blank=True)
    content = models.JSONField(_("content"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("reason for the return"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to="minutes/%Y/", blank=True)

    class Meta:
        ordering = ["session", "-revision"]
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.UniqueConstraint(fields=["session", "revision"], name="minutes_revision_once"),
            models.UniqueConstraint(
                fields=["session"], condition=~Q(status="superseded"), name="minutes_one_current_per_session"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Signature(models.Model):
    """A jury member's signature of the PV: who, when, and the SHA-256 of the content they signed. A change to
    the content voids every signature (``voided_at``, ``void_reason``): they stay, visibly void."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="signatures")
    assignment = models.ForeignKey("exam_sessions.JuryAssignment", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    sha256 = models.CharField(_("SHA-256 signed"), max_length=64)
    second_factor = models.BooleanField(_("second factor entered"), default=False)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.TextField(_("why it is void"), blank=True)

    class Meta:
        ordering = ["minutes", "signed_at", "pk"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        constraints = [
            models.UniqueConstraint(
                fields=["minutes", "assignment"], condition=Q(voided_at=None), name="signature_once_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.minutes} — {self.assignment}"


# After the PV: the documents to issue, appeals, fraud decisions ---------------------------------------------


class DocumentKind(models.TextChoices):
    """What a validated decision yields (R-73): the title's parchemin, the livret de certification listing
    the CCPs (on a partial success, or CCPs of a CCP session), the CCS certificate; and first, beside each of
    them, the provisional attestation de réussite of this session's result (superseded once the other is issued)."""

    ATTESTATION = "attestation", _("Attestation de réussite (provisional)")
    PARCHEMIN = "parchemin", _("Parchemin (title)")
    LIVRET = "livret", _("Livret de certification (CCPs)")
    CCS = "ccs", _("CCS certificate")


class IssuanceStatus(models.TextChoices):
    TO_ISSUE = "to_issue", _("To be issued")
    ISSUED = "issued", _("Issued")
    CANCELLED = "cancelled", _("Cancelled")


class DocumentToIssue(models.Model):
    """One document due after a validated PV (R-72, R-73), with everything the document needs in ``data``
    (the candidate's identity, the title and version, what was awarded, the PV and the session): the
    documents app issues it."""

    minutes = models.ForeignKey(Minutes, on_delete=models.PROTECT, related_name="documents")
    registration = models.ForeignKey("exam_sessions.Registration", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    data = models.JSONField(_("what the document states"))
    status = models.CharField(
        _("status"), max_length=10, choices=IssuanceStatus.choices, default=IssuanceStatus.TO_ISSUE
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    cancel_reason = models.TextField(_("reason for the cancellation"), blank=True)

    class Meta:
        ordering = ["minutes", "registration", "kind"]
        verbose_name = _("document to issue")
        verbose_name_plural = _("documents to issue")
        constraints = [
            models.UniqueConstraint(fields=["minutes", "registration", "kind"], name="document_to_issue_once")
        ]

    def __str__(self) -> str:
        return f"{self.minutes} — {self.get_kind_display()}"


class AppealStatus(models.TextChoices):
    FILED = "filed", _("Filed, to be decided")
    UPHELD = "upheld", _("Upheld: the result changes")
    DISMISSED = "dismissed", _("Dismissed")


class Appeal(models.Model):
    """A candidate's gracious appeal against the jury's decision (R-82), filed within two months of the
    notification of the result (``rules.appeals``), decided by the authority. An appeal upheld gives a
    corrective PV (``corrective``), the earlier one kept."""

    registration = models.ForeignKey("exam_sessions.Registration", on_delete=models.PROTECT, related_name="appeals")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_on = models.DateField(_("filed on"))
    notified_on = models.DateField(_("result notified on"))
    last_day = models.DateField(_("last day to appeal"))
    text = models.TextField(_("grounds"))
    status = models.CharField(_("status"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.FILED)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answer = models.TextField(_("answer of the authority"), blank=True)
    corrective = models.ForeignKey(
        Minutes,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="appeals",
        verbose_name=_("corrective PV"),
    )

    class Meta:
        ordering = ["-filed_on", "pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.UniqueConstraint(
                fields=["registration"], condition=Q(status="filed"), name="appeal_one_open_per_registration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.registration} — {self.get_status_display()}"


class Sanction(models.TextChoices):
    NONE = "none", _("No sanction")
    EXCLUSION = "exclusion", _("Exclusion from the session's tests")
    BAN = "ban", _("Ban from the sessions")


class FraudDecision(models.Model):
    """The authority's decision on a fraud report (R-80, U-04): a sanction (a ban for a number of years, a
    parameter), and when the fraud is found after the results, the withdrawal of what was awarded by a
    reasoned decision (the holdings stay in the history, withdrawn)."""

    registration = models.ForeignKey(
        "exam_sessions.Registration", on_delete=models.PROTECT, related_name="fraud_decisions"
    )
    incident = models.ForeignKey(
        "exam_sessions.Incident", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sanction = models.CharField(_("sanction"), max_length=10, choices=Sanction.choices)
    ban_until = models.DateField(_("banned until"), null=True, blank=True)
    withdraws = models.BooleanField(_("withdraws what was awarded"), default=False)
    reason = models.TextField(_("reasons"))
    decided_on = models.DateField(_("decided on"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-decided_on", "pk"]
        verbose_name = _("fraud decision")
        verbose_name_plural = _("fraud decisions")

    def __str__(self) -> str:
        return f"{self.registration} — {self.get_sanction_display()}"
