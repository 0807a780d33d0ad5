"""Rules of the examination sessions: approval cover, convocations, jury members.

Pure Python over frozen dataclasses: no Django import. Each rule names its
source (shared/reference/regulation.md, R-nn) in its docstring. A refusal is a
``SessionReason``: a stable English code, the day its message needs and the id
of the approval, habilitation, member or candidate at fault.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType

from titrepro.rules.dates import add_months, add_years
from titrepro.rules.parameters import DEFAULT, Parameters
from titrepro.rules.standing import SessionKind

ONE_DAY = timedelta(days=1)

SESSION_DATES_REVERSED = "session_dates_reversed"
VERSION_NOT_STARTED = "version_not_started"
APPROVAL_MISSING = "approval_missing"
APPROVAL_NOT_YET_VALID = "approval_not_yet_valid"
APPROVAL_ENDS_BEFORE_SESSION = "approval_ends_before_session"
APPROVAL_SUSPENDED = "approval_suspended"
APPROVAL_WITHDRAWN = "approval_withdrawn"
VERSION_CLOSED = "version_closed"
EXTENSION_DECLARED_TOO_LATE = "extension_declared_too_late"
EXTENSION_WITHOUT_APPROVAL = "extension_without_approval"
CONVOCATION_TOO_LATE = "convocation_too_late"
LEAVE_REQUEST_TOO_LATE = "leave_request_too_late"
HABILITATION_MISSING = "habilitation_missing"
HABILITATION_NOT_YET_VALID = "habilitation_not_yet_valid"
HABILITATION_ENDS_BEFORE_SESSION = "habilitation_ends_before_session"
HABILITATION_ENDED = "habilitation_ended"
JURY_TOO_SMALL = "jury_too_small"
JURY_CONFLICTED_FOR_CANDIDATE = "jury_conflicted_for_candidate"


@dataclass(frozen=True, slots=True)
class SessionReason:
    """Why a session, a convocation or a jury member is refused.

    ``code``: a stable English code (the constants of this module); ``on``: the day
    at fault or the limit day the message needs; ``subject``: the id of the
    approval, habilitation, member or candidate at fault, when there is one.
    """

    code: str
    on: date | None = None
    subject: int | None = None


# Approval cover (R-08, R-30, R-33) ---------------------------------------------------------


class ApprovalStatus(StrEnum):
    """The status of an approval (agrément), as ``ApprovalFacts.status`` holds it (R-33)."""

    ACTIVE = "active"
    SUSPENDED = "suspended"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class VersionPeriod:
    """The validity of a title version, both days included; ``valid_until`` None: no end known."""

    valid_from: date
    valid_until: date | None


@dataclass(frozen=True, slots=True)
class ApprovalFacts:
    """A centre's approval for one title version, as recorded today.

    ``status`` is one of ``ApprovalStatus`` ("active", "suspended", "withdrawn",
    "expired"); ``withdrawn_on`` / ``suspended_on``: since when, when known.
    """

    id: int
    granted_on: date
    valid_until: date
    status: str
    withdrawn_on: date | None = None
    suspended_on: date | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """The answer of ``session_coverage``.

    ``approval``: the approval the session runs under, when one covers it (set even
    when another reason refuses the session, e.g. an extension-year session declared
    too late); ``extension``: the session has days after the version's end of
    validity, so it is an extension-year session (R-08), allowed or not.
    """

    allowed: bool
    reasons: tuple[SessionReason, ...] = ()
    approval: int | None = None
    extension: bool = False


_Ranked = tuple[int, int, tuple[SessionReason, ...]]
"""(days missed, id, reasons) of one approval or habilitation, to pick the one closest to covering."""


def _status(approval: ApprovalFacts) -> ApprovalStatus:
    try:
        return ApprovalStatus(approval.status)
    except ValueError:
        raise ValueError(f"approval {approval.id}: unknown status {approval.status!r}") from None


def _status_reason(approval: ApprovalFacts, last_day: date) -> SessionReason | None:
    """A suspension or withdrawal that reaches the session's days, if any (R-33).

    A withdrawn approval covers the days before ``withdrawn_on`` only, a suspended
    one the days before ``suspended_on`` only (the future of a suspension is not
    known: reinstatement or withdrawal); without the day, it covers nothing.
    """
    status = _status(approval)
    if status is ApprovalStatus.WITHDRAWN and (approval.withdrawn_on is None or approval.withdrawn_on <= last_day):
        return SessionReason(APPROVAL_WITHDRAWN, on=approval.withdrawn_on, subject=approval.id)
    if status is ApprovalStatus.SUSPENDED and (approval.suspended_on is None or approval.suspended_on <= last_day):
        return SessionReason(APPROVAL_SUSPENDED, on=approval.suspended_on, subject=approval.id)
    return None


def _approval_gap(approval: ApprovalFacts, first_day: date, last_day: date, on: date) -> _Ranked:
    """How far ``approval`` is from covering every day of the session, and why not.

    The gap is the number of days its dates miss (before and after); the reasons
    put a suspension or withdrawal first, then the dates. An expired approval
    covers nothing from ``on`` (today) on, whatever its recorded end.
    """
    reasons: list[SessionReason] = []
    blocked = _status_reason(approval, last_day)
    if blocked is not None:
        reasons.append(blocked)
    gap = 0
    if approval.granted_on > first_day:
        gap += (approval.granted_on - first_day).days
        reasons.append(SessionReason(APPROVAL_NOT_YET_VALID, on=approval.granted_on, subject=approval.id))
    end = approval.valid_until
    if _status(approval) is ApprovalStatus.EXPIRED:
        end = min(end, on - ONE_DAY)
    if end < last_day:
        gap += (last_day - end).days
        reasons.append(SessionReason(APPROVAL_ENDS_BEFORE_SESSION, on=end, subject=approval.id))
    return gap, approval.id, tuple(reasons)


def _closest(candidates: Sequence[_Ranked]) -> tuple[int, tuple[SessionReason, ...]]:
    """The id and reasons of the one closest to covering: fewest days missed, then fewest reasons, then id."""
    _, ident, reasons = min(candidates, key=lambda c: (c[0], len(c[2]), c[1]))
    return ident, reasons


def _normal_coverage(approvals: Sequence[ApprovalFacts], first_day: date, last_day: date, on: date) -> Coverage:
    if not approvals:
        return Coverage(False, (SessionReason(APPROVAL_MISSING),))
    ident, reasons = _closest([_approval_gap(a, first_day, last_day, on) for a in approvals])
    if not reasons:
        return Coverage(True, approval=ident)
    return Coverage(False, reasons)


def _extension_coverage(
    approvals: Sequence[ApprovalFacts],
    version_end: date,
    first_day: date,
    last_day: date,
    declared_on: date | None,
    parameters: Parameters,
) -> Coverage:
    reasons: list[SessionReason] = []
    extension_end = add_years(version_end, parameters.grace_years)
    if last_day > extension_end:
        reasons.append(SessionReason(VERSION_CLOSED, on=extension_end))
    if declared_on is None or declared_on > version_end:
        reasons.append(SessionReason(EXTENSION_DECLARED_TOO_LATE, on=version_end))
    # The approval in force on the version's last day of validity; its own end does not
    # limit the extension year, but the days of the session before the version's end
    # need it granted by the first day.
    held = [a for a in approvals if a.granted_on <= version_end <= a.valid_until]
    ident: int | None = None
    if not held:
        reasons.append(SessionReason(EXTENSION_WITHOUT_APPROVAL, on=version_end))
    else:
        ranked: list[_Ranked] = []
        for approval in held:
            own: list[SessionReason] = []
            blocked = _status_reason(approval, last_day)
            if blocked is not None:
                own.append(blocked)
            if approval.granted_on > first_day:
                own.append(SessionReason(APPROVAL_NOT_YET_VALID, on=approval.granted_on, subject=approval.id))
            ranked.append((0, approval.id, tuple(own)))
        best, own_reasons = _closest(ranked)
        if own_reasons:
            reasons.extend(own_reasons)
        else:
            ident = best
    return Coverage(not reasons, tuple(reasons), approval=ident, extension=True)


def session_coverage(
    approvals: Sequence[ApprovalFacts],
    version: VersionPeriod,
    first_day: date,
    last_day: date,
    *,
    declared_on: date | None,
    on: date,
    parameters: Parameters = DEFAULT,
) -> Coverage:
    """May a centre hold a session from ``first_day`` to ``last_day`` (both included) on a title version?

    ``approvals``: the centre's approvals for that title version (any status);
    ``declared_on``: the day the session was or is being declared, ``None`` for a
    draft; ``on``: today, the day of the check.

    - The dates: ``last_day`` not before ``first_day`` (``session_dates_reversed``),
      ``first_day`` not before the version's start (``version_not_started``, on =
      the start). These answer alone.
    - Normal case (R-30, R-33), the session ends by the version's end of validity
      (or the version has no end): one approval covers every day of the session:
      granted by the first day (``approval_not_yet_valid``, on = granted_on), valid
      up to the last day (``approval_ends_before_session``, on = its end), not
      suspended (``approval_suspended``, on = since when if known) and not withdrawn
      (``approval_withdrawn``, on = withdrawn_on if known). A withdrawn or
      suspended approval only covers the days before the withdrawal or suspension,
      and nothing when that day is unknown; an expired one covers nothing from
      today on. No approval at all: ``approval_missing``. When none covers, the
      reasons are those of the approval closest to covering (fewest days missed),
      each with that approval's id as ``subject``.
    - Extension year (R-08, R-07), the version has an end and the session has a day
      after it (a session that starts before the end and finishes after it counts
      too): allowed only if it ends within ``grace_years`` (1) after the end
      (``version_closed``, on = the last day of the extension year), if it was
      declared by the version's end of validity (``extension_declared_too_late``,
      on = the version's end; a draft, ``declared_on`` None, is refused with it
      too), and under the approval that was in force on the version's last day of
      validity (``extension_without_approval``, on = the version's end), neither
      suspended nor withdrawn since (status active or expired: an approval never
      outlasts its version, R-30). That approval's own end does not limit the
      session; when the session starts before the version's end it must have been
      granted by the first day. Every reason that applies is given.
    - The candidates of an extension-year session must be allowed by the standing
      engine (R-07: CCP holders, failed or partly successful candidates, training
      started before the end); that is checked per registration, not here.
    - A CCS session needs the centre's approval for the title (R-30): the caller
      passes the title-version approvals for a CCS session too, so the same rule
      applies unchanged.
    """
    if last_day < first_day:
        return Coverage(False, (SessionReason(SESSION_DATES_REVERSED, on=last_day),))
    if first_day < version.valid_from:
        return Coverage(False, (SessionReason(VERSION_NOT_STARTED, on=version.valid_from),))
    if version.valid_until is None or last_day <= version.valid_until:
        return _normal_coverage(approvals, first_day, last_day, on)
    return _extension_coverage(approvals, version.valid_until, first_day, last_day, declared_on, parameters)


# Convocations and leave (R-43, R-66) --------------------------------------------------------


def convocation_deadline(kind: SessionKind, first_day: date, parameters: Parameters = DEFAULT) -> date:
    """The last day a candidate's convocation may be sent for a session starting on ``first_day`` (R-43).

    At least one month before a title session, at least 15 days
    (``convocation_days_ccp_ccs``) before a CCP or CCS session (2008 règlement;
    the 2016 numbers were not read, U-01, hence parameters).

    The month is a calendar month (``convocation_months_title``, 1), counted as
    French law counts a delay in months: the same numbered day of the month
    before, or that month's last day when it has no such day. A title session on
    15 March is convened by 15 February; one on 31 March by 28 (or 29) February.
    This is more faithful to "un mois" than 30 days, which would differ by up to
    a day or two around February and 31-day months.
    """
    if kind is SessionKind.TITLE:
        return add_months(first_day, -parameters.convocation_months_title)
    return first_day - timedelta(days=parameters.convocation_days_ccp_ccs)


def convocation_refusal(
    kind: SessionKind, first_day: date, sent_on: date, parameters: Parameters = DEFAULT
) -> SessionReason | None:
    """``convocation_too_late`` (on = the deadline) when sent after ``convocation_deadline``, else None (R-43)."""
    deadline = convocation_deadline(kind, first_day, parameters)
    if sent_on > deadline:
        return SessionReason(CONVOCATION_TOO_LATE, on=deadline)
    return None


def leave_request_deadline(first_day: date, parameters: Parameters = DEFAULT) -> date:
    """The last day an employed jury member may ask the employer for leave (R-66).

    The request is made at least ``leave_request_days`` (15) calendar days before
    the session (Code du travail L.3142-42 to L.3142-45): for a session on
    16 March, by 1 March.
    """
    return first_day - timedelta(days=parameters.leave_request_days)


def leave_request_refusal(first_day: date, sent_on: date, parameters: Parameters = DEFAULT) -> SessionReason | None:
    """``leave_request_too_late`` (on = the deadline) when asked after ``leave_request_deadline``, else None (R-66)."""
    deadline = leave_request_deadline(first_day, parameters)
    if sent_on > deadline:
        return SessionReason(LEAVE_REQUEST_TOO_LATE, on=deadline)
    return None


def periods_overlap(a_first: date, a_last: date, b_first: date, b_last: date) -> bool:
    """Whether two periods share a day, both ends included (a member sits in one session at a time).

    A period ending on the day the other starts overlaps it; one ending the day
    before does not.
    """
    return a_first <= b_last and b_first <= a_last


# Habilitation of jury members (R-62) -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HabilitationFacts:
    """A member's habilitation for the title; ``ended_on``: the day it was ended early, if it was."""

    id: int
    granted_on: date
    valid_until: date
    ended_on: date | None = None


def _habilitation_gap(
    habilitation: HabilitationFacts, first_day: date, last_day: date, version_end: date | None
) -> _Ranked:
    reasons: list[SessionReason] = []
    gap = 0
    extension = version_end is not None and last_day > version_end
    if habilitation.ended_on is not None and habilitation.ended_on <= last_day:
        gap += (last_day - habilitation.ended_on).days + 1
        reasons.append(SessionReason(HABILITATION_ENDED, on=habilitation.ended_on, subject=habilitation.id))
    if habilitation.granted_on > first_day:
        gap += (habilitation.granted_on - first_day).days
        reasons.append(SessionReason(HABILITATION_NOT_YET_VALID, on=habilitation.granted_on, subject=habilitation.id))
    # In the extension year the habilitation only has to be valid on the version's last day.
    needed_until = version_end if extension and version_end is not None else last_day
    if habilitation.valid_until < needed_until:
        gap += (needed_until - habilitation.valid_until).days
        reasons.append(
            SessionReason(HABILITATION_ENDS_BEFORE_SESSION, on=habilitation.valid_until, subject=habilitation.id)
        )
    return gap, habilitation.id, tuple(reasons)


def habilitation_covers(
    habilitations: Sequence[HabilitationFacts], first_day: date, last_day: date, *, version_end: date | None
) -> SessionReason | None:
    """Why a member may not sit on a session's jury, or None when a habilitation covers it (R-62).

    ``habilitations``: the member's habilitations for the session's title. One of
    them must cover every day of the session: granted by the first day
    (``habilitation_not_yet_valid``, on = granted_on), valid up to the last day
    (``habilitation_ends_before_session``, on = its end), not ended early
    (``habilitation_ended``, on = ended_on: an ended habilitation covers the days
    before ``ended_on`` only). None at all: ``habilitation_missing``. When none
    covers, the reason is that of the habilitation closest to covering, with its
    id as ``subject`` (an ended habilitation is reported as ended first).

    Decision for an extension-year session (``last_day`` after ``version_end``,
    R-08): habilitations end with their version (R-62), yet these sessions still
    need a jury of habilitated members (R-63). So a habilitation that was valid on
    the version's last day of validity (granted by then and by the session's first
    day, its end not before the version's end) counts for the whole extension
    year; one ended early, before the session's last day, still does not.
    """
    if not habilitations:
        return SessionReason(HABILITATION_MISSING)
    _, reasons = _closest([_habilitation_gap(h, first_day, last_day, version_end) for h in habilitations])
    return reasons[0] if reasons else None


# Conflicts of interest and jury size (R-63, R-64) ------------------------------------------


class ConflictKind(StrEnum):
    """The link between a jury member and a candidate that keeps the member off their evaluation (R-64)."""

    EMPLOYER = "employer"
    TRAINING_PROVIDER = "training_provider"
    CENTRE = "centre"
    PERSONAL = "personal"


@dataclass(frozen=True, slots=True)
class CandidateTies:
    """What a candidate is tied to: the centre that trained or registered them, providers, employers."""

    candidate: int
    centre: int | None
    providers: frozenset[str] = frozenset()
    employers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class MemberTies:
    """What a jury member declared: centres, providers they teach or taught for, employers, candidates known."""

    member: int
    centres: frozenset[int] = frozenset()
    providers: frozenset[str] = frozenset()
    employers: frozenset[str] = frozenset()
    candidates: frozenset[int] = frozenset()


@dataclass(frozen=True, slots=True)
class Conflict:
    """One link between a member and a candidate; ``detail``: the candidate's spelling of the name that matched."""

    member: int
    candidate: int
    kind: ConflictKind
    detail: str = ""


LEGAL_FORMS = frozenset({"sas", "sarl", "sa", "eurl", "sasu"})
"""Legal forms dropped from an organisation's name before comparing (as whole words)."""


def normalised_name(name: str) -> str:
    """An organisation's name as compared for conflicts (R-64).

    Case folded, accents removed (NFKD), punctuation turned into spaces, spaces
    collapsed; a run of single letters is joined ("S.A.S." is "sas", "I.U.T." is
    "iut"); the legal forms ``LEGAL_FORMS`` (SAS, SARL, SA, EURL, SASU) are dropped
    as whole words. "Acme SAS" and "ACME" are both "acme"; "Écoles Réunies" is
    "ecoles reunies". A name of only a legal form or punctuation is "".
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    words: list[str] = []
    letters = ""
    for word in plain.split():
        if len(word) == 1 and word.isalpha():
            letters += word
            continue
        if letters:
            words.append(letters)
            letters = ""
        words.append(word)
    if letters:
        words.append(letters)
    return " ".join(word for word in words if word not in LEGAL_FORMS)


def _by_normalised(names: frozenset[str]) -> dict[str, str]:
    """Normalised name -> one original spelling (the first in sorted order); empty names left out."""
    found: dict[str, str] = {}
    for name in sorted(names):
        key = normalised_name(name)
        if key and key not in found:
            found[key] = name
    return found


def conflicts(member: MemberTies, candidate: CandidateTies) -> tuple[Conflict, ...]:
    """Every link that keeps ``member`` off ``candidate``'s evaluation and deliberation (R-64).

    - ``employer``: the candidate's employer is an organisation the member works
      or worked for, or teaches for ("worked in the same company", 2008 text);
    - ``training_provider``: the candidate's training provider is one the member
      teaches or taught for, or works for (the trainer who trained the candidate);
    - ``centre``: the member declared a link with the centre that trained or
      registered the candidate (a pedagogical link);
    - ``personal``: the member declared knowing the candidate.

    Names are compared through ``normalised_name``; a name that normalises to ""
    never matches. The conflicts come in this order of kinds, then by name.
    """
    found: list[Conflict] = []
    member_orgs = _by_normalised(member.employers | member.providers)
    for kind, names in (
        (ConflictKind.EMPLOYER, candidate.employers),
        (ConflictKind.TRAINING_PROVIDER, candidate.providers),
    ):
        for key, original in sorted(_by_normalised(names).items()):
            if key in member_orgs:
                found.append(Conflict(member.member, candidate.candidate, kind, original))
    if candidate.centre is not None and candidate.centre in member.centres:
        found.append(Conflict(member.member, candidate.candidate, ConflictKind.CENTRE))
    if candidate.candidate in member.candidates:
        found.append(Conflict(member.member, candidate.candidate, ConflictKind.PERSONAL))
    return tuple(found)


@dataclass(frozen=True, slots=True)
class JuryCheck:
    """The answer of ``jury_check``; ``free_members``: candidate id -> ids of the members free of conflict."""

    allowed: bool
    reasons: tuple[SessionReason, ...] = ()
    free_members: Mapping[int, tuple[int, ...]] = field(default_factory=dict, hash=False)
    conflicts: tuple[Conflict, ...] = ()


def jury_check(
    members: Sequence[MemberTies], candidates: Sequence[CandidateTies], parameters: Parameters = DEFAULT
) -> JuryCheck:
    """Is a session's jury large enough, and free enough of conflicts, for every candidate? (R-63, R-64)

    ``members``: the session's accepted members (their habilitation already checked
    with ``habilitation_covers``); a member given twice counts once.

    - At least ``jury_min_members`` (2) members: ``jury_too_small`` (R-63).
    - Every candidate is evaluated by at least ``jury_min_members`` members free of
      any conflict with them: ``jury_conflicted_for_candidate``, subject = the
      candidate (R-64, R-63). A conflicted member may still evaluate the others.

    Every conflict found is listed in ``conflicts``.
    """
    unique = list({m.member: m for m in members}.values())
    reasons: list[SessionReason] = []
    if len(unique) < parameters.jury_min_members:
        reasons.append(SessionReason(JURY_TOO_SMALL))
    found: list[Conflict] = []
    free: dict[int, tuple[int, ...]] = {}
    for candidate in candidates:
        clear: list[int] = []
        for member in unique:
            links = conflicts(member, candidate)
            found.extend(links)
            if not links:
                clear.append(member.member)
        free[candidate.candidate] = tuple(clear)
        if len(clear) < parameters.jury_min_members:
            reasons.append(SessionReason(JURY_CONFLICTED_FOR_CANDIDATE, subject=candidate.candidate))
    return JuryCheck(not reasons, tuple(reasons), MappingProxyType(free), tuple(found))
