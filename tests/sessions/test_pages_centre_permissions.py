"""Permission matrix of the centre's session pages (/espace/centre/sessions/..., base class: tests/permissions.py).

For centre staff and the national administrator; another centre's session answers 404.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.files.base import ContentFile
from tests.factories import today
from tests.permissions import Audience, PermissionMatrix, Row

from titrepro.sessions.models import (
    Convocation,
    ExamSession,
    JuryAssignment,
    Registration,
    Timetable,
    TimetableSlot,
)

CENTRE = Audience.CENTRE | Audience.NATIONAL


def _session(w: Any, status: str = "convened") -> ExamSession:
    """A session of our centre (made directly: the pages are what is tested here), with our candidate
    registered, our jury member who accepted, and the candidate's convocation as a stored PDF."""
    first = today() + datetime.timedelta(days=40)
    session, created = ExamSession.objects.get_or_create(
        number=f"{first.year}-MAT-{status[:4]}",
        defaults={
            "kind": "title",
            "version": w.ours.approval.version,
            "centre": w.ours.centre,
            "approval": w.ours.approval,
            "site_address": w.ours.approval.site_address,
            "first_day": first,
            "last_day": first,
            "capacity": 10,
            "status": status,
        },
    )
    if created:
        registration = Registration.objects.create(session=session, candidate=w.ours.candidate, registered_on=today())
        JuryAssignment.objects.create(
            session=session,
            member=w.ours.member,
            status="accepted",
            first_day=first,
            last_day=first,
            proposed_on=today(),
        )
        convocation = Convocation.objects.create(
            session=session, registration=registration, email="x@example.org", status="sent"
        )
        convocation.pdf.save("c.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    return session


def _planned(w: Any) -> tuple[ExamSession, TimetableSlot]:
    """The draft session with a saved planning of one part (written directly)."""
    draft = _session(w, "draft")
    saved, _created = Timetable.objects.get_or_create(session=draft, defaults={"status": "optimal"})
    start = datetime.datetime.combine(draft.first_day, datetime.time(9), tzinfo=datetime.UTC)
    slot, _created = TimetableSlot.objects.get_or_create(
        timetable=saved,
        registration=draft.registrations.get(),
        part_key="m0",
        defaults={"label": "Entretien final", "starts_at": start, "ends_at": start + datetime.timedelta(hours=1)},
    )
    return draft, slot


def planned_slot(w: Any) -> list[int]:
    draft, slot = _planned(w)
    return [draft.pk, slot.pk]


def session(w: Any) -> list[int]:
    return [_session(w).pk]


def month(w: Any) -> dict[str, str]:
    return {"mois": _session(w).first_day.strftime("%Y-%m")}


def draft(w: Any) -> list[int]:
    return [_session(w, "draft").pk]


def move(name: str, status: str = "draft") -> Any:
    return lambda w: [_session(w, status).pk, name]


def registration(w: Any) -> list[int]:
    s = _session(w, "draft")
    return [s.pk, s.registrations.get().pk]


def assignment(w: Any) -> list[int]:
    s = _session(w, "draft")
    return [s.pk, s.jury.get().pk]


def picked(w: Any) -> dict[str, int]:
    """Our candidate ticked on the candidate list, with a draft session of ours open to registrations."""
    _session(w, "draft")
    return {"candidat": w.ours.candidate.pk}


def convocation(w: Any) -> list[int]:
    s = _session(w)
    return [s.pk, s.convocations.get().pk]


class TestCentreSessionPages(PermissionMatrix):
    template_prefix = "sessions/"
    rows: ClassVar[list[Row]] = [
        Row("sessions:centre_session_list", CENTRE, is_list=True),
        # The month of our session: another centre's staff gets the page, without it (nor its site).
        Row("sessions:centre_session_calendar", CENTRE, query=month, is_list=True),
        Row("sessions:centre_session_new", CENTRE, is_list=True),
        Row("sessions:centre_session_detail", CENTRE, args=session),
        Row("sessions:centre_session_move", CENTRE, args=move("declare")),
        Row("sessions:centre_session_move", CENTRE, method="post", args=move("declare"), status=302),
        Row("sessions:centre_registration_add", CENTRE, args=draft),
        Row("sessions:centre_registration_many", CENTRE, args=draft),
        # Another centre's candidates are dropped from the selection (a list: none of our data); posting
        # to our session is 404 for them. Our candidate is already registered: refused, with the reason.
        Row("sessions:centre_registration_pick", CENTRE, query=picked, is_list=True),
        Row(
            "sessions:centre_registration_pick",
            CENTRE,
            method="post",
            query=picked,
            body=lambda w: {"session": _session(w, "draft").pk},
        ),
        Row("sessions:centre_registration_withdraw", CENTRE, args=registration),
        Row(
            "sessions:centre_registration_withdraw",
            CENTRE,
            method="post",
            args=registration,
            body=lambda w: {"reason": "Déménagement"},
            status=302,
        ),
        Row("sessions:centre_jury_invite", CENTRE, args=draft),
        Row("sessions:centre_jury_withdraw", CENTRE, method="post", args=assignment, status=302),
        Row("sessions:centre_convocation_resend", CENTRE, method="post", args=convocation, status=302),
        Row("sessions:centre_convocation_pdf", CENTRE, args=convocation),
        Row("sessions:centre_session_day", CENTRE, args=session),
        Row("sessions:centre_sign_in_sheet", CENTRE, args=session),
        # The planning of a session being prepared: read, computed (no test in the fictional catalogue: an
        # empty planning), its resources saved.
        Row("sessions:centre_session_planning", CENTRE, args=draft),
        Row(
            "sessions:centre_session_planning",
            CENTRE,
            method="post",
            args=draft,
            body=lambda w: {"action": "plan"},
            status=302,
        ),
        Row(
            "sessions:centre_session_planning",
            CENTRE,
            method="post",
            args=draft,
            body=lambda w: {
                "action": "resources",
                "workstations": 4,
                "lunch_starts_at": "12:00",
                "lunch_ends_at": "13:00",
            },
            status=302,
        ),
        Row("sessions:centre_session_planning_pdf", CENTRE, args=lambda w: [_planned(w)[0].pk]),
        Row("sessions:centre_planning_slot", CENTRE, args=planned_slot),
        # A part the catalogue does not know (written directly): the change is checked and refused.
        Row(
            "sessions:centre_planning_slot",
            CENTRE,
            method="post",
            args=planned_slot,
            body=lambda w: {"day": _session(w, "draft").first_day.isoformat(), "start": "10:00"},
            status=400,
        ),
        Row("sessions:centre_programme", CENTRE, args=lambda w: [today().year + 1], is_list=True),
    ]
