"""A session from draft to convocations sent through the services, and every refused move with its reason.

Rules: R-08, R-30, R-33 (coverage), R-41 (declaration), R-43 (lead time), R-62 to R-64 (jury), R-81 (annulment).
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from tests.factories import (
    agent_of,
    centre_staff,
    make_accommodation,
    make_approval,
    make_authority,
    make_candidate,
    make_centre,
    make_habilitation,
    make_jury_member,
    make_link,
    make_pathway,
    today,
)
from tests.session_world import AHEAD, World, make_world

from titrepro.audit.services import history
from titrepro.candidates.models import Candidate
from titrepro.core.dating import french_date, replaying
from titrepro.core.refusals import Conflict, Refused
from titrepro.directory.models import ApprovalStatus
from titrepro.sessions import services
from titrepro.sessions.models import Convocation, ExamSession, JuryAssignment, Registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def world() -> World:
    return make_world()


def tasks_of(callbacks: list[Any]) -> list[Any]:
    """The on-commit callbacks that enqueue tasks (the audit log's checkpoint is one too)."""
    return [c for c in callbacks if "checkpoint" not in getattr(getattr(c, "func", c), "__qualname__", "")]


def actions(obj: Any) -> list[str]:
    return [entry.action for entry in history(obj) if entry.action.startswith("session.")]


def test_draft_to_convened_one_audit_entry_per_move(world: World, django_capture_on_commit_callbacks) -> None:
    session = world.draft()
    assert session.status == "draft"
    assert session.number == f"{session.first_day.year}-{world.centre.authority.departement.zfill(3)}-0001"
    session = services.declare_session(world.staff, session)
    assert (session.status, session.declared_on, session.approval_id) == ("declared", today(), world.approval.pk)
    assert session.extension is False
    first, second = world.candidate(), world.candidate()
    services.register(world.staff, session, first)
    services.register(world.staff, session, second)
    for _ in range(2):
        world.accept(session, world.member())
    with django_capture_on_commit_callbacks() as callbacks:
        session = services.convene(world.staff, session)
    assert session.status == "convened"
    assert session.convened_on == today()
    assert actions(session) == ["session.created", "session.declared", "session.convened"]
    convocations = Convocation.objects.filter(session=session)
    assert convocations.count() == 4  # two candidates, two jury members
    assert set(convocations.values_list("status", flat=True)) == {"queued"}
    assert len(tasks_of(callbacks)) == 4  # one task per convocation, enqueued once the transaction commits


def test_numbers_follow_each_other_within_a_year_and_département(world: World) -> None:
    first = world.draft()
    second = world.draft(ahead=AHEAD + 1)
    assert int(second.number[-4:]) == int(first.number[-4:]) + 1


# Coverage by an approval (R-30, R-33) -------------------------------------------------------------


def test_no_approval_for_the_version_is_refused(world: World) -> None:
    other = make_centre(authority=world.centre.authority)
    staff = centre_staff(other)
    with pytest.raises(Refused, match="approval_missing") as refused:
        services.create_session(
            staff,
            other,
            kind="title",
            version=world.approval.version,
            first_day=world.first_day(),
            last_day=world.first_day(),
            site_address="x",
            capacity=5,
        )
    assert "agrément" in refused.value.message
    assert not ExamSession.objects.filter(centre=other).exists()


def test_a_session_past_the_approval_end_is_refused_with_the_end_date(world: World) -> None:
    end = world.first_day() + datetime.timedelta(days=1)
    world.approval.valid_until = end
    world.approval.save()
    world.draft(days=2)  # the last day is the approval's end: covered
    with pytest.raises(Refused, match="approval_ends_before_session") as refused:
        world.draft(days=3)
    assert str(end.year) in refused.value.message


def test_a_suspended_approval_covers_nothing(world: World) -> None:
    session = world.draft()
    world.approval.status = ApprovalStatus.SUSPENDED
    world.approval.save()
    with pytest.raises(Refused, match="approval_suspended"):
        services.declare_session(world.staff, session)
    session.refresh_from_db()
    assert session.status == "draft"
    with pytest.raises(Refused, match="approval_suspended"):
        world.draft()


def test_a_session_cannot_start_before_today(world: World) -> None:
    with pytest.raises(Refused, match="session_in_the_past"):
        world.draft(ahead=-1)


def test_a_ccp_session_names_its_ccps(world: World) -> None:
    with pytest.raises(Refused, match="session_ccps_missing"):
        world.draft(kind="ccp")


# Convocations and the jury (R-62 to R-64) -------------------------------------------------


def test_convocations_one_day_too_late_are_refused_with_the_day_they_needed(world: World) -> None:
    session = world.ready(ahead=20)  # a title session needs a month
    with pytest.raises(Refused, match="convocation_too_late") as refused:
        services.convene(world.staff, session)
    assert "au plus tard" in refused.value.message
    session.refresh_from_db()
    assert session.status == "declared"
    assert not Convocation.objects.exists()


def test_one_accepted_member_is_not_a_jury(world: World) -> None:
    session = services.declare_session(world.staff, world.draft())
    services.register(world.staff, session, world.candidate())
    world.accept(session, world.member())
    services.invite_member(world.staff, session, world.member())  # invited, no answer: does not count
    with pytest.raises(Refused, match="jury_too_small"):
        services.convene(world.staff, session)


def test_a_member_linked_to_the_centre_leaves_a_candidate_with_one_free_member(world: World) -> None:
    session = world.ready()
    make_link(member=world.members[0], kind="employer", label="Centre", centre=world.centre)
    with pytest.raises(Refused, match="jury_conflicted_for_candidate") as refused:
        services.convene(world.staff, session)
    assert world.candidates[0].birth_name in refused.value.message or world.candidates[1].birth_name in (
        refused.value.message
    )


def test_a_declared_personal_link_excludes_the_member_from_that_candidate(world: World) -> None:
    session = world.ready()
    assignment = JuryAssignment.objects.get(session=session, member=world.members[1])
    registration = Registration.objects.get(session=session, candidate=world.candidates[0])
    services.declare_conflict(world.user_of(world.members[1]), assignment, registration, note="Voisine")
    with pytest.raises(Refused, match="jury_conflicted_for_candidate") as refused:
        services.convene(world.staff, session)
    assert world.candidates[0].birth_name in refused.value.message


def test_a_member_without_habilitation_is_not_invited(world: World) -> None:
    session = world.draft()
    member = make_jury_member()
    with pytest.raises(Refused, match="habilitation_missing") as refused:
        services.invite_member(world.staff, session, member)
    assert member.last_name in refused.value.message
    assert not JuryAssignment.objects.exists()


def test_a_habilitation_ending_before_the_last_day_is_refused(world: World) -> None:
    session = world.draft(days=2)
    member = make_jury_member()
    make_habilitation(member=member, valid_until=session.first_day)
    with pytest.raises(Refused, match="habilitation_ends_before_session"):
        services.invite_member(world.staff, session, member)


def test_a_member_busy_on_overlapping_days_is_refused(world: World) -> None:
    member = world.member()
    first = world.draft(days=2)
    services.invite_member(world.staff, first, member)
    second = world.draft(ahead=AHEAD + 1)  # its day is the first session's second day
    with pytest.raises(Refused, match="jury_overlap") as refused:
        services.invite_member(world.staff, second, member)
    assert first.number in refused.value.message
    third = world.draft(ahead=AHEAD + 2)  # the day after: free
    services.invite_member(world.staff, third, member)


def test_the_same_member_twice_is_a_conflict(world: World) -> None:
    session = world.draft()
    member = world.member()
    services.invite_member(world.staff, session, member)
    with pytest.raises(Conflict, match="jury_duplicate"):
        services.invite_member(world.staff, session, member)


def test_only_the_invited_member_answers(world: World) -> None:
    session = world.draft()
    member, other = world.member(), world.member()
    assignment = services.invite_member(world.staff, session, member)
    with pytest.raises(Http404):
        services.answer_invitation(world.user_of(other), assignment, accept=True)
    with pytest.raises(PermissionDenied):
        services.answer_invitation(world.staff, assignment, accept=True)
    declined = services.answer_invitation(world.user_of(member), assignment, accept=False, note="En congés")
    assert (declined.status, declined.answer_note) == ("declined", "En congés")
    with pytest.raises(Refused, match="jury_already_answered"):
        services.answer_invitation(world.user_of(member), assignment, accept=True)


# Registrations ------------------------------------------------------------------------------------


def test_a_candidate_without_pathway_is_refused_with_the_reason(world: World) -> None:
    session = world.draft()
    candidate = make_candidate(centre=world.centre)
    with pytest.raises(Refused, match="registration_without_pathway") as refused:
        services.register(world.staff, session, candidate)
    assert candidate.birth_name in refused.value.message


def test_capacity_is_enforced(world: World) -> None:
    session = world.draft(capacity=1)
    services.register(world.staff, session, world.candidate())
    with pytest.raises(Refused, match="session_full"):
        services.register(world.staff, session, world.candidate())


def test_a_candidate_on_two_overlapping_sessions_is_refused(world: World) -> None:
    candidate = world.candidate()
    first = world.draft(days=2)
    services.register(world.staff, first, candidate)
    second = world.draft(ahead=AHEAD + 1)
    with pytest.raises(Refused, match="registration_overlap"):
        services.register(world.staff, second, candidate)
    with pytest.raises(Conflict, match="registration_duplicate"):
        services.register(world.staff, first, candidate)


def test_registering_several_at_once_reports_each(world: World) -> None:
    session = world.draft(capacity=2)
    candidates = [world.candidate() for _ in range(3)]
    outcomes = services.register_many(world.staff, session, candidates)
    assert [o.refusal.code if o.refusal else "ok" for o in outcomes] == ["ok", "ok", "session_full"]
    assert Registration.objects.filter(session=session).count() == 2


def test_granted_accommodations_come_with_the_registration(world: World) -> None:
    candidate = world.candidate()
    granted = make_accommodation(candidate=candidate, granted=True)
    make_accommodation(candidate=candidate)  # still requested: not attached
    registration = services.register(world.staff, world.draft(), candidate)
    assert list(registration.accommodations.all()) == [granted]


def test_a_withdrawn_registration_stays_with_its_reason(world: World) -> None:
    registration = services.register(world.staff, world.draft(), world.candidate())
    with pytest.raises(Refused, match="reason_required"):
        services.withdraw_registration(world.staff, registration, reason=" ")
    withdrawn = services.withdraw_registration(world.staff, registration, reason="Déménagement")
    assert (withdrawn.status, withdrawn.withdrawn_on, withdrawn.withdraw_reason) == (
        "withdrawn",
        today(),
        "Déménagement",
    )
    with pytest.raises(Refused, match="registration_not_active"):
        services.withdraw_registration(world.staff, withdrawn, reason="Encore")


def test_r80_a_candidate_banned_by_a_fraud_decision_is_refused_until_the_ban_ends_at_any_centre(world: World) -> None:
    """R-80: the ban (written by the authority's fraud decision, ``deliberation.fraud``) bars every session whose
    first day is on or before its last day; the person is the same at another centre (same identity)."""
    candidate = world.candidate()
    first_day = world.first_day()
    Candidate.objects.filter(pk=candidate.pk).update(banned_until=first_day)
    candidate.refresh_from_db()
    during = world.draft()
    with pytest.raises(Refused) as refused:
        services.register(world.staff, during, candidate)
    assert refused.value.code == "registration_banned"
    assert refused.value.message == (
        f"{candidate} est interdit(e) de session jusqu’au {french_date(first_day)} par une décision de fraude (R-80)."
    )
    outcomes = services.register_many(world.staff, during, [candidate, world.candidate()])
    assert [o.refusal.code if o.refusal else "ok" for o in outcomes] == ["registration_banned", "ok"]
    after = world.draft(ahead=AHEAD + 1)
    assert services.register(world.staff, after, candidate).status == "registered"

    # The same person, a candidate of another centre: banned there too.
    other = make_centre()
    make_approval(centre=other, version=world.approval.version)
    elsewhere = make_candidate(
        centre=other,
        birth_name=candidate.birth_name,
        given_names=candidate.given_names,
        birth_date=candidate.birth_date,
    )
    make_pathway(candidate=elsewhere)
    session = services.create_session(
        centre_staff(other),
        other,
        kind="title",
        version=world.approval.version,
        first_day=first_day,
        last_day=first_day,
        site_address="2 rue de l’Exemple, 69000 Lyon",
        capacity=12,
    )
    with pytest.raises(Refused, match="registration_banned"):
        services.register(centre_staff(other), session, elsewhere)


def test_another_centre_cannot_register_into_the_session(world: World) -> None:
    session = world.draft()
    other = make_centre()
    staff = centre_staff(other)
    candidate = make_candidate(centre=other)
    with pytest.raises(Http404):
        services.register(staff, session, candidate)


# Cancellation and annulment (R-81) ----------------------------------------------------------------


def test_the_centre_cancels_before_the_first_day(world: World) -> None:
    session = world.draft()
    with pytest.raises(Refused, match="reason_required"):
        services.cancel_session(world.staff, session, reason="")
    cancelled = services.cancel_session(world.staff, session, reason="Plateau technique indisponible")
    assert (cancelled.status, cancelled.end_reason) == ("cancelled", "Plateau technique indisponible")
    with pytest.raises(Refused, match="session_not_cancellable"):
        services.cancel_session(world.staff, cancelled, reason="Encore")


def test_only_the_centres_authority_annuls_with_a_reason(world: World, django_capture_on_commit_callbacks) -> None:
    session = world.ready()
    with pytest.raises(PermissionDenied):
        services.annul_session(world.staff, session, reason="Fraude")
    stranger = agent_of(make_authority())
    with pytest.raises(Http404):
        services.annul_session(stranger, session, reason="Fraude")
    with pytest.raises(Refused, match="reason_required"):
        services.annul_session(world.agent, session, reason="")
    with django_capture_on_commit_callbacks() as callbacks:
        annulled = services.annul_session(world.agent, session, reason="Sujets divulgués avant la session")
    assert annulled.status == "annulled"
    assert len(tasks_of(callbacks)) == 1  # the notice to the centre, the candidates and the jury
    assert actions(annulled)[-1] == "session.annulled"


def test_a_draft_cannot_be_annulled(world: World) -> None:
    with pytest.raises(Refused, match="session_not_annullable"):
        services.annul_session(world.agent, world.draft(), reason="Erreur")


# The session day (R-45, R-80) ------------------------------------------------------------------


def test_attendance_from_the_first_day_of_a_convened_session(world: World) -> None:
    session = services.convene(world.staff, world.ready())
    registration = Registration.objects.filter(session=session).first()
    assert registration is not None
    with pytest.raises(Refused, match="attendance_not_yet"):
        services.record_attendance(world.staff, registration, attendance="present")
    with replaying(session.first_day):
        with pytest.raises(Refused, match="arrival_time_required"):
            services.record_attendance(world.staff, registration, attendance="late")
        late = services.record_attendance(
            world.staff, registration, attendance="late", arrived_at=datetime.time(9, 10), note="Train en retard"
        )
        assert (late.attendance, late.arrived_at) == ("late", datetime.time(9, 10))
        fraud = services.record_incident(
            world.staff, session, kind="fraud", text="Téléphone utilisé pendant l’épreuve", registration=registration
        )
        assert fraud.occurred_on == session.first_day
        held = services.hold_session(world.staff, session)
    assert held.status == "held"
    assert actions(held)[-2:] == ["session.fraud", "session.held"]


def test_a_session_is_not_held_before_its_first_day(world: World) -> None:
    session = services.convene(world.staff, world.ready())
    with pytest.raises(Refused, match="session_not_started"):
        services.hold_session(world.staff, session)
