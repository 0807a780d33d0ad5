"""The checkpoint file: the audit log's head, anchored outside the database.

One JSON line per checkpoint, appended and never rewritten::

    {"at":"2026-11-28T16:18:05.123456+00:00","hash":"…","line":12,"mac":"…","previous":"…","sequence":127}

- ``line``: 1, 2, 3… its number in the file;
- ``sequence``, ``hash``: the last entry of the log when the checkpoint was written;
- ``at``: when (UTC, ISO 8601);
- ``previous``: the ``mac`` of the line before (64 zeros on line 1), so a line
  removed, inserted or moved breaks the chain of lines;
- ``mac``: HMAC-SHA256 with the audit key over the other fields (the same
  canonical JSON, keys sorted), so a line cannot be edited or forged without the key.

Every entry of the log also carries ``entry_mac(key, its hash)``. Only the
standard library here: no Django, so the file can be checked, and written under
its lock, by any process. ``locked`` holds an exclusive ``fcntl.flock`` on the
file while its last line is read and the next one appended: writers on one host
never chain two lines onto the same predecessor (docs/decisions/0022).
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

GENESIS = "0" * 64
ENTRY_CONTEXT = b"titrepro-audit-entry\n"
CHECKPOINT_CONTEXT = b"titrepro-audit-checkpoint\n"
FIELDS = frozenset({"at", "hash", "line", "mac", "previous", "sequence"})
HEX64 = re.compile(r"[0-9a-f]{64}")
TAIL_BLOCK = 4096


def entry_mac(key: bytes, entry_hash: str) -> str:
    """The MAC an audit entry carries: HMAC-SHA256 of its hash (which already covers its content and link)."""
    return hmac.new(key, ENTRY_CONTEXT + entry_hash.encode("utf-8"), hashlib.sha256).hexdigest()


def _canonical(fields: dict[str, Any]) -> bytes:
    return json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _line_mac(key: bytes, body: dict[str, Any]) -> str:
    return hmac.new(key, CHECKPOINT_CONTEXT + _canonical(body), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    line: int
    sequence: int
    hash: str
    at: datetime
    previous: str
    mac: str

    def text(self) -> str:
        """The line as written in the file (without its newline)."""
        return _canonical(
            {**_body(self.line, self.sequence, self.hash, self.at, self.previous), "mac": self.mac}
        ).decode("utf-8")


def _body(line: int, sequence: int, entry_hash: str, at: datetime, previous: str) -> dict[str, Any]:
    return {
        "line": line,
        "sequence": sequence,
        "hash": entry_hash,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "previous": previous,
    }


def make(key: bytes, *, line: int, sequence: int, entry_hash: str, at: datetime, previous: str) -> Checkpoint:
    """A new checkpoint line, MACed with ``key``."""
    at = at.astimezone(UTC)
    mac = _line_mac(key, _body(line, sequence, entry_hash, at, previous))
    return Checkpoint(line=line, sequence=sequence, hash=entry_hash, at=at, previous=previous, mac=mac)


class DamagedLine(Exception):
    """A line that is not a checkpoint: ``problem`` is ``unreadable`` or ``forged``."""

    def __init__(self, problem: str) -> None:
        super().__init__(problem)
        self.problem = problem


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def parse(raw: bytes, key: bytes) -> Checkpoint:
    """One line of the file (with its newline) as a checkpoint, or ``DamagedLine``.

    ``unreadable``: not a complete line of the expected shape (a torn write, a
    hand edit that broke it); ``forged``: its MAC does not match (edited, or
    written with another key).
    """
    if not raw.endswith(b"\n"):
        raise DamagedLine("unreadable")
    try:
        fields = json.loads(raw.decode("utf-8"))
    except ValueError:
        raise DamagedLine("unreadable") from None
    if not isinstance(fields, dict) or set(fields) != FIELDS:
        raise DamagedLine("unreadable")
    hexes = (fields["hash"], fields["previous"], fields["mac"])
    if not (_positive(fields["line"]) and _positive(fields["sequence"])) or not all(
        isinstance(value, str) and HEX64.fullmatch(value) for value in hexes
    ):
        raise DamagedLine("unreadable")
    try:
        at = datetime.fromisoformat(fields["at"]) if isinstance(fields["at"], str) else None
    except ValueError:
        at = None
    if at is None or at.tzinfo is None:
        raise DamagedLine("unreadable")
    body = {name: value for name, value in fields.items() if name != "mac"}
    if not hmac.compare_digest(fields["mac"], _line_mac(key, body)):
        raise DamagedLine("forged")
    return Checkpoint(
        line=fields["line"],
        sequence=fields["sequence"],
        hash=fields["hash"],
        at=at,
        previous=fields["previous"],
        mac=fields["mac"],
    )


@dataclass(frozen=True)
class Scan:
    """What reading the whole file found: its trusted lines, the last of them, the first problem."""

    lines: int  # lines read and trusted, from the first
    last: Checkpoint | None  # the last trusted line
    problem: str | None = None  # "unreadable", "forged" or "unlinked"
    problem_line: int = 0  # the line of the file (1-based) where it is


def scan(path: Path, key: bytes) -> Scan:
    """Read the file from its first line; stop at the first line that is damaged or out of the chain."""
    last: Checkpoint | None = None
    number = 0
    with path.open("rb") as file:
        for number, raw in enumerate(file, start=1):
            try:
                checkpoint = parse(raw, key)
            except DamagedLine as damaged:
                return Scan(number - 1, last, damaged.problem, number)
            expected_previous = last.mac if last is not None else GENESIS
            if checkpoint.line != number or checkpoint.previous != expected_previous:
                return Scan(number - 1, last, "unlinked", number)
            last = checkpoint
    return Scan(number, last)


class Appender:
    """The file, locked: read its last line, append the next one."""

    def __init__(self, fd: int, key: bytes) -> None:
        self._fd = fd
        self._key = key
        self._last: Checkpoint | None = None
        self._read = False

    def last(self) -> Checkpoint | None:
        """The last line (MAC checked), or None for an empty file; ``DamagedLine`` if it is not a checkpoint."""
        if not self._read:
            raw = self._last_raw_line()
            self._last = None if raw is None else parse(raw, self._key)
            self._read = True
        return self._last

    def append(self, sequence: int, entry_hash: str, at: datetime) -> Checkpoint:
        """Write the checkpoint of entry ``sequence`` after the last line, and sync it to disk."""
        last = self.last()
        checkpoint = make(
            self._key,
            line=last.line + 1 if last is not None else 1,
            sequence=sequence,
            entry_hash=entry_hash,
            at=at,
            previous=last.mac if last is not None else GENESIS,
        )
        data = (checkpoint.text() + "\n").encode("utf-8")
        while data:  # O_APPEND: every write goes to the end, whatever was read before
            data = data[os.write(self._fd, data) :]
        os.fsync(self._fd)
        self._last = checkpoint
        return checkpoint

    def _last_raw_line(self) -> bytes | None:
        size = os.fstat(self._fd).st_size
        if size == 0:
            return None
        tail = b""
        position = size
        while position > 0:
            step = min(TAIL_BLOCK, position)
            position -= step
            tail = os.pread(self._fd, step, position) + tail
            # The last line starts after the newline that precedes its own final character.
            start = tail.rfind(b"\n", 0, len(tail) - 1)
            if start != -1:
                return tail[start + 1 :]
        return tail


@contextmanager
def locked(path: Path, key: bytes) -> Iterator[Appender]:
    """The file opened for appending (created with its folder if need be) under an exclusive lock."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield Appender(fd, key)
    finally:
        os.close(fd)  # closing releases the lock
