"""A jury member busy on two sessions whose days overlap is refused by PostgreSQL itself (migration
exam_sessions 0002: an exclusion constraint), even when the service's check is bypassed."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from tests.session_world import World, make_world

from titrepro.directory.models import JuryMember
from titrepro.sessions.models import ExamSession, JuryAssignment

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="an exclusion constraint is a PostgreSQL feature; on SQLite the service checks (test_session_services)",
    ),
]


def busy(world: World, session: ExamSession, member: JuryMember, status: str = "accepted") -> JuryAssignment:
    return JuryAssignment.objects.create(
        session=session,
        member=member,
        status=status,
        first_day=session.first_day,
        last_day=session.last_day,
        proposed_on=session.first_day - datetime.timedelta(days=30),
    )


def test_overlapping_days_written_directly_are_refused_by_the_database() -> None:
    world = make_world()
    member = world.member()
    first = world.draft(days=2)
    second = world.draft(ahead=61)  # its day is the first session's second day
    busy(world, first, member)
    with pytest.raises(IntegrityError), transaction.atomic():
        busy(world, second, member, status="proposed")


def test_the_next_day_and_a_declined_invitation_are_allowed() -> None:
    world = make_world()
    member = world.member()
    first = world.draft(days=2)
    busy(world, first, member)
    busy(world, world.draft(ahead=62), member)  # the day after the first session
    busy(world, world.draft(ahead=61), member, status="declined")  # not busy: no constraint
