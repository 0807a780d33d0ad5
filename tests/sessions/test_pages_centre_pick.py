"""Registering candidates ticked on the centre's candidate list to a session (issue 12): the list's form,
the page that offers the sessions still taking registrations, and the outcome of each candidate."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import (
    agent_of,
    centre_staff,
    current_fictional_version,
    make_approval,
    make_candidate,
    make_centre,
    make_pathway,
)
from tests.helpers import login_as
from tests.session_world import World, make_world

from titrepro.candidates.models import Candidate
from titrepro.sessions import services
from titrepro.sessions.models import ExamSession, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def staff(client: Client, world: World) -> Client:
    return login_as(client, world.staff)


def pick_url(*candidates: Candidate | str) -> str:
    values = [c if isinstance(c, str) else c.pk for c in candidates]
    return f"{reverse('sessions:centre_registration_pick')}?{urlencode({'candidat': values}, doseq=True)}"


def other_world() -> World:
    """Another centre, with its staff, approved for the same title version."""
    centre = make_centre()
    approval = make_approval(centre=centre, version=current_fictional_version())
    return World(centre=centre, approval=approval, staff=centre_staff(centre), agent=agent_of(centre.authority))


def test_the_candidate_list_has_a_checkbox_per_candidate_and_the_button(staff: Client, world: World) -> None:
    first, second = world.candidate(), world.candidate()
    page = staff.get(reverse("spaces:centre_candidate_list")).content.decode()
    assert f'<form method="get" action="{reverse("sessions:centre_registration_pick")}" id="candidate-selection">' in (
        page
    )
    for candidate in (first, second):
        box = f'<input type="checkbox" name="candidat" value="{candidate.pk}" id="select-{candidate.pk}">'
        assert box in page
        assert f'<label class="fr-label" for="select-{candidate.pk}">' in page  # DSFR draws the box on the label
    assert "Inscrire les candidats sélectionnés à une session" in page  # the action's label, in French


def test_the_page_offers_only_the_sessions_open_to_registrations(staff: Client, world: World) -> None:
    candidate = world.candidate()
    draft = world.draft()
    declared = services.declare_session(world.staff, world.draft(ahead=70))
    cancelled = services.cancel_session(world.staff, world.draft(ahead=80), reason="Salle indisponible")
    theirs = other_world().draft()
    response = staff.get(pick_url(candidate))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="picked-candidates"' in page
    assert str(candidate) in page
    for session in (draft, declared):
        assert f'<option value="{session.pk}">' in page
    for session in (cancelled, theirs):
        assert f'value="{session.pk}"' not in page
        assert session.number not in page


def test_posting_registers_the_eligible_and_lists_the_refused_with_their_reason(staff: Client, world: World) -> None:
    session = world.draft(capacity=1)
    first, second = world.candidate(birth_name="AARON"), world.candidate(birth_name="ZOLA")
    response = staff.post(pick_url(first, second), {"session": session.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="registration-outcomes"' in page
    assert str(second) in page
    assert "La session est complète : 1 places, toutes prises." in page  # the rule's reason, in French
    assert list(Registration.objects.filter(session=session).values_list("candidate", flat=True)) == [first.pk]


def test_when_every_candidate_is_registered_the_session_page_follows(staff: Client, world: World) -> None:
    session = world.draft()
    candidates = [world.candidate(), world.candidate()]
    response = staff.post(pick_url(*candidates), {"session": session.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:centre_session_detail", args=[session.pk])
    assert Registration.objects.filter(session=session, status="registered").count() == 2


@pytest.mark.parametrize("query", [[], ["abc"], ["-1"], ["99999999999999999999999"], ["\uff11"], [""]])
def test_no_candidate_selected_is_said_without_an_error(staff: Client, world: World, query: list[str]) -> None:
    session = world.draft()
    for response in (staff.get(pick_url(*query)), staff.post(pick_url(*query), {"session": session.pk})):
        assert response.status_code == 200
        assert 'id="nothing-picked"' in response.content.decode()
    assert not Registration.objects.exists()


def test_another_centres_candidates_are_dropped(staff: Client, world: World) -> None:
    ours = world.candidate()
    stranger = make_candidate(birth_name="ETRANGER")
    make_pathway(candidate=stranger)
    session = world.draft()
    page = staff.get(pick_url(ours, stranger)).content.decode()
    assert str(ours) in page
    assert "ETRANGER" not in page
    response = staff.post(pick_url(ours, stranger), {"session": session.pk})
    assert response.status_code == 302
    assert list(Registration.objects.values_list("candidate", flat=True)) == [ours.pk]


def test_a_session_that_is_not_the_users_is_404_and_nothing_is_written(staff: Client, world: World) -> None:
    candidate = world.candidate()
    theirs = other_world().draft()
    assert staff.post(pick_url(candidate), {"session": theirs.pk}).status_code == 404
    assert staff.post(pick_url(candidate), {"session": 10**9}).status_code == 404
    assert not Registration.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "99999999999999999999999"])
def test_a_malformed_session_is_a_form_error(staff: Client, world: World, value: str) -> None:
    candidate = world.candidate()
    world.draft()
    response = staff.post(pick_url(candidate), {"session": value})
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_a_session_no_longer_open_is_a_form_error(staff: Client, world: World) -> None:
    candidate = world.candidate()
    world.draft()
    closed = services.cancel_session(world.staff, world.draft(ahead=80), reason="Salle indisponible")
    response = staff.post(pick_url(candidate), {"session": closed.pk})
    assert response.status_code == 400
    assert not Registration.objects.exists()
    assert ExamSession.objects.get(pk=closed.pk).status == "cancelled"


def test_without_an_open_session_the_page_says_so(staff: Client, world: World) -> None:
    candidate = world.candidate()
    page = staff.get(pick_url(candidate)).content.decode()
    assert 'id="no-open-session"' in page
    assert "<select" not in page
