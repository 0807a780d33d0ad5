"""The demo world's exam sessions: one in every state, with registrations and juries, built through the
services on the days each step would have happened (``core.dating.replaying``), relative to today.

    draft      in 90 days, two candidates registered
    declared   in 70 days, four candidates, two members accepted, the demo jury member invited (to answer)
    convened   in 35 days, candidat001 among the candidates, planned (the convocations give each candidate's
               times, the demo jury member sees their day): the worker sends the queued convocations
    held       10 days ago, one day: four members accepted, planned, attendance recorded (one absent, one
               late: their part starts on arrival and keeps its end), a fraud report; deliberated, its PV signed,
               submitted and validated three days later (``demo.deliberation``)
    cancelled  by the centre; annulled by the authority, with their reasons

A step that the rules refuse for a given candidate or member (a pathway started after the session,
a habilitation ending before it) is skipped for that person: the demo keeps what the rules accept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import date, time, timedelta
from typing import Any

from titrepro.candidates.models import Candidate
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.core.dating import replaying
from titrepro.core.refusals import Refused
from titrepro.demo import deliberation as demo_deliberation
from titrepro.directory.models import ApprovedCentre, JuryMember
from titrepro.rules.timetable_solver import Settings
from titrepro.sessions import services
from titrepro.sessions.models import ExamSession

PLANNING = Settings(seconds=10, workers=1, work=2.0)


def _session(staff: Any, centre: ApprovedCentre, version: TitleVersion, first: date, *, days: int = 2) -> ExamSession:
    return services.create_session(
        staff,
        centre,
        kind="title",
        version=version,
        first_day=first,
        last_day=first + timedelta(days=days - 1),
        site_address=centre.address,
        capacity=12,
        opens_at=time(8, 30),
        closes_at=time(17, 30),
        workstations=4,
    )


def _plan(staff: Any, session: ExamSession) -> None:
    """The planning computed, within a budget of deterministic work (the same demo on every machine); a session
    the rules cannot plan goes without."""
    with suppress(Refused):
        services.plan_session(staff, session, settings=PLANNING)


def _register(staff: Any, session: ExamSession, candidates: Iterable[Candidate], wanted: int) -> list[Candidate]:
    registered: list[Candidate] = []
    for candidate in candidates:
        if len(registered) == wanted:
            break
        try:
            services.register(staff, session, candidate)
        except Refused:
            continue
        registered.append(candidate)
    return registered


def _jury(staff: Any, session: ExamSession, members: Sequence[JuryMember], wanted: int, *, skip: int = 0) -> None:
    """Invite members until ``wanted`` accepted; a member without an account answers through the system."""
    accepted = 0
    for member in members[skip:]:
        if accepted == wanted:
            break
        try:
            assignment = services.invite_member(staff, session, member)
            services.answer_invitation(member.user if member.user_id else None, assignment, accept=True)
        except Refused:
            continue
        accepted += 1


def build(
    today: date,
    *,
    tssr: Title,
    version: TitleVersion,
    centre: ApprovedCentre,
    staff: Any,
    agent: Any,
    members: Sequence[JuryMember],
    shown: Candidate | None,
) -> None:
    if ExamSession.objects.filter(centre=centre).exists():
        return
    candidates = list(Candidate.objects.filter(centre=centre, pathways__title=tssr).distinct().order_by("pk"))
    if shown is not None and shown.centre_id == centre.pk:
        candidates.remove(shown)
        candidates.insert(0, shown)
    # Members 1... accept; member 0 is the demo jury account: invited to the declared session, to answer.
    others = [m for m in members if m.authority_id == centre.authority_id and m != members[0]]

    with replaying(today - timedelta(days=20)):
        draft = _session(staff, centre, version, today + timedelta(days=90))
        _register(staff, draft, candidates[12:], 2)

    with replaying(today - timedelta(days=15)):
        declared = _session(staff, centre, version, today + timedelta(days=70))
        services.declare_session(staff, declared)
        _register(staff, declared, candidates[8:], 4)
        _jury(staff, declared, others, 2, skip=2)
        with suppress(Refused):  # member 0 is habilitated in the demo; if not, the session goes without
            services.invite_member(staff, declared, members[0])

    with replaying(today - timedelta(days=30)):
        convened = _session(staff, centre, version, today + timedelta(days=35))
        services.declare_session(staff, convened)
        _register(staff, convened, candidates[:4], 4)
        _jury(staff, convened, [members[0], *others], 2)
        _plan(staff, convened)
    with replaying(today - timedelta(days=2)), suppress(Refused):
        services.convene(staff, convened)

    first = today - timedelta(days=10)
    with replaying(first - timedelta(days=60)):
        held = _session(staff, centre, version, first, days=1)
        services.declare_session(staff, held)
        registered = _register(staff, held, candidates[4:], 4)
        _jury(staff, held, others, 4)  # one day: two pairs of members sit the interviews side by side
        _plan(staff, held)
    with replaying(first - timedelta(days=40)):
        try:
            held = services.convene(staff, held)
        except Refused:
            return
    with replaying(first):
        for index, registration in enumerate(held.registrations.order_by("pk")):
            attendance = "absent" if index == 0 else "late" if index == 1 else "present"
            services.record_attendance(
                staff,
                registration,
                attendance=attendance,
                arrived_at=time(9, 10) if attendance == "late" else None,
                note="Train en retard" if attendance == "late" else "",
                portfolio_handed_in=attendance != "absent",
            )
        if len(registered) > 2:
            services.record_incident(
                staff,
                held,
                kind="fraud",
                text="Téléphone portable consulté pendant la mise en situation professionnelle.",
                registration=held.registrations.order_by("pk")[2],
            )
        services.hold_session(staff, held)
    from titrepro.demo.world import PASSWORD  # world builds this module's sessions: imported when it runs

    with suppress(Refused):  # a candidate the rules refuse (a missing dossier...): the demo goes without results
        demo_deliberation.deliberate(staff, agent, held, PASSWORD)

    with replaying(today - timedelta(days=12)):
        cancelled = _session(staff, centre, version, today + timedelta(days=50))
        services.cancel_session(staff, cancelled, reason="Plateau technique indisponible (travaux).")
        annulled = _session(staff, centre, version, today + timedelta(days=55))
        services.declare_session(staff, annulled)
    with replaying(today - timedelta(days=5)):
        services.annul_session(agent, annulled, reason="Irrégularité signalée : sujets diffusés avant la session.")
