"""Permission matrix of /api/v1/sessions (base class: tests/permissions.py).

The sessions of "ours" are built for each request by the rows' argument functions (and rolled back
with it), each in the state its operation needs; their site is the organisation's approved site, so
the leak checks see it:

- ``open``: being prepared, our candidate registered, our jury member invited (every role of ours
  reads it);
- ``bare``: being prepared, nobody registered or invited yet;
- ``declared``: ``open`` declared to the authority;
- ``ready`` / ``convened``: declared, our candidate registered, our member and a second one accepted;
  then convened;
- ``past``: convened in the past (replayed), its first day ten days ago: the session day.

Writes are for centre staff and the national administrator, except the annulment (the authority) and
the answers to an invitation (the member invited); a conflict is declared by the member or the centre.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.files.base import ContentFile
from tests.factories import make_habilitation, make_jury_member, today
from tests.permissions import Audience, PermissionMatrix, Row, World
from tests.session_world import with_ccps

from titrepro.core.dating import replaying
from titrepro.sessions import services
from titrepro.sessions.lifecycles import CONVOCATION
from titrepro.sessions.models import (
    Convocation,
    ExamSession,
    JuryAssignment,
    Programme,
    Registration,
    Timetable,
    TimetableSlot,
)

CENTRE = Audience.CENTRE | Audience.NATIONAL
AUTHORITY = Audience.AUTHORITY | Audience.NATIONAL
JURY = Audience.JURY
# Every role that may read a session it is part of.
READERS = Audience.CENTRE | Audience.AUTHORITY | Audience.JURY | Audience.CANDIDATE | Audience.NATIONAL
AHEAD = 60
PAST = 10  # the past session's first day, days ago


# Our sessions, built on demand ------------------------------------------------------------------


def _create(w: World, state: str, first_day: datetime.date) -> ExamSession:
    with_ccps(w.ours.approval.version)
    return services.create_session(
        w.ours.staff,
        w.ours.centre,
        kind="title",
        version=w.ours.approval.version,
        first_day=first_day,
        last_day=first_day,
        site_address=f"{w.ours.approval.site_address} — {state}",
        capacity=12,
    )


def _second_member(w: World) -> Any:
    member = make_jury_member(last_name="Seconde", first_name="Grace", authority=w.ours.authority)
    make_habilitation(member=member, title=w.title)
    return member


def _accepted(w: World, session: ExamSession) -> ExamSession:
    """Declared, our candidate registered, our member and a second one accepted."""
    session = services.declare_session(w.ours.staff, session)
    services.register(w.ours.staff, session, w.ours.candidate)
    for member in (w.ours.member, _second_member(w)):
        services.answer_invitation(None, services.invite_member(w.ours.staff, session, member), accept=True)
    return session


def session_in(w: World, state: str) -> ExamSession:
    """Our session in ``state`` (see the module's docstring), made once per request."""
    found = ExamSession.objects.filter(centre=w.ours.centre, site_address__endswith=f" — {state}").first()
    if found is not None:
        return found
    if state == "past":
        first_day = today() - datetime.timedelta(days=PAST)
        with replaying(first_day - datetime.timedelta(days=AHEAD)):
            return services.convene(w.ours.staff, _accepted(w, _create(w, state, first_day)))
    session = _create(w, state, today() + datetime.timedelta(days=AHEAD))
    if state in ("open", "declared"):
        services.register(w.ours.staff, session, w.ours.candidate)
        services.invite_member(w.ours.staff, session, w.ours.member)
        if state == "declared":
            session = services.declare_session(w.ours.staff, session)
    elif state in ("ready", "convened"):
        session = _accepted(w, session)
        if state == "convened":
            session = services.convene(w.ours.staff, session)
    return session


def session(state: str) -> Any:
    return lambda w: [session_in(w, state).pk]


def built(state: str) -> Any:
    """For a list: our session exists (so that a leak would show), no query parameter."""

    def query(w: World) -> dict[str, str]:
        session_in(w, state)
        return {}

    return query


def registration(state: str) -> Any:
    return lambda w: [Registration.objects.get(session=session_in(w, state), candidate=w.ours.candidate).pk]


def assignment(w: World) -> list[int]:
    return [JuryAssignment.objects.get(session=session_in(w, "open"), member=w.ours.member).pk]


def failed_convocation(w: World) -> list[int]:
    convocation = Convocation.objects.filter(session=session_in(w, "convened")).order_by("pk").first()
    assert convocation is not None
    if convocation.status == "queued":
        CONVOCATION.apply("fail", None, convocation, changes={"error": "Boîte pleine"})
    return [convocation.pk]


def rendered_convocation(w: World) -> list[int]:
    """The convocation of the actor when they are our jury member or candidate, else our candidate's; with its PDF."""
    convocations = Convocation.objects.filter(session=session_in(w, "convened"))
    if w.actor == w.ours.juror:
        convocation = convocations.get(assignment__member=w.ours.member)
    else:
        convocation = convocations.get(registration__candidate=w.ours.candidate)
    if not convocation.pdf:
        convocation.pdf.save("convocation.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"))
    return [convocation.pk]


