"""Permission matrix of the authority's, the jury member's and the candidate's session pages (tests/permissions.py).

The authority's pages are for authority agents and the national administrator (another authority's
session: 404); a jury member's pages show only their own invitations and convocations, a candidate's
only their own registrations (another member or candidate: 404, any other role: 403, the national
administrator included). The objects are built for each request, directly (not through the services,
whose own tests are in test_session_services.py): a declared session of our centre, 60 days ahead, our
candidate registered, our jury member invited, a sent convocation with its PDF for each.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.files.base import ContentFile
from tests.factories import today
from tests.permissions import Audience, PermissionMatrix, Row

from titrepro.sessions.models import Convocation, ExamSession, JuryAssignment, Registration

AUTHORITY = Audience.AUTHORITY | Audience.NATIONAL
JURY = Audience.JURY
CANDIDATE = Audience.CANDIDATE

PDF = b"%PDF-1.7\n%%EOF\n"


def _session(w: Any) -> ExamSession:
    found = ExamSession.objects.filter(centre=w.ours.centre).first()
    if found is not None:
        return found
    first = today() + datetime.timedelta(days=60)
    return ExamSession.objects.create(
        number=f"{first.year}-069-0001",
        kind="title",
        version=w.ours.approval.version,
        centre=w.ours.centre,
        approval=w.ours.approval,
        site_address=w.ours.approval.site_address,
        first_day=first,
        last_day=first,
        capacity=12,
        status="declared",
        declared_on=today(),
    )


def _registration(w: Any) -> Registration:
    session = _session(w)
    return Registration.objects.get_or_create(
        session=session, candidate=w.ours.candidate, defaults={"registered_on": today()}
    )[0]


def _assignment(w: Any) -> JuryAssignment:
    session = _session(w)
    return JuryAssignment.objects.get_or_create(
        session=session,
        member=w.ours.member,
        defaults={"first_day": session.first_day, "last_day": session.last_day, "proposed_on": today()},
    )[0]


def _convocation(**person: Any) -> Convocation:
    found = Convocation.objects.filter(**person).first()
    if found is not None:
        return found
    some = next(iter(person.values()))
    convocation = Convocation(session=some.session, status="sent", **person)
    convocation.pdf.save("convocation.pdf", ContentFile(PDF), save=False)
    convocation.save()
    return convocation


def session(w: Any) -> list[int]:
    return [_session(w).pk]


def assignment(w: Any) -> list[int]:
    _registration(w)
    return [_assignment(w).pk]


def accepted_assignment(w: Any) -> list[int]:
    pk = assignment(w)[0]
    JuryAssignment.objects.filter(pk=pk).update(status="accepted", answered_on=today())
    return [pk]


def jury_convocation(w: Any) -> list[int]:
    return [_convocation(assignment=_assignment(w)).pk]


def candidate_convocation(w: Any) -> list[int]:
    return [_convocation(registration=_registration(w)).pk]


def conflict(w: Any) -> dict[str, Any]:
    return {"registration": _registration(w).pk, "note": "Ancienne collègue"}


class TestSessionPagesPermissions(PermissionMatrix):
    template_prefix = "sessions/"

    rows: ClassVar[list[Row]] = [
        # Authority agents (and the national administrator).
        Row("sessions:authority_session_list", AUTHORITY, is_list=True),
        Row("sessions:authority_session_detail", AUTHORITY, args=session),
        Row("sessions:authority_session_annul", AUTHORITY, args=session),
        Row(
            "sessions:authority_session_annul",
            AUTHORITY,
            method="post",
            args=session,
            body=lambda w: {"reason": "Fraude organisée constatée"},
            status=302,
        ),
        Row("sessions:authority_programme_list", AUTHORITY, is_list=True),
        # Jury members: their own invitations only.
        Row("sessions:jury_invitation_list", JURY, is_list=True),
        Row("sessions:jury_invitation_detail", JURY, args=assignment),
        Row(
            "sessions:jury_invitation_answer",
            JURY,
            method="post",
            args=assignment,
            body=lambda w: {"answer": "accept"},
            status=302,
        ),
        Row("sessions:jury_conflict_declare", JURY, method="post", args=assignment, body=conflict, status=302),
        Row("sessions:jury_convocation_pdf", JURY, args=jury_convocation),
        Row("sessions:jury_leave_request_pdf", JURY, args=accepted_assignment),
        Row("sessions:jury_calendar", JURY, is_list=True),
        Row("sessions:jury_calendar", JURY, method="post", is_list=True, status=302),
        # Candidates: their own registrations and convocations only.
        Row("sessions:candidate_session_list", CANDIDATE, is_list=True),
        Row("sessions:candidate_convocation_pdf", CANDIDATE, args=candidate_convocation),
    ]
