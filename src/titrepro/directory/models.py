"""Authorities (DREETS departmental units), approved centres, training providers, jury members.

The directory work extends this module (approvals, conventions, habilitations...).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

DEPARTEMENT = RegexValidator(r"^(\d{2}|2A|2B|97\d)$", _("A département code looks like 75, 2A or 974."))


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


class ApprovedCentre(models.Model):
    """An organisation approved to run exam sessions (centre agréé)."""

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


class JuryMember(models.Model):
    """A professional who may sit on juries once habilitated."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="jury_profile"
    )
    last_name = models.CharField(_("last name"), max_length=150)
    first_name = models.CharField(_("first name"), max_length=150)
    email = models.EmailField(_("e-mail"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="jury_members")

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
