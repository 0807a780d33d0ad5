"""The filter ``date_fr``: the first of a month is "1er" in French (issue 9, item 6)."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import Context, Template
from django.utils import translation

from titrepro.core.templatetags.french_dates import french_date


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 9, 1), "1er septembre 2026"),
        (date(2026, 9, 2), "2 septembre 2026"),
        (date(2026, 8, 31), "31 août 2026"),
        (date(2027, 1, 1), "1er janvier 2027"),
        (date(2026, 12, 11), "11 décembre 2026"),
        (date(2026, 5, 21), "21 mai 2026"),
    ],
)
def test_date_fr(day: date, expected: str) -> None:
    with translation.override("fr"):
        assert Template("{% load french_dates %}{{ day|date_fr }}").render(Context({"day": day})) == expected
        assert french_date(day) == expected


def test_nothing_for_no_date() -> None:
    assert Template("{% load french_dates %}[{{ day|date_fr }}]").render(Context({"day": None})) == "[]"
    assert french_date(None) == ""


def test_other_languages_keep_the_cardinal() -> None:
    with translation.override("en"):
        assert french_date(date(2026, 9, 1)) == "1 September 2026"
