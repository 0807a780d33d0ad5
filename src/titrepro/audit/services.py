"""Writing to and checking the audit log. ``record`` is called inside the caller's transaction.

``verification`` walks the chain (hashes, links, numbers, each entry's MAC) and
compares it with the latest checkpoint of the file outside the database
(``checkpoints.py``); ``checkpoint`` appends the head of the log to that file.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from titrepro.audit import checkpoints
from titrepro.audit.checkpoints import Checkpoint, entry_mac
from titrepro.audit.models import GENESIS, AuditCheckpoint, AuditEntry

logger = logging.getLogger(__name__)


def _key() -> bytes:
    return str(settings.TITREPRO_AUDIT_KEY).encode("utf-8")


def _checkpoint_file() -> Path:
    return Path(settings.TITREPRO_AUDIT_CHECKPOINT_FILE)


def _label(actor: Any) -> str:
    if actor is None:
        return "system"
    full = actor.get_full_name() if hasattr(actor, "get_full_name") else ""
    return f"{actor.get_username()} ({full})" if full else str(actor.get_username())


# The key of the PostgreSQL advisory lock that makes writers of the log take turns (any constant of the project's).
HEAD_LOCK = 0x7469_7472  # "titr"


def _locked_head() -> AuditEntry | None:
    """The last entry, read once no other transaction may append: the next sequence number is then ours.

    On PostgreSQL a transaction-level advisory lock, taken before the read: locking the last row instead
    (``SELECT ... FOR UPDATE``) is not enough, since a writer that waited on it reads, once it is freed, the
    same row again and not the one just appended, and would reuse its sequence number. SQLite has one writer
    at a time: the row lock is all it needs."""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [HEAD_LOCK])
        return AuditEntry.objects.order_by("-sequence").first()
    return AuditEntry.objects.select_for_update().order_by("-sequence").first()


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
    the change it records). Writers take turns (``_locked_head``) so two cannot chain
    onto the same predecessor. The entry carries the MAC of its hash; after the
    commit, every ``TITREPRO_AUDIT_CHECKPOINT_EVERY``-th entry (every one by
    default) anchors the head of the log in the checkpoint file (``checkpoint``).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must run inside the service's transaction")
    last = _locked_head()
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
    entry.mac = entry_mac(_key(), entry.hash)
    entry.save(force_insert=True)
    every = int(settings.TITREPRO_AUDIT_CHECKPOINT_EVERY)
    if every and entry.sequence % every == 0 and not _checkpoint_pending():
        # robust: the change is committed whatever happens to the file; the next checkpoint covers it.
        _register_checkpoint()
    return entry


def when(at: datetime) -> str:
    """A moment as people read it in the current language (the date of a checkpoint)."""
    return formats.date_format(timezone.localtime(at), "DATETIME_FORMAT")


@dataclass(frozen=True)
class Break:
    """Something wrong with the entries: in the chain itself, or against the latest checkpoint."""

    sequence: int  # the first entry concerned
    # The chain: "missing" (an entry before it is gone), "unlinked", "edited", "forged" (its MAC).
    # Against the checkpoint: "truncated" (entries sequence..until are gone from the end), "rewritten".
    problem: str
    until: int = 0  # truncated: the last entry the checkpoint covers
    end: int = 0  # truncated: the last entry left (0: the log is empty)
    checkpoint: Checkpoint | None = None

    def message(self) -> str:
        chain = {
            "missing": _("the entry before it is missing (deleted)"),
            "unlinked": _("it does not chain to the previous entry"),
            "edited": _("its content does not match its hash (edited)"),
            "forged": _("its MAC does not match its hash (rewritten without the audit key)"),
        }
        if self.problem in chain:
            return str(chain[self.problem])
        return self.sentence()

    def sentence(self) -> str:
        """The whole sentence ``titrepro audit verify`` prints."""
        if self.problem not in {"truncated", "rewritten"}:
            return _("Audit log broken at entry #%(sequence)d: %(problem)s.") % {
                "sequence": self.sequence,
                "problem": self.message(),
            }
        values = {
            "first": self.sequence,
            "last": self.until,
            "end": self.end,
            "date": when(self.checkpoint.at) if self.checkpoint is not None else "?",
        }
        if self.problem == "rewritten":
            return _("Audit log rewritten: entry %(first)d differs from the checkpoint of %(date)s.") % values
        if self.end == 0 and self.until == 1:
            return _("Audit log truncated: the log is empty but the checkpoint of %(date)s covers entry 1.") % values
        if self.end == 0:
            return (
                _("Audit log truncated: the log is empty but the checkpoint of %(date)s covers entries 1 to %(last)d.")
                % values
            )
        if self.sequence == self.until:
            return (
                _(
                    "Audit log truncated: entry %(first)d is missing (the checkpoint of %(date)s covers up to "
                    "%(last)d, the log ends at %(end)d)."
                )
                % values
            )
        return (
            _(
                "Audit log truncated: entries %(first)d to %(last)d are missing (the checkpoint of %(date)s covers "
                "up to %(last)d, the log ends at %(end)d)."
            )
            % values
        )


@dataclass(frozen=True)
class FileBreak:
    """Something wrong with the checkpoint file."""

    path: Path
    # "missing", "truncated" (it lost its last lines), or a line that is "unreadable", "forged" or "unlinked".
    problem: str
    line: int = 0  # the line concerned; truncated: the last line the file holds
    recorded: int = 0  # missing, truncated: the last line the database's copy records

    def message(self) -> str:
        return self.sentence()

    def sentence(self) -> str:
        values = {"path": str(self.path), "line": self.line, "recorded": self.recorded}
        if self.problem == "missing":
            return (
                _(
                    "Audit checkpoint file %(path)s is missing, but the database records checkpoints up to line "
                    "%(recorded)d."
                )
                % values
            )
        if self.problem == "truncated" and self.line == 0:
            return (
                _(
                    "Audit checkpoint file %(path)s is empty, but the database records checkpoints up to line %(recorded)d."
                )
                % values
            )
        if self.problem == "truncated":
            return (
                _(
                    "Audit checkpoint file %(path)s ends at line %(line)d, but the database records checkpoints up "
                    "to line %(recorded)d (lines were removed)."
                )
                % values
            )
        return _("Audit checkpoint file %(path)s broken at line %(line)d: %(problem)s.") % {
            **values,
            "problem": _line_problem(self.problem),
        }


def _line_problem(problem: str) -> str:
    """What is wrong with one line of the checkpoint file, as a clause."""
    clauses = {
        "unreadable": _("it is not a complete checkpoint line"),
        "forged": _("its MAC does not match (edited, or written with another key)"),
        "unlinked": _("it does not follow the previous line (a line was removed, inserted or moved)"),
    }
    return str(clauses[problem])


def _same(a: str, b: str) -> bool:
    """Compare two digests in constant time (as bytes: a tampered value may not even be ASCII)."""
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


Problem = Break | FileBreak


@dataclass(frozen=True)
class Verification:
    """What ``verification`` found: the entries walked, the latest trusted checkpoint, every problem."""

    entries: int
    checkpoint: Checkpoint | None
    path: Path
    problems: tuple[Problem, ...]


def verify(batch: int = 5000) -> Problem | None:
    """The first problem ``verification`` finds, or None."""
    return next(iter(verification(batch).problems), None)


def verification(batch: int = 5000) -> Verification:
    """Walk the chain, read the checkpoint file, and compare the log with its latest checkpoint.

    The chain: the first entry whose number, link, hash or MAC is wrong (a rewrite
    without the key shows as a MAC that does not match). The file: every line's
    MAC and link to the line before; the first damaged line stops the reading,
    the lines before it are still trusted. Against the latest trusted checkpoint:
    entries missing from the end, or the checkpointed entry rewritten (a rewrite
    by someone who had the key). The database's copy of the checkpoints only says
    whether the file lost lines: it is read first, so a checkpoint written while
    we read cannot look like a missing line.
    """
    path = _checkpoint_file()
    key = _key()
    recorded = _recorded_line()
    file_problems: list[Problem] = []
    latest: Checkpoint | None = None
    if not path.exists():
        if recorded:
            file_problems.append(FileBreak(path, "missing", recorded=recorded))
    else:
        found = checkpoints.scan(path, key)
        latest = found.last
        if found.problem is not None:
            file_problems.append(FileBreak(path, found.problem, line=found.problem_line))
        elif found.lines < recorded:
            file_problems.append(FileBreak(path, "truncated", line=found.lines, recorded=recorded))
    anchored = _against(latest) if latest is not None else None
    chain, walked = _walk(batch, key)
    problems = [p for p in (chain, anchored) if p is not None] + file_problems
    return Verification(entries=walked, checkpoint=latest, path=path, problems=tuple(problems))


def _walk(batch: int, key: bytes) -> tuple[Break | None, int]:
    """The first broken entry of the chain (or None), and how many entries were read."""
    expected_previous = GENESIS
    expected_sequence = 1
    for entry in _entries(batch):
        if entry.sequence != expected_sequence:
            return Break(entry.sequence, "missing"), expected_sequence - 1
        if entry.previous_hash != expected_previous:
            return Break(entry.sequence, "unlinked"), expected_sequence - 1
        if entry.compute_hash() != entry.hash:
            return Break(entry.sequence, "edited"), expected_sequence - 1
        if not _same(entry.mac, entry_mac(key, entry.hash)):
            return Break(entry.sequence, "forged"), expected_sequence - 1
        expected_previous = entry.hash
        expected_sequence += 1
    return None, expected_sequence - 1


def _against(latest: Checkpoint) -> Break | None:
    """The log compared with a checkpoint: its entry still there with the same hash, or what is gone."""
    anchored = AuditEntry.objects.filter(sequence=latest.sequence).values_list("hash", flat=True).first()
    if anchored is not None:
        return None if _same(anchored, latest.hash) else Break(latest.sequence, "rewritten", checkpoint=latest)
    end = AuditEntry.objects.aggregate(end=Max("sequence"))["end"] or 0
    if end < latest.sequence:
        return Break(end + 1, "truncated", until=latest.sequence, end=end, checkpoint=latest)
    return None  # a hole before the end: the chain names the entry after it ("missing")


def _recorded_line() -> int:
    return int(AuditCheckpoint.objects.aggregate(line=Max("line"))["line"] or 0)


class CheckpointRefused(Exception):
    """No checkpoint written: the log or the file is not in a state to anchor.

    ``audit`` sits below ``core`` in the layers, so this is its own refusal, shaped
    like ``core.refusals.Refused``: a stable English ``code`` and the sentence for people.
    """

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(code)
        self.code = code
        self.message = _("No checkpoint written. %(reason)s") % {"reason": reason}


@dataclass(frozen=True)
class Checkpointed:
    """The outcome of ``checkpoint``: the latest checkpoint (None for an empty log) and whether it is new."""

    checkpoint: Checkpoint | None
    written: bool
    path: Path

    def summary(self) -> str:
        if self.checkpoint is None:
            return _("The audit log is empty: no checkpoint to write.")
        values = {"sequence": self.checkpoint.sequence, "line": self.checkpoint.line, "path": str(self.path)}
        if self.written:
            return _("Audit checkpoint written: entry #%(sequence)d, line %(line)d of %(path)s.") % values
        return _("Audit checkpoint already up to date: entry #%(sequence)d, line %(line)d of %(path)s.") % values


def checkpoint() -> Checkpointed:
    """Append the head of the log to the checkpoint file (and its copy to the table); one transaction.

    Idempotent: nothing is written when the latest checkpoint already covers the
    head. Refused (``CheckpointRefused``) when a checkpoint would bless a log that
    does not extend the latest one (entries gone or rewritten), when the head's
    MAC is wrong, or when the file is missing, damaged at its end or shorter than
    the database's copy. The file's lock is held until the transaction commits.
    Call it outside any transaction (``record`` runs it after the commit): it
    takes the file's lock, and a writer waiting for it must not hold the database.
    """
    path = _checkpoint_file()
    key = _key()
    if not path.exists() and (recorded := _recorded_line()):
        raise CheckpointRefused("checkpoint_file_missing", FileBreak(path, "missing", recorded=recorded).sentence())
    with checkpoints.locked(path, key) as file, transaction.atomic():
        try:
            last = file.last()
        except checkpoints.DamagedLine as damaged:
            raise CheckpointRefused(
                "checkpoint_file_damaged",
                _("The last line of the audit checkpoint file %(path)s is damaged: %(problem)s.")
                % {"path": str(path), "problem": _line_problem(damaged.problem)},
            ) from None
        held = last.line if last is not None else 0
        if (recorded := _recorded_line()) > held:
            raise CheckpointRefused(
                "checkpoint_file_truncated", FileBreak(path, "truncated", line=held, recorded=recorded).sentence()
            )
        if last is not None and (problem := _against(last)) is not None:
            raise CheckpointRefused(f"audit_log_{problem.problem}", problem.sentence())
        head = AuditEntry.objects.order_by("-sequence").first()
        if head is None:  # and so no checkpoint either: an empty log with one is "truncated" above
            return Checkpointed(None, written=False, path=path)
        if not _same(head.mac, entry_mac(key, head.hash)):
            raise CheckpointRefused("audit_entry_forged", Break(head.sequence, "forged").sentence())
        if last is not None and head.sequence == last.sequence:
            return Checkpointed(last, written=False, path=path)
        written = file.append(head.sequence, head.hash, timezone.now())
        AuditCheckpoint.objects.create(
            line=written.line,
            sequence=written.sequence,
            hash=written.hash,
            at=written.at,
            previous=written.previous,
            mac=written.mac,
        )
        return Checkpointed(written, written=True, path=path)


def _outer_block(connection: Any) -> Any:
    """The transaction's own outermost atomic block (a test case's wrapping blocks are not the service's)."""
    return next((b for b in connection.atomic_blocks if not getattr(b, "_from_testcase", False)), None)


def _checkpoint_pending() -> bool:
    """Whether this transaction already has its after-commit checkpoint: one per commit is enough, it
    anchors the head whatever the number of entries (a batch of 500 registrations writes one line, not
    500). A callback registered in a savepoint rolled back is dropped by Django: then it is not pending."""
    connection = transaction.get_connection()
    marker = getattr(connection, "_titrepro_checkpoint", None)
    if marker is None or marker[0] is not _outer_block(connection):
        return False
    return any(callback is marker[1] for _sids, callback, _robust in connection.run_on_commit)


def _register_checkpoint() -> None:
    connection = transaction.get_connection()
    callback = partial(_checkpoint_after_commit)  # its own object, to find it among the callbacks
    connection._titrepro_checkpoint = (_outer_block(connection), callback)
    transaction.on_commit(callback, robust=True)


def _checkpoint_after_commit() -> None:
    """``record``'s after-commit checkpoint: a refusal is logged (in English), the change stays committed."""
    with translation.override("en"):
        try:
            checkpoint()
        except CheckpointRefused as refused:
            logger.error("audit checkpoint refused (%s): %s", refused.code, refused.message)


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
