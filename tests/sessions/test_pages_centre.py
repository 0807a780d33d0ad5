"""The centre's session pages: create, declare, register, invite, convene, the session day, the programme."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import make_candidate, today
from tests.helpers import login_as
from tests.session_world import World, make_world

from titrepro.core.dating import replaying
from titrepro.sessions import services
from titrepro.sessions.models import ExamSession, Programme, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def staff(client: Client, world: World) -> Client:
    return login_as(client, world.staff)


def test_a_session_is_created_from_the_form(staff: Client, world: World) -> None:
    first = world.first_day()
    response = staff.post(
        reverse("sessions:centre_session_new"),
        {
            "centre": world.centre.pk,
            "kind": "title",
            "version": world.approval.version.pk,
            "site_address": "1 rue de l’Exemple",
            "first_day": first.isoformat(),
            "last_day": (first + datetime.timedelta(days=1)).isoformat(),
            "opens_at": "08:30",
            "closes_at": "17:00",
            "capacity": "8",
        },
    )
    session = ExamSession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:centre_session_detail", args=[session.pk])
    assert (session.status, session.capacity, session.closes_at) == ("draft", 8, datetime.time(17, 0))
    page = staff.get(response["Location"])
    assert page.status_code == 200
    assert session.number in page.content.decode()


def test_a_session_outside_the_approval_is_refused_on_the_form(staff: Client, world: World) -> None:
    world.approval.valid_until = world.first_day()
    world.approval.save()
    first = world.first_day() + datetime.timedelta(days=1)
    response = staff.post(
        reverse("sessions:centre_session_new"),
        {
            "centre": world.centre.pk,
            "kind": "title",
            "version": world.approval.version.pk,
            "site_address": "x",
            "first_day": first.isoformat(),
            "last_day": first.isoformat(),
            "opens_at": "08:30",
            "closes_at": "17:00",
            "capacity": "8",
        },
    )
    assert response.status_code == 400
    assert "R-30" in response.content.decode()
    assert not ExamSession.objects.exists()


def test_the_page_says_why_the_convocations_cannot_be_sent_yet(staff: Client, world: World) -> None:
    session = services.declare_session(world.staff, world.draft())
    services.register(world.staff, session, world.candidate())
    page = staff.get(reverse("sessions:centre_session_detail", args=[session.pk])).content.decode()
    assert 'data-refusal="jury_too_small"' in page
    assert reverse("sessions:centre_session_move", args=[session.pk, "convene"]) not in page


def test_declare_by_the_confirmation_page(staff: Client, world: World) -> None:
    session = world.draft()
    url = reverse("sessions:centre_session_move", args=[session.pk, "declare"])
    assert staff.get(url).status_code == 200
    assert staff.post(url).status_code == 302
    session.refresh_from_db()
    assert session.status == "declared"
    assert staff.get(reverse("sessions:centre_session_move", args=[session.pk, "fly"])).status_code == 404


def test_cancel_needs_a_reason(staff: Client, world: World) -> None:
    session = world.draft()
    url = reverse("sessions:centre_session_move", args=[session.pk, "cancel"])
    assert staff.post(url, {"reason": ""}).status_code == 400
    session.refresh_from_db()
    assert session.status == "draft"
    assert staff.post(url, {"reason": "Salle indisponible"}).status_code == 302
    session.refresh_from_db()
    assert session.status == "cancelled"


def test_register_one_then_several_with_the_refusals_listed(staff: Client, world: World) -> None:
    session = world.draft(capacity=2)
    first = world.candidate()
    response = staff.post(reverse("sessions:centre_registration_add", args=[session.pk]), {"candidate": first.pk})
    assert response.status_code == 302
    others = [world.candidate(), world.candidate()]
    page = staff.post(
        reverse("sessions:centre_registration_many", args=[session.pk]), {"candidates": [c.pk for c in others]}
    )
    assert page.status_code == 200
    assert 'id="registration-outcomes"' in page.content.decode()
    assert Registration.objects.filter(session=session).count() == 2


def test_a_candidate_of_another_centre_is_not_offered(staff: Client, world: World) -> None:
    session = world.draft()
    stranger = make_candidate()
    response = staff.post(reverse("sessions:centre_registration_add", args=[session.pk]), {"candidate": stranger.pk})
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_invite_from_the_page(staff: Client, world: World) -> None:
    session = world.draft()
    member = world.member()
    response = staff.post(reverse("sessions:centre_jury_invite", args=[session.pk]), {"member": member.pk})
    assert response.status_code == 302
    assert session.jury.get().member == member


def test_attendance_on_the_session_day(staff: Client, world: World) -> None:
    session = services.convene(world.staff, world.ready())
    registration = session.registrations.first()
    assert registration is not None
    url = reverse("sessions:centre_session_day", args=[session.pk])
    with replaying(session.first_day):
        response = staff.post(
            url,
            {
                "registration": registration.pk,
                f"r{registration.pk}-attendance": "late",
                f"r{registration.pk}-arrived_at": "09:05",
                f"r{registration.pk}-portfolio_handed_in": "on",
            },
        )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert (registration.attendance, registration.arrived_at, registration.portfolio_handed_in) == (
        "late",
        datetime.time(9, 5),
        True,
    )
    before = staff.post(url, {"registration": registration.pk, f"r{registration.pk}-attendance": "absent"})
    assert before.status_code == 400  # today is before the first day


def test_the_programme_is_saved_then_sent(staff: Client, world: World) -> None:
    year = today().year + 1
    url = reverse("sessions:centre_programme", args=[year])
    assert staff.get(url).status_code == 200
    data = {
        "centre": world.centre.pk,
        "save": "1",
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-kind": "title",
        "form-0-version": world.approval.version.pk,
        "form-0-month": "3",
        "form-0-expected_candidates": "12",
    }
    assert staff.post(url, data).status_code == 302
    programme = Programme.objects.get()
    assert list(programme.planned.values_list("month", "expected_candidates")) == [(3, 12)]
    assert staff.post(url, {"centre": world.centre.pk, "send": "1"}).status_code == 302
    programme.refresh_from_db()
    assert (programme.status, programme.sent_on) == ("sent", today())
    assert 'id="programme-sent"' in staff.get(url).content.decode()
