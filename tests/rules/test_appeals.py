"""Worked examples of the gracious appeal deadline (R-82): a two-month délai franc, moved past weekends and holidays."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from titrepro.rules.appeals import (
    APPEAL_BEFORE_NOTIFICATION,
    APPEAL_TOO_LATE,
    SUBDIVISIONS,
    AppealRefusal,
    appeal_last_day,
    appeal_refusal,
    is_working_day,
    next_working_day,
    public_holidays,
    subdivision,
)
from titrepro.rules.dates import add_months
from titrepro.rules.parameters import Parameters

DAY = timedelta(days=1)
MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY = range(7)


# The worked example of the issue ------------------------------------------------------------------


def test_r82_notified_1_march_last_day_2_may() -> None:
    """R-82: notified on 1 March 2029, the last day is Wednesday 2 May 2029 (a working day, nothing moves)."""
    assert date(2029, 5, 2).weekday() == WEDNESDAY
    assert appeal_last_day(date(2029, 3, 1)) == date(2029, 5, 2)
    assert appeal_last_day(date(2029, 3, 1), "75") == date(2029, 5, 2)


def test_r82_filed_on_the_last_day_is_in_time_the_day_after_is_too_late() -> None:
    """R-82: filed on 2 May 2029 (the last day): in time; on 3 May: too late, with the last day for the message."""
    notified = date(2029, 3, 1)
    assert appeal_refusal(notified, date(2029, 5, 2)) is None
    assert appeal_refusal(notified, date(2029, 5, 3)) == AppealRefusal(APPEAL_TOO_LATE, last_day=date(2029, 5, 2))
    assert appeal_refusal(notified, date(2029, 5, 3)) == AppealRefusal("appeal_too_late", date(2029, 5, 2), "R-82")


def test_r82_filed_on_the_day_of_notification_is_in_time() -> None:
    """R-82: the franc day is not counted in the delay, but an appeal filed that very day is in time."""
    assert appeal_refusal(date(2029, 3, 1), date(2029, 3, 1)) is None


def test_r82_filed_before_the_notification_is_refused() -> None:
    """R-82: an appeal dated before the notification is refused, without a last day."""
    assert appeal_refusal(date(2029, 3, 1), date(2029, 2, 28)) == AppealRefusal(APPEAL_BEFORE_NOTIFICATION)


def test_r82_the_number_of_months_is_a_parameter() -> None:
    """R-82: ``appeal_months`` (2 by default); with 1, notified on 1 March 2029 -> Monday 2 April... Easter Monday, so Tuesday 3 April."""
    assert Parameters().appeal_months == 2
    assert date(2029, 4, 2) in public_holidays(2029)
    assert appeal_last_day(date(2029, 3, 1), parameters=Parameters(appeal_months=1)) == date(2029, 4, 3)
    assert appeal_refusal(date(2029, 3, 1), date(2029, 4, 4), parameters=Parameters(appeal_months=1)) == (
        AppealRefusal(APPEAL_TOO_LATE, last_day=date(2029, 4, 3))
    )


# Weekends and public holidays -----------------------------------------------------------------------


def test_r82_a_last_day_on_a_saturday_moves_to_monday() -> None:
    """R-82: notified on 1 March 2026, 2 May 2026 is a Saturday: the last day is Monday 4 May 2026."""
    assert date(2026, 5, 2).weekday() == SATURDAY
    assert appeal_last_day(date(2026, 3, 1)) == date(2026, 5, 4)
    assert appeal_refusal(date(2026, 3, 1), date(2026, 5, 4)) is None
    assert appeal_refusal(date(2026, 3, 1), date(2026, 5, 5)) == AppealRefusal(APPEAL_TOO_LATE, date(2026, 5, 4))


def test_r82_a_last_day_on_a_sunday_moves_to_monday() -> None:
    """R-82: notified on 1 March 2027, 2 May 2027 is a Sunday: the last day is Monday 3 May 2027."""
    assert date(2027, 5, 2).weekday() == SUNDAY
    assert appeal_last_day(date(2027, 3, 1)) == date(2027, 5, 3)


def test_r82_a_last_day_on_14_july_moves_to_the_next_day() -> None:
    """R-82: notified on 13 May 2026, the last day would be Tuesday 14 July 2026 (Fête nationale): Wednesday 15 July."""
    assert date(2026, 7, 14).weekday() == TUESDAY
    assert appeal_last_day(date(2026, 5, 13)) == date(2026, 7, 15)


def test_r82_a_last_day_on_11_november_moves_to_the_next_day() -> None:
    """R-82: notified on 10 September 2026, the last day would be Wednesday 11 November 2026: Thursday 12 November."""
    assert appeal_last_day(date(2026, 9, 10)) == date(2026, 11, 12)


def test_r82_a_last_day_on_ascension_thursday_computed_from_easter() -> None:
    """R-82: Easter 2027 is 28 March, so Ascension is Thursday 6 May 2027; notified on 5 March 2027 -> Friday 7 May."""
    assert date(2027, 5, 6).weekday() == THURSDAY
    assert date(2027, 5, 6) in public_holidays(2027)
    assert appeal_last_day(date(2027, 3, 5)) == date(2027, 5, 7)


def test_r82_a_holiday_then_a_weekend() -> None:
    """R-82: notified on 14 June 2025, the last day would be Friday 15 August 2025 (Assomption): Monday 18 August."""
    assert date(2025, 8, 15).weekday() == FRIDAY
    assert appeal_last_day(date(2025, 6, 14)) == date(2025, 8, 18)
    # 8 May 2026 (Fête de la Victoire) is a Friday too.
    assert appeal_last_day(date(2026, 3, 7)) == date(2026, 5, 11)


def test_r82_ascension_then_8_may_then_a_weekend() -> None:
    """R-82: Easter 2043 is 29 March, so Ascension is Thursday 7 May 2043, the day before 8 May.

    Notified on 6 March 2043: Ascension, Fête de la Victoire, Saturday, Sunday, so
    Monday 11 May 2043, four days after the franc day (the longest shift from 2000 to 2100).
    """
    assert date(2043, 5, 7).weekday() == THURSDAY
    assert {date(2043, 5, 7), date(2043, 5, 8)} <= public_holidays(2043)
    assert appeal_last_day(date(2043, 3, 6)) == date(2043, 5, 11)


def test_r82_a_weekend_then_easter_monday() -> None:
    """R-82: notified on 18 February 2025, Saturday 19 April 2025, then Sunday, then Easter Monday 21 April: Tuesday 22 April."""
    assert date(2025, 4, 19).weekday() == SATURDAY
    assert date(2025, 4, 21) in public_holidays(2025)
    assert appeal_last_day(date(2025, 2, 18)) == date(2025, 4, 22)


def test_r82_a_weekend_then_whit_monday() -> None:
    """R-82: notified on 2 April 2028, Saturday 3 June 2028, Sunday, Whit Monday 5 June (Easter 16 April + 50): Tuesday 6 June."""
    assert date(2028, 6, 3).weekday() == SATURDAY
    assert date(2028, 6, 5) in public_holidays(2028)
    assert appeal_last_day(date(2028, 4, 2)) == date(2028, 6, 6)


def test_r82_a_weekend_then_1_may() -> None:
    """R-82: notified on 28 February 2028, Saturday 29 April 2028, Sunday, Monday 1 May: Tuesday 2 May."""
    assert appeal_last_day(date(2028, 2, 28)) == date(2028, 5, 2)


# Alsace-Moselle and the overseas départements ----------------------------------------------------


def test_r82_26_december_moves_the_day_in_alsace_moselle_only() -> None:
    """R-82: notified on 25 October 2025, the last day is Friday 26 December 2025 in Paris, Monday 29 in Moselle and Alsace."""
    assert date(2025, 12, 26).weekday() == FRIDAY
    assert appeal_last_day(date(2025, 10, 25), "75") == date(2025, 12, 26)
    for department in ("57", "67", "68"):
        assert appeal_last_day(date(2025, 10, 25), department) == date(2025, 12, 29)
    assert appeal_refusal(date(2025, 10, 25), date(2025, 12, 29), "75") == AppealRefusal(
        APPEAL_TOO_LATE, date(2025, 12, 26)
    )
    assert appeal_refusal(date(2025, 10, 25), date(2025, 12, 29), "57") is None


def test_r82_good_friday_then_easter_weekend_and_monday_in_moselle() -> None:
    """R-82: notified on 25 January 2027, the last day would be Good Friday 26 March 2027.

    In Paris Good Friday is worked: 26 March. In Moselle: Good Friday, Saturday,
    Easter Sunday, Easter Monday, so Tuesday 30 March 2027.
    """
    assert date(2027, 3, 26).weekday() == FRIDAY
    assert appeal_last_day(date(2027, 1, 25), "75") == date(2027, 3, 26)
    assert appeal_last_day(date(2027, 1, 25), "57") == date(2027, 3, 30)


def test_r82_christmas_chain_in_moselle() -> None:
    """R-82: notified on 23 October 2028, Sunday 24, Christmas Monday 25, then 26 December 2028 in Moselle: Wednesday 27."""
    assert appeal_last_day(date(2028, 10, 23), "75") == date(2028, 12, 26)
    assert appeal_last_day(date(2028, 10, 23), "57") == date(2028, 12, 27)


def test_r82_overseas_holidays() -> None:
    """R-82: La Réunion's abolition of slavery (Monday 20 December 2027) and Guadeloupe's Mi-Carême (Thursday 4 March 2027)."""
    assert appeal_last_day(date(2027, 10, 19), "75") == date(2027, 12, 20)
    assert appeal_last_day(date(2027, 10, 19), "974") == date(2027, 12, 21)
    assert appeal_last_day(date(2027, 1, 3), "75") == date(2027, 3, 4)
    assert appeal_last_day(date(2027, 1, 3), "971") == date(2027, 3, 5)


def test_r82_departments_map_to_the_library_subdivisions() -> None:
    """R-82: 57 is Moselle, 67 and 68 the Collectivité européenne d'Alsace; Paris and Corsica are metropolitan France."""
    assert subdivision("57") == "57"
    assert subdivision("67") == subdivision("68") == "6AE"
    assert subdivision("971") == "971"
    assert subdivision(" 974 ") == "974"
    assert subdivision("75") is None
    assert subdivision("2A") is None
    assert subdivision("2b") is None
    assert subdivision(None) is None
    # Every code we map is one the installed library knows.
    assert set(SUBDIVISIONS.values()) <= set(holidays.list_supported_countries()["FR"])


