"""Permission matrix of the authority's PV pages (tests/permissions.py).

For authority agents and the national administrator: another département's PV is 404, any other role 403. The
objects are built for each request, directly (the services have their own tests): a session of our centre held
yesterday, our candidate registered and present, our jury member accepted, present and signed, and the PV
submitted with its content frozen. The writes reach the services: the validation and the return with a reason
(302); a return without a reason is refused (400).
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.utils import timezone
from tests.deliberation.permission_world import held_yesterday
from tests.factories import today
from tests.permissions import Audience, PermissionMatrix, Row

from titrepro.deliberation import minutes as content
from titrepro.deliberation.models import Minutes, MinutesStatus, Signature
from titrepro.sessions.models import ExamSession, JuryAssignment, Registration

AUTHORITY = Audience.AUTHORITY | Audience.NATIONAL


def _session(w: Any) -> ExamSession:
    return held_yesterday(w, "0011")


def _submitted(w: Any) -> Minutes:
    """Our session's PV, signed by our member present and submitted: its content and hash frozen."""
    session = _session(w)
    found = Minutes.objects.filter(session=session).first()
    if found is not None:
        return found
    Registration.objects.get_or_create(
        session=session, candidate=w.ours.candidate, defaults={"registered_on": today(), "attendance": "present"}
    )
    assignment = JuryAssignment.objects.create(
        session=session,
        member=w.ours.member,
        first_day=session.first_day,
        last_day=session.last_day,
        proposed_on=session.first_day - datetime.timedelta(days=50),
        status="accepted",
        answered_on=session.first_day - datetime.timedelta(days=45),
    )
    minutes = Minutes.objects.create(session=session, revision=1, number=f"PV-{session.number}")
    minutes.present.add(assignment)
    document = content.content(minutes)
    sha = content.digest(document)
    Signature.objects.create(minutes=minutes, assignment=assignment, sha256=sha)
    Minutes.objects.filter(pk=minutes.pk).update(
        status=MinutesStatus.SUBMITTED,
        content=document,
        sha256=sha,
        submitted_at=timezone.now(),
        submitted_by=w.ours.staff,
    )
    minutes.refresh_from_db()
    return minutes


def minutes(w: Any) -> list[int]:
    return [_submitted(w).pk]


def listed(w: Any) -> dict[str, str]:
    _submitted(w)
    return {"statut": "submitted"}


class TestAuthorityMinutesPagesPermissions(PermissionMatrix):
    template_prefix = "deliberation/"

    rows: ClassVar[list[Row]] = [
        Row("deliberation:authority_minutes_list", AUTHORITY, is_list=True, query=listed),
        Row("deliberation:authority_minutes_detail", AUTHORITY, args=minutes),
        Row(
            "deliberation:authority_minutes_detail",
            AUTHORITY,
            method="post",
            args=minutes,
            body=lambda w: {"action": "validate"},
            status=302,
        ),
        Row(
            "deliberation:authority_minutes_detail",
            AUTHORITY,
            method="post",
            args=minutes,
            body=lambda w: {"action": "return", "reason": "Motif du refus du CCP 2 à préciser"},
            status=302,
        ),
        Row(
            "deliberation:authority_minutes_detail",
            AUTHORITY,
            method="post",
            args=minutes,
            body=lambda w: {"action": "return", "reason": ""},
            status=400,
        ),
        Row("deliberation:authority_minutes_pdf", AUTHORITY, args=minutes),
    ]
