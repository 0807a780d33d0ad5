"""The jury member's pages: invitations, the answer, personal links with a candidate (R-64), the convocation,
the calendar feed behind a secret address."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader
from tests.factories import make_experience, today
from tests.helpers import login_as
from tests.session_world import World, make_world
from tests.sessions.test_pages_authority import queries_of

from titrepro.audit.models import AuditEntry
from titrepro.core.dating import document_date
from titrepro.rules.sessions import leave_request_deadline
from titrepro.sessions import services
from titrepro.sessions.models import CalendarFeed, ConflictDeclaration, Convocation, ExamSession, JuryAssignment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def invited(world: World, session: ExamSession | None = None) -> tuple[JuryAssignment, Any]:
    """A declared session with one candidate, our member invited (no answer yet); the member's user."""
    if session is None:
        session = services.declare_session(world.staff, world.draft())
        services.register(world.staff, session, world.candidate())
    member = world.member()
    return services.invite_member(world.staff, session, member), world.user_of(member)


def detail(pk: int) -> str:
    return reverse("sessions:jury_invitation_detail", args=[pk])


def answer(pk: int) -> str:
    return reverse("sessions:jury_invitation_answer", args=[pk])


# Invitations ----------------------------------------------------------------------------------------


def test_the_list_puts_the_invitations_to_answer_first(client: Client, world: World) -> None:
    assignment, user = invited(world)
    later = services.declare_session(world.staff, world.draft(ahead=90))
    accepted = services.invite_member(world.staff, later, assignment.member)
    services.answer_invitation(user, accepted, accept=True)
    login_as(client, user)
    response = client.get(reverse("sessions:jury_invitation_list"))
    assert response.status_code == 200
    assert [a.pk for a in response.context["to_answer"]] == [assignment.pk]
    assert [a.pk for a in response.context["upcoming"]] == [accepted.pk]
    assert response.context["earlier"] == []


