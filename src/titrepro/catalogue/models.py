"""The catalogue of titres professionnels: titles, versions, CCPs, competences, CCS,
evaluation modalities, correspondences between versions and equivalences.

Every row carries where it comes from (``sources``: keys of the title's
``Source`` list) and how sure we are of it (``confidence``), because the
official texts are not all readable and the catalogue must say so.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from titrepro.core.values import fold

# A title's code is the ministry's TP code; a title imported from the RNCP whose TP code the RNCP does not give
# carries the RNCP code of its oldest version instead until a mapping file gives it (catalogue.rncp_import).
TITLE_CODE_PATTERN = r"^(TP-\d{5}|RNCP\d{3,6})$"
RNCP_CODE_PATTERN = r"^RNCP\d{3,6}$"


class Confidence(models.TextChoices):
    """How sure the catalogue is of a fact (see shared/reference/tssr.md)."""

    CONFIRMED = "confirmed", _("Confirmed")
    CORROBORATED = "corroborated", _("Corroborated")
    REPORTED = "reported", _("Reported")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")


class Sourced(models.Model):
    """Provenance shared by every catalogue row."""

    sources = models.JSONField(_("sources"), default=list, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=16, choices=Confidence.choices, default=Confidence.UNCONFIRMED
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        abstract = True

    @property
    def is_confirmed(self) -> bool:
        return self.confidence == Confidence.CONFIRMED


class Title(Sourced):
    code = models.CharField(
        _("code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(TITLE_CODE_PATTERN, _("A title code looks like TP-01351."))],
    )
    label = models.CharField(_("label"), max_length=255)
    short_label = models.CharField(_("short label"), max_length=32, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), validators=[MinValueValidator(1), MaxValueValidator(8)])
    nsf_codes = models.JSONField(_("NSF codes"), default=list, blank=True)
    rome_codes = models.JSONField(_("ROME codes"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    # Code, label and short label folded (core.values.fold): the public search compares folded
    # words, so "reseaux", "RÉSEAUX" and "d'infrastructures" match on SQLite and PostgreSQL alike.
    search_text = models.CharField(max_length=400, blank=True, editable=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("title")
        verbose_name_plural = _("titles")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1) & Q(level__lte=8),
                name="title_level_1_to_8",
                violation_error_message=_("The level must be between 1 and 8."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Keep ``search_text`` in step with the words it folds (the loader and the admin both save here)."""
        self.search_text = title_search_text(self.code, self.label, self.short_label)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"code", "label", "short_label"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def code_known(self) -> bool:
        """False for a title imported from the RNCP whose TP code is not known yet (its code is an RNCP code)."""
        return self.code.startswith("TP-")


def title_search_text(code: str, label: str, short_label: str) -> str:
    return fold(" ".join((code, label, short_label)))[:400]


