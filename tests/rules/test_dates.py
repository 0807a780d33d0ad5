"""Calendar arithmetic of legal deadlines (titrepro.rules.dates): month ends and 29 February."""

from __future__ import annotations

from datetime import date

import pytest

from titrepro.rules.dates import add_months, add_years


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2025, 1, 15), 2, date(2025, 3, 15), id="same numbered day"),
        pytest.param(date(2025, 12, 31), 2, date(2026, 2, 28), id="R-21 31 December + 2 months = 28 February"),
        pytest.param(date(2023, 12, 31), 2, date(2024, 2, 29), id="R-21 31 December + 2 months = 29 February (leap)"),
        pytest.param(date(2025, 8, 31), 1, date(2025, 9, 30), id="31st into a 30-day month"),
        pytest.param(date(2025, 1, 30), 1, date(2025, 2, 28), id="30 January + 1 month = 28 February"),
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="31 January + 1 month = 29 February (leap)"),
        pytest.param(date(2025, 2, 28), 1, date(2025, 3, 28), id="end of February is not carried to the month end"),
        pytest.param(date(2025, 11, 30), 3, date(2026, 2, 28), id="across a year end"),
        pytest.param(date(2025, 3, 31), -1, date(2025, 2, 28), id="negative months clamp too"),
        pytest.param(date(2025, 1, 31), -1, date(2024, 12, 31), id="negative months across a year start"),
        pytest.param(date(2025, 6, 15), 0, date(2025, 6, 15), id="zero months"),
        pytest.param(date(2025, 6, 15), 24, date(2027, 6, 15), id="two years of months"),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("day", "years", "expected"),
    [
        pytest.param(date(2024, 2, 29), 1, date(2025, 2, 28), id="R-20 29 February + 1 year = 28 February"),
        pytest.param(date(2024, 2, 29), 4, date(2028, 2, 29), id="29 February + 4 years = 29 February"),
        pytest.param(date(2023, 2, 28), 1, date(2024, 2, 28), id="28 February stays 28 February in a leap year"),
        pytest.param(date(2023, 8, 31), 1, date(2024, 8, 31), id="R-07 grace of TSSR 2018"),
        pytest.param(date(2026, 8, 31), 1, date(2027, 8, 31), id="R-07 grace of TSSR 2023"),
        pytest.param(date(2025, 12, 31), 1, date(2026, 12, 31), id="31 December"),
        pytest.param(date(2025, 6, 20), -1, date(2024, 6, 20), id="negative years"),
    ],
)
def test_add_years(day, years, expected):
    assert add_years(day, years) == expected


def test_add_years_is_twelve_months():
    day = date(2014, 1, 1)
    while day < date(2035, 1, 1):
        assert add_years(day, 1) == add_months(day, 12)
        day = date.fromordinal(day.toordinal() + 1)


@pytest.mark.parametrize("day", [date(2024, 1, 31), date(2024, 2, 29), date(2025, 12, 31), date(2025, 4, 30)])
def test_add_months_never_overflows_into_the_next_month(day):
    for months in range(-30, 31):
        shifted = add_months(day, months)
        index = day.year * 12 + day.month - 1 + months
        assert (shifted.year, shifted.month) == (index // 12, index % 12 + 1)
        assert shifted.day <= day.day
