"""Rules of the deliberation: which result a jury may sign for one registration, and what it yields.

Pure Python over frozen dataclasses: no Django import. ``check(decision,
evidence)`` lists every reason the texts forbid a decision (shared/reference/
regulation.md, R-nn), as ``Refusal`` values carrying a stable English code (the
constants of this module) and the rule it rests on; ``()`` means the decision may
be signed. ``awards`` and ``held_after`` say what a valid decision gives the
candidate; ``held_ccps`` reads the CCPs already held from the standing engine.

The order of the refusals is stable: attendance (R-45, R-70), the shape of the
result (R-70, R-50, R-02), what the jury must have (R-52, R-50/R-51/R-53, R-63,
R-64), and last the written reason (R-65).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from titrepro.rules.parameters import DEFAULT, Parameters
from titrepro.rules.standing import SessionKind, Standing

DECISION_ATTENDANCE_MISSING = "decision_attendance_missing"
DECISION_CANDIDATE_ABSENT = "decision_candidate_absent"
DECISION_CANDIDATE_PRESENT = "decision_candidate_present"
DECISION_EXCUSE_MISSING = "decision_excuse_missing"
DECISION_CCPS_FOR_ABSENT = "decision_ccps_for_absent"
DECISION_RESULT_NOT_FOR_SESSION = "decision_result_not_for_session"
DECISION_CCP_NOT_SAT = "decision_ccp_not_sat"
DECISION_FAILURE_WITH_CCPS = "decision_failure_with_ccps"
DECISION_PARTIAL_EMPTY = "decision_partial_empty"
DECISION_PARTIAL_COMPLETE = "decision_partial_complete"
DECISION_AWARDED_INCOMPLETE = "decision_awarded_incomplete"
DECISION_FINAL_INTERVIEW_MISSING = "decision_final_interview_missing"
DECISION_CCPS_MISSING = "decision_ccps_missing"
DECISION_PORTFOLIO_MISSING = "decision_portfolio_missing"
DECISION_ECF_MISSING = "decision_ecf_missing"
DECISION_JURY_TOO_SMALL = "decision_jury_too_small"
DECISION_REASON_MISSING = "decision_reason_missing"

_PRESENT = frozenset({"present", "late_admitted"})
"""Attendance values of a candidate who sat (R-45: a late candidate may be admitted)."""
_ABSENT = frozenset({"absent", "late_refused"})
"""Attendance values of a candidate who did not sit (R-45, R-70: absences go on the PV)."""


class Result(StrEnum):
    """The situations a PV records for one candidate (R-70)."""

    TITLE_AWARDED = "title_awarded"  # title session; or a CCP session that completes the title (final interview due)
    PARTIAL_SUCCESS = "partial_success"  # some CCPs awarded but not the title / not every CCP sat
    FAILURE = "failure"  # nothing awarded (title, CCP or CCS session)
    AWARDED = "awarded"  # CCP session: every CCP sat awarded; CCS session: the CCS awarded
    ABSENT = "absent"
    ABSENT_EXCUSED = "absent_excused"  # absent with a justification


ABSENT_RESULTS = frozenset({Result.ABSENT, Result.ABSENT_EXCUSED})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the jury had for one registration.

    ``ccps_sat``: the CCPs evaluated at this session (title session: every CCP of
    the version; CCP session: the registration's CCPs; CCS session: none).
    ``held_before``: the CCPs of this version already held, own or mapped through a
    correspondence table (see ``held_ccps``). ``attendance``: "present", "absent",
    "late_admitted", "late_refused", or "" while not recorded. ``final_interview_due``:
    at a CCP session, the CCPs held after it complete the title. ``free_members_present``:
    the jury members present, free of any link with the candidate, who deliberated.
    """

    session_kind: SessionKind
    version_ccps: frozenset[int]
    ccps_sat: frozenset[int]
    held_before: frozenset[int]
    attendance: str
    training_route: bool
    ecf_results: bool
    portfolio: bool
    final_interview_due: bool
    final_interview_held: bool
    free_members_present: int


