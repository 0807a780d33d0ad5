"""The candidate's session page: their registrations (accommodations, attendance) and convocations, never another's."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from tests.factories import make_accommodation, user_with_role
from tests.helpers import login_as
from tests.session_world import World, make_world
from tests.sessions.test_pages_authority import queries_of

from titrepro.accounts.models import RoleKind
from titrepro.candidates.models import Candidate
from titrepro.sessions import services
from titrepro.sessions.models import Convocation, Registration

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture
def world() -> World:
    return make_world()


def learner(candidate: Candidate) -> object:
    return user_with_role(RoleKind.CANDIDATE, candidate=candidate)


def sent_convocation(registration: Registration, *, rendered: bool = True) -> Convocation:
    convocation = Convocation.objects.create(session=registration.session, registration=registration, status="sent")
    if rendered:
        convocation.pdf.save("c.pdf", ContentFile(PDF))
    return convocation


def test_a_candidate_sees_their_sessions_and_not_anothers(client: Client, world: World) -> None:
    mine = world.candidate()
    make_accommodation(candidate=mine, granted=True)
    session = services.declare_session(world.staff, world.draft())
    registration = services.register(world.staff, session, mine)
    other_session = world.ready(ahead=90)  # two other candidates
    login_as(client, learner(mine))
    response = client.get(reverse("sessions:candidate_session_list"))
    assert response.status_code == 200
    assert [r.pk for r in response.context["registrations"]] == [registration.pk]
    assert response.context["registrations"][0].accommodations.count() == 1
    page = response.content.decode()
    assert session.number in page
    assert other_session.number not in page
    for other in other_session.registrations.select_related("candidate"):
        assert other.candidate.birth_name not in page


def test_a_candidate_downloads_their_convocation_only(client: Client, world: World) -> None:
    session = world.ready()
    first, second = list(session.registrations.order_by("pk"))
    mine = sent_convocation(first)
    theirs = sent_convocation(second)
    waiting = Convocation.objects.create(session=session, registration=first, status="queued")
    login_as(client, learner(first.candidate))
    listed = client.get(reverse("sessions:candidate_session_list")).context["convocations"]
    assert [c.pk for c in listed] == [mine.pk]  # sent ones only
    response = client.get(reverse("sessions:candidate_convocation_pdf", args=[mine.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert client.get(reverse("sessions:candidate_convocation_pdf", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("sessions:candidate_convocation_pdf", args=[waiting.pk])).status_code == 404


def test_a_jury_members_convocation_is_not_served_on_the_candidates_address(client: Client, world: World) -> None:
    session = world.ready()
    assignment = session.jury.get(member=world.members[-1])
    convocation = Convocation.objects.create(session=session, assignment=assignment, status="sent")
    convocation.pdf.save("c.pdf", ContentFile(PDF))
    login_as(client, world.user_of(assignment.member))
    assert client.get(reverse("sessions:candidate_convocation_pdf", args=[convocation.pk])).status_code == 403
    response = client.get(reverse("sessions:jury_convocation_pdf", args=[convocation.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]


def test_attendance_shows_once_recorded(client: Client, world: World) -> None:
    session = world.ready()
    registration = session.registrations.order_by("pk")[0]
    Registration.objects.filter(pk=registration.pk).update(attendance="present")
    login_as(client, learner(registration.candidate))
    shown = client.get(reverse("sessions:candidate_session_list")).context["registrations"]
    assert [r.get_attendance_display() for r in shown] == [Registration(attendance="present").get_attendance_display()]


def test_the_candidate_page_does_not_query_per_row(client: Client, world: World) -> None:
    mine = world.candidate()
    make_accommodation(candidate=mine, granted=True)
    first = services.register(world.staff, services.declare_session(world.staff, world.draft()), mine)
    sent_convocation(first)
    login_as(client, learner(mine))
    url = reverse("sessions:candidate_session_list")
    before = queries_of(client, url)
    for ahead in (90, 120, 150):
        later = services.register(world.staff, services.declare_session(world.staff, world.draft(ahead=ahead)), mine)
        sent_convocation(later)
    assert queries_of(client, url) == before
