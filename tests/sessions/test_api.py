"""What /api/v1/sessions answers: a session from creation to convocations, refusals with the rule's code,
token scopes, batch registrations, what each reader sees of the registrations, the session day, programmes.

The task worker never runs here (each test's transaction is rolled back): the convocations stay queued.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from tests.factories import make_candidate, make_centre, today, user_with_role
from tests.session_world import AHEAD, World, make_world

from titrepro.accounts.api_auth import issue_token
from titrepro.accounts.models import RoleKind, TokenScope
from titrepro.core.dating import replaying
from titrepro.sessions import services
from titrepro.sessions.models import Convocation, ExamSession, Programme, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


class Api:
    """Calls with one user's bearer token."""

    def __init__(self, client: Client, user: Any, scope: str = TokenScope.FULL) -> None:
        self.client = client
        self.headers = {"Authorization": f"Bearer {issue_token(user, 'tests', scope=scope)[1]}"}

    def get(self, name: str, *args: Any, **query: Any) -> Any:
        return self.client.get(reverse(f"api:{name}", args=args), query, headers=self.headers)

    def post(self, name: str, *args: Any, body: dict[str, Any] | None = None, method: str = "POST") -> Any:
        return self.client.generic(
            method,
            reverse(f"api:{name}", args=args),
            json.dumps(body or {}),
            content_type="application/json",
            headers=self.headers,
        )


def session_body(world: World, **fields: Any) -> dict[str, Any]:
    first = world.first_day()
    version = world.approval.version
    return {
        "centre_id": world.centre.pk,
        "kind": "title",
        "title": version.title.code,
        "version": version.label,
        "site_address": "1 rue de l’Exemple, 69000 Lyon",
        "first_day": first.isoformat(),
        "last_day": (first + datetime.timedelta(days=1)).isoformat(),
        "opens_at": "08:00",
        "closes_at": "17:00",
        "capacity": 10,
        **fields,
    }


