"""The month arithmetic of the centre's calendar (``sessions.queries``): pure, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from titrepro.sessions.queries import month_end, month_of, month_weeks, shift_month


@dataclass(frozen=True)
class Span:
    name: str
    first_day: date
    last_day: date


NOTHING: list[Span] = []


def days_of(weeks, name: str) -> list[date]:
    return [cell.day for week in weeks for cell in week if any(item.name == name for item in cell.items)]


def test_a_month_starting_on_a_sunday_has_six_weeks_from_monday_to_sunday() -> None:
    first = date(2026, 11, 1)  # a Sunday
    assert first.weekday() == 6
    weeks = month_weeks(first, NOTHING)
    assert len(weeks) == 6
    assert all(len(week) == 7 for week in weeks)
    assert all(week[0].day.weekday() == 0 for week in weeks)
    assert weeks[0][0].day == date(2026, 10, 26)
    assert [cell.in_month for cell in weeks[0]] == [False] * 6 + [True]
    assert weeks[-1][0].day == date(2026, 11, 30)
    assert [cell.in_month for cell in weeks[-1]] == [True] + [False] * 6


def test_february_of_a_leap_year_has_29_days() -> None:
    first = date(2028, 2, 1)
    assert month_end(first) == date(2028, 2, 29)
    days = [cell.day for week in month_weeks(first, NOTHING) for cell in week if cell.in_month]
    assert days[0] == first
    assert days[-1] == date(2028, 2, 29)
    assert len(days) == 29
    assert month_end(date(2027, 2, 1)) == date(2027, 2, 28)


def test_a_month_exactly_four_weeks_long() -> None:
    weeks = month_weeks(date(2027, 2, 1), NOTHING)  # 1 February 2027 is a Monday, 28 days
    assert len(weeks) == 4
    assert all(cell.in_month for week in weeks for cell in week)


def test_a_session_is_on_each_of_its_days() -> None:
    sessions = [Span("three", date(2027, 3, 9), date(2027, 3, 11)), Span("one", date(2027, 3, 10), date(2027, 3, 10))]
    weeks = month_weeks(date(2027, 3, 1), sessions)
    assert days_of(weeks, "three") == [date(2027, 3, 9), date(2027, 3, 10), date(2027, 3, 11)]
    assert days_of(weeks, "one") == [date(2027, 3, 10)]
    (tenth,) = [cell for week in weeks for cell in week if cell.day == date(2027, 3, 10)]
    assert [item.name for item in tenth.items] == ["three", "one"]  # the order given


def test_a_session_spanning_two_months_is_shown_in_each_on_its_own_days() -> None:
    spanning = Span("spanning", date(2027, 3, 30), date(2027, 4, 2))
    march = month_weeks(date(2027, 3, 1), [spanning])
    april = month_weeks(date(2027, 4, 1), [spanning])
    assert days_of(march, "spanning") == [date(2027, 3, 30), date(2027, 3, 31)]
    assert days_of(april, "spanning") == [date(2027, 4, 1), date(2027, 4, 2)]
    # 1 and 2 April are in March's last week, but greyed out: nothing listed on another month's days.
    assert [cell.day for cell in march[-1] if not cell.in_month] == [date(2027, 4, d) for d in range(1, 5)]
    assert not any(cell.items for week in march for cell in week if not cell.in_month)


def test_a_session_outside_the_month_is_on_no_day() -> None:
    weeks = month_weeks(date(2027, 3, 1), [Span("before", date(2027, 2, 1), date(2027, 2, 28))])
    assert not any(cell.items for week in weeks for cell in week)


def test_december_to_january_and_back() -> None:
    assert shift_month(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert shift_month(date(2027, 1, 1), -1) == date(2026, 12, 1)
    assert shift_month(date(2027, 3, 1), 12) == date(2028, 3, 1)
    assert shift_month(date(2027, 3, 1), 0) == date(2027, 3, 1)


def test_no_month_outside_the_dates_titrepro_stores() -> None:
    assert shift_month(date(1900, 1, 1), -1) is None
    assert shift_month(date(2200, 12, 1), 1) is None
    assert shift_month(date(2200, 11, 1), 1) == date(2200, 12, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2027-03", date(2027, 3, 1)),
        ("2026-12", date(2026, 12, 1)),
        ("1900-01", date(1900, 1, 1)),
        ("2200-12", date(2200, 12, 1)),
        (None, date(2026, 5, 1)),
        ("", date(2026, 5, 1)),
        ("2027-13", date(2026, 5, 1)),
        ("2027-00", date(2026, 5, 1)),
        ("2027-3", date(2026, 5, 1)),
        ("0001-01", date(2026, 5, 1)),
        ("9999-12", date(2026, 5, 1)),
        ("2027-03-01", date(2026, 5, 1)),
        ("mars", date(2026, 5, 1)),
        ("\uff12\uff10\uff12\uff17-\uff10\uff13", date(2026, 5, 1)),  # "2027-03" in full-width digits
        (" 2027-03", date(2026, 5, 1)),
    ],
)
def test_the_month_asked_or_the_current_one(value: str | None, expected: date) -> None:
    assert month_of(value, date(2026, 5, 17)) == expected
