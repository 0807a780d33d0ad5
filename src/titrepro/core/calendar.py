"""Calendar files (RFC 5545 .ics) for sessions and convocations, built with ``icalendar``.

``calendar(events)`` gives one VCALENDAR (``METHOD:PUBLISH``: a file or a feed the reader
subscribes to, not an invitation to answer) holding one VEVENT per ``Event``, and the VTIMEZONE
of each time zone used. An event has either times (``datetime``, written with a TZID, Europe/Paris
unless the datetime carries another ``zoneinfo`` zone) or only days (``date``: an all-day event,
its end exclusive as RFC 5545 has it). An annulled event keeps its UID, says ``STATUS:CANCELLED``
and carries a higher ``SEQUENCE``, so calendars that imported it update it instead of adding one.

Summaries, places and descriptions are given already written in French: this module holds none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar

PARIS = ZoneInfo("Europe/Paris")
PRODID = "-//titrepro//FR"


@dataclass(frozen=True)
class Event:
    """One VEVENT. ``uid`` is stable for the thing it describes ("convocation-42@titrepro"), so a
    new file updates the event already imported. ``start`` and ``end`` are both ``datetime`` (a naive
    one is Paris time) or both ``date`` (all day, ``end`` exclusive: the day after the last day)."""

    uid: str
    summary: str
    location: str
    description: str
    start: datetime | date
    end: datetime | date
    cancelled: bool = False
    sequence: int = 0

    def __post_init__(self) -> None:
        if not self.uid or "@" not in self.uid:
            raise ValueError(f"an event's UID names its origin, like 'convocation-42@titrepro': {self.uid!r}")
        if isinstance(self.start, datetime) != isinstance(self.end, datetime):
            raise ValueError("start and end are both datetimes or both dates")
        start, end = self.start, self.end
        if isinstance(start, datetime) and isinstance(end, datetime):
            if _zoned(end) <= _zoned(start):
                raise ValueError(f"an event ends after it starts: {start} to {end}")
        elif end <= start:
            raise ValueError(f"an all-day event's end is exclusive, after its start: {start} to {end}")
        if self.sequence < 0:
            raise ValueError("SEQUENCE is never negative")

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)


def session_event(
    uid: str,
    summary: str,
    location: str,
    description: str,
    day: date,
    *,
    last_day: date | None = None,
    start: time | None = None,
    end: time | None = None,
    cancelled: bool = False,
    sequence: int = 0,
) -> Event:
    """The event of a session (or of one test) held from ``day`` to ``last_day`` (the same day when
    omitted): from ``start`` on the first day to ``end`` on the last, Paris time, when both times are
    known; otherwise all day on each of those days."""
    last = last_day or day
    if last < day:
        raise ValueError(f"the last day {last} is before the first {day}")
    if start is not None and end is not None:
        return Event(
            uid,
            summary,
            location,
            description,
            datetime.combine(day, start, tzinfo=PARIS),
            datetime.combine(last, end, tzinfo=PARIS),
            cancelled=cancelled,
            sequence=sequence,
        )
    return Event(uid, summary, location, description, day, last + timedelta(days=1), cancelled, sequence)


def _zoned(moment: datetime) -> datetime:
    """A datetime in its own zoneinfo zone (written with its TZID), Paris time when naive, and
    converted to Paris time when it only has an offset (UTC, a fixed offset: no TZID to write)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=PARIS)
    if isinstance(moment.tzinfo, ZoneInfo):
        return moment
    return moment.astimezone(PARIS)


def calendar(events: Sequence[Event], *, stamp: datetime | None = None, name: str = "") -> bytes:
    """The .ics bytes (UTF-8, CRLF lines) of ``events``. ``stamp`` is the DTSTAMP of every event
    (now when omitted); ``name``, when given, is the calendar's display name (X-WR-CALNAME)."""
    stamp = (stamp or datetime.now(UTC)).astimezone(UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    if name:
        cal.add("x-wr-calname", name)
    days: list[date] = []
    for event in events:
        vevent = icalendar.Event()
        vevent.add("uid", event.uid)
        vevent.add("dtstamp", stamp)
        start, end = event.start, event.end
        if isinstance(start, datetime) and isinstance(end, datetime):
            start, end = _zoned(start), _zoned(end)
            days += [start.date(), end.date()]
        else:
            days += [start, end]
        vevent.add("dtstart", start)
        vevent.add("dtend", end)
        vevent.add("summary", event.summary)
        if event.location:
            vevent.add("location", event.location)
        if event.description:
            vevent.add("description", event.description)
        vevent.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        vevent.add("sequence", event.sequence)
        vevent.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
        cal.add_component(vevent)
    if days:
        # Only the transitions around the events: the full history of a zone is kilobytes.
        cal.add_missing_timezones(
            first_date=date(min(days).year - 1, 1, 1),
            last_date=date(max(days).year + 2, 1, 1),
        )
    return bytes(cal.to_ical())
