"""A small world for the session tests: a centre approved for the fictional title's 2025 version, its staff,
the authority's agent, habilitated jury members with their accounts, candidates on a training route.

Dates are relative to today: ``AHEAD`` days from now leaves time for every convocation lead time (R-43).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from tests.factories import (
    agent_of,
    centre_staff,
    current_fictional_version,
    make_approval,
    make_candidate,
    make_centre,
    make_habilitation,
    make_jury_member,
    make_pathway,
    member_user,
    today,
)
from titrepro.candidates.models import Candidate
from titrepro.catalogue.models import CCP, TitleVersion
from titrepro.directory.models import Approval, ApprovedCentre, JuryMember
from titrepro.sessions import services
from titrepro.sessions.models import ExamSession, JuryAssignment

AHEAD = 60


@dataclass
class World:
    centre: ApprovedCentre
    approval: Approval
    staff: Any
    agent: Any
    members: list[JuryMember] = field(default_factory=list)
    member_users: list[Any] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)

    def first_day(self, ahead: int = AHEAD) -> datetime.date:
        return today() + datetime.timedelta(days=ahead)

    def draft(self, *, ahead: int = AHEAD, days: int = 1, **fields: Any) -> ExamSession:
        first = self.first_day(ahead)
        values: dict[str, Any] = {
            "kind": "title",
            "version": self.approval.version,
            "first_day": first,
            "last_day": first + datetime.timedelta(days=days - 1),
            "site_address": "1 rue de l’Exemple, 69000 Lyon",
            "capacity": 12,
        }
        values.update(fields)
        return services.create_session(self.staff, self.centre, **values)

    def member(self, **fields: Any) -> JuryMember:
        member = make_jury_member(authority=self.centre.authority, **fields)
        make_habilitation(member=member)
        self.members.append(member)
        self.member_users.append(member_user(member))
        return member

    def candidate(self, **fields: Any) -> Candidate:
        candidate = make_candidate(centre=self.centre, **fields)
        make_pathway(candidate=candidate)
        self.candidates.append(candidate)
        return candidate

    def user_of(self, member: JuryMember) -> Any:
        return self.member_users[self.members.index(member)]

    def accept(self, session: ExamSession, member: JuryMember) -> JuryAssignment:
        assignment = services.invite_member(self.staff, session, member)
        return services.answer_invitation(self.user_of(member), assignment, accept=True)

    def ready(self, *, ahead: int = AHEAD, **fields: Any) -> ExamSession:
        """A declared session with two candidates and two jury members who accepted: ready to convene."""
        session = self.draft(ahead=ahead, **fields)
        session = services.declare_session(self.staff, session)
        for _ in range(2):
            services.register(self.staff, session, self.candidate())
        for _ in range(2):
            self.accept(session, self.member())
        session.refresh_from_db()
        return session


def with_ccps(version: TitleVersion) -> TitleVersion:
    """The fictional 2025 version with two CCPs (the standing engine needs blocks to sit)."""
    for number in (1, 2):
        CCP.objects.get_or_create(version=version, number=number, defaults={"label": f"Activité type {number}"})
    return version


def make_world() -> World:
    with_ccps(current_fictional_version())
    centre = make_centre(email="centre@example.org", address="1 rue de l’Exemple\n69000 Lyon")
    approval = make_approval(centre=centre, version=current_fictional_version())
    return World(centre=centre, approval=approval, staff=centre_staff(centre), agent=agent_of(centre.authority))


# TSSR (TP-01351), version 2023, from the built-in catalogue: a title session in the past of the version, so
# the world is built on a replayed day (``core.dating.replaying``) when the version was still in force.
TSSR_REPLAYED_DAY = datetime.date(2026, 3, 2)
TSSR_FIRST_DAY = datetime.date(2026, 5, 4)  # a Monday, 63 days later


@dataclass
class TssrWorld(World):
    """A centre approved for TSSR 2023, jury members habilitated for TSSR, candidates training for it.

    Build sessions and their people inside ``dating.replaying(TSSR_REPLAYED_DAY)``."""

    title: Any = None

    def draft(self, *, ahead: int = AHEAD, days: int = 1, **fields: Any) -> ExamSession:
        fields.setdefault("first_day", TSSR_FIRST_DAY)
        fields.setdefault("last_day", fields["first_day"] + datetime.timedelta(days=days - 1))
        return super().draft(**fields)

    def member(self, **fields: Any) -> JuryMember:
        member = make_jury_member(authority=self.centre.authority, **fields)
        make_habilitation(member=member, title=self.title, granted_on=datetime.date(2024, 1, 8))
        self.members.append(member)
        self.member_users.append(member_user(member))
        return member

    def candidate(self, **fields: Any) -> Candidate:
        candidate = make_candidate(centre=self.centre, **fields)
        make_pathway(candidate=candidate, title=self.title, started_on=datetime.date(2025, 9, 1))
        self.candidates.append(candidate)
        return candidate


def make_tssr_world(label: str = "2023") -> TssrWorld:
    """Needs the built-in catalogue (the ``builtin_catalogue`` fixture)."""
    from titrepro.catalogue.models import Title

    title = Title.objects.get(code="TP-01351")
    version = title.versions.get(label=label)
    centre = make_centre(email="centre@example.org", address="1 rue de l’Exemple\n69000 Lyon")
    approval = make_approval(
        centre=centre, version=version, granted_on=datetime.date(2023, 9, 1), valid_until=version.valid_until
    )
    return TssrWorld(
        centre=centre, approval=approval, staff=centre_staff(centre), agent=agent_of(centre.authority), title=title
    )
