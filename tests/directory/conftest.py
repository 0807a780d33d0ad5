"""A small world for the directory's page and API tests: two authorities, each with its people."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from tests.factories import (
    ApprovalFactory,
    AuthorityFactory,
    CentreFactory,
    ExperienceFactory,
    HabilitationFactory,
    JuryMemberFactory,
    LinkFactory,
    agent_of,
    centre_staff,
    make_title,
    member_user,
)

from titrepro.catalogue.models import Title
from titrepro.directory.models import Approval, ApprovedCentre, DeclaredLink, Habilitation, JuryMember


@pytest.fixture(autouse=True)
def _past_dates_are_transcriptions(settings: Any) -> None:
    """The directory's tests are about R-30 to R-64 on dates of 2024-2026 (the fictional title's
    versions); the transcription window of decision dates has its own tests (tests/core/test_dating.py)."""
    settings.TITREPRO_TRANSCRIPTION_DAYS = 100_000


@dataclass
class World:
    title: Title
    centre: ApprovedCentre
    approval: Approval
    member: JuryMember
    habilitation: Habilitation
    link: DeclaredLink
    agent: Any  # agent of the authority of all the above
    other_agent: Any  # agent of another authority
    staff: Any  # centre staff: a role that may not use these pages
    member_user: Any  # the jury member above
    other_member_user: Any  # a jury member of the other authority
    other_link: DeclaredLink


@pytest.fixture
def world(db: None) -> World:
    title = make_title()
    authority, other = AuthorityFactory.create(departement="69"), AuthorityFactory.create(departement="13")
    centre = CentreFactory.create(authority=authority, name="Centre Lumière")
    member = JuryMemberFactory.create(authority=authority, last_name="Lovelace")
    ExperienceFactory.create(member=member, title=title, start=datetime.date(2012, 1, 1))
    other_member = JuryMemberFactory.create(authority=other)
    return World(
        title=title,
        centre=centre,
        approval=ApprovalFactory.create(centre=centre),
        member=member,
        habilitation=HabilitationFactory.create(member=member, title=title),
        link=LinkFactory.create(member=member, label="Lien secret"),
        agent=agent_of(authority),
        other_agent=agent_of(other),
        staff=centre_staff(centre),
        member_user=member_user(member),
        other_member_user=member_user(other_member),
        other_link=LinkFactory.create(member=other_member),
    )
