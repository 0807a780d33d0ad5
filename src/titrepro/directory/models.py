"""Authorities (DREETS departmental units), approved centres, training providers, jury members.

The directory work extends this module (approvals, conventions, habilitations...).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from titrepro.core.models import Searchable
from titrepro.core.values import validate_phone, validate_text

DEPARTEMENT = RegexValidator(r"^(\d{2}|2A|2B|97\d)$", _("A département code looks like 75, 2A or 974."))
SIRET = RegexValidator(r"^\d{14}$", _("A SIRET has 14 digits."))
# A French postcode then the town, up to the end of the line or a comma ("75011 Paris", "69100 Villeurbanne").
POSTCODE_AND_TOWN = re.compile(r"\b\d{5}[ \t]+([^,\n]+)")


class Authority(models.Model):
    """A DREETS departmental unit (DDETS): validates minutes, issues documents, habilitates jury members."""

    name = models.CharField(_("name"), max_length=200)
    departement = models.CharField(_("département"), max_length=3, unique=True, validators=[DEPARTEMENT])
    address = models.TextField(_("address"), blank=True)
    signatory_name = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=200, blank=True)

    class Meta:
        ordering = ["departement"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")

    def __str__(self) -> str:
        return self.name


class ApprovedCentre(Searchable):
    """An organisation approved to run exam sessions (centre agréé); found by its name, code, SIRET or
    address (the town in particular), whatever the accents."""

    search_fields = ("name", "code", "siret", "address")

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(
        _("SIRET"), max_length=14, blank=True, validators=[RegexValidator(r"^\d{14}$", _("A SIRET has 14 digits."))]
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="centres")
    address = models.TextField(_("address"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("approved centre")
        verbose_name_plural = _("approved centres")

    def __str__(self) -> str:
        return self.name

    @property
    def town(self) -> str:
        """The town of the address: what follows its postcode ("12 rue X, 75011 Paris" -> "Paris"), or ""."""
        found = POSTCODE_AND_TOWN.findall(self.address)
        return found[-1].strip() if found else ""


class JuryMember(Searchable):
    """A professional who may sit on juries once habilitated; found by name or e-mail, whatever the accents."""

    search_fields = ("last_name", "first_name", "email")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jury_profile"
    )
    last_name = models.CharField(_("last name"), max_length=150, validators=[validate_text])
    first_name = models.CharField(_("first name"), max_length=150, validators=[validate_text])
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[validate_phone])
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="jury_members")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class ApprovalStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Approval(models.Model):
    """An approval (agrément) of a centre for one title version on one site (R-30).

    Granted by the regional prefect, instructed by the authority; it lasts at most
    until the title's end of validity. It may be suspended, reinstated or
    withdrawn after a control, a withdrawal possibly banning re-applying for up
    to two years (R-33), and expires at its end. Its status changes only through
    its lifecycle (``directory.lifecycles.APPROVAL``), called by ``directory.services``.
    """

    centre = models.ForeignKey(ApprovedCentre, on_delete=models.PROTECT, related_name="approvals")
    version = models.ForeignKey(
        "catalogue.TitleVersion", on_delete=models.PROTECT, related_name="approvals", verbose_name=_("title version")
    )
    site_address = models.TextField(_("site address"))
    granted_on = models.DateField(_("granted on"))
    valid_until = models.DateField(_("valid until"))
    status = models.CharField(_("status"), max_length=16, choices=ApprovalStatus.choices, default=ApprovalStatus.ACTIVE)
    authority = models.ForeignKey(
        Authority, on_delete=models.PROTECT, related_name="approvals", verbose_name=_("decided by")
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    reapply_banned_until = models.DateField(_("re-applying banned until"), null=True, blank=True)

    class Meta:
        ordering = ["centre", "-granted_on"]
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("granted_on")),
                name="approval_validity_ordered",
                violation_error_message=_("An approval cannot end before it is granted."),
            ),
            models.CheckConstraint(
                condition=Q(status="withdrawn", withdrawn_on__isnull=False)
                | (~Q(status="withdrawn") & Q(withdrawn_on=None, reapply_banned_until=None)),
                name="approval_withdrawal_consistent",
                violation_error_message=_("Only a withdrawn approval has a withdrawal date and a ban on re-applying."),
            ),
            models.CheckConstraint(
                condition=Q(reapply_banned_until=None) | Q(reapply_banned_until__gte=models.F("withdrawn_on")),
                name="approval_ban_after_withdrawal",
                violation_error_message=_("A ban on re-applying cannot end before the withdrawal."),
            ),
            models.UniqueConstraint(
                fields=["centre", "version", "site_address"],
                condition=Q(status__in=["active", "suspended"]),
                name="approval_unique_open_per_site",
                violation_error_message=_("This centre already holds an approval for this title version on this site."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre} — {self.version}"


class TrainingProvider(models.Model):
    """A training provider (organisme de formation) whose trainees a centre may examine (R-32)."""

    name = models.CharField(_("name"), max_length=200)
    siret = models.CharField(_("SIRET"), max_length=14, unique=True, validators=[SIRET])

    class Meta:
        ordering = ["name"]
        verbose_name = _("training provider")
        verbose_name_plural = _("training providers")

    def __str__(self) -> str:
        return self.name


class Convention(models.Model):
    """The written convention by which a centre examines a provider's trainees (R-32)."""

    centre = models.ForeignKey(ApprovedCentre, on_delete=models.PROTECT, related_name="conventions")
    provider = models.ForeignKey(TrainingProvider, on_delete=models.PROTECT, related_name="conventions")
    signed_on = models.DateField(_("signed on"))
    titles = models.ManyToManyField("catalogue.Title", related_name="conventions", verbose_name=_("titles covered"))

    class Meta:
        ordering = ["centre", "-signed_on"]
        verbose_name = _("convention")
        verbose_name_plural = _("conventions")

    def __str__(self) -> str:
        return f"{self.centre} — {self.provider}"


