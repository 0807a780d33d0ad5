"""The session timetable, sessions side: the problem read from the database, computing and saving a planning,
refusals in French when none exists, moving a part by hand, and what a convocation states afterwards.

TSSR 2023 title sessions (built-in catalogue), built on a replayed day when the version was in force
(``tests.session_world.make_tssr_world``); the solver gets 2 seconds and one worker.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from tests.core.test_pdf import pypdf_text
from tests.factories import make_accommodation
from tests.session_world import TSSR_REPLAYED_DAY, TssrWorld, make_tssr_world

from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import DecisionStatus
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.rules import timetable as rules
from titrepro.rules.timetable_solver import Settings
from titrepro.sessions import convocations, services, timetable
from titrepro.sessions.models import Convocation, ExamSession, Timetable, TimetableSlot

pytestmark = pytest.mark.django_db

FAST = Settings(seconds=2, workers=1)


def tssr_session(
    w: TssrWorld, *, candidates: int = 2, members: int = 2, workstations: int = 2, **fields: Any
) -> ExamSession:
    with dating.replaying(TSSR_REPLAYED_DAY):
        session = w.draft(workstations=workstations, **fields)
        session = services.declare_session(w.staff, session)
        for _ in range(candidates):
            services.register(w.staff, session, w.candidate())
        for _ in range(members):
            w.accept(session, w.member())
    session.refresh_from_db()
    return session


def grant_extra_time(w: TssrWorld, session: ExamSession, number: int, *, orals: bool = False) -> None:
    """The ``number``-th registration gets a granted third of extra time."""
    registration = session.registrations.order_by("pk")[number]
    accommodation = make_accommodation(
        candidate=registration.candidate, granted=True, extra_time="1/3", extra_time_orals=orals
    )
    assert accommodation.status == DecisionStatus.GRANTED
    registration.accommodations.add(accommodation)


# The problem ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("orals", [False, True])
def test_the_problem_of_a_tssr_2023_title_session(builtin_catalogue: Any, orals: bool) -> None:
    w = make_tssr_world()
    session = tssr_session(w, members=3)
    grant_extra_time(w, session, 0, orals=orals)
    first, second = session.registrations.order_by("pk")
    conflicted = session.jury.order_by("-pk")[0]
    services.declare_conflict(w.staff, conflicted, second, note="Ancien collègue")

    problem, index = timetable.problem_for(session)

    assert [day.day for day in problem.days] == [session.first_day]
    assert (problem.days[0].opens, problem.days[0].closes, problem.days[0].breaks) == (510, 1050, ((720, 780),))
    assert problem.workstations == 2
    assert len(problem.jurors) == 3
    one, two = problem.candidates
    assert (one.id, two.id) == (first.pk, second.pk)
    # The practical assessment in its three parts, then the questionnaire and the two interviews.
    assert [(p.minutes, p.jury, p.workstation, p.final) for p in two.parts] == [
        (90, False, True, False),
        (15, False, False, False),
        (45, True, True, False),
        (120, False, True, False),
        (45, True, False, False),
        (20, True, False, True),
    ]
    assert two.parts[0].label.startswith("Mise en situation professionnelle (1/3)")
    # A third more on the parts done alone; on the interviews too only when the decision says so.
    expected = [120, 20, 60, 160, 60, 27] if orals else [120, 20, 45, 160, 45, 20]
    assert [one.minutes(p) for p in one.parts] == expected
    assert [two.minutes(p) for p in two.parts] == [90, 15, 45, 120, 45, 20]
    # The member who declared a link with the second candidate is not among their jury.
    assert conflicted.pk not in two.jurors
    assert conflicted.pk in one.jurors
    assert index.registrations[two.id] == second
    assert index.assignments[conflicted.pk] == conflicted


def test_a_part_without_a_duration_refuses_the_planning(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    part = session.version.modalities.get(kind="practical_assessment").parts.order_by("position")[0]
    part.duration = None
    part.save()
    with pytest.raises(Refused, match="timetable_duration_missing") as refused:
        timetable.problem_for(session)
    assert "TP-01351" in refused.value.message
    assert "2023" in refused.value.message


# Computing and saving ----------------------------------------------------------------------------------


def planned(session: ExamSession) -> tuple[rules.Problem, list[rules.Slot]]:
    problem, index = timetable.problem_for(session)
    return problem, [pure for _row, pure in timetable.saved_slots(Timetable.objects.get(session=session), index)]


def test_plan_session_saves_a_planning_that_passes_the_checker(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w, candidates=3, members=2, days=2)
    grant_extra_time(w, session, 1)

    saved = services.plan_session(w.staff, session, settings=FAST)

    problem, slots = planned(session)
    assert len(slots) == 3 * 6
    assert not rules.hard(rules.check(problem, slots))
    assert saved.status in ("optimal", "feasible")
    assert saved.computed_by == w.staff
    first = min(TimetableSlot.objects.filter(timetable=saved), key=lambda s: s.starts_at)
    assert first.starts_at.astimezone(timetable.local_zone()).date() == session.first_day
    assert AuditEntry.objects.filter(action="session.timetable_computed", object_id=str(session.pk)).exists()
    # Computed again: the new planning replaces the old one.
    again = services.plan_session(w.staff, session, settings=FAST)
    assert Timetable.objects.filter(session=session).get() == again


def test_no_planning_is_refused_in_french_and_keeps_the_previous_one(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w, members=2)
    previous = services.plan_session(w.staff, session, settings=FAST)
    slots_before = set(previous.slots.values_list("pk", "starts_at"))
    with dating.replaying(TSSR_REPLAYED_DAY):
        services.withdraw_member(w.staff, session.jury.order_by("-pk")[0])
    remaining = session.jury.get(status="accepted").member

    with pytest.raises(Refused) as refused:
        services.plan_session(w.staff, session, settings=FAST)

    assert refused.value.code == "timetable_too_few_free_jurors"
    message = refused.value.message
    assert "R-63" in message
    assert str(session.registrations.order_by("pk")[0].candidate) in message
    assert "invitez un autre membre du jury" in message  # what would make it possible
    assert str(remaining) not in message or "cannot evaluate" not in message
    assert Timetable.objects.get(session=session) == previous
    assert set(previous.slots.values_list("pk", "starts_at")) == slots_before


def test_a_session_held_or_cancelled_is_not_planned(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    ExamSession.objects.filter(pk=session.pk).update(status="cancelled")
    session.refresh_from_db()
    with pytest.raises(Refused, match="timetable_session_closed"):
        services.plan_session(w.staff, session, settings=FAST)


def test_too_few_workstations_is_explained_with_its_figures(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w, candidates=2, workstations=0)
    with pytest.raises(Refused) as refused:
        services.plan_session(w.staff, session, settings=FAST)
    assert "timetable_workstations_short" in refused.value.reasons
    assert "ajoutez des postes" in refused.value.message
    assert not Timetable.objects.filter(session=session).exists()


# Moving a part by hand ------------------------------------------------------------------------------


def slot_of(session: ExamSession, registration_index: int, key_suffix: str) -> TimetableSlot:
    registration = session.registrations.order_by("pk")[registration_index]
    rows = TimetableSlot.objects.filter(timetable__session=session, registration=registration).order_by("position")
    return next(row for row in rows if row.part_key.endswith(key_suffix) or row.label.startswith(key_suffix))


def test_a_move_that_puts_a_jury_member_in_two_places_is_refused_naming_them(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    services.plan_session(w.staff, session, settings=FAST)
    mine = slot_of(session, 0, "Entretien technique")
    theirs = slot_of(session, 1, "Entretien technique")
    before = (theirs.starts_at, theirs.ends_at)

    with pytest.raises(Refused) as refused:
        services.move_slot(w.staff, theirs, start=mine.starts_at)

    assert "timetable_juror_twice" in refused.value.reasons
    message = refused.value.message
    member = session.jury.order_by("pk")[0].member
    assert "(membre du jury) serait à deux endroits à" in message
    assert str(member) in message
    assert str(mine.registration.candidate) in message
    assert str(theirs.registration.candidate) in message
    theirs.refresh_from_db()
    assert (theirs.starts_at, theirs.ends_at) == before


def _valid_moves(session: ExamSession, *, soft: bool) -> tuple[TimetableSlot, datetime.datetime] | None:
    """A slot and a new start that break no hard rule; with only new warnings when ``soft``, with none otherwise."""
    problem, index = timetable.problem_for(session)
    pairs = timetable.saved_slots(Timetable.objects.get(session=session), index)
    current = [pure for _row, pure in pairs]
    known = {(v.code, v.candidate, v.part) for v in rules.check(problem, current)}
    for row, pure in sorted(pairs, key=lambda p: -p[1].end):
        for shift in range(5, 300, 5):
            moved = rules.Slot(
                pure.candidate, pure.part, pure.start + shift, pure.end + shift, pure.workstation, pure.jurors
            )
            found = rules.check(problem, [moved if p == pure else p for p in current])
            new = [v for v in found if (v.code, v.candidate, v.part) not in known]
            if rules.hard(found):
                continue
            if bool(new) == soft:
                return row, index.moment(moved.start)
    return None


def test_a_valid_move_is_saved_audited_and_shown_on_the_next_convocation(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w)
    services.plan_session(w.staff, session, settings=FAST)
    found = _valid_moves(session, soft=False)
    assert found is not None
    row, start = found
    convocation = Convocation.objects.create(session=session, registration=row.registration, email="x@example.org")
    issued = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC)
    before = convocations.data(convocation, issued=issued)["tests"]

    moved = services.move_slot(w.staff, row, start=start)

    assert moved.starts_at == start
    assert moved.ends_at - moved.starts_at == row.ends_at - row.starts_at
    assert Timetable.objects.get(session=session).edited
    entry = AuditEntry.objects.filter(action="session.timetable_slot_moved").get()
    assert entry.data["after"]["start"] == start.isoformat()
    after = convocations.data(convocation, issued=issued)["tests"]
    label = convocations.clock(start.astimezone(timetable.local_zone()).time())
    assert any(test["start"] == label for test in after)
    assert after != before
    # The convocation PDF itself states the new time.
    text = " ".join(pypdf_text(convocations.render_pdf(convocation, issued=issued)).split())
    assert label in text
    assert row.label.split(" (")[0] in text


def test_a_move_that_only_makes_a_candidate_wait_needs_the_warning_accepted(builtin_catalogue: Any) -> None:
    w = make_tssr_world()
    session = tssr_session(w, first_day=datetime.date(2026, 5, 4), days=2)
    services.plan_session(w.staff, session, settings=FAST)
    found = _valid_moves(session, soft=True)
    assert found is not None
    row, start = found

    with pytest.raises(Refused) as refused:
        services.move_slot(w.staff, row, start=start)
    assert refused.value.field == "accept_warning"
    assert "timetable_wait_too_long" in refused.value.reasons

    moved = services.move_slot(w.staff, row, start=start, accept_warning=True)
    assert moved.starts_at == start
    assert "attendrait" in moved.warning_accepted
    entry = AuditEntry.objects.filter(action="session.timetable_slot_moved").get()
    assert entry.reason == moved.warning_accepted
    assert entry.data["warning_accepted"] is True