def planned_in(w: World) -> tuple[ExamSession, TimetableSlot]:
    """The ``ready`` session with a saved planning of one part of our candidate's before our member (written
    directly: the fictional catalogue has no test to plan)."""
    ready = session_in(w, "ready")
    saved, _created = Timetable.objects.get_or_create(session=ready, defaults={"status": "optimal"})
    start = datetime.datetime.combine(ready.first_day, datetime.time(9), tzinfo=datetime.UTC)
    slot, created = TimetableSlot.objects.get_or_create(
        timetable=saved,
        registration=ready.registrations.get(candidate=w.ours.candidate),
        part_key="m0",
        defaults={"label": "Entretien final", "starts_at": start, "ends_at": start + datetime.timedelta(hours=1)},
    )
    if created:
        slot.jurors.set(ready.jury.filter(member=w.ours.member))
    return ready, slot


def planned_session(w: World) -> list[int]:
    return [planned_in(w)[0].pk]


def planned_slot(w: World) -> list[int]:
    return [planned_in(w)[1].pk]


def programme_in(w: World) -> Programme:
    found = Programme.objects.filter(centre=w.ours.centre).first()
    if found is not None:
        return found
    line = services.PlannedLine(kind="title", version=w.ours.approval.version, month=3, expected_candidates=8)
    return services.save_programme(w.ours.staff, w.ours.centre, today().year + 1, [line])


def programme(w: World) -> list[int]:
    return [programme_in(w).pk]


def programmes(w: World) -> dict[str, str]:
    programme_in(w)
    return {}


# Bodies -----------------------------------------------------------------------------------------


def new_session(w: World) -> dict[str, Any]:
    first = today() + datetime.timedelta(days=AHEAD)
    version = w.ours.approval.version
    return {
        "centre_id": w.ours.centre.pk,
        "kind": "title",
        "title": version.title.code,
        "version": version.label,
        "site_address": w.ours.approval.site_address,
        "first_day": first.isoformat(),
        "last_day": first.isoformat(),
        "capacity": 12,
    }


def reason(text: str) -> Any:
    return lambda w: {"reason": text}


def conflict(w: World) -> dict[str, Any]:
    return {"registration_id": registration("open")(w)[0], "note": "Ancienne collègue"}


def incident(w: World) -> dict[str, Any]:
    return {
        "kind": "incident",
        "text": "Coupure de courant",
        "occurred_on": session_in(w, "past").first_day.isoformat(),
    }


def lines(w: World) -> dict[str, Any]:
    version = w.ours.approval.version
    line = {"kind": "title", "title": version.title.code, "version": version.label, "month": 5}
    return {"lines": [line | {"expected_candidates": 6}]}


def programme_year(w: World) -> list[int]:
    return [w.ours.centre.pk, today().year + 1]