@dataclass(frozen=True, slots=True)
class Decision:
    """The result the jury means to sign; ``reason``: the written reason of a refusal (R-65),
    or the justification of an excused absence (R-70)."""

    result: Result
    ccps_awarded: frozenset[int] = frozenset()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a decision may not be signed: a stable code, the rule, the CCPs at fault (sorted)
    and a figure the message needs (the free members present, for the jury size)."""

    code: str
    rule: str
    ccps: tuple[int, ...] = ()
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Awards:
    """What the candidate obtains at this session: CCPs, the title, the CCS."""

    ccps: frozenset[int]
    title: bool
    ccs: bool


_NOTHING = Awards(frozenset(), title=False, ccs=False)


def _blank(text: str) -> bool:
    return not text.strip()


def _refusal(code: str, rule: str, ccps: frozenset[int] = frozenset()) -> Refusal:
    return Refusal(code, rule, tuple(sorted(ccps)))


def _attendance(decision: Decision, evidence: Evidence) -> tuple[Refusal, ...] | None:
    """R-45, R-70: no decision before attendance is recorded; an absent candidate gets an
    absence, a present one does not. Returns the final answer when attendance settles it
    (not recorded, or an absent candidate), ``None`` when the other rules must be read."""
    attendance = evidence.attendance
    if attendance == "":
        return (Refusal(DECISION_ATTENDANCE_MISSING, "R-45"),)
    if attendance not in _PRESENT and attendance not in _ABSENT:
        raise ValueError(f"unknown attendance {attendance!r}")
    result = decision.result
    if attendance in _ABSENT and result not in ABSENT_RESULTS:
        # Nothing else matters: the candidate did not sit, so nothing can be awarded.
        return (Refusal(DECISION_CANDIDATE_ABSENT, "R-70"),)
    if result not in ABSENT_RESULTS:
        return None
    refusals: list[Refusal] = []
    if attendance in _PRESENT:
        refusals.append(Refusal(DECISION_CANDIDATE_PRESENT, "R-70"))
    if result is Result.ABSENT_EXCUSED and _blank(decision.reason):
        refusals.append(Refusal(DECISION_EXCUSE_MISSING, "R-70"))
    if decision.ccps_awarded:
        refusals.append(_refusal(DECISION_CCPS_FOR_ABSENT, "R-70", decision.ccps_awarded))
    return tuple(refusals)


def _result_allowed(result: Result, evidence: Evidence) -> bool:
    """R-70: a title session ends in title, partial success or failure; a CCP session in CCPs
    awarded or refused (the title too when they complete it: the final interview is due, R-50);
    a CCS session in the CCS awarded or refused."""
    kind = evidence.session_kind
    if kind is SessionKind.TITLE:
        return result is not Result.AWARDED
    if kind is SessionKind.CCS:
        return result not in (Result.TITLE_AWARDED, Result.PARTIAL_SUCCESS)
    return result is not Result.TITLE_AWARDED or evidence.final_interview_due


def _shape(decision: Decision, evidence: Evidence) -> list[Refusal]:
    """R-70, R-51, R-50, R-02: the result fits the session and the CCPs it awards.

    - Only CCPs evaluated at this session are awarded (R-70, R-51).
    - A failure awards nothing; a partial success awards some CCPs, but neither the
      whole title (title session) nor every CCP sat (CCP session: that is ``AWARDED``).
    - ``AWARDED`` at a CCP session, and ``TITLE_AWARDED`` there, award every CCP sat.
    - The title needs the final interview, the mandatory last test (R-50), and every
      CCP of the version held after the session: own, mapped (R-06) or awarded now (R-02).
    When the result does not fit the session, its own conditions are not read.
    """
    result, awarded = decision.result, decision.ccps_awarded
    if not _result_allowed(result, evidence):
        return [Refusal(DECISION_RESULT_NOT_FOR_SESSION, "R-70")]
    refusals: list[Refusal] = []
    kind = evidence.session_kind
    extra = awarded - evidence.ccps_sat
    if extra:
        refusals.append(_refusal(DECISION_CCP_NOT_SAT, "R-70", extra))
    not_awarded = evidence.ccps_sat - awarded
    if result is Result.FAILURE and awarded:
        refusals.append(_refusal(DECISION_FAILURE_WITH_CCPS, "R-70", awarded))
    elif result is Result.PARTIAL_SUCCESS:
        if not awarded:
            refusals.append(Refusal(DECISION_PARTIAL_EMPTY, "R-70"))
        elif (kind is SessionKind.TITLE and evidence.version_ccps <= evidence.held_before | awarded) or (
            kind is SessionKind.CCP and not not_awarded
        ):
            refusals.append(Refusal(DECISION_PARTIAL_COMPLETE, "R-70"))
    elif result in (Result.AWARDED, Result.TITLE_AWARDED) and kind is SessionKind.CCP and not_awarded:
        refusals.append(_refusal(DECISION_AWARDED_INCOMPLETE, "R-70", not_awarded))
    if result is Result.TITLE_AWARDED:
        if not evidence.final_interview_held:
            refusals.append(Refusal(DECISION_FINAL_INTERVIEW_MISSING, "R-50"))
        missing = evidence.version_ccps - (evidence.held_before | awarded)
        if missing:
            refusals.append(_refusal(DECISION_CCPS_MISSING, "R-02", missing))
    return refusals


_ECF_RULE = {SessionKind.TITLE: "R-50", SessionKind.CCP: "R-51", SessionKind.CCS: "R-53"}


def _jury_had(evidence: Evidence, parameters: Parameters) -> list[Refusal]:
    """R-52, R-50, R-51, R-53, R-63, R-64: what any result of a candidate who sat needs.

    The dossier professionnel, handed in at the latest on the session day (R-52); the
    ECF results for a training or apprenticeship route (R-50, R-51, R-53); at least
    ``jury_min_members`` members present, free of any link with the candidate, who
    deliberated (R-63, R-64). Without them no result may be signed: the deliberation
    waits, or a new session is authorised.
    """
    refusals: list[Refusal] = []
    if not evidence.portfolio:
        refusals.append(Refusal(DECISION_PORTFOLIO_MISSING, "R-52"))
    if evidence.training_route and not evidence.ecf_results:
        refusals.append(Refusal(DECISION_ECF_MISSING, _ECF_RULE[evidence.session_kind]))
    if evidence.free_members_present < parameters.jury_min_members:
        refusals.append(Refusal(DECISION_JURY_TOO_SMALL, "R-63", count=evidence.free_members_present))
    return refusals


def needs_reason(decision: Decision, evidence: Evidence) -> bool:
    """R-65: the decision refuses the candidate something: a failure, a partial success,
    or at a CCP session a CCP sat and not awarded. Such a decision needs a written reason."""
    if decision.result in ABSENT_RESULTS:
        return False
    if decision.result in (Result.FAILURE, Result.PARTIAL_SUCCESS):
        return True
    return evidence.session_kind is SessionKind.CCP and bool(evidence.ccps_sat - decision.ccps_awarded)


def check(decision: Decision, evidence: Evidence, parameters: Parameters = DEFAULT) -> tuple[Refusal, ...]:
    """Every reason the texts forbid this decision, in a stable order; ``()`` when it may be signed.

    R-45, R-70 (attendance and absences), R-70, R-50, R-51, R-02, R-06 (the result
    and its CCPs), R-52, R-53, R-63, R-64 (what the jury had), R-65 (the written
    reason of any refusal). An absence needs neither dossier, ECF, jury nor reason,
    only its justification when excused. Raises ``ValueError`` on an unknown attendance.
    """
    settled = _attendance(decision, evidence)
    if settled is not None:
        return settled
    refusals = _shape(decision, evidence)
    refusals.extend(_jury_had(evidence, parameters))
    if needs_reason(decision, evidence) and _blank(decision.reason):
        refusals.append(Refusal(DECISION_REASON_MISSING, "R-65"))
    return tuple(refusals)


def awards(decision: Decision, evidence: Evidence) -> Awards:
    """What the candidate obtains by this decision, which ``check`` accepted (R-70, R-71, R-73).

    The title with the CCPs awarded now (at a title session, the CCPs of the version
    not held before; the others were held already); a partial success or a CCP
    session's award: its CCPs (livret de certification); a CCS session's award: the
    CCS. A failure or an absence: nothing.
    """
    result = decision.result
    if result is Result.TITLE_AWARDED:
        return Awards(decision.ccps_awarded, title=True, ccs=False)
    if result is Result.AWARDED and evidence.session_kind is SessionKind.CCS:
        return Awards(frozenset(), title=False, ccs=True)
    if result in (Result.AWARDED, Result.PARTIAL_SUCCESS):
        return Awards(decision.ccps_awarded, title=False, ccs=False)
    return _NOTHING


def held_after(decision: Decision, evidence: Evidence) -> frozenset[int]:
    """The CCPs of the version held after this decision: ``held_before`` and those awarded now (R-02, R-06)."""
    return evidence.held_before | awards(decision, evidence).ccps


def held_ccps(standing: Standing, version: str) -> frozenset[int]:
    """The CCPs of ``version`` the candidate holds, from ``compute_standing``'s answer (R-04, R-06).

    Held own, mapped through a correspondence table, or through an equivalence: the
    ``held`` of the version's option. Empty when the version is not an option: closed
    for the candidate, or the title is already held (a standing then lists no option).
    """
    for option in standing.options:
        if option.version == version:
            return frozenset(option.held)
    return frozenset()
