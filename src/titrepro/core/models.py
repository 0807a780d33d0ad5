"""Abstract models every app can build on (no tables here)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from titrepro.core.values import fold


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


class Searchable(models.Model):
    """A row found by a search box whatever the accents and the case: ``search_text`` holds the
    ``search_fields`` folded (``core.values.fold``), kept in step on every save; a search then
    compares folded words (``search_filter``), the same on SQLite and PostgreSQL."""

    search_fields: ClassVar[tuple[str, ...]] = ()
    search_text = models.CharField(max_length=600, blank=True, editable=False)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_text = self.folded_search_text()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(self.search_fields) & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    def folded_search_text(self) -> str:
        return fold(" ".join(str(getattr(self, name) or "") for name in self.search_fields))[:600]


def search_filter(text: str, field: str = "search_text") -> Q:
    """Every folded word of ``text`` in ``field`` (an empty text matches everything)."""
    condition = Q()
    for word in fold(text).split():
        condition &= Q(**{f"{field}__contains": word})
    return condition
