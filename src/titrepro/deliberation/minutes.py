"""The content of a PV (R-71) as the jury signs it: one canonical document, its SHA-256, and its reading.

``content(minutes)`` is built from the decisions, the attendance, the fraud reports and the members present;
``digest`` hashes its canonical JSON (keys sorted, no spaces, UTF-8), so that any change to what the PV says
gives another hash and shows on the signatures made before it (``services.void_signatures``). Nothing here
writes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from titrepro.deliberation.models import Decision, Minutes
from titrepro.sessions.models import IncidentKind, JuryAssignment, Registration, RegistrationStatus

FORMAT = "titrepro-pv/1"


def registrations_of(minutes: Minutes) -> list[Registration]:
    """The registrations the PV lists: every candidate registered (withdrawals are not in it)."""
    return list(
        minutes.session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("candidate")
        .order_by("candidate__birth_name", "candidate__given_names", "pk")
    )


def _member(assignment: JuryAssignment) -> dict[str, Any]:
    member = assignment.member
    return {"assignment": assignment.pk, "first_name": member.first_name, "last_name": member.last_name}


def _candidate(
    registration: Registration, decision: Decision | None, frauds: list[str], remote: bool
) -> dict[str, Any]:
    candidate = registration.candidate
    return {
        "registration": registration.pk,
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "given_names": candidate.given_names,
        "birth_date": candidate.birth_date.isoformat(),
        "attendance": registration.attendance,
        "result": decision.result if decision is not None else "",
        "ccps_awarded": sorted(c.number for c in decision.ccps_awarded.all()) if decision is not None else [],
        "reason": decision.reason if decision is not None else "",
        "final_interview": decision.final_interview_held if decision is not None else False,
        "fraud_reports": frauds,
        "remote": remote,
    }


def content(minutes: Minutes) -> dict[str, Any]:
    """What the PV says (R-71): per candidate what was awarded or refused, absences, fraud reports, the remote
    modality (R-46); the session, the members present."""
    session = minutes.session
    version = session.version
    registrations = registrations_of(minutes)
    decisions = {
        d.registration_id: d
        for d in Decision.objects.filter(registration__in=registrations).prefetch_related("ccps_awarded")
    }
    frauds: dict[int, list[str]] = {}
    for incident in session.incidents.filter(kind=IncidentKind.FRAUD).order_by("recorded_at", "pk"):
        if incident.registration_id is not None:
            frauds.setdefault(incident.registration_id, []).append(incident.text)
    present = sorted(
        minutes.present.select_related("member"), key=lambda a: (a.member.last_name, a.member.first_name, a.pk)
    )
    return {
        "format": FORMAT,
        "number": minutes.number,
        "revision": minutes.revision,
        "reason": minutes.reason,
        "session": {
            "number": session.number,
            "kind": session.kind,
            "title": version.title.code,
            "title_label": version.title.label,
            "version": version.label,
            "ccps": sorted(c.number for c in session.ccps.all()),
            "ccs": session.ccs.code if session.ccs else None,
            "centre": session.centre.code,
            "centre_name": session.centre.name,
            "first_day": session.first_day.isoformat(),
            "last_day": session.last_day.isoformat(),
            "remote": session.remote,
        },
        "jury_present": [_member(a) for a in present],
        "candidates": [_candidate(r, decisions.get(r.pk), frauds.get(r.pk, []), session.remote) for r in registrations],
    }


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def digest(document: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of ``document``, in hexadecimal."""
    return hashlib.sha256(canonical(document)).hexdigest()