def moves(answer: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    return {move["move"]: (move["allowed"], move["code"]) for move in answer["moves"]}


def candidate_user(candidate: Any) -> Any:
    return user_with_role(RoleKind.CANDIDATE, username=f"candidate-{candidate.pk}", candidate=candidate)


# From creation to convocations --------------------------------------------------------------------


def test_a_session_from_creation_to_convocations_with_a_full_token(client: Client, world: World) -> None:
    staff = Api(client, world.staff)
    created = staff.post("sessions_create", body=session_body(world))
    assert created.status_code == 201, created.content
    session = created.json()
    assert (session["status"], session["title"], session["version"]) == ("draft", "TP-99901", "2025")
    assert (session["opens_at"], session["capacity"], session["registrations"]) == ("08:00:00", 10, [])
    assert moves(session) == {"declare": (True, ""), "cancel": (True, "")}

    declared = staff.post("sessions_declare", session["id"])
    assert declared.status_code == 200, declared.content
    assert declared.json()["status"] == "declared"
    assert declared.json()["declared_on"] == today().isoformat()
    assert moves(declared.json())["convene"] == (False, "session_without_candidates")
    assert moves(declared.json())["annul"] == (False, "forbidden")  # the authority's move, not the centre's

    first, second = world.candidate(), world.candidate()
    one = staff.post("sessions_register", session["id"], body={"candidate_id": first.pk})
    assert one.status_code == 201, one.content
    assert (one.json()["candidate_id"], one.json()["status"]) == (first.pk, "registered")
    batch = staff.post("sessions_register_batch", session["id"], body={"candidate_ids": [second.pk]})
    assert batch.json()["registered"] == 1

    for _ in range(2):
        member = world.member()
        invited = staff.post("sessions_jury_invite", session["id"], body={"member_id": member.pk})
        assert invited.status_code == 201, invited.content
        assert invited.json()["status"] == "proposed"
        accepted = Api(client, world.user_of(member)).post("sessions_jury_accept", invited.json()["id"])
        assert accepted.status_code == 200, accepted.content
        assert accepted.json()["status"] == "accepted"

    convened = staff.post("sessions_convene", session["id"])
    assert convened.status_code == 200, convened.content
    assert convened.json()["status"] == "convened"
    assert (convened.json()["registered"], convened.json()["jury_accepted"]) == (2, 2)
    assert moves(convened.json())["hold"] == (False, "session_not_started")
    convocations = staff.get("sessions_convocation_list", session["id"]).json()
    assert sorted(c["addressee"] for c in convocations) == ["candidate", "candidate", "jury", "jury"]
    assert {(c["status"], c["attempts"], c["rendered"]) for c in convocations} == {("queued", 0, False)}

    listed = staff.get("sessions_list", status="convened").json()
    assert [item["id"] for item in listed["items"]] == [session["id"]]
    assert listed["items"][0]["registered"] == 2
    assert staff.get("sessions_list", status="draft").json() == {"items": [], "count": 0}


def test_a_refused_move_answers_422_with_the_rules_code(client: Client, world: World) -> None:
    staff = Api(client, world.staff)
    draft = world.draft()
    refused = staff.post("sessions_convene", draft.pk)
    assert refused.status_code == 422
    body = refused.json()
    assert (body["code"], body["reasons"]) == ("session_not_declared", ["session_not_declared"])
    assert body["message"]
    services.declare_session(world.staff, draft)
    assert staff.post("sessions_convene", draft.pk).json()["code"] == "session_without_candidates"
    assert staff.post("sessions_cancel", draft.pk, body={"reason": ""}).status_code == 422  # a reason is required
    assert ExamSession.objects.get(pk=draft.pk).status == "declared"


def test_the_authority_annuls_and_the_centre_may_not(client: Client, world: World) -> None:
    session = services.declare_session(world.staff, world.draft())
    refused = Api(client, world.staff).post("sessions_annul", session.pk, body={"reason": "Irrégularité"})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")
    annulled = Api(client, world.agent).post("sessions_annul", session.pk, body={"reason": "Irrégularité"})
    assert annulled.status_code == 200, annulled.content
    assert (annulled.json()["status"], annulled.json()["end_reason"]) == ("annulled", "Irrégularité")


def test_a_read_token_cannot_write(client: Client, world: World) -> None:
    session = world.draft()
    reader = Api(client, world.staff, scope=TokenScope.READ)
    assert reader.get("sessions_detail", session.pk).status_code == 200
    for name, body in [("sessions_declare", None), ("sessions_cancel", {"reason": "Plus de salle"})]:
        refused = reader.post(name, session.pk, body=body)
        assert (refused.status_code, refused.json()["code"]) == (403, "token_scope")
    refused = reader.post("sessions_create", body=session_body(world))
    assert (refused.status_code, refused.json()["code"]) == (403, "token_scope")
    importer = Api(client, world.staff, scope=TokenScope.IMPORT)
    assert importer.post("sessions_declare", session.pk).json()["code"] == "token_scope"
    assert ExamSession.objects.get().status == "draft"


def test_a_batch_registration_reports_each_candidate(client: Client, world: World) -> None:
    session = world.draft()
    already = world.candidate()
    services.register(world.staff, session, already)
    fine = world.candidate()
    no_route = make_candidate(centre=world.centre)
    elsewhere = make_candidate(centre=make_centre())
    ids = [fine.pk, already.pk, no_route.pk, elsewhere.pk, 999_999]
    answer = Api(client, world.staff).post("sessions_register_batch", session.pk, body={"candidate_ids": ids})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (body["registered"], body["refused"]) == (1, 4)
    results = {result["candidate_id"]: result for result in body["results"]}
    assert [result["candidate_id"] for result in body["results"]] == ids
    assert results[fine.pk]["registered"] is True
    assert results[fine.pk]["registration_id"] == Registration.objects.get(candidate=fine).pk
    assert {pk: results[pk]["code"] for pk in ids[1:]} == {
        already.pk: "registration_duplicate",
        no_route.pk: "registration_without_pathway",
        elsewhere.pk: "candidate_not_found",  # another centre's candidate: as if missing
        999_999: "candidate_not_found",
    }
    assert all(results[pk]["message"] for pk in ids[1:])
    assert Registration.objects.filter(session=session).count() == 2


def test_one_registration_refused_or_duplicated(client: Client, world: World) -> None:
    session = world.draft()
    staff = Api(client, world.staff)
    candidate = world.candidate()
    assert staff.post("sessions_register", session.pk, body={"candidate_id": candidate.pk}).status_code == 201
    again = staff.post("sessions_register", session.pk, body={"candidate_id": candidate.pk})
    assert (again.status_code, again.json()["code"]) == (409, "registration_duplicate")
    missing = staff.post("sessions_register", session.pk, body={"candidate_id": 999_999})
    assert (missing.status_code, missing.json()["code"], missing.json()["field"]) == (
        404,
        "candidate_not_found",
        "candidate_id",
    )


# What each reader sees ------------------------------------------------------------------------------


def test_each_reader_sees_only_what_they_may_of_the_registrations(client: Client, world: World) -> None:
    session = world.draft()
    first = world.candidate(email="premiere@example.org", phone="0601020304")
    second = world.candidate(email="seconde@example.org")
    for candidate in (first, second):
        services.register(world.staff, session, candidate)
    member = world.member()
    services.invite_member(world.staff, session, member)

    staff = Api(client, world.staff).get("sessions_detail", session.pk).json()
    assert sorted(r["email"] for r in staff["registrations"]) == ["premiere@example.org", "seconde@example.org"]
    agent = Api(client, world.agent).get("sessions_registration_list", session.pk).json()
    assert len(agent) == 2

    juror = Api(client, world.user_of(member))
    names = juror.get("sessions_registration_list", session.pk)
    assert names.status_code == 200
    assert {r["birth_name"] for r in names.json()} == {first.birth_name, second.birth_name}
    assert all(r["email"] is None and r["phone"] is None and r["candidate_id"] is None for r in names.json())
    assert "premiere@example.org" not in juror.get("sessions_detail", session.pk).content.decode()
    assert juror.get("sessions_jury_list", session.pk).status_code == 200

    learner = Api(client, candidate_user(first))
    own = learner.get("sessions_detail", session.pk).json()["registrations"]
    assert [(r["candidate_id"], r["email"]) for r in own] == [(first.pk, "premiere@example.org")]
    assert learner.get("sessions_jury_list", session.pk).json()["code"] == "forbidden"
    assert learner.get("sessions_list").json()["count"] == 1


def test_a_jury_member_sees_their_invitations_and_answers_them(client: Client, world: World) -> None:
    session = world.draft()
    member = world.member()
    assignment = services.invite_member(world.staff, session, member)
    juror = Api(client, world.user_of(member))
    (invitation,) = juror.get("sessions_jury_invitations").json()
    assert (invitation["id"], invitation["session"]["number"]) == (assignment.pk, session.number)
    declined = juror.post("sessions_jury_decline", assignment.pk, body={"note": "En congés"})
    assert (declined.json()["status"], declined.json()["answer_note"]) == ("declined", "En congés")
    again = juror.post("sessions_jury_accept", assignment.pk)
    assert (again.status_code, again.json()["code"]) == (422, "jury_already_answered")
    # Having declined, the member no longer sees the candidates.
    services.register(world.staff, session, world.candidate())
    assert juror.get("sessions_registration_list", session.pk).json() == []


def test_a_conflict_is_declared_by_the_member(client: Client, world: World) -> None:
    session = world.draft()
    candidate = world.candidate()
    registration = services.register(world.staff, session, candidate)
    member = world.member()
    assignment = services.invite_member(world.staff, session, member)
    juror = Api(client, world.user_of(member))
    body = {"registration_id": registration.pk, "note": "Ancien collègue"}
    declared = juror.post("sessions_jury_conflict", assignment.pk, body=body)
    assert declared.status_code == 200, declared.content
    assert declared.json()["conflicts"] == [registration.pk]
    assert juror.post("sessions_jury_conflict", assignment.pk, body=body).json()["conflicts"] == [registration.pk]
    other = juror.post("sessions_jury_conflict", assignment.pk, body={"registration_id": 999_999})
    assert (other.status_code, other.json()["code"]) == (404, "registration_not_found")


# The session day --------------------------------------------------------------------------------


def test_the_session_day_attendance_incidents_and_holding(client: Client, world: World) -> None:
    session = services.convene(world.staff, world.ready())
    registration = Registration.objects.filter(session=session).first()
    assert registration is not None
    staff = Api(client, world.staff)
    early = staff.post("sessions_registration_attendance", registration.pk, body={"attendance": "present"})
    assert (early.status_code, early.json()["code"]) == (422, "attendance_not_yet")
    with replaying(session.first_day):
        late = staff.post("sessions_registration_attendance", registration.pk, body={"attendance": "late"})
        assert (late.json()["code"], late.json()["field"]) == ("arrival_time_required", "arrived_at")
        body = {"attendance": "late", "arrived_at": "09:10", "note": "Train en retard", "portfolio_handed_in": True}
        recorded = staff.post("sessions_registration_attendance", registration.pk, body=body)
        assert recorded.status_code == 200, recorded.content
        assert (recorded.json()["attendance"], recorded.json()["arrived_at"]) == ("late", "09:10:00")
        assert recorded.json()["portfolio_handed_in"] is True
        incident = staff.post(
            "sessions_incident_create",
            session.pk,
            body={"kind": "fraud", "text": "Téléphone pendant l’épreuve", "registration_id": registration.pk},
        )
        assert incident.status_code == 201, incident.content
        assert incident.json()["occurred_on"] == session.first_day.isoformat()
        held = staff.post("sessions_hold", session.pk)
        assert held.status_code == 200, held.content
        assert held.json()["status"] == "held"
    aware = staff.post(
        "sessions_registration_attendance", registration.pk, body={"attendance": "late", "arrived_at": "09:10+02:00"}
    )
    assert (aware.status_code, aware.json()["code"], aware.json()["field"]) == (422, "invalid_request", "arrived_at")


def test_withdrawing_a_registration_keeps_it_with_its_reason(client: Client, world: World) -> None:
    session = world.draft()
    registration = services.register(world.staff, session, world.candidate())
    staff = Api(client, world.staff)
    withdrawn = staff.post("sessions_registration_withdraw", registration.pk, body={"reason": "Malade"})
    assert withdrawn.status_code == 200, withdrawn.content
    assert (withdrawn.json()["status"], withdrawn.json()["withdraw_reason"]) == ("withdrawn", "Malade")
    again = staff.post("sessions_registration_withdraw", registration.pk, body={"reason": "Malade"})
    assert (again.status_code, again.json()["code"]) == (422, "registration_not_active")


# Convocations -----------------------------------------------------------------------------------


def test_a_convocation_pdf_for_the_centre_and_the_person_convened(client: Client, world: World) -> None:
    session = services.convene(world.staff, world.ready())
    convocation = Convocation.objects.filter(session=session, registration__isnull=False).first()
    assert convocation is not None
    staff = Api(client, world.staff)
    missing = staff.get("sessions_convocation_pdf", convocation.pk)
    assert (missing.status_code, missing.json()["code"]) == (404, "convocation_not_rendered")
    convocation.pdf.save("convocation.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    for user in (world.staff, candidate_user(convocation.registration.candidate)):  # type: ignore[union-attr]
        answer = Api(client, user).get("sessions_convocation_pdf", convocation.pk)
        assert answer.status_code == 200
        assert answer["Content-Type"] == "application/pdf"
        assert b"".join(answer.streaming_content).startswith(b"%PDF")
    other = Registration.objects.filter(session=session).exclude(convocations=convocation).first()
    assert other is not None
    intruder = Api(client, candidate_user(other.candidate)).get("sessions_convocation_pdf", convocation.pk)
    assert (intruder.status_code, intruder.json()["code"]) == (404, "not_found")


def test_a_failed_convocation_is_sent_again(client: Client, world: World) -> None:
    from titrepro.sessions.lifecycles import CONVOCATION

    session = services.convene(world.staff, world.ready())
    convocation = Convocation.objects.filter(session=session).first()
    assert convocation is not None
    staff = Api(client, world.staff)
    queued = staff.post("sessions_convocation_resend", convocation.pk)
    assert (queued.status_code, queued.json()["code"]) == (422, "convocation_already_queued")
    CONVOCATION.apply("fail", None, convocation, changes={"error": "Boîte pleine", "attempts": 3})
    failed = staff.get("sessions_convocation_list", session.pk).json()
    assert {(c["status"], c["error"]) for c in failed if c["id"] == convocation.pk} == {("failed", "Boîte pleine")}
    again = staff.post("sessions_convocation_resend", convocation.pk)
    assert again.status_code == 200, again.content
    assert (again.json()["status"], again.json()["attempts"], again.json()["error"]) == ("queued", 0, "")


# Creating: what the body names ------------------------------------------------------------------


def test_creating_names_a_known_version_and_local_times(client: Client, world: World) -> None:
    staff = Api(client, world.staff)
    unknown = staff.post("sessions_create", body=session_body(world, version="1999"))
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) == (
        404,
        "version_not_found",
        "version",
    )
    aware = staff.post("sessions_create", body=session_body(world, opens_at="08:00:00+01:00"))
    assert (aware.status_code, aware.json()["field"]) == (422, "opens_at")
    past = staff.post("sessions_create", body=session_body(world, first_day="2020-01-01", last_day="2020-01-02"))
    assert (past.status_code, past.json()["code"]) == (422, "session_in_the_past")
    ccp = staff.post("sessions_create", body=session_body(world, kind="ccp", ccps=[7]))
    assert (ccp.status_code, ccp.json()["code"]) == (404, "ccp_not_found")
    made = staff.post("sessions_create", body=session_body(world, kind="ccp", ccps=[2, 1]))
    assert made.status_code == 201, made.content
    assert made.json()["ccps"] == [1, 2]
    assert not ExamSession.objects.exclude(pk=made.json()["id"]).exists()


def test_the_list_filters_by_period_title_and_centre(client: Client, world: World) -> None:
    near, far = world.draft(ahead=AHEAD), world.draft(ahead=AHEAD + 100)
    staff = Api(client, world.staff)

    def ids(**query: Any) -> list[int]:
        return [item["id"] for item in staff.get("sessions_list", **query).json()["items"]]

    assert ids() == [near.pk, far.pk]
    assert ids(starts_from=(near.last_day + datetime.timedelta(days=1)).isoformat()) == [far.pk]
    assert ids(ends_by=near.first_day.isoformat()) == [near.pk]
    assert ids(title="TP-99901", centre_id=world.centre.pk) == [near.pk, far.pk]
    assert ids(title="TP-00000") == []
    assert ids(limit=1, offset=1) == [far.pk]


# Programmes -------------------------------------------------------------------------------------


def test_a_programme_is_saved_sent_and_read_by_the_authority(client: Client, world: World) -> None:
    staff = Api(client, world.staff)
    year = today().year + 1
    line = {"kind": "title", "title": "TP-99901", "version": "2025", "month": 3, "expected_candidates": 8}
    saved = staff.post("sessions_programme_save", world.centre.pk, year, body={"lines": [line]}, method="PUT")
    assert saved.status_code == 200, saved.content
    assert (saved.json()["status"], saved.json()["lines"]) == ("draft", [line])
    unknown = staff.post(
        "sessions_programme_save",
        world.centre.pk,
        year,
        body={"lines": [line | {"version": "1999"}]},
        method="PUT",
    )
    assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) == (
        404,
        "version_not_found",
        "lines.0.version",
    )
    sent = staff.post("sessions_programme_send", saved.json()["id"])
    assert sent.status_code == 200, sent.content
    assert (sent.json()["status"], sent.json()["sent_on"]) == ("sent", today().isoformat())
    final = staff.post("sessions_programme_save", world.centre.pk, year, body={"lines": []}, method="PUT")
    assert (final.status_code, final.json()["code"]) == (422, "programme_already_sent")
    (seen,) = Api(client, world.agent).get("sessions_programme_list", year=year).json()
    assert (seen["id"], seen["status"], seen["lines"]) == (saved.json()["id"], "sent", [line])
    assert Programme.objects.get().planned.count() == 1
