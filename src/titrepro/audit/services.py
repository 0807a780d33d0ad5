"""Writing to and checking the audit log. ``record`` is called inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.audit.models import GENESIS, AuditEntry


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{actor.get_username()} ({full})" if full else str(actor.get_username())


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append an entry: who (``actor``, a user or None for the system), what (``action``,
    a stable English code such as ``approval.suspended``), on what, why, and details.

    Must run inside the service's transaction (the entry commits or rolls back with
    the change it records). The last entry is locked so two writers cannot chain
    onto the same predecessor.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    last = AuditEntry.objects.select_for_update().order_by("-sequence").first()
    entry = AuditEntry(
        sequence=(last.sequence + 1) if last else 1,
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_label=_label(actor),
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:300],
        reason=reason,
        data=data or {},
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    return entry


@dataclass(frozen=True)
class Break:
    sequence: int
    problem: str  # "missing" (an entry before it is gone), "unlinked", "edited"

    def message(self) -> str:
        messages = {
            "missing": _("the entry before it is missing (deleted)"),
            "unlinked": _("it does not chain to the previous entry"),
            "edited": _("its content does not match its hash (edited)"),
        }
        return str(messages[self.problem])


def verify(batch: int = 5000) -> Break | None:
    """Walk the chain in order; the first entry whose hash, link or number is wrong, or None."""
    expected_previous = GENESIS
    expected_sequence = 1
    for entry in _entries(batch):
        if entry.sequence != expected_sequence:
            return Break(entry.sequence, "missing")
        if entry.previous_hash != expected_previous:
            return Break(entry.sequence, "unlinked")
        if entry.compute_hash() != entry.hash:
            return Break(entry.sequence, "edited")
        expected_previous = entry.hash
        expected_sequence += 1
    return None


def _entries(batch: int) -> Iterator[AuditEntry]:
    after = 0
    while True:
        chunk = list(AuditEntry.objects.filter(sequence__gt=after).order_by("sequence")[:batch])
        if not chunk:
            return
        yield from chunk
        after = chunk[-1].sequence


def history(target: models.Model) -> models.QuerySet[AuditEntry]:
    """The entries about one object, oldest first (for the "Historique" block of pages)."""
    return AuditEntry.objects.filter(object_type=target._meta.label_lower, object_id=str(target.pk)).select_related(
        "actor"
    )
