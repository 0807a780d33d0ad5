"""The database holds the timetable's invariants: the lunch break inside the opening hours, at least 45 minutes."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from tests.session_world import make_world

from titrepro.sessions.models import ExamSession

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("starts", "ends", "allowed"),
    [
        ("12:00", "13:00", True),
        ("12:00", "12:45", True),
        ("12:00", "12:44", False),  # shorter than 45 minutes
        ("08:00", "09:00", False),  # before the opening
        ("17:00", "18:00", False),  # after the closing
        ("13:00", "12:00", False),  # reversed
    ],
)
def test_the_lunch_break_lies_inside_the_hours_and_lasts_45_minutes(starts: str, ends: str, allowed: bool) -> None:
    session = make_world().draft()
    ExamSession.objects.filter(pk=session.pk).update(lunch_starts_at="12:00", lunch_ends_at="13:00")
    update = ExamSession.objects.filter(pk=session.pk)
    if allowed:
        update.update(lunch_starts_at=starts, lunch_ends_at=ends)
        session.refresh_from_db()
        assert session.lunch_ends_at == datetime.time.fromisoformat(ends)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            update.update(lunch_starts_at=starts, lunch_ends_at=ends)
