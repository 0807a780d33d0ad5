"""Worked examples of the session rules (R-08, R-30, R-33, R-43, R-62, R-63, R-64, R-66), dates on both sides of each limit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from titrepro.rules.parameters import Parameters
from titrepro.rules.sessions import (
    APPROVAL_ENDS_BEFORE_SESSION,
    APPROVAL_MISSING,
    APPROVAL_NOT_YET_VALID,
    APPROVAL_SUSPENDED,
    APPROVAL_WITHDRAWN,
    CONVOCATION_TOO_LATE,
    EXTENSION_DECLARED_TOO_LATE,
    EXTENSION_WITHOUT_APPROVAL,
    HABILITATION_ENDED,
    HABILITATION_ENDS_BEFORE_SESSION,
    HABILITATION_MISSING,
    HABILITATION_NOT_YET_VALID,
    JURY_CONFLICTED_FOR_CANDIDATE,
    JURY_TOO_SMALL,
    LEAVE_REQUEST_TOO_LATE,
    SESSION_DATES_REVERSED,
    VERSION_CLOSED,
    VERSION_NOT_STARTED,
    ApprovalFacts,
    CandidateTies,
    Conflict,
    ConflictKind,
    Coverage,
    HabilitationFacts,
    MemberTies,
    SessionReason,
    VersionPeriod,
    conflicts,
    convocation_deadline,
    convocation_refusal,
    habilitation_covers,
    jury_check,
    leave_request_deadline,
    leave_request_refusal,
    normalised_name,
    periods_overlap,
    session_coverage,
)
from titrepro.rules.standing import SessionKind

DAY = timedelta(days=1)
VERSION = VersionPeriod(date(2021, 1, 1), date(2025, 12, 31))
OPEN_VERSION = VersionPeriod(date(2021, 1, 1), None)
TODAY = date(2024, 1, 10)


def approval(
    ident: int = 1,
    granted_on: date = date(2021, 3, 1),
    valid_until: date = date(2025, 12, 31),
    status: str = "active",
    **dates: date,
) -> ApprovalFacts:
    return ApprovalFacts(ident, granted_on, valid_until, status, **dates)


def cover(
    approvals: list[ApprovalFacts],
    first: date,
    last: date,
    *,
    version: VersionPeriod = VERSION,
    declared_on: date | None = TODAY,
    on: date = TODAY,
) -> Coverage:
    return session_coverage(approvals, version, first, last, declared_on=declared_on, on=on)


def codes(coverage: Coverage) -> list[str]:
    return [reason.code for reason in coverage.reasons]


# Session dates ---------------------------------------------------------------------------


def test_dates_reversed_and_version_not_started() -> None:
    assert codes(cover([approval()], date(2024, 3, 2), date(2024, 3, 1))) == [SESSION_DATES_REVERSED]
    assert cover([approval()], date(2024, 3, 1), date(2024, 3, 1)).allowed
    early = cover([approval(granted_on=date(2020, 1, 1))], date(2020, 12, 31), date(2021, 1, 2))
    assert early.reasons == (SessionReason(VERSION_NOT_STARTED, on=date(2021, 1, 1)),)
    assert cover([approval(granted_on=date(2020, 1, 1))], date(2021, 1, 1), date(2021, 1, 2)).allowed


# an approval covers every day of the session ------------------------------------------


def test_r30_session_on_the_approvals_last_day_is_covered_the_next_day_is_not() -> None:
    short = approval(7, valid_until=date(2024, 6, 30))
    inside = cover([short], date(2024, 6, 28), date(2024, 6, 30))
    assert inside == Coverage(True, approval=7)
    outside = cover([short], date(2024, 6, 29), date(2024, 7, 1))
    assert not outside.allowed
    assert outside.reasons == (SessionReason(APPROVAL_ENDS_BEFORE_SESSION, on=date(2024, 6, 30), subject=7),)


def test_r30_session_from_the_grant_day_is_covered_the_day_before_is_not() -> None:
    late = approval(3, granted_on=date(2024, 2, 1))
    assert cover([late], date(2024, 2, 1), date(2024, 2, 3)).allowed
    refused = cover([late], date(2024, 1, 31), date(2024, 2, 3))
    assert refused.reasons == (SessionReason(APPROVAL_NOT_YET_VALID, on=date(2024, 2, 1), subject=3),)


def test_r30_no_approval_at_all() -> None:
    assert codes(cover([], date(2024, 3, 1), date(2024, 3, 2))) == [APPROVAL_MISSING]


def test_r30_two_approvals_one_covers() -> None:
    old = approval(1, date(2021, 3, 1), date(2023, 12, 31))
    new = approval(2, date(2024, 1, 1), date(2025, 12, 31))
    assert cover([old, new], date(2024, 3, 1), date(2024, 3, 2)).approval == 2
    assert cover([old, new], date(2023, 12, 1), date(2023, 12, 2), on=date(2023, 11, 1)).approval == 1
    # Straddling both: neither covers every day; the reasons are those of the closest
    # (the new one misses one day, the old one three).
    straddling = cover([old, new], date(2023, 12, 31), date(2024, 1, 3), on=date(2023, 12, 1))
    assert not straddling.allowed
    assert straddling.reasons == (SessionReason(APPROVAL_NOT_YET_VALID, on=date(2024, 1, 1), subject=2),)


def test_r30_an_expired_approval_covers_nothing_from_today() -> None:
    expired = approval(4, valid_until=date(2025, 12, 31), status="expired")
    refused = cover([expired], date(2024, 3, 1), date(2024, 3, 2))
    assert refused.reasons == (SessionReason(APPROVAL_ENDS_BEFORE_SESSION, on=TODAY - DAY, subject=4),)
    # A session already held under it, checked again afterwards, stays covered.
    assert cover([expired], date(2023, 11, 6), date(2023, 11, 8)).allowed


def test_r30_version_without_end() -> None:
    assert cover(
        [approval(valid_until=date(2030, 1, 1))], date(2029, 12, 1), date(2029, 12, 2), version=OPEN_VERSION
    ).allowed


# suspension and withdrawal --------------------------------------------------------------


def test_r33_a_suspended_approval_covers_nothing_while_suspended() -> None:
    suspended = approval(5, status="suspended", suspended_on=date(2024, 1, 5))
    refused = cover([suspended], date(2024, 3, 1), date(2024, 3, 2))
    assert refused.reasons == (SessionReason(APPROVAL_SUSPENDED, on=date(2024, 1, 5), subject=5),)
    # The days before the suspension were covered: a session that ended on the 4th.
    assert cover([suspended], date(2024, 1, 3), date(2024, 1, 4)).allowed
    assert not cover([suspended], date(2024, 1, 4), date(2024, 1, 5)).allowed
    unknown = approval(5, status="suspended")
    assert codes(cover([unknown], date(2023, 6, 1), date(2023, 6, 2))) == [APPROVAL_SUSPENDED]


def test_r33_a_withdrawn_approval_covers_nothing_after_the_withdrawal() -> None:
    withdrawn = approval(6, status="withdrawn", withdrawn_on=date(2023, 12, 1))
    refused = cover([withdrawn], date(2024, 3, 1), date(2024, 3, 2))
    assert refused.reasons == (SessionReason(APPROVAL_WITHDRAWN, on=date(2023, 12, 1), subject=6),)
    assert cover([withdrawn], date(2023, 11, 29), date(2023, 11, 30)).allowed
    assert not cover([withdrawn], date(2023, 11, 30), date(2023, 12, 1)).allowed
    assert codes(cover([approval(6, status="withdrawn")], date(2022, 1, 1), date(2022, 1, 2))) == [APPROVAL_WITHDRAWN]


def test_r33_an_active_approval_wins_over_a_suspended_one() -> None:
    suspended = approval(1, status="suspended", suspended_on=date(2023, 1, 1))
    active = approval(2, granted_on=date(2023, 6, 1))
    assert cover([suspended, active], date(2024, 3, 1), date(2024, 3, 2)).approval == 2


def test_unknown_status_is_an_input_error() -> None:
    with pytest.raises(ValueError, match="unknown status"):
        cover([approval(status="revoked")], date(2024, 3, 1), date(2024, 3, 2))


# the extension year ------------------------------------------------------------------------

END = date(2025, 12, 31)


def test_r08_extension_session_declared_by_the_end_of_validity() -> None:
    result = cover([approval(9)], date(2026, 3, 2), date(2026, 3, 4), declared_on=END, on=date(2026, 2, 1))
    assert result == Coverage(True, approval=9, extension=True)


def test_r08_extension_session_declared_the_day_after_the_end_is_refused() -> None:
    result = cover([approval(9)], date(2026, 3, 2), date(2026, 3, 4), declared_on=END + DAY, on=date(2026, 2, 1))
    assert result.extension
    assert result.reasons == (SessionReason(EXTENSION_DECLARED_TOO_LATE, on=END),)
    assert result.approval == 9


def test_r08_a_draft_extension_session_is_not_declared() -> None:
    result = cover([approval(9)], date(2026, 3, 2), date(2026, 3, 4), declared_on=None, on=date(2025, 11, 1))
    assert codes(result) == [EXTENSION_DECLARED_TOO_LATE]


def test_r08_last_day_of_the_extension_year_and_the_day_after() -> None:
    inside = cover([approval()], date(2026, 12, 30), date(2026, 12, 31), declared_on=date(2025, 6, 1))
    assert inside.allowed
    outside = cover([approval()], date(2026, 12, 31), date(2027, 1, 1), declared_on=date(2025, 6, 1))
    assert outside.reasons == (SessionReason(VERSION_CLOSED, on=date(2026, 12, 31)),)


def test_r08_past_the_extension_year_and_declared_late_gives_both_reasons() -> None:
    result = cover([approval()], date(2027, 2, 1), date(2027, 2, 2), declared_on=date(2026, 1, 5))
    assert codes(result) == [VERSION_CLOSED, EXTENSION_DECLARED_TOO_LATE]


def test_r08_needs_the_approval_in_force_on_the_last_day_of_validity() -> None:
    ended_before = approval(1, valid_until=date(2025, 12, 30), status="expired")
    result = cover([ended_before], date(2026, 3, 2), date(2026, 3, 3), declared_on=date(2025, 6, 1))
    assert result.reasons == (SessionReason(EXTENSION_WITHOUT_APPROVAL, on=END),)
    assert codes(cover([], date(2026, 3, 2), date(2026, 3, 3), declared_on=date(2025, 6, 1))) == [
        EXTENSION_WITHOUT_APPROVAL
    ]
    # Its own end does not limit the extension year; "expired" is its normal state then.
    expired = approval(2, status="expired")
    assert cover([expired], date(2026, 11, 2), date(2026, 11, 3), declared_on=date(2025, 6, 1)).approval == 2


def test_r08_approval_suspended_or_withdrawn_since_the_end() -> None:
    suspended = approval(3, status="suspended", suspended_on=date(2026, 2, 1))
    result = cover([suspended], date(2026, 3, 2), date(2026, 3, 3), declared_on=date(2025, 6, 1))
    assert result.reasons == (SessionReason(APPROVAL_SUSPENDED, on=date(2026, 2, 1), subject=3),)
    withdrawn = approval(4, status="withdrawn", withdrawn_on=date(2026, 2, 1))
    result = cover([withdrawn], date(2026, 3, 2), date(2026, 3, 3), declared_on=date(2025, 6, 1))
    assert result.reasons == (SessionReason(APPROVAL_WITHDRAWN, on=date(2026, 2, 1), subject=4),)
    # A session held before the withdrawal was covered.
    assert cover([withdrawn], date(2026, 1, 20), date(2026, 1, 21), declared_on=date(2025, 6, 1)).allowed


def test_r08_a_session_straddling_the_end_is_an_extension_session() -> None:
    straddling = cover([approval()], date(2025, 12, 30), date(2026, 1, 2), declared_on=date(2025, 12, 1))
    assert straddling == Coverage(True, approval=1, extension=True)
    assert codes(cover([approval()], date(2025, 12, 30), date(2026, 1, 2), declared_on=date(2026, 1, 1))) == [
        EXTENSION_DECLARED_TOO_LATE
    ]
    # Its days before the end still need the approval granted by the first day.
    late = approval(5, granted_on=date(2025, 12, 31))
    assert cover([late], date(2025, 12, 30), date(2026, 1, 2), declared_on=date(2025, 12, 1)).reasons == (
        SessionReason(APPROVAL_NOT_YET_VALID, on=date(2025, 12, 31), subject=5),
    )
    # Ending on the last day of validity is a normal session.
    assert not cover([approval()], date(2025, 12, 30), date(2025, 12, 31), declared_on=None).extension


# convocation lead times -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first_day", "deadline"),
    [
        (date(2024, 3, 15), date(2024, 2, 15)),
        (date(2024, 3, 31), date(2024, 2, 29)),  # no 31 February: the month's last day
        (date(2025, 3, 31), date(2025, 2, 28)),
        (date(2024, 1, 10), date(2023, 12, 10)),
    ],
)
def test_r43_title_session_one_calendar_month_before(first_day: date, deadline: date) -> None:
    assert convocation_deadline(SessionKind.TITLE, first_day) == deadline
    assert convocation_refusal(SessionKind.TITLE, first_day, deadline) is None
    assert convocation_refusal(SessionKind.TITLE, first_day, deadline + DAY) == SessionReason(
        CONVOCATION_TOO_LATE, on=deadline
    )


@pytest.mark.parametrize("kind", [SessionKind.CCP, SessionKind.CCS])
def test_r43_ccp_and_ccs_sessions_fifteen_days_before(kind: SessionKind) -> None:
    first_day = date(2024, 3, 16)
    assert convocation_deadline(kind, first_day) == date(2024, 3, 1)
    assert convocation_refusal(kind, first_day, date(2024, 3, 1)) is None
    assert convocation_refusal(kind, first_day, date(2024, 3, 2)) == SessionReason(
        CONVOCATION_TOO_LATE, on=date(2024, 3, 1)
    )


def test_r43_lead_times_are_parameters() -> None:
    """The COVID texts shortened the delays (R-43): the same rule with other parameters."""
    short = Parameters(convocation_months_title=0, convocation_days_ccp_ccs=7)
    assert convocation_deadline(SessionKind.TITLE, date(2024, 3, 16), short) == date(2024, 3, 16)
    assert convocation_deadline(SessionKind.CCP, date(2024, 3, 16), short) == date(2024, 3, 9)


# leave request of an employed jury member -----------------------------------------------------


def test_r66_leave_requested_fifteen_days_before() -> None:
    assert leave_request_deadline(date(2024, 3, 16)) == date(2024, 3, 1)
    assert leave_request_refusal(date(2024, 3, 16), date(2024, 3, 1)) is None
    assert leave_request_refusal(date(2024, 3, 16), date(2024, 3, 2)) == SessionReason(
        LEAVE_REQUEST_TOO_LATE, on=date(2024, 3, 1)
    )
    assert leave_request_deadline(date(2024, 3, 16), Parameters(leave_request_days=20)) == date(2024, 2, 25)


# Overlap of two sessions ---------------------------------------------------------------------------


def test_periods_touching_on_a_day_overlap_the_next_day_does_not() -> None:
    assert periods_overlap(date(2024, 3, 1), date(2024, 3, 3), date(2024, 3, 3), date(2024, 3, 5))
    assert not periods_overlap(date(2024, 3, 1), date(2024, 3, 3), date(2024, 3, 4), date(2024, 3, 5))
    assert periods_overlap(date(2024, 3, 1), date(2024, 3, 10), date(2024, 3, 4), date(2024, 3, 5))
    assert periods_overlap(date(2024, 3, 4), date(2024, 3, 4), date(2024, 3, 4), date(2024, 3, 4))


# habilitation on the session days -------------------------------------------------------------


def habilitation(
    ident: int = 1,
    granted_on: date = date(2022, 1, 1),
    valid_until: date = date(2025, 12, 31),
    ended_on: date | None = None,
) -> HabilitationFacts:
    return HabilitationFacts(ident, granted_on, valid_until, ended_on)


def test_r62_habilitation_on_both_sides_of_its_dates() -> None:
    h = habilitation(2, date(2022, 1, 10), date(2024, 6, 30))
    assert habilitation_covers([h], date(2022, 1, 10), date(2024, 6, 30), version_end=END) is None
    assert habilitation_covers([h], date(2022, 1, 9), date(2022, 1, 11), version_end=END) == SessionReason(
        HABILITATION_NOT_YET_VALID, on=date(2022, 1, 10), subject=2
    )
    assert habilitation_covers([h], date(2024, 6, 30), date(2024, 7, 1), version_end=END) == SessionReason(
        HABILITATION_ENDS_BEFORE_SESSION, on=date(2024, 6, 30), subject=2
    )


def test_r62_no_habilitation() -> None:
    assert habilitation_covers([], date(2024, 3, 1), date(2024, 3, 2), version_end=END) == SessionReason(
        HABILITATION_MISSING
    )


def test_r62_an_ended_habilitation_covers_the_days_before_its_end_only() -> None:
    h = habilitation(3, ended_on=date(2024, 3, 5))
    assert habilitation_covers([h], date(2024, 3, 3), date(2024, 3, 4), version_end=END) is None
    assert habilitation_covers([h], date(2024, 3, 4), date(2024, 3, 5), version_end=END) == SessionReason(
        HABILITATION_ENDED, on=date(2024, 3, 5), subject=3
    )


def test_r62_the_closest_habilitation_gives_the_reason() -> None:
    old = habilitation(1, date(2018, 1, 1), date(2020, 12, 31))
    renewed = habilitation(2, date(2024, 3, 5), date(2025, 12, 31))
    assert habilitation_covers([old, renewed], date(2024, 3, 4), date(2024, 3, 5), version_end=END) == SessionReason(
        HABILITATION_NOT_YET_VALID, on=date(2024, 3, 5), subject=2
    )
    assert habilitation_covers([old, renewed], date(2024, 3, 5), date(2024, 3, 6), version_end=END) is None


def test_r62_extension_year_a_habilitation_valid_on_the_versions_last_day_counts() -> None:
    """Decision: habilitations end with their version, extension-year sessions still need a jury."""
    h = habilitation(4, valid_until=END)
    assert habilitation_covers([h], date(2026, 6, 1), date(2026, 6, 2), version_end=END) is None
    ended_with_a_day_to_spare = habilitation(5, valid_until=END - DAY)
    assert habilitation_covers(
        [ended_with_a_day_to_spare], date(2026, 6, 1), date(2026, 6, 2), version_end=END
    ) == SessionReason(HABILITATION_ENDS_BEFORE_SESSION, on=END - DAY, subject=5)
    # Ended early during the extension year: only the days before the end are covered.
    ended = habilitation(6, valid_until=END, ended_on=date(2026, 6, 2))
    assert habilitation_covers([ended], date(2026, 5, 30), date(2026, 6, 1), version_end=END) is None
    assert habilitation_covers([ended], date(2026, 6, 1), date(2026, 6, 2), version_end=END) == SessionReason(
        HABILITATION_ENDED, on=date(2026, 6, 2), subject=6
    )
    # Without that decision (no version end given), the same habilitation would not cover it.
    assert habilitation_covers([h], date(2026, 6, 1), date(2026, 6, 2), version_end=None) == SessionReason(
        HABILITATION_ENDS_BEFORE_SESSION, on=END, subject=4
    )


# conflicts of interest --------------------------------------------------------------------------


def test_r64_names_are_normalised() -> None:
    assert normalised_name("Acme SAS") == normalised_name("ACME") == "acme"
    assert normalised_name("Écoles Réunies") == normalised_name("ecoles reunies") == "ecoles reunies"
    assert normalised_name("  Le  Garage,   du Centre (S.A.R.L.) ") == "le garage du centre"
    assert normalised_name("Sasha Transports") == "sasha transports"
    assert normalised_name("SA") == normalised_name(" - ") == ""


def test_r64_employer_conflict() -> None:
    member = MemberTies(10, employers=frozenset({"ACME"}))
    candidate = CandidateTies(20, centre=None, employers=frozenset({"Acme SAS"}))
    assert conflicts(member, candidate) == (Conflict(10, 20, ConflictKind.EMPLOYER, "Acme SAS"),)


def test_r64_training_provider_conflict() -> None:
    member = MemberTies(10, providers=frozenset({"ecoles reunies"}))
    candidate = CandidateTies(20, centre=None, providers=frozenset({"Écoles Réunies"}))
    assert conflicts(member, candidate) == (Conflict(10, 20, ConflictKind.TRAINING_PROVIDER, "Écoles Réunies"),)
    # A member employed by the candidate's provider is tied to it just the same.
    employed = MemberTies(11, employers=frozenset({"Écoles réunies SARL"}))
    assert [c.kind for c in conflicts(employed, candidate)] == [ConflictKind.TRAINING_PROVIDER]


def test_r64_centre_and_personal_conflicts() -> None:
    candidate = CandidateTies(20, centre=3)
    assert conflicts(MemberTies(10, centres=frozenset({3})), candidate) == (Conflict(10, 20, ConflictKind.CENTRE),)
    assert conflicts(MemberTies(10, centres=frozenset({4})), candidate) == ()
    assert conflicts(MemberTies(10, candidates=frozenset({20})), candidate) == (
        Conflict(10, 20, ConflictKind.PERSONAL),
    )
    assert conflicts(MemberTies(10, candidates=frozenset({21})), candidate) == ()


def test_r64_no_conflict_for_different_or_empty_names() -> None:
    member = MemberTies(10, employers=frozenset({"Acme", "", "SAS"}), providers=frozenset({"Formaplus"}))
    candidate = CandidateTies(
        20, centre=None, employers=frozenset({"Acme Industries", "", "sas"}), providers=frozenset({"Forma Plus Sud"})
    )
    assert conflicts(member, candidate) == ()
    assert conflicts(MemberTies(10), CandidateTies(20, centre=None)) == ()


def test_r64_every_link_is_listed() -> None:
    member = MemberTies(
        10,
        centres=frozenset({3}),
        employers=frozenset({"Acme"}),
        providers=frozenset({"Formaplus"}),
        candidates=frozenset({20}),
    )
    candidate = CandidateTies(20, centre=3, employers=frozenset({"ACME SA"}), providers=frozenset({"FORMAPLUS"}))
    assert [c.kind for c in conflicts(member, candidate)] == [
        ConflictKind.EMPLOYER,
        ConflictKind.TRAINING_PROVIDER,
        ConflictKind.CENTRE,
        ConflictKind.PERSONAL,
    ]


# jury size and members free of conflict ---------------------------------------------------


def test_r63_two_members_are_enough_one_is_not() -> None:
    candidates = [CandidateTies(20, centre=3)]
    check = jury_check([MemberTies(1), MemberTies(2)], candidates)
    assert check.allowed
    assert dict(check.free_members) == {20: (1, 2)}
    single = jury_check([MemberTies(1)], candidates)
    assert single.reasons == (SessionReason(JURY_TOO_SMALL), SessionReason(JURY_CONFLICTED_FOR_CANDIDATE, subject=20))
    assert jury_check([MemberTies(1), MemberTies(1)], []).reasons == (SessionReason(JURY_TOO_SMALL),)


def test_r64_each_candidate_needs_two_members_free_of_conflict() -> None:
    trainer = MemberTies(1, providers=frozenset({"Formaplus"}))
    members = [trainer, MemberTies(2), MemberTies(3)]
    trained = CandidateTies(20, centre=None, providers=frozenset({"Formaplus"}))
    other = CandidateTies(21, centre=None)
    check = jury_check(members, [trained, other])
    assert check.allowed
    assert dict(check.free_members) == {20: (2, 3), 21: (1, 2, 3)}
    assert check.conflicts == (Conflict(1, 20, ConflictKind.TRAINING_PROVIDER, "Formaplus"),)
    refused = jury_check(members[:2], [trained, other])
    assert refused.reasons == (SessionReason(JURY_CONFLICTED_FOR_CANDIDATE, subject=20),)
    assert refused.free_members[20] == (2,)


def test_r63_jury_size_is_a_parameter() -> None:
    check = jury_check([MemberTies(1), MemberTies(2)], [], Parameters(jury_min_members=3))
    assert check.reasons == (SessionReason(JURY_TOO_SMALL),)


# Properties ------------------------------------------------------------------------------------------------

PROPERTIES = settings(max_examples=200, deadline=None)
DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@PROPERTIES
@given(DAYS, DAYS, DAYS, DAYS)
def test_overlap_is_symmetric_and_matches_shared_days(a1: date, a2: date, b1: date, b2: date) -> None:
    a_first, a_last = sorted((a1, a2))
    b_first, b_last = sorted((b1, b2))
    overlap = periods_overlap(a_first, a_last, b_first, b_last)
    assert overlap == periods_overlap(b_first, b_last, a_first, a_last)
    assert overlap == (max(a_first, b_first) <= min(a_last, b_last))


@PROPERTIES
@given(st.sampled_from(list(SessionKind)), DAYS)
def test_convocation_on_the_deadline_is_accepted_a_day_later_refused(kind: SessionKind, first_day: date) -> None:
    deadline = convocation_deadline(kind, first_day)
    assert deadline < first_day
    assert convocation_refusal(kind, first_day, deadline) is None
    assert convocation_refusal(kind, first_day, deadline - DAY) is None
    assert convocation_refusal(kind, first_day, deadline + DAY) == SessionReason(CONVOCATION_TOO_LATE, on=deadline)


NAMES = st.sampled_from(["Acme", "ACME SAS", "Formaplus", "Écoles Réunies", "", "Garage du Centre"])
MEMBERS = st.builds(
    MemberTies,
    member=st.integers(1, 6),
    centres=st.frozensets(st.integers(1, 3), max_size=2),
    providers=st.frozensets(NAMES, max_size=2),
    employers=st.frozensets(NAMES, max_size=2),
    candidates=st.frozensets(st.integers(20, 24), max_size=2),
)
CANDIDATES = st.builds(
    CandidateTies,
    candidate=st.integers(20, 24),
    centre=st.none() | st.integers(1, 3),
    providers=st.frozensets(NAMES, max_size=2),
    employers=st.frozensets(NAMES, max_size=2),
)


@PROPERTIES
@given(st.lists(MEMBERS, max_size=5), st.lists(CANDIDATES, max_size=4, unique_by=lambda c: c.candidate))
def test_jury_check_never_allows_fewer_than_two_members_or_a_conflicted_member(
    members: list[MemberTies], candidates: list[CandidateTies]
) -> None:
    check = jury_check(members, candidates)
    if len({m.member for m in members}) < 2:
        assert not check.allowed
    for candidate in candidates:
        free = check.free_members[candidate.candidate]
        by_id = {m.member: m for m in members}
        assert all(not conflicts(by_id[ident], candidate) for ident in free)
        if check.allowed:
            assert len(free) >= 2