class ConventionAmendment(models.Model):
    """The yearly amendment with forecast numbers, sent before 1 January of the year (R-32)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="amendments")
    year = models.PositiveSmallIntegerField(_("year"))
    forecast_candidates = models.PositiveIntegerField(_("forecast candidates"))
    sent_on = models.DateField(_("sent on"), null=True, blank=True)

    class Meta:
        ordering = ["convention", "year"]
        verbose_name = _("convention amendment")
        verbose_name_plural = _("convention amendments")
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "year"],
                name="amendment_unique_per_year",
                violation_error_message=_("This convention already has an amendment for this year."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.convention} — {self.year}"


class ProfessionalExperience(models.Model):
    """A period of a jury member in a job; ``title`` names the title whose job it is (R-61)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="experiences")
    title = models.ForeignKey(
        "catalogue.Title",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("job of the title"),
    )
    job = models.CharField(_("job"), max_length=200)
    employer = models.CharField(_("employer"), max_length=200)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True, help_text=_("Leave empty if you still hold this job."))

    class Meta:
        ordering = ["member", "-start"]
        verbose_name = _("professional experience")
        verbose_name_plural = _("professional experiences")
        constraints = [
            models.CheckConstraint(
                condition=Q(end=None) | Q(end__gte=models.F("start")),
                name="experience_period_ordered",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} — {self.employer}"


class TrainerActivity(models.Model):
    """A period when a jury member taught for a training provider (R-64: conflict checks)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="trainer_activities")
    provider = models.ForeignKey(TrainingProvider, on_delete=models.PROTECT, related_name="trainers")
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        ordering = ["member", "-start"]
        verbose_name = _("trainer activity")
        verbose_name_plural = _("trainer activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(end=None) | Q(end__gte=models.F("start")),
                name="trainer_activity_period_ordered",
                violation_error_message=_("A period cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.provider}"


class LinkKind(models.TextChoices):
    EMPLOYER = "employer", _("Employer")
    TRAINING_PROVIDER = "training_provider", _("Training provider I teach for")
    PERSONAL = "personal", _("Personal link")


class DeclaredLink(models.Model):
    """A link a jury member declares, for the conflict checks of sessions (R-64)."""

    member = models.ForeignKey(JuryMember, on_delete=models.CASCADE, related_name="declared_links")
    kind = models.CharField(_("kind"), max_length=20, choices=LinkKind.choices)
    label = models.CharField(_("label"), max_length=200)
    provider = models.ForeignKey(
        TrainingProvider,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_links",
        verbose_name=_("training provider"),
    )
    centre = models.ForeignKey(
        ApprovedCentre,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="declared_links",
        verbose_name=_("centre"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["member", "kind", "label"]
        verbose_name = _("declared link")
        verbose_name_plural = _("declared links")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} : {self.label}"


class Habilitation(models.Model):
    """A jury member's habilitation for a title (R-60 to R-62).

    Granted by an authority once the criteria are met (R-61), valid at most until
    the end of validity of the title's current version (R-62): ``services.grant_habilitation``
    caps it through ``rules.directory.habilitation_valid_until``; the admin cannot edit it.
    """

    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="habilitations")
    title = models.ForeignKey(
        "catalogue.Title", on_delete=models.PROTECT, related_name="habilitations", verbose_name=_("title")
    )
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="habilitations")
    granted_on = models.DateField(_("granted on"))
    valid_until = models.DateField(_("valid until"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("reason for the end"), blank=True)

    class Meta:
        ordering = ["member", "title", "-granted_on"]
        verbose_name = _("habilitation")
        verbose_name_plural = _("habilitations")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("granted_on")),
                name="habilitation_validity_ordered",
                violation_error_message=_("A habilitation cannot end before it is granted."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on=None) | Q(ended_on__gte=models.F("granted_on")),
                name="habilitation_end_after_grant",
                violation_error_message=_("A habilitation cannot be ended before it is granted."),
            ),
            models.UniqueConstraint(
                fields=["member", "title"],
                condition=Q(ended_on=None),
                name="habilitation_unique_open_per_title",
                violation_error_message=_("This jury member already holds a habilitation for this title."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.title.code}"
