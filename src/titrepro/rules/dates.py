"""Calendar arithmetic for legal deadlines ("un an à compter de", "deux mois")."""

from __future__ import annotations

from datetime import date

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when it does not exist.

    2025-12-31 + 2 months = 2026-02-28. This is how a deadline "de deux mois"
    is counted from a date in French administrative practice (the same
    numbered day, or the month's last day when there is none).
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if day.day <= 28:
        return date(year, month, day.day)
    return date(year, month, min(day.day, _days_in(year, month)))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 28 February for a 29 February that does not exist."""
    return add_months(day, 12 * years)
