"""Calendar arithmetic for legal deadlines ("un an à compter de", "deux mois")."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the last day of the month when it does not exist.

    2025-12-31 + 2 months = 2026-02-28. This is how a deadline "de deux mois"
    is counted from a date in French administrative practice (the same
    numbered day, or the month's last day when there is none).
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 28 February for a 29 February that does not exist."""
    return add_months(day, 12 * years)
