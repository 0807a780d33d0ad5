"""The session's printed documents besides the convocations: the sign-in sheet (feuille d'émargement, R-45),
and the stored convocation PDFs as downloads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _

from titrepro.core.dating import document_date
from titrepro.sessions import planning
from titrepro.sessions.convocations import authority_block, day_label, page_label, session_block
from titrepro.sessions.models import Convocation, ExamSession, JuryStatus, RegistrationStatus


def sign_in_data(session: ExamSession) -> dict[str, Any]:
    """The data of ``core/typst/sign_in_sheet.typ``: the candidates (with their birth date) in the order the
    planning has them arrive (by name without a planning), then the jury."""
    days = []
    day = session.first_day
    while day <= session.last_day:
        days.append(day_label(day))
        day += timedelta(days=1)
    people = [
        {
            "name": f"{r.candidate.birth_name.upper()} {r.candidate.given_names}",
            "detail": _("born on %(day)s") % {"day": document_date(r.candidate.birth_date)},
            "role": _("Candidate"),
        }
        for r in planning.in_planning_order(
            session,
            session.registrations.filter(status=RegistrationStatus.REGISTERED)
            .select_related("candidate")
            .order_by("candidate__birth_name", "candidate__given_names"),
        )
    ]
    people += [
        {"name": f"{a.member.last_name.upper()} {a.member.first_name}", "detail": "", "role": _("Jury member")}
        for a in session.jury.filter(status=JuryStatus.ACCEPTED).select_related("member")
    ]
    centre = session.centre
    return {
        "title": _("Sign-in sheet"),
        "page_label": page_label(),
        "labels": {
            "session_number": _("Session no. {number}"),
            "columns": {"name": _("Surname and given names"), "role": _("Capacity"), "signature": _("Signature")},
            "note": _("Each person signs on each day of the session, on arrival (R-45)."),
        },
        "authority": authority_block(session),
        "centre": {"name": centre.name, "address": centre.address, "email": centre.email},
        "session": session_block(session),
        "days": days,
        "people": people,
        "reference": session.number,
    }


def stored_pdf(convocation: Convocation) -> FileResponse:
    """The convocation as it was sent (404 until the worker has rendered it)."""
    if not convocation.pdf:
        raise Http404
    name = f"convocation-{convocation.session.number}-{convocation.reference}.pdf"
    return FileResponse(convocation.pdf.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
