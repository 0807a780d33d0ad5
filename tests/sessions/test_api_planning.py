"""What /api/v1/sessions/{id}/planning answers: the planning computed and read as each reader may see it, an
impossible planning named in French (422, the previous one kept), the resources saved and checked, a move
that puts a jury member in two places refused (R-63) and a valid one saved."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from tests.factories import user_with_role
from tests.session_world import TSSR_REPLAYED_DAY, make_tssr_world
from tests.sessions.test_api import Api
from tests.sessions.test_timetable import slot_of, tssr_session

from titrepro.accounts.models import RoleKind
from titrepro.core import dating
from titrepro.sessions import services, timetable
from titrepro.sessions.models import Timetable, TimetableSlot

pytestmark = pytest.mark.django_db


def test_staff_compute_the_planning_and_each_reader_gets_their_part(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w, candidates=2, members=3)
    staff = Api(client, w.staff)
    missing = staff.get("sessions_planning", session.pk).json()
    assert (missing["code"], missing["message"]) == ("timetable_not_found", "Cette session n’a pas encore de planning.")

    with dating.replaying(TSSR_REPLAYED_DAY):
        computed = staff.post("sessions_planning_compute", session.pk)
    assert computed.status_code == 200, computed.content
    body = computed.json()
    saved = Timetable.objects.get(session=session)
    assert body["status"] == saved.status
    assert body["end_minute"] == saved.end_minute
    assert len(body["slots"]) == saved.slots.count() == 12  # six parts for each of the two candidates
    first = TimetableSlot.objects.get(pk=body["slots"][0]["id"])
    assert datetime.datetime.fromisoformat(body["slots"][0]["starts_at"]) == first.starts_at
    read = staff.get("sessions_planning", session.pk).json()
    assert read["slots"] == body["slots"]

    # A jury member gets the parts they sit; a candidate their own, without the jury's names.
    member = next(a for a in session.jury.order_by("pk") if a.slots.exists())
    mine = Api(client, w.user_of(member.member)).get("sessions_planning", session.pk).json()["slots"]
    assert {s["id"] for s in mine} == set(member.slots.values_list("pk", flat=True))
    assert all(member.pk in [j["assignment_id"] for j in s["jurors"]] for s in mine)
    registration = session.registrations.order_by("pk")[0]
    candidate = user_with_role(RoleKind.CANDIDATE, candidate=registration.candidate)
    own = Api(client, candidate).get("sessions_planning", session.pk).json()["slots"]
    assert {s["registration_id"] for s in own} == {registration.pk}
    assert len(own) == 6
    assert all(s["jurors"] is None for s in own)


def test_an_impossible_planning_is_named_in_french_and_the_previous_one_stays(
    builtin_catalogue: Any, client: Client
) -> None:
    w = make_tssr_world()
    session = tssr_session(w, candidates=2, members=2)
    staff = Api(client, w.staff)
    with dating.replaying(TSSR_REPLAYED_DAY):
        assert staff.post("sessions_planning_compute", session.pk).status_code == 200
        before = staff.get("sessions_planning", session.pk).json()
        services.withdraw_member(w.staff, session.jury.order_by("-pk")[0])
        refused = staff.post("sessions_planning_compute", session.pk)
    assert refused.status_code == 422
    error = refused.json()
    assert error["code"] == "timetable_too_few_free_jurors"
    assert "R-63" in error["message"]
    assert "jury" in error["message"]
    assert staff.get("sessions_planning", session.pk).json() == before


def test_the_resources_are_saved_and_a_short_lunch_break_is_refused(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    staff = Api(client, w.staff)
    saved = staff.post(
        "sessions_planning_resources_save",
        session.pk,
        body={"workstations": 6, "lunch_starts_at": "12:15", "lunch_ends_at": "13:15"},
        method="PUT",
    )
    assert saved.status_code == 200, saved.content
    assert staff.get("sessions_planning_resources", session.pk).json() == {
        "session_id": session.pk,
        "workstations": 6,
        "lunch_starts_at": "12:15:00",
        "lunch_ends_at": "13:15:00",
    }
    detail = staff.get("sessions_detail", session.pk).json()
    assert (detail["workstations"], detail["lunch_starts_at"]) == (6, "12:15:00")
    short = staff.post(
        "sessions_planning_resources_save",
        session.pk,
        body={"workstations": 6, "lunch_starts_at": "12:00", "lunch_ends_at": "12:30"},
        method="PUT",
    )
    assert short.status_code == 422
    assert "45" in short.json()["message"]
    session.refresh_from_db()
    assert (session.workstations, session.lunch_starts_at) == (6, datetime.time(12, 15))


def test_a_move_putting_a_jury_member_in_two_places_is_refused_and_a_valid_one_saved(
    builtin_catalogue: Any, client: Client
) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    staff = Api(client, w.staff)
    with dating.replaying(TSSR_REPLAYED_DAY):
        assert staff.post("sessions_planning_compute", session.pk).status_code == 200
    mine = slot_of(session, 0, "Entretien technique")
    theirs = slot_of(session, 1, "Entretien technique")
    before = (theirs.starts_at, theirs.ends_at)

    clash = staff.post("sessions_planning_slot_move", theirs.pk, body={"start": mine.starts_at.isoformat()})

    assert clash.status_code == 422
    assert clash.json()["code"] == "timetable_juror_twice"
    assert "timetable_juror_twice" in clash.json()["reasons"]
    assert "deux endroits" in clash.json()["message"]
    theirs.refresh_from_db()
    assert (theirs.starts_at, theirs.ends_at) == before

    # The last part of the day, ten minutes later, given in the site's local time without a zone.
    last = TimetableSlot.objects.filter(timetable__session=session).order_by("-ends_at")[0]
    local = (last.starts_at + datetime.timedelta(minutes=10)).astimezone(timetable.local_zone())
    moved = staff.post(
        "sessions_planning_slot_move",
        last.pk,
        body={"start": local.replace(tzinfo=None).isoformat(), "accept_warning": True},
    )
    assert moved.status_code == 200, moved.content
    assert datetime.datetime.fromisoformat(moved.json()["starts_at"]) == local
    last.refresh_from_db()
    assert last.starts_at == local
    assert Timetable.objects.get(session=session).edited


def test_a_move_naming_a_jury_member_who_did_not_accept_is_not_found(builtin_catalogue: Any, client: Client) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    other = tssr_session(make_tssr_world())
    staff = Api(client, w.staff)
    with dating.replaying(TSSR_REPLAYED_DAY):
        assert staff.post("sessions_planning_compute", session.pk).status_code == 200
    slot = slot_of(session, 0, "Entretien technique")
    stranger = other.jury.order_by("pk")[0]
    answer = staff.post(
        "sessions_planning_slot_move",
        slot.pk,
        body={"start": slot.starts_at.isoformat(), "jurors": [stranger.pk]},
    )
    assert answer.status_code == 404
    assert answer.json()["code"] == "jury_assignment_not_found"
    assert answer.json()["field"] == "jurors.0"