# Public holidays computed, not typed in -----------------------------------------------------------


def test_r82_public_holidays_are_computed_from_easter() -> None:
    """R-82: 2029 (Easter 1 April): Easter Monday 2 April, Ascension 10 May, Whit Monday 21 May; eleven days in all."""
    days = public_holidays(2029)
    assert {date(2029, 4, 2), date(2029, 5, 10), date(2029, 5, 21)} <= days
    assert {date(2029, 1, 1), date(2029, 5, 1), date(2029, 5, 8), date(2029, 7, 14), date(2029, 8, 15)} <= days
    assert {date(2029, 11, 1), date(2029, 11, 11), date(2029, 12, 25)} <= days
    assert len(days) == 11
    assert date(2029, 3, 30) not in days  # Good Friday
    moselle = public_holidays(2029, "57")
    assert moselle - days == {date(2029, 3, 30), date(2029, 12, 26)}


def test_r82_public_holidays_are_cached_per_year_and_subdivision() -> None:
    """R-82: Paris, Corsica and no département share one computed set; Moselle has its own."""
    assert public_holidays(2031, "75") is public_holidays(2031, None) is public_holidays(2031, "2A")
    assert public_holidays(2031, "67") is public_holidays(2031, "68")
    assert public_holidays(2031, "57") is not public_holidays(2031, "75")