class Source(models.Model):
    """A document a title's data was taken from; rows cite it by key (S1, S12...)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="source_list")
    key = models.CharField(_("key"), max_length=16)
    label = models.CharField(_("label"), max_length=500)
    url = models.URLField(_("address"), max_length=1000, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["title", "position"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "key"],
                name="source_unique_key_per_title",
                violation_error_message=_("This source key is already used for this title."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.label}"


class VersionStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    REVISED = "revised", _("Revised")
    EXTENDED = "extended", _("Extended")
    CLOSED = "closed", _("Closed")


class TitleVersion(Sourced):
    """One version of a title, as fixed by one arrêté de spécialité (a millésime)."""

    title = models.ForeignKey(Title, on_delete=models.CASCADE, related_name="versions")
    label = models.CharField(_("version"), max_length=16)
    millesime = models.CharField(_("millésime"), max_length=4, blank=True)
    rncp_code = models.CharField(
        _("RNCP code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(RNCP_CODE_PATTERN, _("An RNCP code looks like RNCP37682."))],
    )
    arrete_date = models.DateField(_("date of the arrêté"), null=True, blank=True)
    jo_date = models.DateField(_("date of publication in the JO"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=VersionStatus.choices)
    predecessor = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successor",
        verbose_name=_("predecessor"),
    )
    summary = models.TextField(_("summary of the job"), blank=True)

    class Meta:
        ordering = ["title", models.F("valid_from").asc(nulls_first=True), "label"]
        verbose_name = _("title version")
        verbose_name_plural = _("title versions")
        constraints = [
            models.UniqueConstraint(
                fields=["title", "label"],
                name="version_unique_label_per_title",
                violation_error_message=_("This title already has a version with this label."),
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_until__isnull=True)
                | Q(valid_until__gte=models.F("valid_from")),
                name="version_validity_ordered",
                violation_error_message=_("The end of validity cannot come before its start."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title.code} ({self.label})"


class CCP(Sourced):
    """A certificat de compétences professionnelles: one activity type, one RNCP block."""

    version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="ccps")
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    label = models.CharField(_("label"), max_length=500)
    rncp_block_code = models.CharField(_("RNCP block code"), max_length=20, blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("CCP")
        verbose_name_plural = _("CCPs")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"],
                name="ccp_unique_number_per_version",
                violation_error_message=_("This version already has a CCP with this number."),
            )
        ]

    def __str__(self) -> str:
        return f"CCP {self.number} {self.label}"


class CCS(Sourced):
    """A certificat complémentaire de spécialisation, attached to a title version."""

    version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="ccs_list")
    code = models.CharField(_("code"), max_length=20)
    label = models.CharField(_("label"), max_length=500)
    rncp_block_code = models.CharField(_("RNCP block code"), max_length=20, blank=True)

    class Meta:
        ordering = ["version", "code"]
        verbose_name = _("CCS")
        verbose_name_plural = _("CCS")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "code"],
                name="ccs_unique_code_per_version",
                violation_error_message=_("This version already has a CCS with this code."),
            )
        ]

    def __str__(self) -> str:
        return f"CCS {self.label}"


class Competence(Sourced):
    """A professional competence of a CCP, or of a CCS (exactly one of the two)."""

    ccp = models.ForeignKey(CCP, on_delete=models.CASCADE, null=True, blank=True, related_name="competences")
    ccs = models.ForeignKey(CCS, on_delete=models.CASCADE, null=True, blank=True, related_name="competences")
    code = models.CharField(_("code"), max_length=16)
    label = models.CharField(_("label"), max_length=500)
    criteria = models.JSONField(_("evaluation criteria"), default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("competence")
        verbose_name_plural = _("competences")
        constraints = [
            models.CheckConstraint(
                condition=(Q(ccp__isnull=False) & Q(ccs__isnull=True)) | (Q(ccp__isnull=True) & Q(ccs__isnull=False)),
                name="competence_belongs_to_ccp_or_ccs",
                violation_error_message=_("A competence belongs to one CCP or to one CCS."),
            ),
            models.UniqueConstraint(
                fields=["ccp", "code"],
                condition=Q(ccp__isnull=False),
                name="competence_unique_code_per_ccp",
                violation_error_message=_("This CCP already has a competence with this code."),
            ),
            models.UniqueConstraint(
                fields=["ccs", "code"],
                condition=Q(ccs__isnull=False),
                name="competence_unique_code_per_ccs",
                violation_error_message=_("This CCS already has a competence with this code."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.label}"


class TransversalCompetence(Sourced):
    version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="transversal_competences")
    label = models.CharField(_("label"), max_length=500)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "position"]
        verbose_name = _("transversal competence")
        verbose_name_plural = _("transversal competences")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "label"],
                name="transversal_unique_label_per_version",
                violation_error_message=_("This transversal competence is already listed for this version."),
            )
        ]

    def __str__(self) -> str:
        return self.label


class SessionKind(models.TextChoices):
    TITLE = "title", _("Title session")
    CCP = "ccp", _("CCP session")
    CCS = "ccs", _("CCS session")


class ModalityKind(models.TextChoices):
    PRACTICAL_ASSESSMENT = "practical_assessment", _("Practical assessment")
    UPSTREAM_PROJECT = "upstream_project", _("Presentation of an upstream project")
    TECHNICAL_INTERVIEW = "technical_interview", _("Technical interview")
    PROFESSIONAL_QUESTIONNAIRE = "professional_questionnaire", _("Professional questionnaire")
    OUTPUTS_QUESTIONING = "outputs_questioning", _("Questioning on outputs")
    FINAL_INTERVIEW = "final_interview", _("Final interview")


class EvaluationModality(Sourced):
    """One test of a session (title, one CCP, or one CCS) as the RE describes it."""

    version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="modalities")
    session_kind = models.CharField(_("session kind"), max_length=8, choices=SessionKind.choices)
    ccp = models.ForeignKey(CCP, on_delete=models.CASCADE, null=True, blank=True, related_name="modalities")
    ccs = models.ForeignKey(CCS, on_delete=models.CASCADE, null=True, blank=True, related_name="modalities")
    kind = models.CharField(_("kind"), max_length=32, choices=ModalityKind.choices)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # How the test is conducted (catalogue.conduct): no default here, the loader always
    # writes them, from the file or from the kind's default.
    jury_present = models.BooleanField(_("jury present"))
    uses_workstation = models.BooleanField(_("uses a workstation"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["version", "session_kind", "ccp__number", "position"]
        verbose_name = _("evaluation modality")
        verbose_name_plural = _("evaluation modalities")
        constraints = [
            models.CheckConstraint(
                condition=(Q(session_kind="title") & Q(ccp__isnull=True) & Q(ccs__isnull=True))
                | (Q(session_kind="ccp") & Q(ccp__isnull=False) & Q(ccs__isnull=True))
                | (Q(session_kind="ccs") & Q(ccp__isnull=True) & Q(ccs__isnull=False)),
                name="modality_target_matches_session_kind",
                violation_error_message=_(
                    "A title-session modality has no CCP nor CCS; a CCP-session one names its CCP; a CCS-session one its CCS."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_session_kind_display()})"


class ModalityPart(Sourced):
    """A timed part of a modality (for example the stages of a practical assessment)."""

    modality = models.ForeignKey(EvaluationModality, on_delete=models.CASCADE, related_name="parts")
    label = models.CharField(_("label"), max_length=500)
    duration = models.DurationField(_("duration"), null=True, blank=True)
    # Its modality's, unless the file says otherwise for this part (catalogue.conduct).
    jury_present = models.BooleanField(_("jury present"))
    uses_workstation = models.BooleanField(_("uses a workstation"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["modality", "position"]
        verbose_name = _("part of a modality")
        verbose_name_plural = _("parts of a modality")

    def __str__(self) -> str:
        return self.label


class Correspondence(Sourced):
    """A line of a revising arrêté's table: a set of old CCPs gives one CCP of the new version."""

    from_version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="correspondences_out")
    to_ccp = models.ForeignKey(CCP, on_delete=models.CASCADE, related_name="correspondences_in")
    from_ccps = models.ManyToManyField(CCP, related_name="correspondences_out")

    class Meta:
        ordering = ["from_version", "to_ccp__number"]
        verbose_name = _("correspondence")
        verbose_name_plural = _("correspondences")

    def __str__(self) -> str:
        return f"{self.from_version} -> {self.to_ccp}"


