"""iCalendar (RFC 5545) documents: ``calendar(events) -> bytes``.

Minimal stand-in written on the sessions-pages branch, without a dependency, for the jury member's
feed; the lead's version (built with the ``icalendar`` package, same ``Event`` and ``calendar``
interface) replaces it when the branches meet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

PRODID = "-//titrepro//sessions//FR"


@dataclass(frozen=True)
class Event:
    """One event: ``start`` and ``end`` are aware datetimes (or dates for a whole-day event, ``end`` excluded)."""

    uid: str
    summary: str
    location: str
    description: str
    start: date | datetime
    end: date | datetime
    cancelled: bool = False
    sequence: int = 0


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def _when(name: str, value: date | datetime) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return f"{name}:{value:%Y%m%dT%H%M%S}"
        return f"{name}:{value.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    return f"{name};VALUE=DATE:{value:%Y%m%d}"


def _fold(line: str) -> bytes:
    """A content line folded at 75 octets (RFC 5545, 3.1), never inside a UTF-8 character."""
    out = bytearray()
    width = 0
    for char in line:
        encoded = char.encode("utf-8")
        if width + len(encoded) > 75:
            out += b"\r\n "
            width = 1
        out += encoded
        width += len(encoded)
    return bytes(out) + b"\r\n"


def calendar(events: Iterable[Event]) -> bytes:
    stamp = datetime.now(UTC)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(event.uid)}",
            _when("DTSTAMP", stamp),
            _when("DTSTART", event.start),
            _when("DTEND", event.end),
            f"SUMMARY:{_escape(event.summary)}",
            f"LOCATION:{_escape(event.location)}",
            f"DESCRIPTION:{_escape(event.description)}",
            f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
            f"SEQUENCE:{event.sequence}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return b"".join(_fold(line) for line in lines)
