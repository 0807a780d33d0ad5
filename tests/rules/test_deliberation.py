"""Worked examples of the deliberation rules (R-02, R-06, R-45, R-50 to R-53, R-63 to R-65, R-70).

Every refusal code is shown on both sides of its condition: the refused case and
the nearest accepted one. Each example's id names its rule. Then a CCP session
that completes the title, a CCP held through a correspondence table (computed by
the standing engine), what a decision yields, and properties over generated cases.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import example as case_example
from hypothesis import given, settings
from hypothesis import strategies as st

from titrepro.rules.catalogue import CorrespondenceSpec, TitleSpec, VersionSpec
from titrepro.rules.deliberation import (
    ABSENT_RESULTS,
    DECISION_ATTENDANCE_MISSING,
    DECISION_AWARDED_INCOMPLETE,
    DECISION_CANDIDATE_ABSENT,
    DECISION_CANDIDATE_PRESENT,
    DECISION_CCP_NOT_SAT,
    DECISION_CCPS_FOR_ABSENT,
    DECISION_CCPS_MISSING,
    DECISION_ECF_MISSING,
    DECISION_EXCUSE_MISSING,
    DECISION_FAILURE_WITH_CCPS,
    DECISION_FINAL_INTERVIEW_MISSING,
    DECISION_JURY_TOO_SMALL,
    DECISION_PARTIAL_COMPLETE,
    DECISION_PARTIAL_EMPTY,
    DECISION_PORTFOLIO_MISSING,
    DECISION_REASON_MISSING,
    DECISION_RESULT_NOT_FOR_SESSION,
    Awards,
    Decision,
    Evidence,
    Refusal,
    Result,
    awards,
    check,
    held_after,
    held_ccps,
    needs_reason,
)
from titrepro.rules.parameters import Parameters
from titrepro.rules.standing import CcpHolding, Situation, TitleHolding, TitleIndex, compute_standing
from titrepro.rules.standing import SessionKind as Kind

# The order check() reports codes in (attendance, result, evidence, reason).
CODES = (
    DECISION_ATTENDANCE_MISSING,
    DECISION_CANDIDATE_ABSENT,
    DECISION_CANDIDATE_PRESENT,
    DECISION_EXCUSE_MISSING,
    DECISION_CCPS_FOR_ABSENT,
    DECISION_RESULT_NOT_FOR_SESSION,
    DECISION_CCP_NOT_SAT,
    DECISION_FAILURE_WITH_CCPS,
    DECISION_PARTIAL_EMPTY,
    DECISION_PARTIAL_COMPLETE,
    DECISION_AWARDED_INCOMPLETE,
    DECISION_FINAL_INTERVIEW_MISSING,
    DECISION_CCPS_MISSING,
    DECISION_PORTFOLIO_MISSING,
    DECISION_ECF_MISSING,
    DECISION_JURY_TOO_SMALL,
    DECISION_REASON_MISSING,
)

ALL = frozenset({1, 2, 3})
WHY = "Compétences non démontrées lors de la mise en situation professionnelle."

# A title session with a complete file: the title may be signed.
TITLE = Evidence(
    session_kind=Kind.TITLE,
    version_ccps=ALL,
    ccps_sat=ALL,
    held_before=frozenset(),
    attendance="present",
    training_route=False,
    ecf_results=False,
    portfolio=True,
    final_interview_due=False,
    final_interview_held=True,
    free_members_present=2,
)
# A CCP session: CCP 1 held from before, CCPs 2 and 3 sat, the title not yet complete.
CCP = replace(
    TITLE, session_kind=Kind.CCP, ccps_sat=frozenset({2, 3}), held_before=frozenset({1}), final_interview_held=False
)
CCS = replace(TITLE, session_kind=Kind.CCS, ccps_sat=frozenset(), final_interview_held=False)


def ev(base: Evidence = TITLE, **changes: Any) -> Evidence:
    return replace(base, **changes)


def dec(result: Result, ccps: set[int] | frozenset[int] = frozenset(), reason: str = "") -> Decision:
    return Decision(result, frozenset(ccps), reason)


def codes(decision: Decision, evidence: Evidence) -> tuple[str, ...]:
    return tuple(r.code for r in check(decision, evidence))


TITLE_OK = dec(Result.TITLE_AWARDED, ALL)


def example(rule: str, decision: Decision, evidence: Evidence, *expected: str) -> Any:
    return pytest.param(decision, evidence, expected, id=rule)


EXAMPLES = [
    # --- attendance first -------------------------------------------------------------
    example("R-45 attendance not recorded: no decision yet", TITLE_OK, ev(attendance=""), DECISION_ATTENDANCE_MISSING),
    example("R-45 attendance recorded (present): the title may be signed", TITLE_OK, TITLE),
    example(
        "R-45 late and admitted: sat the session, the title may be signed", TITLE_OK, ev(attendance="late_admitted")
    ),
    # --- absences ------------------------------------------------------------------------
    example(
        "R-70 absent candidate: no failure",
        dec(Result.FAILURE, reason=WHY),
        ev(attendance="absent"),
        DECISION_CANDIDATE_ABSENT,
    ),
    example(
        "R-70 late and refused, given the title: only the absence is said",
        TITLE_OK,
        ev(attendance="late_refused", portfolio=False, free_members_present=0),
        DECISION_CANDIDATE_ABSENT,
    ),
    example("R-70 absent candidate recorded absent", dec(Result.ABSENT), ev(attendance="absent")),
    example("R-70 late and refused recorded absent", dec(Result.ABSENT), ev(attendance="late_refused")),
    example("R-70 present candidate recorded absent", dec(Result.ABSENT), TITLE, DECISION_CANDIDATE_PRESENT),
    example(
        "R-70 late admitted candidate recorded absent excused",
        dec(Result.ABSENT_EXCUSED, reason="Certificat médical"),
        ev(attendance="late_admitted"),
        DECISION_CANDIDATE_PRESENT,
    ),
    example(
        "R-70 an absence needs no dossier, ECF, jury nor reason",
        dec(Result.ABSENT),
        ev(attendance="absent", portfolio=False, training_route=True, free_members_present=0),
    ),
    example(
        "R-70 excused absence without its justification",
        dec(Result.ABSENT_EXCUSED, reason="  "),
        ev(attendance="absent"),
        DECISION_EXCUSE_MISSING,
    ),
    example(
        "R-70 excused absence with its justification",
        dec(Result.ABSENT_EXCUSED, reason="Certificat médical"),
        ev(attendance="absent"),
    ),
    example(
        "R-70 an absence awards no CCP", dec(Result.ABSENT, {1}), ev(attendance="absent"), DECISION_CCPS_FOR_ABSENT
    ),
    # --- the result fits the session --------------------------------------------------------
    example(
        "R-70 title session: no 'awarded' result", dec(Result.AWARDED, ALL), TITLE, DECISION_RESULT_NOT_FOR_SESSION
    ),
    example("R-70 CCS session: no title", dec(Result.TITLE_AWARDED), CCS, DECISION_RESULT_NOT_FOR_SESSION),
    example(
        "R-70 CCS session: no partial success",
        dec(Result.PARTIAL_SUCCESS, reason=WHY),
        CCS,
        DECISION_RESULT_NOT_FOR_SESSION,
    ),
    example("R-70 CCS session: the CCS awarded", dec(Result.AWARDED), CCS),
    example("R-70 CCS session: the CCS refused, with its reason", dec(Result.FAILURE, reason=WHY), CCS),
    # --- only the CCPs sat are awarded ------------------------------------------------
    example(
        "R-51 CCP session: a CCP not sat is not awarded", dec(Result.AWARDED, {2, 3, 4}), CCP, DECISION_CCP_NOT_SAT
    ),
    example("R-51 CCP session: every CCP sat awarded", dec(Result.AWARDED, {2, 3}), CCP),
    example("R-70 CCS session: the CCS awards no CCP", dec(Result.AWARDED, {1}), CCS, DECISION_CCP_NOT_SAT),
    # --- failure, partial success, awarded -------------------------------------------------
    example("R-70 a failure awards no CCP", dec(Result.FAILURE, {1}, WHY), TITLE, DECISION_FAILURE_WITH_CCPS),
    example("R-70 a failure awards nothing", dec(Result.FAILURE, reason=WHY), TITLE),
    example(
        "R-70 a partial success without CCP", dec(Result.PARTIAL_SUCCESS, reason=WHY), TITLE, DECISION_PARTIAL_EMPTY
    ),
    example("R-70 a partial success with one CCP", dec(Result.PARTIAL_SUCCESS, {1}, WHY), TITLE),
    example(
        "R-70 title session: every CCP awarded is the title",
        dec(Result.PARTIAL_SUCCESS, ALL, WHY),
        TITLE,
        DECISION_PARTIAL_COMPLETE,
    ),
    example(
        "R-70 title session: CCPs awarded plus those held make the title",
        dec(Result.PARTIAL_SUCCESS, {1, 2}, WHY),
        ev(held_before=frozenset({3})),
        DECISION_PARTIAL_COMPLETE,
    ),
    example(
        "R-70 title session: CCP 3 held, CCP 1 awarded, CCP 2 missing",
        dec(Result.PARTIAL_SUCCESS, {1}, WHY),
        ev(held_before=frozenset({3})),
    ),
    example(
        "R-70 CCP session: every CCP sat awarded is 'awarded'",
        dec(Result.PARTIAL_SUCCESS, {2, 3}, WHY),
        CCP,
        DECISION_PARTIAL_COMPLETE,
    ),
    example("R-70 CCP session: one of the two CCPs sat awarded", dec(Result.PARTIAL_SUCCESS, {2}, WHY), CCP),
    example(
        "R-70 CCP session: 'awarded' with a CCP sat not awarded",
        dec(Result.AWARDED, {2}, WHY),
        CCP,
        DECISION_AWARDED_INCOMPLETE,
    ),
    # --- the title ---------------------------------------------------------------
    example(
        "R-50 the title without the final interview",
        TITLE_OK,
        ev(final_interview_held=False),
        DECISION_FINAL_INTERVIEW_MISSING,
    ),
    example(
        "R-50 a partial success needs no final interview",
        dec(Result.PARTIAL_SUCCESS, {1}, WHY),
        ev(final_interview_held=False),
    ),
    example(
        "R-02 the title with a CCP neither held nor awarded",
        dec(Result.TITLE_AWARDED, {1, 2}),
        TITLE,
        DECISION_CCPS_MISSING,
    ),
    example(
        "R-06 the title: CCP 3 held from before, CCPs 1 and 2 awarded",
        dec(Result.TITLE_AWARDED, {1, 2}),
        ev(held_before=frozenset({3})),
    ),
    # --- what the jury had ---------------------------------------------------------
    example(
        "R-52 the title without the dossier professionnel", TITLE_OK, ev(portfolio=False), DECISION_PORTFOLIO_MISSING
    ),
    example(
        "R-52 a failure without the dossier professionnel",
        dec(Result.FAILURE, reason=WHY),
        ev(portfolio=False),
        DECISION_PORTFOLIO_MISSING,
    ),
    example("R-50 training route without the ECF results", TITLE_OK, ev(training_route=True), DECISION_ECF_MISSING),
    example("R-50 training route with the ECF results", TITLE_OK, ev(training_route=True, ecf_results=True)),
    example("R-50 VAE route: no ECF needed", TITLE_OK, ev(training_route=False, ecf_results=False)),
    # --- jury size -----------------------------------------------------------------------
    example("R-63 one free member deliberated", TITLE_OK, ev(free_members_present=1), DECISION_JURY_TOO_SMALL),
    example("R-63 two free members deliberated", TITLE_OK, ev(free_members_present=2)),
    example(
        "R-64 a failure with no free member",
        dec(Result.FAILURE, reason=WHY),
        ev(free_members_present=0),
        DECISION_JURY_TOO_SMALL,
    ),
    # --- the written reason of a refusal -------------------------------------------------------
    example("R-65 a failure without a reason", dec(Result.FAILURE), TITLE, DECISION_REASON_MISSING),
    example("R-65 a failure with a blank reason", dec(Result.FAILURE, reason=" \n"), TITLE, DECISION_REASON_MISSING),
    example(
        "R-65 a partial success without a reason", dec(Result.PARTIAL_SUCCESS, {1}), TITLE, DECISION_REASON_MISSING
    ),
    example("R-65 the title needs no reason", TITLE_OK, TITLE),
    example("R-65 CCS session: a refusal without a reason", dec(Result.FAILURE), CCS, DECISION_REASON_MISSING),
    example("R-65 CCS session: the CCS awarded needs no reason", dec(Result.AWARDED), CCS),
    example(
        "R-65 CCP session: a CCP sat not awarded needs a reason",
        dec(Result.AWARDED, {2}),
        CCP,
        DECISION_AWARDED_INCOMPLETE,
        DECISION_REASON_MISSING,
    ),
    example("R-65 CCP session: every CCP sat awarded needs no reason", dec(Result.AWARDED, {2, 3}), CCP),
]


@pytest.mark.parametrize(("decision", "evidence", "expected"), EXAMPLES)
def test_worked_examples(decision: Decision, evidence: Evidence, expected: tuple[str, ...]) -> None:
    assert codes(decision, evidence) == expected


def test_refusals_carry_their_rule_ccps_and_count() -> None:
    """R-70, R-02, R-63: the CCPs at fault are sorted; the jury size says who was present."""
    assert check(dec(Result.AWARDED, {4, 3, 2, 0}), CCP) == (Refusal(DECISION_CCP_NOT_SAT, "R-70", (0, 4)),)
    assert check(dec(Result.TITLE_AWARDED, {2}), TITLE) == (Refusal(DECISION_CCPS_MISSING, "R-02", (1, 3)),)
    assert check(dec(Result.ABSENT, {3, 1}), ev(attendance="absent")) == (
        Refusal(DECISION_CCPS_FOR_ABSENT, "R-70", (1, 3)),
    )
    assert check(TITLE_OK, ev(free_members_present=1)) == (Refusal(DECISION_JURY_TOO_SMALL, "R-63", count=1),)
    assert check(dec(Result.FAILURE), TITLE) == (Refusal(DECISION_REASON_MISSING, "R-65"),)


def test_r50_r51_r53_the_ecf_rule_follows_the_session_kind() -> None:
    def rule(evidence: Evidence, decision: Decision) -> str:
        (refusal,) = check(decision, replace(evidence, training_route=True))
        return refusal.rule

    assert rule(TITLE, TITLE_OK) == "R-50"
    assert rule(CCP, dec(Result.AWARDED, {2, 3})) == "R-51"
    assert rule(CCS, dec(Result.AWARDED)) == "R-53"


def test_r63_the_minimum_is_a_parameter() -> None:
    three = Parameters(jury_min_members=3)
    assert check(TITLE_OK, TITLE, three) == (Refusal(DECISION_JURY_TOO_SMALL, "R-63", count=2),)
    assert check(TITLE_OK, ev(free_members_present=3), three) == ()


def test_every_fault_at_once_in_the_stable_order() -> None:
    """R-70, R-50, R-02, R-52, R-63, R-65: all reasons are given, in the order of CODES."""
    evidence = ev(CCP, final_interview_due=True, portfolio=False, training_route=True, free_members_present=0)
    assert codes(dec(Result.TITLE_AWARDED, {2, 5}), evidence) == (
        DECISION_CCP_NOT_SAT,
        DECISION_AWARDED_INCOMPLETE,
        DECISION_FINAL_INTERVIEW_MISSING,
        DECISION_CCPS_MISSING,
        DECISION_PORTFOLIO_MISSING,
        DECISION_ECF_MISSING,
        DECISION_JURY_TOO_SMALL,
        DECISION_REASON_MISSING,
    )


def test_r45_an_unknown_attendance_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown attendance"):
        check(TITLE_OK, ev(attendance="excused"))


# --- (a) a CCP session that completes the title (R-50, R-70) --------------------------------------------

COMPLETING = ev(
    CCP,
    ccps_sat=frozenset({3}),
    held_before=frozenset({1, 2}),
    final_interview_due=True,
    final_interview_held=True,
)


def test_r50_ccp_session_completing_the_title_with_the_final_interview_awards_it() -> None:
    decision = dec(Result.TITLE_AWARDED, {3})
    assert check(decision, COMPLETING) == ()
    assert awards(decision, COMPLETING) == Awards(frozenset({3}), title=True, ccs=False)
    assert held_after(decision, COMPLETING) == ALL


def test_r50_ccp_session_completing_the_title_without_the_final_interview_is_refused() -> None:
    evidence = replace(COMPLETING, final_interview_held=False)
    assert codes(dec(Result.TITLE_AWARDED, {3}), evidence) == (DECISION_FINAL_INTERVIEW_MISSING,)
    # The CCP alone may still be signed; the title waits for the final interview.
    assert check(dec(Result.AWARDED, {3}), evidence) == ()


def test_r70_ccp_session_not_completing_the_title_cannot_award_it() -> None:
    evidence = replace(COMPLETING, final_interview_due=False)
    assert codes(dec(Result.TITLE_AWARDED, {3}), evidence) == (DECISION_RESULT_NOT_FOR_SESSION,)


# --- (b) a CCP held through a correspondence table, read from the standing engine --------------

MAPPED_CODE = "TP-99902"
MAPPED = TitleIndex(
    TitleSpec(
        MAPPED_CODE,
        (
            VersionSpec(
                label="2019",
                valid_from=date(2019, 1, 1),
                valid_until=date(2024, 12, 31),
                status="revised",
                predecessor=None,
                ccps=ALL,
            ),
            VersionSpec(
                label="2025",
                valid_from=date(2025, 1, 1),
                valid_until=None,
                status="in_force",
                predecessor="2019",
                ccps=ALL,
                correspondences=(
                    CorrespondenceSpec(ccp=1, from_version="2019", from_ccps=frozenset({1})),
                    CorrespondenceSpec(ccp=2, from_version="2019", from_ccps=frozenset({2, 3})),
                ),
            ),
        ),
    )
)
DELIBERATION_DAY = date(2025, 6, 20)


def _held(*holdings: CcpHolding | TitleHolding) -> frozenset[int]:
    standing = compute_standing(MAPPED, Situation(MAPPED_CODE, DELIBERATION_DAY, holdings=holdings))
    return held_ccps(standing, "2025")


def _ccp(version: str, number: int, obtained_on: date) -> CcpHolding:
    return CcpHolding(MAPPED_CODE, version, number, obtained_on)


def test_r06_the_mapped_ccp_counts_toward_the_title() -> None:
    """Old CCPs 2 and 3 give new CCP 2; with new CCP 3 held, CCP 1 sat completes the 2025 title."""
    held = _held(
        _ccp("2019", 2, date(2023, 3, 1)), _ccp("2019", 3, date(2023, 9, 1)), _ccp("2025", 3, date(2025, 3, 1))
    )
    assert held == {2, 3}
    evidence = ev(COMPLETING, ccps_sat=frozenset({1}), held_before=held)
    decision = dec(Result.TITLE_AWARDED, {1})
    assert check(decision, evidence) == ()
    assert held_after(decision, evidence) == ALL


def test_r06_without_the_whole_source_of_the_line_the_title_is_refused() -> None:
    """Old CCP 2 alone maps to nothing (the line needs old CCPs 2 and 3): new CCP 2 is missing."""
    held = _held(_ccp("2019", 2, date(2023, 3, 1)), _ccp("2025", 3, date(2025, 3, 1)))
    assert held == {3}
    evidence = ev(COMPLETING, ccps_sat=frozenset({1}), held_before=held)
    assert check(dec(Result.TITLE_AWARDED, {1}), evidence) == (Refusal(DECISION_CCPS_MISSING, "R-02", (2,)),)


def test_r06_held_ccps_of_a_version_not_offered_is_empty() -> None:
    """R-07, R-08: after the year of grace the old version is no option; a title holder has none."""
    old = (_ccp("2019", 1, date(2020, 1, 1)),)
    in_grace = compute_standing(MAPPED, Situation(MAPPED_CODE, DELIBERATION_DAY, holdings=old))
    assert held_ccps(in_grace, "2019") == {1}
    assert held_ccps(in_grace, "2025") == {1}
    assert held_ccps(in_grace, "2030") == frozenset()
    after_grace = compute_standing(MAPPED, Situation(MAPPED_CODE, date(2026, 1, 1), holdings=old))
    assert held_ccps(after_grace, "2019") == frozenset()
    assert held_ccps(after_grace, "2025") == {1}
    assert _held(TitleHolding(MAPPED_CODE, "2019", date(2024, 6, 1))) == frozenset()


# --- awards and held_after (R-70, R-73) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "evidence", "expected"),
    [
        pytest.param(
            dec(Result.TITLE_AWARDED, {1, 2}),
            ev(held_before=frozenset({3})),
            Awards(frozenset({1, 2}), True, False),
            id="R-70 title: the CCPs not held before, and the title",
        ),
        pytest.param(
            dec(Result.PARTIAL_SUCCESS, {1}, WHY),
            TITLE,
            Awards(frozenset({1}), False, False),
            id="R-73 partial success: its CCPs",
        ),
        pytest.param(
            dec(Result.AWARDED, {2, 3}), CCP, Awards(frozenset({2, 3}), False, False), id="R-70 CCP session: its CCPs"
        ),
        pytest.param(dec(Result.AWARDED), CCS, Awards(frozenset(), False, True), id="R-70 CCS session: the CCS"),
        pytest.param(
            dec(Result.FAILURE, reason=WHY), TITLE, Awards(frozenset(), False, False), id="R-70 failure: nothing"
        ),
        pytest.param(
            dec(Result.ABSENT), ev(attendance="absent"), Awards(frozenset(), False, False), id="R-70 absence: nothing"
        ),
    ],
)
def test_awards(decision: Decision, evidence: Evidence, expected: Awards) -> None:
    assert check(decision, evidence) == ()
    assert awards(decision, evidence) == expected
    assert held_after(decision, evidence) == evidence.held_before | expected.ccps


def test_r65_needs_reason() -> None:
    assert needs_reason(dec(Result.FAILURE), CCS)
    assert needs_reason(dec(Result.AWARDED, {2}), CCP)
    assert not needs_reason(dec(Result.AWARDED, {2, 3}), CCP)
    assert not needs_reason(TITLE_OK, TITLE)
    assert not needs_reason(dec(Result.ABSENT_EXCUSED), TITLE)


# --- (c) properties over generated cases -------------------------------------------------------------------

NUMBERS = st.frozensets(st.integers(1, 4), max_size=4)
FLAG = st.sampled_from([True, True, True, False])  # mostly a complete file, so that valid decisions are drawn


@st.composite
def cases(draw: st.DrawFn) -> tuple[Decision, Evidence]:
    """A registration and a decision; the CCPs are often coherent (sat within the version,
    awarded among those sat or those missing) so that every result is also drawn accepted."""
    version = draw(NUMBERS)
    sat = draw(st.one_of(NUMBERS, st.just(version), st.frozensets(st.sampled_from(sorted(version or {1})))))
    held = draw(st.one_of(NUMBERS, st.just(version - sat)))
    evidence = Evidence(
        session_kind=draw(st.sampled_from(list(Kind))),
        version_ccps=version,
        ccps_sat=sat,
        held_before=held,
        attendance=draw(st.sampled_from(["present", "present", "late_admitted", "absent", "late_refused", ""])),
        training_route=draw(st.booleans()),
        ecf_results=draw(FLAG),
        portfolio=draw(FLAG),
        final_interview_due=draw(st.booleans()),
        final_interview_held=draw(FLAG),
        free_members_present=draw(st.integers(0, 4)),
    )
    awarded = draw(st.one_of(NUMBERS, st.just(sat), st.just(sat - held), st.just(frozenset())))
    reason = draw(st.sampled_from(["", "  ", WHY]))
    return Decision(draw(st.sampled_from(list(Result))), awarded, reason), evidence


@settings(max_examples=600)
@given(cases())
@case_example((dec(Result.TITLE_AWARDED, {3}), COMPLETING))
@case_example((dec(Result.TITLE_AWARDED, {1, 2}), ev(held_before=frozenset({3}))))
def test_a_signed_title_means_every_ccp_held_and_the_final_interview(case: tuple[Decision, Evidence]) -> None:
    """R-02, R-06, R-50: whatever the case, check() answers; a title it accepts is complete."""
    decision, evidence = case
    refusals = check(decision, evidence)
    if not refusals and decision.result is Result.TITLE_AWARDED:
        assert evidence.version_ccps <= held_after(decision, evidence)
        assert evidence.final_interview_held


@settings(max_examples=600)
@given(cases())
def test_refusals_are_ordered_and_well_formed(case: tuple[Decision, Evidence]) -> None:
    """The codes come once each, in the order of CODES, with their CCPs sorted (R-70)."""
    decision, evidence = case
    found = check(decision, evidence)
    positions = [CODES.index(r.code) for r in found]
    assert positions == sorted(set(positions))
    assert all(r.ccps == tuple(sorted(set(r.ccps))) and r.rule.startswith("R-") for r in found)


@settings(max_examples=600)
@given(cases())
def test_an_accepted_decision_awards_only_what_was_sat(case: tuple[Decision, Evidence]) -> None:
    """R-45, R-51, R-70: an accepted decision awards only CCPs sat, to a candidate who sat."""
    decision, evidence = case
    if check(decision, evidence):
        return
    got = awards(decision, evidence)
    assert got.ccps <= evidence.ccps_sat
    assert not got.title or evidence.session_kind is not Kind.CCS
    assert not got.ccs or evidence.session_kind is Kind.CCS
    if evidence.attendance in ("absent", "late_refused") or decision.result in ABSENT_RESULTS:
        assert got == Awards(frozenset(), False, False)
        assert decision.result in ABSENT_RESULTS
    else:
        assert evidence.portfolio
        assert evidence.free_members_present >= 2
        assert not needs_reason(decision, evidence) or decision.reason.strip()
