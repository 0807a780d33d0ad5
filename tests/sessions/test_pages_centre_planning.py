"""The centre's planning page (/espace/centre/sessions/<pk>/planning/): compute, read by day, move a part."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.helpers import login_as
from tests.session_world import make_tssr_world
from tests.sessions.test_timetable import tssr_session

from titrepro.sessions import timetable
from titrepro.sessions.models import ExamSession, Timetable, TimetableSlot

pytestmark = pytest.mark.django_db


def test_the_planning_is_computed_and_read_by_day_without_javascript(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    staff = login_as(client, w.staff)
    url = reverse("sessions:centre_session_planning", args=[session.pk])
    detail = staff.get(reverse("sessions:centre_session_detail", args=[session.pk])).content.decode()
    assert url in detail

    empty = staff.get(url)
    assert empty.status_code == 200
    assert 'id="planning-none"' in empty.content.decode()

    response = staff.post(url, {"action": "plan"})
    assert response.status_code == 302
    page = staff.get(url).content.decode()
    table = re.search(r'<table id="planning-2026-05-04".*?</table>', page, re.S)
    assert table is not None
    rows = re.findall(r"<tr data-slot=", table.group(0))
    assert len(rows) == 12
    assert str(session.registrations.order_by("pk")[0].candidate) in table.group(0)
    assert "Entretien final" in table.group(0)
    assert 'tabindex="0"' in page
    assert 'id="planning-figures"' in page
    assert "style=" not in page.split("<main", 1)[-1]


def test_an_impossible_planning_is_explained_on_the_page(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w, members=1)
    staff = login_as(client, w.staff)
    response = staff.post(reverse("sessions:centre_session_planning", args=[session.pk]), {"action": "plan"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-refusal="timetable_too_few_free_jurors"' in page
    assert "R-63" in page
    assert not Timetable.objects.filter(session=session).exists()


def test_a_part_is_moved_from_the_page_and_a_clash_is_refused(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    staff = login_as(client, w.staff)
    url = reverse("sessions:centre_session_planning", args=[session.pk])
    staff.post(url, {"action": "plan"})
    slots = TimetableSlot.objects.filter(timetable__session=session, label="Entretien technique").order_by("starts_at")
    mine, theirs = slots
    zone = timetable.local_zone()
    target = mine.starts_at.astimezone(zone)
    response = staff.post(
        url,
        {
            "action": "move",
            "slot": theirs.pk,
            f"s{theirs.pk}-day": target.date().isoformat(),
            f"s{theirs.pk}-start": target.strftime("%H:%M"),
        },
    )
    assert response.status_code == 400
    assert "serait à deux endroits" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.starts_at != mine.starts_at

    # The last part of the day moved 5 minutes later, if the session's closing allows it.
    last = TimetableSlot.objects.filter(timetable__session=session).order_by("-ends_at")[0]
    later = (last.starts_at + datetime.timedelta(minutes=5)).astimezone(zone)
    moved = staff.post(
        url,
        {
            "action": "move",
            "slot": last.pk,
            f"s{last.pk}-day": later.date().isoformat(),
            f"s{last.pk}-start": later.strftime("%H:%M"),
        },
    )
    assert moved.status_code == 302
    last.refresh_from_db()
    assert last.starts_at == later


def test_workstations_and_lunch_are_saved_and_checked(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    staff = login_as(client, w.staff)
    url = reverse("sessions:centre_session_planning", args=[session.pk])
    short = staff.post(
        url, {"action": "resources", "workstations": 3, "lunch_starts_at": "12:00", "lunch_ends_at": "12:30"}
    )
    assert short.status_code == 400
    assert "45 minutes" in short.content.decode()
    saved = staff.post(
        url, {"action": "resources", "workstations": 3, "lunch_starts_at": "12:15", "lunch_ends_at": "13:15"}
    )
    assert saved.status_code == 302
    session = ExamSession.objects.get(pk=session.pk)
    assert (session.workstations, session.lunch_starts_at) == (3, datetime.time(12, 15))


def test_another_centre_gets_a_404(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    other = make_tssr_world()
    response = login_as(client, other.staff).post(
        reverse("sessions:centre_session_planning", args=[session.pk]), {"action": "plan"}
    )
    assert response.status_code == 404
