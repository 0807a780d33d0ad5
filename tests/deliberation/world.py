"""A TSSR 2023 title session convened and held on its first day, for the deliberation tests.

Built through the services on the days each step would have happened (``core.dating.replaying``): created,
declared and convened on ``TSSR_REPLAYED_DAY``; attendance recorded on ``TSSR_FIRST_DAY``. Run the
deliberation itself inside ``dating.replaying(TSSR_FIRST_DAY)``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

import pytest
from tests.factories import user_with_role
from tests.session_world import TSSR_FIRST_DAY, TSSR_REPLAYED_DAY, TssrWorld, make_tssr_world

from titrepro.accounts.models import RoleKind
from titrepro.candidates.models import InTrainingAssessment
from titrepro.catalogue.models import CCP
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.deliberation import appeals, services
from titrepro.deliberation.models import Appeal, Decision, Minutes
from titrepro.sessions import services as session_services
from titrepro.sessions.models import ExamSession, JuryAssignment, Registration

ALL = [1, 2]  # TSSR 2023 has two CCPs


@dataclass
class Held:
    world: TssrWorld
    session: ExamSession
    registrations: list[Registration] = field(default_factory=list)
    jury: list[JuryAssignment] = field(default_factory=list)

    def member_user(self, index: int) -> Any:
        return self.world.user_of(self.jury[index].member)


def with_ecf(registration: Registration) -> None:
    """An ECF result for every CCP of the version (the livret des ECF of a training candidate, R-53)."""
    pathway = registration.candidate.pathways.get()
    for ccp in CCP.objects.filter(version=registration.session.version_id):
        InTrainingAssessment.objects.create(
            pathway=pathway, ccp=ccp, result="passed", assessed_on=datetime.date(2026, 3, 20)
        )


def held_session(*, candidates: int = 2, members: int = 2, ecf: bool = True, present: bool = True) -> Held:
    """Convened; on its first day every candidate present with their dossier professionnel; the members
    present at the deliberation (``present``)."""
    w = make_tssr_world()
    with dating.replaying(TSSR_REPLAYED_DAY):
        session = w.draft()
        session = session_services.declare_session(w.staff, session)
        for _ in range(candidates):
            session_services.register(w.staff, session, w.candidate())
        for _ in range(members):
            w.accept(session, w.member())
        session = session_services.convene(w.staff, session)
    registrations = list(session.registrations.order_by("pk"))
    jury = list(session.jury.order_by("pk"))
    with dating.replaying(TSSR_FIRST_DAY):
        for registration in registrations:
            session_services.record_attendance(
                w.staff, registration, attendance="present", arrived_at=None, note="", portfolio_handed_in=True
            )
            if ecf:
                with_ecf(registration)
        if present:
            services.record_presence(w.staff, session, jury)
    session.refresh_from_db()
    return Held(w, session, list(session.registrations.order_by("pk")), jury)


def validated(held: Held, notified_on: datetime.date | None = TSSR_FIRST_DAY) -> Minutes:
    """The first candidate awarded the title, the second a partial success (CCP 1); the PV signed, submitted and
    validated on the session's day; both results notified on ``notified_on``."""
    first, second = held.registrations
    with dating.replaying(TSSR_FIRST_DAY):
        juror = held.member_user(0)
        services.decide(juror, first, result="title_awarded", ccps=ALL, final_interview_held=True)
        services.decide(
            juror,
            second,
            result="partial_success",
            ccps=[1],
            reason="CCP 2 : sauvegarde non maîtrisée.",
            final_interview_held=True,
        )
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        minutes = services.submit(held.world.staff, minutes)
        minutes = services.validate(held.world.agent, minutes)
    Decision.objects.filter(registration__session=held.session).update(notified_on=notified_on)
    return minutes


def candidate_user(registration: Registration) -> Any:
    return user_with_role(RoleKind.CANDIDATE, candidate=registration.candidate)


def file(registration: Registration, on: datetime.date, text: str = "Le jury n’a pas lu mon dossier.") -> Appeal:
    with dating.replaying(on):
        return appeals.file_appeal(candidate_user(registration), registration, text=text)


def refusal_of(registration: Registration, on: datetime.date) -> Refused:
    with pytest.raises(Refused) as refused:
        file(registration, on)
    return refused.value
