"""The leave-of-absence request of an employed jury member (R-66), as a PDF (``core/typst/leave_request.typ``).

A member who is employed asks their employer, in writing and at least ``leave_request_days`` (15) calendar
days before the session, for leave to sit on the jury: it is theirs by right and without loss of pay; the
employer may refuse only when the absence would harm the business, after the staff representatives'
advice (Code du travail, L.3142-42 to L.3142-45). titrepro writes the request for them, with the
centre's statement that they are convened and a part for the employer's answer. It goes with the jury
member's convocation e-mail when their current employer is known (``current_employer``), and the member
downloads it from their space once they have accepted.

The letter is rendered when asked, not stored: it holds nothing that the session and the member's
record do not already hold.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils.translation import gettext as _

from titrepro.core import pdf
from titrepro.core.dating import document_date
from titrepro.directory.models import ProfessionalExperience
from titrepro.rules import sessions as session_rules
from titrepro.sessions.convocations import authority_block, days_label, page_label, session_block, session_labels
from titrepro.sessions.models import JuryAssignment, JuryStatus

PARIS = ZoneInfo("Europe/Paris")

# A request is offered for an invitation accepted (the member is on the jury), not one declined or withdrawn.
LEAVE_STATES = (JuryStatus.ACCEPTED,)


def current_employer(assignment: JuryAssignment) -> str:
    """The employer of the member's job on the session's first day (the latest begun), or "" when none is known."""
    first_day = assignment.session.first_day
    job = (
        ProfessionalExperience.objects.filter(member=assignment.member, start__lte=first_day)
        .filter(Q(end=None) | Q(end__gte=first_day))
        .order_by("-start", "-pk")
        .first()
    )
    return job.employer if job is not None else ""


def deadline(assignment: JuryAssignment) -> date:
    """The last day to hand the request to the employer (R-66: ``rules.sessions.leave_request_deadline``)."""
    return session_rules.leave_request_deadline(assignment.session.first_day)


def data(assignment: JuryAssignment, *, issued: datetime) -> dict[str, Any]:
    """The data of ``core/typst/leave_request.typ``."""
    session = assignment.session
    member = assignment.member
    name = f"{member.first_name} {member.last_name.upper()}"
    centre = session.centre
    by = document_date(deadline(assignment))
    days = days_label(session)
    issued_on = document_date(issued.astimezone(PARIS).date())
    return {
        "title": _("Request for leave of absence — session %(number)s") % {"number": session.number},
        "reference": f"ABS-{session.number}-{assignment.pk}",
        "page_label": page_label(),
        "authority": authority_block(session),
        "centre": {"name": centre.name, "address": centre.address, "email": centre.email},
        "member": {"name": name, "email": member.email},
        "employer": current_employer(assignment),
        "session": session_block(session),
        "statement": _(
            "%(centre)s states that %(name)s is convened as a member of the jury of exam session "
            "no. %(number)s (%(title)s), %(days)s, held under approval of the ministry in charge of employment."
        )
        % {
            "centre": centre.name,
            "name": name,
            "number": session.number,
            "title": session.version.title.label,
            "days": days,
        },
        "labels": {
            "heading": _("Request for leave of absence"),
            "subheading": _("Jury member of a titre professionnel — Code du travail, articles L.3142-42 to L.3142-45"),
            "sender": _("From"),
            "addressee": _("To the attention of"),
            "object": _("Subject: request for leave of absence to sit on the jury of exam session no. %(number)s")
            % {"number": session.number},
            "salutation": _("Madam, Sir,"),
            "body": [
                _(
                    "I have been appointed a member of the jury of the exam session below, which awards a titre "
                    "professionnel of the ministry in charge of employment. Under articles L.3142-42 to L.3142-45 "
                    "of the Code du travail, I ask you for leave of absence %(days)s to sit on this jury."
                )
                % {"days": days},
                _(
                    "This leave is granted by right and without loss of pay. It may be refused only if you consider, "
                    "after the advice of the staff representatives (CSE), that my absence would harm the production "
                    "and the running of the business; a refusal must then be explained to me."
                ),
                _("My convocation to the session is attached to this request."),
            ],
            "session_fields": session_labels(),
            "remote": _("Remote session (R-46 experiment): the connection details are sent by the centre."),
            "deadline": _("To hand to the employer by %(day)s at the latest, 15 days before the session (R-66).")
            % {"day": by},
            "deadline_note": _("To hand over by %(day)s") % {"day": by},
            "closing": _("Yours faithfully,"),
            "place_and_date": _("Done at ……………………………, on ……………………"),
            "signature": _("The employee's signature"),
            "statement_heading": _("The centre's statement"),
            "statement_signatory": _("%(centre)s — statement issued on %(day)s")
            % {"centre": centre.name, "day": issued_on},
            "answer_heading": _("The employer's answer"),
            "answer_options": [
                _("Leave granted"),
                _("Leave refused after the advice of the staff representatives (L.3142-43), for this reason:"),
            ],
            "answer_signature": _("Date, name, capacity and signature:"),
        },
    }


def render_pdf(assignment: JuryAssignment, *, issued: datetime) -> bytes:
    return pdf.render("leave_request", data(assignment, issued=issued))


def filename(assignment: JuryAssignment) -> str:
    return _("leave-request-%(number)s.pdf") % {"number": assignment.session.number}
