"""Abstract models every app can build on (no tables here)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityDecision(models.Model):
    """A request that an authority (DREETS unit) decides: VAE admissibility, an accommodation, and
    later a session programme, the validation of minutes, an appeal, a revocation.

    The concrete model adds its ``status`` (with a pending value and a positive and a negative
    decision, see ``core.decisions.DecisionKind``) and what is asked. ``decided_on`` is the date
    the decision bears, ``recorded_on`` the day the server recorded it (they differ when a paper
    decision is transcribed), ``decided_by`` the authority in whose name it was taken (the agent
    who recorded it is in the audit log), ``reason`` its grounds (required for a refusal).
    """

    decided_by = models.ForeignKey(
        "directory.Authority",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded on"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
