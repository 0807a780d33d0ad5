"""What ``rules.deliberation`` is told of one registration, read from the database. Nothing here decides."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from titrepro.candidates.models import InTrainingAssessment, ProfessionalPortfolio, Route
from titrepro.catalogue.models import CCP, SessionKind
from titrepro.catalogue.queries import spec_from_database
from titrepro.deliberation.models import Decision
from titrepro.rules import deliberation as rules
from titrepro.rules import standing
from titrepro.sessions import facts as session_facts
from titrepro.sessions.lifecycles import jury_check_of
from titrepro.sessions.models import Attendance, ExamSession, JuryAssignment, Registration

ATTENDANCE = {
    Attendance.PRESENT: "present",
    Attendance.LATE: "late_admitted",
    Attendance.ABSENT: "absent",
    Attendance.REFUSED: "late_refused",
    Attendance.UNKNOWN: "",
}
TRAINING_ROUTES = (Route.TRAINING, Route.APPRENTICESHIP)


def ccps_sat(registration: Registration) -> frozenset[int]:
    """The CCPs evaluated at the session: every CCP of the version at a title session, the registration's at a
    CCP session, none at a CCS session."""
    session = registration.session
    if session.kind == SessionKind.TITLE:
        return frozenset(CCP.objects.filter(version=session.version_id).values_list("number", flat=True))
    if session.kind == SessionKind.CCP:
        return frozenset(ccp.number for ccp in registration.ccps.all())
    return frozenset()


def held_before(registration: Registration, index: standing.TitleIndex | None = None) -> frozenset[int]:
    """The CCPs of the session's version the candidate held before its first day, own or mapped through a
    correspondence table: the standing engine's answer (R-04, R-06)."""
    session = registration.session
    code = session.version.title.code
    situation = session_facts.situation(registration.candidate, code, session.first_day)
    earlier = tuple(h for h in situation.holdings if h.obtained_on is not None and h.obtained_on < session.first_day)
    index = index or standing.TitleIndex(spec_from_database(code))
    answer = standing.compute_standing(index, replace(situation, holdings=earlier))
    return rules.held_ccps(answer, session.version.label)


def free_present(session: ExamSession, registration: Registration, present: Iterable[JuryAssignment]) -> int:
    """The members present at the deliberation who are free of any link with the candidate (R-63, R-64)."""
    free = set(jury_check_of(session).free_members.get(registration.candidate_id, ()))
    return len({a.member_id for a in present if a.member_id in free})


def has_ecf_results(registration: Registration, sat: frozenset[int]) -> bool:
    """An ECF result for every CCP sat (the livret des ECF, R-53); a CCS session: any ECF of the pathway."""
    session = registration.session
    results = InTrainingAssessment.objects.filter(
        pathway__candidate=registration.candidate_id, pathway__title=session.version.title_id
    )
    if not sat:
        return results.exists()
    return sat <= set(results.values_list("ccp__number", flat=True))


def has_portfolio(registration: Registration) -> bool:
    """Handed in on the day, or uploaded (the current one) before (R-52)."""
    if registration.portfolio_handed_in:
        return True
    return ProfessionalPortfolio.objects.filter(
        candidate=registration.candidate_id, title=registration.session.version.title_id, replaced_at=None
    ).exists()


def evidence(
    registration: Registration,
    decision: Decision | None,
    present: Iterable[JuryAssignment],
    *,
    index: standing.TitleIndex | None = None,
) -> rules.Evidence:
    session = registration.session
    sat = ccps_sat(registration)
    training = registration.candidate.pathways.filter(
        title=session.version.title_id, route__in=TRAINING_ROUTES
    ).exists()
    return rules.Evidence(
        session_kind=standing.SessionKind(session.kind),
        version_ccps=frozenset(CCP.objects.filter(version=session.version_id).values_list("number", flat=True)),
        ccps_sat=sat,
        held_before=held_before(registration, index),
        attendance=ATTENDANCE.get(Attendance(registration.attendance), ""),
        training_route=training,
        ecf_results=has_ecf_results(registration, sat) if training else False,
        portfolio=has_portfolio(registration),
        final_interview_due=registration.final_interview_due,
        final_interview_held=decision.final_interview_held if decision is not None else False,
        free_members_present=free_present(session, registration, present),
    )


def awards_evidence(session: ExamSession) -> rules.Evidence:
    """What ``rules.deliberation.awards`` reads of an already valid decision: the session's kind."""
    nothing: frozenset[int] = frozenset()
    return rules.Evidence(
        session_kind=standing.SessionKind(session.kind),
        version_ccps=nothing,
        ccps_sat=nothing,
        held_before=nothing,
        attendance="",
        training_route=False,
        ecf_results=False,
        portfolio=False,
        final_interview_due=False,
        final_interview_held=False,
        free_members_present=0,
    )
