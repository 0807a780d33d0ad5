"""Candidates and their routes (the candidates work extends this module)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Candidate(models.Model):
    birth_name = models.CharField(_("birth name"), max_length=150)
    usual_name = models.CharField(_("usual name"), max_length=150, blank=True)
    given_names = models.CharField(_("given names"), max_length=200)
    birth_date = models.DateField(_("date of birth"))
    birth_place = models.CharField(_("place of birth"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    centre = models.ForeignKey(
        "directory.ApprovedCentre", on_delete=models.PROTECT, related_name="candidates", verbose_name=_("centre")
    )

    class Meta:
        ordering = ["birth_name", "given_names"]
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")

    def __str__(self) -> str:
        return f"{self.given_names} {self.usual_name or self.birth_name}"