class EquivalenceScope(models.TextChoices):
    TOTAL = "total", _("Total")
    PARTIAL = "partial", _("Partial")


class Equivalence(Sourced):
    """An equivalence the arrêté grants with another certification, by its RNCP code."""

    version = models.ForeignKey(TitleVersion, on_delete=models.CASCADE, related_name="equivalences")
    rncp_code = models.CharField(
        _("RNCP code of the other certification"),
        max_length=12,
        validators=[RegexValidator(RNCP_CODE_PATTERN, _("An RNCP code looks like RNCP37682."))],
    )
    certification_label = models.CharField(_("other certification"), max_length=500)
    scope = models.CharField(_("scope"), max_length=8, choices=EquivalenceScope.choices)
    ccps = models.ManyToManyField(CCP, blank=True, related_name="equivalences", verbose_name=_("CCPs granted"))

    class Meta:
        ordering = ["version", "rncp_code"]
        verbose_name = _("equivalence")
        verbose_name_plural = _("equivalences")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "rncp_code"],
                name="equivalence_unique_per_version",
                violation_error_message=_("This version already has an equivalence with this certification."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.rncp_code} ({self.get_scope_display()})"


class CatalogueImport(models.Model):
    """One import of an RNCP export (``titrepro catalogue import-rncp``) and its report of what changed."""

    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    export_name = models.CharField(_("export"), max_length=255)
    export_day = models.DateField(_("day of the export"), null=True, blank=True)
    kind = models.CharField(_("format"), max_length=8)  # "csv" or "xml"
    # {"export": {...}, "counts": {...}, "skipped": [...], "titles": [{"code", "label", "created", "changes",
    # "differences"}]}: language-neutral; catalogue.rncp_import.describe words each change.
    report = models.JSONField(_("report"), default=dict)
    created = models.PositiveIntegerField(_("rows created"), default=0)
    updated = models.PositiveIntegerField(_("rows updated"), default=0)
    deleted = models.PositiveIntegerField(_("rows deleted"), default=0)

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("catalogue update")
        verbose_name_plural = _("catalogue updates")

    def __str__(self) -> str:
        return f"{self.export_name} ({self.imported_at:%Y-%m-%d %H:%M})"
