"""Worked examples of the session timetable (R-45, R-50, R-63, R-64, R-85) and a property: every
planning the solver returns passes the checker, which is written without the solver."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from titrepro.rules import timetable as tt
from titrepro.rules.timetable import Candidate, Day, Juror, Part, Problem, Slot, check, hard, lower_bound
from titrepro.rules.timetable_greedy import list_schedule
from titrepro.rules.timetable_solver import (
    INFEASIBLE,
    OPTIMAL,
    Settings,
    assign_jurors,
    assign_workstations,
    interchangeable_jury,
    solve,
)

MONDAY = date(2027, 3, 1)
QUICK = Settings(seconds=5, workers=1)


def hm(hours: int, minutes: int = 0, day: int = 0) -> int:
    return day * tt.DAY_MINUTES + hours * 60 + minutes


def day(index: int = 0, opens: int = hm(9), closes: int = hm(12), breaks: tuple[tuple[int, int], ...] = ()) -> Day:
    return Day(index, MONDAY + timedelta(days=index), opens, closes, breaks)


POST = Part("post", "Sur poste", 60, jury=False, workstation=True)
TALK = Part("talk", "Entretien final", 30, jury=True, workstation=False, final=True)
JURY = (Juror(1, "Alice Martin", frozenset({0, 1})), Juror(2, "Bruno Petit", frozenset({0, 1})))


def candidate(id: int, *parts: Part, jurors: frozenset[int] = frozenset({1, 2}), **accommodations: object) -> Candidate:
    return Candidate(id, f"Candidat {id}", parts or (POST, TALK), jurors, **accommodations)  # type: ignore[arg-type]


def problem(*candidates: Candidate, days: tuple[Day, ...] = (day(),), jurors=JURY, workstations: int = 1) -> Problem:
    return Problem(days, candidates, jurors, workstations)


# A known optimum ---------------------------------------------------------------------------------


def test_two_candidates_one_workstation_end_at_half_past_eleven():
    """One workstation: the second candidate starts on it when the first leaves it for the jury
    (R-50: the final interview last). 9:00-10:00 and 10:00-11:00 on the post, then 30 minutes of
    jury each: the session cannot end before 11:30, and the solver proves it."""
    session = problem(candidate(1), candidate(2))
    outcome = solve(session, QUICK)
    assert outcome.status == OPTIMAL
    assert outcome.objective is not None
    assert outcome.objective.end == hm(11, 30)
    assert outcome.gap == 0.0
    assert outcome.objective.spread == 90 + 90  # each candidate's day is 1 h 30, without a wait
    assert hard(check(session, outcome.slots)) == ()
    assert lower_bound(session) == hm(11, 30)


def test_the_second_workstation_saves_an_hour_and_the_jury_becomes_the_limit():
    session = problem(candidate(1), candidate(2), workstations=2)
    outcome = solve(session, QUICK)
    # Both on a post 9:00-10:00, then one jury after the other: 10:30, 11:00.
    assert outcome.objective is not None
    assert outcome.objective.end == hm(11)
    talks = sorted((s.start, s.end) for s in outcome.slots if s.part == "talk")
    assert talks == [(hm(10), hm(10, 30)), (hm(10, 30), hm(11))]


def test_a_part_never_crosses_the_lunch_break():
    """Open 9:00-17:00 with lunch 12:00-13:00: a 60-minute post started at 11:30 would cross it."""
    lunch = ((hm(12), hm(13)),)
    session = problem(candidate(1), candidate(2), candidate(3), days=(day(closes=hm(17), breaks=lunch),))
    outcome = solve(session, QUICK)
    assert hard(check(session, outcome.slots)) == ()
    for slot in outcome.slots:
        assert not (slot.start < hm(13) and slot.end > hm(12))


# Accommodations (R-85, R-86) ---------------------------------------------------------------------


def test_a_third_extra_time_lengthens_the_parts_done_alone_not_the_interviews():
    third = candidate(1, extra_time=Fraction(1, 3))
    assert third.minutes(POST) == 80
    assert third.minutes(TALK) == 30
    with_orals = candidate(1, extra_time=Fraction(1, 3), extra_time_orals=True)
    assert with_orals.minutes(TALK) == 40
    # Rounded up to the minute: a third of 50 minutes is 16 min 40 s, so 67 minutes.
    assert candidate(1, extra_time=Fraction(1, 3)).minutes(replace(POST, minutes=50)) == 67


def test_extra_time_is_planned_and_checked():
    session = problem(candidate(1, extra_time=Fraction(1, 3)), candidate(2))
    outcome = solve(session, QUICK)
    post = next(s for s in outcome.slots if s.candidate == 1 and s.part == "post")
    assert post.end - post.start == 80
    short = [replace(s, end=s.start + 60) if s is post else s for s in outcome.slots]
    assert tt.WRONG_DURATION in {v.code for v in check(session, short)}


def test_a_candidate_in_a_separate_room_takes_no_shared_workstation():
    alone = candidate(1, separate_room=True)
    assert not alone.uses_workstation(POST)
    session = problem(alone, candidate(2))
    outcome = solve(session, QUICK)
    own = next(s for s in outcome.slots if s.candidate == 1 and s.part == "post")
    assert own.workstation is None
    # Sharing the one post, the session would end at 11:30 (the first example); in their own room,
    # both can be on a post at once, and the one panel is the limit: 10:30, then 11:00.
    assert outcome.objective is not None
    assert outcome.objective.end == hm(11)


# The jury (R-63, R-64) ---------------------------------------------------------------------------


def test_a_conflicted_member_is_never_planned_with_that_candidate():
    """Three members; Chloé Roux has a link with candidate 1 (R-64): that candidate's jury is the
    other two, and Chloé sits with candidate 2."""
    three = (*JURY, Juror(3, "Chloé Roux", frozenset({0})))
    session = problem(candidate(1, jurors=frozenset({1, 2})), candidate(2), jurors=three, workstations=2)
    assert not interchangeable_jury(session)
    outcome = solve(session, QUICK)
    assert hard(check(session, outcome.slots)) == ()
    assert all(3 not in s.jurors for s in outcome.slots if s.candidate == 1)
    planned_with_2 = next(s for s in outcome.slots if s.candidate == 2 and s.part == "talk")
    assert len(planned_with_2.jurors) == 2


def test_the_checker_names_a_conflicted_member_and_a_member_in_two_places():
    session = problem(candidate(1, jurors=frozenset({1})), candidate(2), workstations=2)
    slots = [
        Slot(1, "post", hm(9), hm(10), 1),
        Slot(1, "talk", hm(10), hm(10, 30), None, (1, 2)),
        Slot(2, "post", hm(9), hm(10), 2),
        Slot(2, "talk", hm(10, 15), hm(10, 45), None, (1, 2)),
    ]
    found = check(session, slots)
    assert tt.Violation(tt.JUROR_CONFLICTED, 1, "talk", juror=2) in found
    twice = [v for v in found if v.code == tt.JUROR_TWICE]
    assert {(v.juror, v.candidate, v.other_candidate) for v in twice} == {(1, 2, 1), (2, 2, 1)}


def test_a_jury_part_needs_two_members_there_that_day():
    session = problem(candidate(1), jurors=(JURY[0], Juror(2, "Bruno Petit", frozenset({1}))))
    slots = [Slot(1, "post", hm(9), hm(10), 1), Slot(1, "talk", hm(10), hm(10, 30), None, (1, 2))]
    assert tt.Violation(tt.JUROR_UNAVAILABLE, 1, "talk", juror=2) in check(session, slots)
    alone = [slots[0], replace(slots[1], jurors=(1,))]
    assert tt.Violation(tt.JURY_MISSING, 1, "talk", minutes=1) in check(session, alone)


def test_members_named_afterwards_are_never_short_and_share_the_load():
    """Four interchangeable members, two panels: whatever two jury parts overlap, each gets two."""
    four = tuple(Juror(i, f"Membre {i}", frozenset({0})) for i in range(1, 5))
    everyone = frozenset(range(1, 5))
    session = problem(*(candidate(i, jurors=everyone) for i in range(1, 5)), jurors=four, workstations=4)
    slots = [Slot(i, "post", hm(9), hm(10), i) for i in range(1, 5)]
    slots += [Slot(i, "talk", hm(10) + 30 * (i // 3), hm(10, 30) + 30 * (i // 3)) for i in range(1, 5)]
    named = assign_jurors(session, slots)
    assert hard(check(session, named)) == ()
    assert tt.objective(session, named).load_gap == 0


# The day (R-45, R-50) ----------------------------------------------------------------------------


def test_a_late_candidate_keeps_the_end_of_their_part():
    """R-45: the end of a part is not moved for a late candidate."""
    late = candidate(1, fixed_ends={"post": hm(11)})
    session = problem(late, candidate(2))
    outcome = solve(session, QUICK)
    post = next(s for s in outcome.slots if s.candidate == 1 and s.part == "post")
    assert post.end == hm(11)
    moved = [replace(s, start=s.start - 30, end=s.end - 30) if s is post else s for s in outcome.slots]
    assert tt.END_MOVED in {v.code for v in check(session, moved)}
    # Arrived 20 minutes late: the part starts later and still ends at 11:00.
    arrived = [replace(s, start=s.start + 20) if s is post else s for s in outcome.slots]
    assert hard(check(session, arrived)) == ()
    stretched = [replace(s, start=s.start + 20, end=s.end + 20) if s is post else s for s in outcome.slots]
    assert tt.END_MOVED in {v.code for v in check(session, stretched)}


def test_the_final_interview_comes_last():
    session = problem(candidate(1))
    slots = [Slot(1, "talk", hm(9), hm(9, 30), None, (1, 2)), Slot(1, "post", hm(9, 30), hm(10, 30), 1)]
    assert tt.ORDER in {v.code for v in check(session, slots)}


def test_a_long_wait_is_a_warning_not_a_breach():
    session = problem(candidate(1), days=(day(closes=hm(17), breaks=((hm(12), hm(13)),)),))
    slots = [Slot(1, "post", hm(9), hm(10), 1), Slot(1, "talk", hm(11, 30), hm(12), None, (1, 2))]
    found = check(session, slots)
    assert found == (tt.Violation(tt.WAIT_TOO_LONG, 1, "talk", minutes=90, hard=False),)
    # The lunch break is not a wait: 11:00-12:00 then 13:00 is an hour.
    over_lunch = [Slot(1, "post", hm(10), hm(11), 1), Slot(1, "talk", hm(13), hm(13, 30), None, (1, 2))]
    assert check(session, over_lunch) == ()


def test_outside_hours_and_a_workstation_used_twice():
    session = problem(candidate(1), candidate(2))
    slots = [
        Slot(1, "post", hm(8, 30), hm(9, 30), 1),
        Slot(1, "talk", hm(9, 30), hm(10), None, (1, 2)),
        Slot(2, "post", hm(9), hm(10), 1),
        Slot(2, "talk", hm(11, 45), hm(12, 15), None, (1, 2)),
    ]
    codes = {(v.code, v.candidate) for v in check(session, slots)}
    assert {(tt.OUTSIDE_HOURS, 1), (tt.OUTSIDE_HOURS, 2), (tt.WORKSTATION_TWICE, 2)} <= codes


# No planning: each cause named -------------------------------------------------------------------


def causes(session: Problem) -> set[str]:
    outcome = solve(session, QUICK)
    assert outcome.status == INFEASIBLE
    assert outcome.slots == ()
    return {reason.code for reason in outcome.reasons}


def test_no_days():
    assert causes(problem(candidate(1), days=())) == {tt.NO_DAYS}


def test_a_full_day_without_a_lunch_break_of_45_minutes():
    short_lunch = day(opens=hm(8, 30), closes=hm(17, 30), breaks=((hm(12), hm(12, 30)),))
    reasons = solve(problem(candidate(1), days=(short_lunch,)), QUICK).reasons
    assert tt.Infeasibility(tt.BREAK_TOO_SHORT, needed=45, available=30) in reasons


def test_an_accommodated_part_longer_than_any_open_stretch():
    """Open 9:00-12:00: a 150-minute test with half as much again lasts 225 minutes."""
    long_part = replace(POST, minutes=150)
    reasons = solve(problem(candidate(1, long_part, TALK, extra_time=Fraction(1, 2))), QUICK).reasons
    assert tt.Infeasibility(tt.PART_LONGER_THAN_WINDOW, (1,), part="post", needed=225, available=180) in reasons
    assert tt.CANDIDATE_LONGER_THAN_SESSION in {r.code for r in reasons}


def test_too_few_jury_members_free_of_conflict():
    reasons = solve(problem(candidate(1, jurors=frozenset({2}))), QUICK).reasons
    assert reasons == (tt.Infeasibility(tt.TOO_FEW_FREE_JURORS, (1,), (1,), needed=2, available=1),)


def test_more_work_than_the_workstations_hold():
    """Four hours on posts, one post open three hours."""
    session = problem(*(candidate(i, POST) for i in range(1, 5)))
    assert causes(session) == {tt.WORKSTATIONS_SHORT}


def test_more_interviews_than_the_jury_has_time_for():
    """Seven 30-minute interviews, one panel of two, three hours."""
    session = problem(*(candidate(i, TALK) for i in range(1, 8)))
    reasons = solve(session, QUICK).reasons
    assert reasons == (tt.Infeasibility(tt.JURY_TIME_SHORT, jurors=(1, 2), needed=210, available=180),)


def test_a_combination_is_found_by_the_solver_and_the_rule_groups_blamed():
    """Each shortage alone fits (one hour of post, one hour of jury, in one hour), but the jury
    cannot start before someone has been on the post: the order of the parts is to blame."""
    half = replace(POST, minutes=30)
    session = problem(candidate(1, half, TALK), candidate(2, half, TALK), days=(day(closes=hm(10)),))
    assert tt.infeasibilities(session) == ()
    outcome = solve(session, QUICK)
    assert outcome.status == INFEASIBLE
    assert outcome.reasons == (tt.Infeasibility(tt.COMBINATION, part="order"),)


# The greedy planning and the bound ---------------------------------------------------------------


def test_the_greedy_planning_is_valid_and_the_bound_below_it():
    session = problem(*(candidate(i) for i in range(1, 4)), days=(day(), day(1)), workstations=2)
    slots = list_schedule(session)
    assert slots is not None
    numbered = assign_workstations(session, slots)
    assert hard(check(session, numbered)) == ()
    assert lower_bound(session) <= tt.objective(session, numbered).end


def test_the_same_seed_gives_the_same_planning():
    session = problem(*(candidate(i) for i in range(1, 4)), days=(day(), day(1)), workstations=2)
    fixed = Settings(seconds=30, workers=1, work=2.0)
    assert solve(session, fixed).slots == solve(session, fixed).slots


# The property ------------------------------------------------------------------------------------


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    days = tuple(
        day(i, opens=hm(8, 30), closes=hm(17), breaks=((hm(12), hm(13)),)) for i in range(draw(st.integers(1, 2)))
    )
    jurors = tuple(
        Juror(j, f"Membre {j}", frozenset(draw(st.sets(st.integers(0, len(days) - 1), min_size=1))))
        for j in range(1, draw(st.integers(2, 4)) + 1)
    )
    candidates = []
    for c in range(1, draw(st.integers(1, 5)) + 1):
        parts = [
            Part(
                f"p{k}",
                f"Partie {k}",
                draw(st.sampled_from((15, 30, 45, 60, 90))),
                draw(st.booleans()),
                draw(st.booleans()),
            )
            for k in range(draw(st.integers(0, 3)))
        ]
        parts.append(Part("final", "Entretien final", draw(st.sampled_from((15, 20, 30))), True, False, final=True))
        free = draw(st.sets(st.sampled_from([j.id for j in jurors]), min_size=1))
        candidates.append(
            Candidate(
                c,
                f"Candidat {c}",
                tuple(parts),
                frozenset(free),
                extra_time=draw(st.sampled_from((Fraction(0), Fraction(1, 4), Fraction(1, 3)))),
                extra_time_orals=draw(st.booleans()),
                separate_room=draw(st.booleans()),
            )
        )
    return Problem(days, tuple(candidates), jurors, draw(st.integers(0, 3)))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_every_planning_returned_passes_the_independent_checker(session: Problem):
    outcome = solve(session, Settings(seconds=1, workers=1, work=1.0))
    if outcome.slots:
        assert hard(check(session, outcome.slots)) == ()
        assert outcome.objective is not None
        assert lower_bound(session) <= outcome.objective.end
        assert outcome.end_bound is not None
        assert outcome.end_bound <= outcome.objective.end
    else:
        assert outcome.reasons, "no planning and no reason"
    greedy = list_schedule(session)
    if greedy is not None:
        assert hard(check(session, assign_workstations(session, greedy))) == ()


@pytest.mark.parametrize("minute", [hm(9, 1), hm(11, 59), hm(13, 1), hm(9, 1, day=1)])
def test_open_minutes_and_back(minute):
    """Inside a window: at a window's edge, the end of one and the start of the next are the same
    open minute, and the earliest is given."""
    session = problem(candidate(1), days=(day(closes=hm(17), breaks=((hm(12), hm(13)),)), day(1)))
    assert tt.minute_after_open(session, tt.open_minutes_until(session, minute)) == minute