def test_the_member_accepts(client: Client, world: World) -> None:
    assignment, user = invited(world)
    login_as(client, user)
    page = client.get(detail(assignment.pk))
    assert page.context["accept"].allowed
    assert page.context["decline"].allowed
    response = client.post(answer(assignment.pk), {"answer": "accept"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.status, assignment.answered_on) == ("accepted", today())
    again = client.get(detail(assignment.pk))
    assert again.context["accept"] is None
    assert again.context["decline"] is None
    assert answer(assignment.pk) not in again.content.decode()


def test_the_member_declines_with_a_note(client: Client, world: World) -> None:
    assignment, user = invited(world)
    login_as(client, user)
    response = client.post(answer(assignment.pk), {"answer": "decline", "note": "En congé cette semaine-là"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert (assignment.status, assignment.answer_note) == ("declined", "En congé cette semaine-là")
    page = client.get(detail(assignment.pk))
    assert page.context["candidates"] == []  # a member who declined no longer sees the candidates' names
    assert assignment.session.registrations.get().candidate.birth_name not in page.content.decode()
    assert AuditEntry.objects.filter(action="jury.declined", object_id=str(assignment.pk)).exists()


def test_an_answered_invitation_cannot_be_answered_again(client: Client, world: World) -> None:
    assignment, user = invited(world)
    services.answer_invitation(user, assignment, accept=False)
    login_as(client, user)
    response = client.post(answer(assignment.pk), {"answer": "accept"})
    assert response.status_code == 400
    assert response.context["errors"]
    assignment.refresh_from_db()
    assert assignment.status == "declined"


def test_another_member_sees_nothing(client: Client, world: World) -> None:
    assignment, _user = invited(world)
    _other, intruder = invited(world, assignment.session)
    login_as(client, intruder)
    assert client.get(detail(assignment.pk)).status_code == 404
    assert client.post(answer(assignment.pk), {"answer": "accept"}).status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "proposed"


# Personal links (R-64) ------------------------------------------------------------------------------


def test_the_member_declares_a_link_with_a_candidate(client: Client, world: World) -> None:
    assignment, user = invited(world)
    registration = assignment.session.registrations.get()
    login_as(client, user)
    page = client.get(detail(assignment.pk))
    assert [(row["registration"].pk, row["declared"]) for row in page.context["candidates"]] == [
        (registration.pk, False)
    ]
    url = reverse("sessions:jury_conflict_declare", args=[assignment.pk])
    response = client.post(url, {"registration": registration.pk, "note": "Ancien collègue"})
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.assignment, declaration.registration, declaration.note) == (
        assignment,
        registration,
        "Ancien collègue",
    )
    after = client.get(detail(assignment.pk))
    assert after.context["candidates"][0]["declared"]
    assert 'data-declared="1"' in after.content.decode()
    assert AuditEntry.objects.filter(action="jury.conflict_declared").count() == 1


def test_a_candidate_of_another_session_is_not_found(client: Client, world: World) -> None:
    assignment, user = invited(world)
    other = services.declare_session(world.staff, world.draft(ahead=90))
    stranger = services.register(world.staff, other, world.candidate())
    login_as(client, user)
    url = reverse("sessions:jury_conflict_declare", args=[assignment.pk])
    assert client.post(url, {"registration": stranger.pk}).status_code == 404
    assert not ConflictDeclaration.objects.exists()


# Convocations ---------------------------------------------------------------------------------------


def test_the_convocation_pdf_once_rendered(client: Client, world: World) -> None:
    assignment, user = invited(world)
    convocation = Convocation.objects.create(session=assignment.session, assignment=assignment, status="sent")
    url = reverse("sessions:jury_convocation_pdf", args=[convocation.pk])
    login_as(client, user)
    assert client.get(url).status_code == 404  # not rendered yet
    convocation.pdf.save("c.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content) == b"%PDF-1.7\n%%EOF\n"  # type: ignore[attr-defined]
    assert [c.pk for c in client.get(detail(assignment.pk)).context["convocations"]] == [convocation.pk]
    _other, intruder = invited(world, assignment.session)
    login_as(client, intruder)
    assert client.get(url).status_code == 404


# The calendar feed ----------------------------------------------------------------------------------


def feed_url(token: str) -> str:
    return reverse("sessions:calendar_feed", args=[token])


def make_feed(client: Client, user: Any) -> str:
    login_as(client, user)
    assert client.post(reverse("sessions:jury_calendar")).status_code == 302
    token: str = CalendarFeed.objects.get(member__in=user.roles.values("jury_member")).token
    return token


def test_the_feed_answers_the_members_sessions(client: Client, world: World) -> None:
    assignment, user = invited(world)
    accepted = services.declare_session(world.staff, world.draft(ahead=90, days=2))
    services.answer_invitation(user, services.invite_member(world.staff, accepted, assignment.member), accept=True)
    declined = services.declare_session(world.staff, world.draft(ahead=120))
    services.answer_invitation(user, services.invite_member(world.staff, declined, assignment.member), accept=False)
    _other, _other_user = invited(world, world.ready(ahead=150))
    token = make_feed(client, user)
    assert len(token) >= 40
    client.logout()
    response = client.get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    text = response.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.count("BEGIN:VEVENT") == 3  # one day invited, two days accepted
    assert assignment.session.number in text
    assert accepted.number in text
    assert declined.number not in text
    assert "STATUS:CANCELLED" not in text


def test_a_cancelled_session_is_cancelled_in_the_feed(client: Client, world: World) -> None:
    assignment, user = invited(world)
    services.cancel_session(world.staff, assignment.session, reason="Salle indisponible")
    token = make_feed(client, user)
    text = client.get(feed_url(token)).content.decode()
    assert "STATUS:CANCELLED" in text
    assert assignment.session.number in text


def test_an_unknown_token_is_not_found(client: Client, world: World) -> None:
    assert client.get(feed_url("pas-un-secret")).status_code == 404


def test_a_renewed_address_revokes_the_old_one(client: Client, world: World) -> None:
    _assignment, user = invited(world)
    old = make_feed(client, user)
    page = client.get(reverse("sessions:jury_calendar"))
    assert page.context["address"].endswith(feed_url(old))
    new = make_feed(client, user)
    assert new != old
    assert client.get(feed_url(old)).status_code == 404
    assert client.get(feed_url(new)).status_code == 200
    assert list(AuditEntry.objects.filter(action__startswith="calendar_feed.").values_list("action", flat=True)) == [
        "calendar_feed.created",
        "calendar_feed.renewed",
    ]
    assert not any(old in str(entry.data) or new in str(entry.data) for entry in AuditEntry.objects.all())


def test_the_feed_parses_as_icalendar(client: Client, world: World) -> None:
    icalendar = pytest.importorskip("icalendar")
    assignment, user = invited(world)
    token = make_feed(client, user)
    parsed = icalendar.Calendar.from_ical(client.get(feed_url(token)).content)
    events = list(parsed.walk("VEVENT"))
    assert len(events) == 1
    start = events[0].decoded("DTSTART")
    assert start.date() == assignment.session.first_day
    assert start.tzinfo is not None


def test_the_jury_pages_do_not_query_per_row(client: Client, world: World) -> None:
    assignment, user = invited(world)
    login_as(client, user)
    urls = [reverse("sessions:jury_invitation_list"), detail(assignment.pk)]
    before = [queries_of(client, url) for url in urls]
    for ahead in (90, 120, 150):
        other = services.declare_session(world.staff, world.draft(ahead=ahead))
        services.invite_member(world.staff, other, assignment.member)
    for _ in range(3):
        services.register(world.staff, assignment.session, world.candidate())
    assert [queries_of(client, url) for url in urls] == before


# The leave-of-absence request (R-66) ----------------------------------------------------------------


def test_the_leave_request_once_accepted_names_the_employer_and_the_deadline(client: Client, world: World) -> None:
    """R-66: the request is offered once the member accepted; it names their employer on the session's first
    day and the last day to hand it over (15 days before)."""
    assignment, user = invited(world)
    make_experience(
        member=assignment.member,
        employer="Ancienne Boîte",
        start=today().replace(year=2010),
        end=today().replace(year=2012),
    )
    make_experience(member=assignment.member, employer="Réseaux & Fils SARL", start=today().replace(year=2015))
    url = reverse("sessions:jury_leave_request_pdf", args=[assignment.pk])
    login_as(client, user)
    assert client.get(url).status_code == 404  # not accepted yet
    assert client.get(detail(assignment.pk)).context["leave_by"] is None
    services.answer_invitation(user, assignment, accept=True)
    page = client.get(detail(assignment.pk))
    deadline = leave_request_deadline(assignment.session.first_day)
    assert page.context["leave_by"] == deadline
    assert page.context["employer"] == "Réseaux & Fils SARL"
    assert not page.context["leave_late"]
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())
    member = assignment.member
    assert f"{member.first_name} {member.last_name.upper()}" in text
    assert "Réseaux & Fils SARL" in text
    assert "Ancienne Boîte" not in text
    assert "L.3142-42" in text.replace(". ", ".")
    assert assignment.session.number in text
    assert document_date(deadline) in text


def test_the_leave_request_is_late_after_the_fifteen_days(client: Client, world: World) -> None:
    session = services.declare_session(world.staff, world.draft(ahead=40))
    services.register(world.staff, session, world.candidate())
    assignment, user = invited(world, session)
    services.answer_invitation(user, assignment, accept=True)
    ExamSession.objects.filter(pk=session.pk).update(first_day=today() + datetime.timedelta(days=10))
    JuryAssignment.objects.filter(pk=assignment.pk).update(first_day=today() + datetime.timedelta(days=10))
    login_as(client, user)
    page = client.get(detail(assignment.pk))
    assert page.context["leave_late"]
    assert b'id="leave-late"' in page.content


def test_a_declined_or_foreign_invitation_has_no_leave_request(client: Client, world: World) -> None:
    assignment, user = invited(world)
    _other, intruder = invited(world, assignment.session)
    services.answer_invitation(user, assignment, accept=False)
    url = reverse("sessions:jury_leave_request_pdf", args=[assignment.pk])
    login_as(client, user)
    assert client.get(url).status_code == 404
    login_as(client, intruder)
    assert client.get(url).status_code == 404
