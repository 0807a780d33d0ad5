"""``titrepro timetable SESSION_NUMBER [--plan] [--seconds N] [--json]``."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.session_world import make_tssr_world
from tests.sessions.test_timetable import tssr_session

from titrepro.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_command_plans_and_prints_the_planning(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    out = io.StringIO()
    call_command("timetable", session.number, "--plan", "--seconds", "2", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["session"] == session.number
    assert len(answer["slots"]) == 12
    first = answer["slots"][0]
    assert first["day"] == session.first_day.isoformat()
    assert {"start", "end", "candidate", "part", "workstation", "jurors"} <= first.keys()
    assert any(len(slot["jurors"]) == 2 for slot in answer["slots"])
    assert AuditEntry.objects.filter(action="session.timetable_computed", actor=None).exists()
    text = io.StringIO()
    call_command("timetable", session.number, stdout=text)
    assert str(session.registrations.order_by("pk")[0].candidate) in text.getvalue()
    assert session.first_day.isoformat() in text.getvalue()


def test_the_command_explains_an_impossible_planning_and_exits_1(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w, members=1)
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("timetable", session.number, "--plan", "--seconds", "2", stderr=err)
    assert exit_.value.code == 1
    assert "R-63" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("timetable", session.number)
