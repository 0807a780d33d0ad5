"""The filter ``date_fr``: the first of a month is "1er" in French (issue 9, item 6)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.template import Context, Template
from django.utils import translation

from titrepro.core.dating import document_date, document_time
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


def test_documents_write_french_whatever_the_language() -> None:
    """PDFs and calendar files are French even when the page that asks for them is not."""
    with translation.override("en"):
        assert document_date(date(2027, 3, 1)) == "1er mars 2027"
        assert document_date(date(2027, 3, 8), weekday=True) == "lundi 8 mars 2027"
        assert document_date(date(2027, 3, 1), weekday=True) == "lundi 1er mars 2027"
        assert document_time(time(8, 30)) == "8 h 30"
        assert document_time(time(12, 0)) == "12 h 00"
        assert document_time(datetime(2027, 3, 8, 14, 5)) == "14 h 05"  # noqa: DTZ001 - a wall-clock time