@pytest.mark.parametrize(
    ("day", "department", "expected"),
    [
        (date(2029, 5, 2), None, True),  # Wednesday
        (date(2029, 5, 5), None, False),  # Saturday
        (date(2029, 5, 6), None, False),  # Sunday
        (date(2029, 5, 8), None, False),  # Tuesday, Fête de la Victoire
        (date(2029, 12, 26), "75", True),  # Wednesday
        (date(2029, 12, 26), "57", False),  # Saint-Étienne in Moselle
    ],
)
def test_r82_working_days(day: date, department: str | None, expected: bool) -> None:
    """R-82: a working day is neither a Saturday, a Sunday nor a public holiday of the département."""
    assert is_working_day(day, department) is expected


def test_r82_next_working_day_is_the_day_itself_when_it_is_one() -> None:
    """R-82: Wednesday 2 May 2029 stays; Saturday 5 May 2029 -> Monday 7; Monday 7 May -> 7; Tuesday 8 May -> Wednesday 9."""
    assert next_working_day(date(2029, 5, 2)) == date(2029, 5, 2)
    assert next_working_day(date(2029, 5, 5)) == date(2029, 5, 7)
    assert next_working_day(date(2029, 5, 8)) == date(2029, 5, 9)


# End of the month: the month's last day first, then the franc day --------------------------------------