class TestSessionsApiPermissions(PermissionMatrix):
    rows: ClassVar[list[Row]] = [
        # Sessions.
        Row("api:sessions_list", READERS, query=built("open"), is_list=True),
        Row("api:sessions_detail", READERS, args=session("open")),
        Row("api:sessions_create", CENTRE, method="post", body=new_session, status=201),
        Row("api:sessions_declare", CENTRE, method="post", args=session("open")),
        Row("api:sessions_convene", CENTRE, method="post", args=session("ready")),
        Row("api:sessions_hold", CENTRE, method="post", args=session("past")),
        Row("api:sessions_cancel", CENTRE, method="post", args=session("open"), body=reason("Salle indisponible")),
        Row("api:sessions_annul", AUTHORITY, method="post", args=session("declared"), body=reason("Irrégularité")),
        # Registrations.
        Row("api:sessions_registration_list", READERS, args=session("open")),
        Row(
            "api:sessions_register",
            CENTRE,
            method="post",
            args=session("bare"),
            body=lambda w: {"candidate_id": w.ours.candidate.pk},
            status=201,
        ),
        Row(
            "api:sessions_register_batch",
            CENTRE,
            method="post",
            args=session("bare"),
            body=lambda w: {"candidate_ids": [w.ours.candidate.pk]},
        ),
        Row(
            "api:sessions_registration_withdraw",
            CENTRE,
            method="post",
            args=registration("open"),
            body=reason("Malade"),
        ),
        Row(
            "api:sessions_registration_attendance",
            CENTRE,
            method="post",
            args=registration("past"),
            body=lambda w: {"attendance": "present"},
        ),
        # The jury.
        Row("api:sessions_jury_list", CENTRE | AUTHORITY | JURY, args=session("open")),
        Row(
            "api:sessions_jury_invite",
            CENTRE,
            method="post",
            args=session("bare"),
            body=lambda w: {"member_id": w.ours.member.pk},
            status=201,
        ),
        Row("api:sessions_jury_accept", JURY, method="post", args=assignment),
        Row("api:sessions_jury_decline", JURY, method="post", args=assignment, body=lambda w: {"note": "En congés"}),
        Row("api:sessions_jury_withdraw", CENTRE, method="post", args=assignment),
        Row("api:sessions_jury_conflict", CENTRE | JURY, method="post", args=assignment, body=conflict),
        Row("api:sessions_jury_invitations", JURY, query=built("open"), is_list=True),
        # Convocations.
        Row("api:sessions_convocation_list", CENTRE, args=session("convened")),
        Row("api:sessions_convocation_resend", CENTRE, method="post", args=failed_convocation),
        Row(
            "api:sessions_convocation_pdf",
            CENTRE | Audience.JURY | Audience.CANDIDATE,
            args=rendered_convocation,
        ),
        # The session day.
        Row("api:sessions_incident_create", CENTRE, method="post", args=session("past"), body=incident, status=201),
        # The planning: read by every role of the session; computed (an empty planning: the fictional
        # catalogue has no test), its resources saved, a part moved (the part, unknown to the catalogue, is
        # checked and refused: 422) by centre staff.
        Row("api:sessions_planning", READERS, args=planned_session),
        Row("api:sessions_planning_compute", CENTRE, method="post", args=session("ready")),
        Row("api:sessions_planning_resources", CENTRE, args=session("ready")),
        Row(
            "api:sessions_planning_resources_save",
            CENTRE,
            method="put",
            args=session("ready"),
            body=lambda w: {"workstations": 4, "lunch_starts_at": "12:00", "lunch_ends_at": "13:00"},
        ),
        Row(
            "api:sessions_planning_slot_move",
            CENTRE,
            method="post",
            args=planned_slot,
            body=lambda w: {"start": f"{session_in(w, 'ready').first_day.isoformat()}T10:00:00"},
            status=422,
        ),
        # Programmes.
        Row("api:sessions_programme_list", CENTRE | AUTHORITY, query=programmes, is_list=True),
        Row("api:sessions_programme_save", CENTRE, method="put", args=programme_year, body=lines),
        Row("api:sessions_programme_send", CENTRE, method="post", args=programme),
    ]
