"""The audit log: append-only, every entry chained to the previous one by a hash.

An entry's ``hash`` is SHA-256 over its canonical content and the previous
entry's hash, so editing, deleting or reordering any entry breaks the chain
from that entry on; ``titrepro audit verify`` names the first broken one.

Anyone with the table can still recompute the hashes, or cut the end off the
log. So each entry also carries ``mac``, HMAC-SHA256 of its hash with the
audit key (``TITREPRO_AUDIT_KEY``, never in the database), and the head of
the log is anchored in the checkpoint file outside the database
(``checkpoints.py``); ``AuditCheckpoint`` is a copy of that file's lines.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(_("sequence"), unique=True)
    at = models.DateTimeField(_("when"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_label = models.CharField(_("who (as written then)"), max_length=300)
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=300)
    reason = models.TextField(_("why"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["object_type", "object_id", "sequence"], name="audit_object_history")]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.object_repr}"

    def canonical(self) -> dict[str, Any]:
        return {
            "sequence": self.sequence,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "reason": self.reason,
            "data": self.data,
            "previous_hash": self.previous_hash,
        }

    def compute_hash(self) -> str:
        text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class AuditCheckpoint(models.Model):
    """A copy of one line of the checkpoint file, for reading in the database.

    ``verify`` trusts the file and its MACs, never this table: it reads it only
    to notice a file that lost its last lines or vanished.
    """

    line = models.PositiveBigIntegerField(_("line"), unique=True)
    sequence = models.PositiveBigIntegerField(_("up to entry"))
    hash = models.CharField(max_length=64)
    at = models.DateTimeField(_("when"))
    previous = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        ordering = ["line"]
        verbose_name = _("audit checkpoint")
        verbose_name_plural = _("audit checkpoints")

    def __str__(self) -> str:
        return f"checkpoint {self.line}: up to #{self.sequence}"