@pytest.mark.parametrize(
    ("notified", "last_day"),
    [
        # 28 February 2027 (no 29, 30 or 31), then the franc day: Monday 1 March 2027.
        (date(2026, 12, 31), date(2027, 3, 1)),
        (date(2026, 12, 30), date(2027, 3, 1)),
        (date(2026, 12, 29), date(2027, 3, 1)),
        (date(2026, 12, 28), date(2027, 3, 1)),
        (date(2026, 12, 27), date(2027, 3, 1)),  # 28 February 2027 is a Sunday
        # A leap year: 29 February 2028 exists, then Wednesday 1 March 2028.
        (date(2027, 12, 31), date(2028, 3, 1)),
        (date(2027, 12, 29), date(2028, 3, 1)),
        (date(2027, 12, 28), date(2028, 2, 29)),  # 28 February + 1 day, a Tuesday
        # 30 October 2029 exists: the franc day is Wednesday 31 October.
        (date(2029, 8, 30), date(2029, 10, 31)),
        # 31 October + 1 day is 1 November (Toussaint, a Thursday): Friday 2 November 2029.
        (date(2029, 8, 31), date(2029, 11, 2)),
        # 31 July -> 30 September (no 31) -> Monday 1 October 2029.
        (date(2029, 7, 31), date(2029, 10, 1)),
    ],
)
def test_r82_end_of_month(notified: date, last_day: date) -> None:
    """R-82: the same numbered day two months later, or that month's last day, then the franc day, then working days."""
    assert appeal_last_day(notified) == last_day


# Properties ----------------------------------------------------------------------------------------

DEPARTMENTS = st.sampled_from([None, "75", "2A", "57", "67", "68", "971", "972", "973", "974", "976", "988"])


@given(st.dates(date(2000, 1, 1), date(2100, 12, 31)), DEPARTMENTS)
def test_r82_the_last_day_is_the_first_working_day_from_the_franc_day(notified: date, department: str | None) -> None:
    """R-82: for any notification, the last day is a working day, after notification + 2 months, at most 6 days after the franc day."""
    franc_day = add_months(notified, 2) + DAY
    last_day = appeal_last_day(notified, department)
    assert is_working_day(last_day, department)
    assert last_day > add_months(notified, 2)
    assert franc_day <= last_day <= franc_day + 6 * DAY
    # The first working day: nothing between the franc day and the last day is one.
    day = franc_day
    while day < last_day:
        assert not is_working_day(day, department)
        day += DAY
    assert appeal_refusal(notified, last_day, department) is None
    assert appeal_refusal(notified, last_day + DAY, department) == AppealRefusal(APPEAL_TOO_LATE, last_day)
    assert appeal_refusal(notified, notified - DAY, department) == AppealRefusal(APPEAL_BEFORE_NOTIFICATION)
