"""Calendar files (titrepro.core.calendar), read back with icalendar's parser."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from titrepro.core.calendar import PARIS, Event, calendar, session_event

STAMP = datetime(2026, 12, 2, 9, 15, tzinfo=UTC)


def dt(prop: Any) -> Any:
    """The date or datetime of a parsed DTSTART, DTEND or DTSTAMP."""
    return prop.dt


def parse(ics: bytes) -> icalendar.Calendar:
    assert ics.endswith(b"\r\n")
    return icalendar.Calendar.from_ical(ics)


def timed() -> Event:
    return session_event(
        "convocation-42@titrepro",
        "Convocation : session TSSR n° 2027-075-0042",
        "12 rue de la Roquette, 75011 Paris",
        "Mise en situation professionnelle ; apportez une pièce d’identité.",
        date(2027, 3, 8),
        start=time(8, 30),
        end=time(12, 0),
    )


def test_a_timed_event_in_paris_time() -> None:
    cal = parse(calendar([timed()], stamp=STAMP))
    assert str(cal["prodid"]) == "-//titrepro//FR"
    assert str(cal["version"]) == "2.0"
    assert str(cal["method"]) == "PUBLISH"
    [event] = cal.walk("VEVENT")
    assert str(event["uid"]) == "convocation-42@titrepro"
    assert dt(event["dtstamp"]) == STAMP
    start, end = event["dtstart"], event["dtend"]
    assert start.params["TZID"] == "Europe/Paris"
    assert dt(start) == datetime(2027, 3, 8, 8, 30, tzinfo=PARIS)
    assert dt(start).utcoffset() == timedelta(hours=1)  # winter time
    assert dt(end) == datetime(2027, 3, 8, 12, 0, tzinfo=PARIS)
    assert str(event["summary"]) == "Convocation : session TSSR n° 2027-075-0042"
    assert str(event["location"]) == "12 rue de la Roquette, 75011 Paris"  # the comma is escaped and read back
    assert str(event["description"]) == "Mise en situation professionnelle ; apportez une pièce d’identité."
    assert str(event["status"]) == "CONFIRMED"
    assert event["sequence"] == 0


def test_the_paris_time_zone_is_in_the_file() -> None:
    ics = calendar([timed()], stamp=STAMP)
    [zone] = parse(ics).walk("VTIMEZONE")
    assert str(zone["tzid"]) == "Europe/Paris"
    # Summer time 2027 starts on 28 March: the zone covers the event's year.
    assert b"20270328T030000" in ics
    event = session_event("e@titrepro", "S", "", "", date(2027, 6, 8), start=time(8, 30), end=time(9, 0))
    [parsed] = parse(calendar([event], stamp=STAMP)).walk("VEVENT")
    assert dt(parsed["dtstart"]).utcoffset() == timedelta(hours=2)


def test_an_all_day_event_when_no_times_are_known() -> None:
    event = session_event(
        "session-7@titrepro", "Session TSSR", "Paris", "", date(2027, 3, 8), last_day=date(2027, 3, 9)
    )
    ics = calendar([event], stamp=STAMP)
    assert b"DTSTART;VALUE=DATE:20270308" in ics
    assert b"DTEND;VALUE=DATE:20270310" in ics  # exclusive end: the day after the last day
    [parsed] = parse(ics).walk("VEVENT")
    assert dt(parsed["dtstart"]) == date(2027, 3, 8)
    assert not isinstance(dt(parsed["dtstart"]), datetime)
    assert dt(parsed["dtend"]) == date(2027, 3, 10)
    assert "description" not in parsed
    assert parse(ics).walk("VTIMEZONE") == []


def test_a_cancelled_event_keeps_its_uid_with_a_higher_sequence() -> None:
    cancelled = session_event(
        "convocation-42@titrepro", "Annulé : session TSSR", "", "", date(2027, 3, 8), cancelled=True, sequence=1
    )
    [event] = parse(calendar([cancelled], stamp=STAMP)).walk("VEVENT")
    assert str(event["uid"]) == "convocation-42@titrepro"
    assert str(event["status"]) == "CANCELLED"
    assert event["sequence"] == 1


def test_a_feed_of_several_events() -> None:
    events = [
        timed(),
        session_event("convocation-43@titrepro", "Entretien final", "Paris", "", date(2027, 3, 9)),
    ]
    cal = parse(calendar(events, stamp=STAMP, name="Sessions du centre"))
    assert [str(event["uid"]) for event in cal.walk("VEVENT")] == [
        "convocation-42@titrepro",
        "convocation-43@titrepro",
    ]
    assert str(cal["x-wr-calname"]) == "Sessions du centre"


def test_other_zones_and_offsets() -> None:
    """A zoneinfo zone keeps its TZID (an overseas centre); a bare UTC time is written in Paris time."""
    reunion = ZoneInfo("Indian/Reunion")
    overseas = Event(
        "s@titrepro",
        "S",
        "",
        "",
        datetime(2027, 3, 8, 8, 0, tzinfo=reunion),
        datetime(2027, 3, 8, 9, 0, tzinfo=reunion),
    )
    utc = Event(
        "u@titrepro",
        "U",
        "",
        "",
        datetime(2027, 3, 8, 7, 30, tzinfo=timezone.utc),  # noqa: UP017 - a plain offset, not a zone
        datetime(2027, 3, 8, 11, 0, tzinfo=UTC),
    )
    cal = parse(calendar([overseas, utc], stamp=STAMP))
    first, second = cal.walk("VEVENT")
    assert first["dtstart"].params["TZID"] == "Indian/Reunion"
    assert second["dtstart"].params["TZID"] == "Europe/Paris"
    assert dt(second["dtstart"]) == datetime(2027, 3, 8, 8, 30, tzinfo=PARIS)
    assert sorted(str(zone["tzid"]) for zone in cal.walk("VTIMEZONE")) == ["Europe/Paris", "Indian/Reunion"]


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (datetime(2027, 3, 8, 12, 0), datetime(2027, 3, 8, 8, 30)),  # noqa: DTZ001 - naive is Paris time
        (date(2027, 3, 8), date(2027, 3, 8)),  # an all-day end is exclusive
        (date(2027, 3, 8), datetime(2027, 3, 8, 8, 30, tzinfo=PARIS)),
    ],
)
def test_an_event_ends_after_it_starts(start, end) -> None:
    with pytest.raises(ValueError, match=r"end|both"):
        Event("x@titrepro", "S", "", "", start, end)


def test_a_uid_names_its_origin() -> None:
    with pytest.raises(ValueError, match="UID"):
        Event("42", "S", "", "", date(2027, 3, 8), date(2027, 3, 9))
