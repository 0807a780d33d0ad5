"""The authority agent's session pages: the list and its filters, one session, the annulment (R-81), the
yearly programmes of the centres (R-40)."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import (
    agent_of,
    centre_staff,
    current_fictional_version,
    make_accommodation,
    make_approval,
    make_centre,
    today,
)
from tests.helpers import login_as
from tests.session_world import World, make_world

from titrepro.audit.models import AuditEntry
from titrepro.sessions import services
from titrepro.sessions.models import ExamSession
from titrepro.sessions.views import authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def agent(client: Client, world: World) -> Client:
    return login_as(client, world.agent)


def numbers(response: object) -> list[str]:
    return [session.number for session in response.context["page"]]  # type: ignore[attr-defined]


def elsewhere() -> ExamSession:
    """A session of a centre of another authority."""
    centre = make_centre()
    make_approval(centre=centre, version=current_fictional_version())
    first = today() + datetime.timedelta(days=60)
    return services.create_session(
        centre_staff(centre),
        centre,
        kind="title",
        version=current_fictional_version(),
        first_day=first,
        last_day=first,
        site_address="Ailleurs",
        capacity=5,
    )


# The list -------------------------------------------------------------------------------------------


def test_the_list_shows_the_sessions_of_the_agents_départements_only(agent: Client, world: World) -> None:
    ours = world.ready()
    theirs = elsewhere()
    response = agent.get(reverse("sessions:authority_session_list"))
    assert response.status_code == 200
    assert numbers(response) == [ours.number]
    assert theirs.number not in response.content.decode()
    row = response.context["page"][0]
    assert (row.registered, row.jury_accepted, row.capacity) == (2, 2, 12)


def test_the_list_filters_by_status_centre_title_and_dates(agent: Client, world: World) -> None:
    declared = world.ready()
    draft = world.draft(ahead=90)
    later = world.draft(ahead=120)
    url = reverse("sessions:authority_session_list")
    assert numbers(agent.get(url, {"statut": "declared"})) == [declared.number]
    assert set(numbers(agent.get(url, {"statut": "draft"}))) == {draft.number, later.number}
    assert set(numbers(agent.get(url, {"centre": world.centre.pk}))) == {declared.number, draft.number, later.number}
    code = world.approval.version.title.code
    assert len(numbers(agent.get(url, {"titre": code}))) == 3
    assert len(numbers(agent.get(url, {"titre": "TP-00000"}))) == 3  # not a title of the list: dropped
    window = {"du": draft.first_day.isoformat(), "au": (later.first_day - datetime.timedelta(days=1)).isoformat()}
    assert numbers(agent.get(url, window)) == [draft.number]
    # A bad value is dropped, the other filters still apply.
    assert numbers(agent.get(url, {"statut": "nonsense", "au": declared.first_day.isoformat()})) == [declared.number]


def test_pagination_keeps_the_filters(agent: Client, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(authority, "PER_PAGE", 2)
    for ahead in (70, 80, 90):
        world.draft(ahead=ahead)
    world.ready()  # declared: filtered out
    url = reverse("sessions:authority_session_list")
    first = agent.get(url, {"statut": "draft"})
    assert first.context["page"].paginator.count == 3
    links = re.findall(r'href="(\?page=\d+[^"]*)"', first.content.decode())
    assert links == ["?page=2&amp;statut=draft"]
    second = agent.get(url, {"statut": "draft", "page": "2"})
    assert len(numbers(second)) == 1
    assert "?page=1&amp;statut=draft" in second.content.decode()


def test_the_list_refuses_centre_staff(client: Client, world: World) -> None:
    login_as(client, world.staff)
    assert client.get(reverse("sessions:authority_session_list")).status_code == 403


# One session ----------------------------------------------------------------------------------------


def test_the_detail_shows_registrations_jury_and_history(agent: Client, world: World) -> None:
    candidate = world.candidate()
    make_accommodation(candidate=candidate, granted=True)
    session = world.ready()
    services.register(world.staff, session, candidate)
    response = agent.get(reverse("sessions:authority_session_detail", args=[session.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert candidate.birth_date.strftime("%d/%m/%Y") in page
    registrations = response.context["registrations"]
    assert len(registrations) == 3
    assert [r.accommodations.count() for r in registrations if r.candidate_id == candidate.pk] == [1]
    assert {a.status for a in response.context["jury"]} == {"accepted"}
    assert response.context["annul"].allowed
    assert reverse("sessions:authority_session_annul", args=[session.pk]) in page
    actions = [row["entry"].action for row in response.context["history"]]
    assert actions[:2] == ["session.created", "session.declared"]
    assert {"registration.created", "jury.invited", "jury.accepted"} <= set(actions)


def test_a_draft_session_offers_no_annulment(agent: Client, world: World) -> None:
    session = world.draft()
    response = agent.get(reverse("sessions:authority_session_detail", args=[session.pk]))
    assert response.context["annul"] is None
    assert reverse("sessions:authority_session_annul", args=[session.pk]) not in response.content.decode()


def test_another_authoritys_session_is_not_found(agent: Client) -> None:
    theirs = elsewhere()
    assert agent.get(reverse("sessions:authority_session_detail", args=[theirs.pk])).status_code == 404
    assert agent.get(reverse("sessions:authority_session_annul", args=[theirs.pk])).status_code == 404


# The annulment (R-81) -------------------------------------------------------------------------------


def test_the_authority_annuls_with_a_reason(agent: Client, world: World) -> None:
    session = world.ready()
    url = reverse("sessions:authority_session_annul", args=[session.pk])
    assert agent.get(url).status_code == 200
    response = agent.post(url, {"reason": "Fraude organisée constatée lors du contrôle"})
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:authority_session_detail", args=[session.pk])
    session.refresh_from_db()
    assert (session.status, session.ended_on) == ("annulled", today())
    assert session.end_reason == "Fraude organisée constatée lors du contrôle"
    entry = AuditEntry.objects.filter(action="session.annulled", object_id=str(session.pk)).get()
    assert entry.actor == world.agent
    assert entry.reason == session.end_reason
    followed = agent.get(response["Location"])
    assert [m.level_tag for m in followed.context["messages"]] == ["success"]


def test_without_a_reason_nothing_changes(agent: Client, world: World) -> None:
    session = world.ready()
    response = agent.post(reverse("sessions:authority_session_annul", args=[session.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    assert response.context["errors"][0]["id"] == "id_reason"
    session.refresh_from_db()
    assert session.status == "declared"
    assert not AuditEntry.objects.filter(action="session.annulled").exists()


def test_a_refused_annulment_is_shown_on_the_form(agent: Client, world: World) -> None:
    session = world.draft()
    url = reverse("sessions:authority_session_annul", args=[session.pk])
    assert agent.get(url).context["unavailable"]
    response = agent.post(url, {"reason": "Erreur"})
    assert response.status_code == 400
    assert response.context["error_heading"]
    assert response.context["form"].non_field_errors()
    session.refresh_from_db()
    assert session.status == "draft"


# The programmes (R-40) ------------------------------------------------------------------------------


def test_the_programmes_compare_the_forecast_with_the_declared_sessions(agent: Client, world: World) -> None:
    session = world.ready()
    year = session.first_day.year
    version = world.approval.version
    lines = [
        services.PlannedLine("title", version, session.first_day.month, 8),
        services.PlannedLine("title", version, 11, 4),
    ]
    programme = services.save_programme(world.staff, world.centre, year, lines)
    services.send_programme(world.staff, programme)
    silent = make_centre(authority=world.centre.authority, name="Centre silencieux")
    response = agent.get(reverse("sessions:authority_programme_list"), {"annee": year})
    assert response.status_code == 200
    rows = {row["centre"].pk: row for row in response.context["rows"]}
    ours = rows[world.centre.pk]
    assert (ours["sent"], ours["sent_on"], ours["late"]) == (True, today(), today() > datetime.date(year, 1, 31))
    assert (ours["planned"], ours["expected"], ours["declared"], ours["registered"]) == (2, 12, 1, 2)
    months = {m.month: (m.planned, m.declared) for m in ours["months"]}
    assert months[session.first_day.month] == (1, 1)
    assert months[11] == (1, 0 if session.first_day.month != 11 else 1)
    quiet = rows[silent.pk]
    assert (quiet["sent"], quiet["planned"], quiet["declared"]) == (False, 0, 0)
    assert quiet["late"] == (today() > datetime.date(year, 1, 31))


def test_the_programmes_default_to_the_current_year_and_stay_in_scope(client: Client, world: World) -> None:
    other = make_centre(name="Centre d’ailleurs")
    login_as(client, agent_of(world.centre.authority))
    response = client.get(reverse("sessions:authority_programme_list"), {"annee": "n’importe"})
    assert response.context["year"] == today().year
    assert [row["centre"].pk for row in response.context["rows"]] == [world.centre.pk]
    assert other.name not in response.content.decode()


def queries_of(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_list_and_the_detail_do_not_query_per_row(agent: Client, world: World) -> None:
    session = world.ready()
    world.ready(ahead=70)
    urls = [
        reverse("sessions:authority_session_list"),
        reverse("sessions:authority_session_detail", args=[session.pk]),
        reverse("sessions:authority_programme_list"),
    ]
    before = [queries_of(agent, url) for url in urls]
    for ahead in (80, 90, 100):
        world.ready(ahead=ahead)
    for _ in range(3):
        services.register(world.staff, session, world.candidate())
    assert [queries_of(agent, url) for url in urls] == before
