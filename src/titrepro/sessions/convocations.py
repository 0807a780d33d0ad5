"""What a convocation says (R-43, R-44, R-66), as a PDF (Typst, ``core.pdf``), an .ics file and an e-mail.

The French text is written here, through the translation system; ``core/typst/convocation.typ``
only lays it out. The nature of each test comes from the catalogue's modalities for the session's
kind (and its CCPs or CCS). When the session has a planning (``sessions.models.Timetable``), a candidate's
convocation gives the candidate's own parts with their times, as the planning says when the convocation is
generated (a part moved afterwards shows on the next one); otherwise the first test starts at the session's
opening time and the others follow on the day.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

from titrepro.catalogue.models import EvaluationModality, SessionKind
from titrepro.core import calendar, pdf
from titrepro.core.dating import document_date, document_time
from titrepro.rules import sessions as session_rules
from titrepro.sessions.models import Convocation, ExamSession, Registration, TimetableSlot

PARIS = ZoneInfo("Europe/Paris")
NBSP = "\u00a0"


def clock(value: time | None) -> str:
    """ "8 h 30" (``core.dating.document_time``)."""
    return document_time(value) if value is not None else ""


def day_label(day: Any) -> str:
    """ "lundi 8 mars 2027" (``core.dating.document_date``)."""
    return document_date(day, weekday=True)


def days_label(session: ExamSession) -> str:
    if session.first_day == session.last_day:
        return _("on %(day)s") % {"day": day_label(session.first_day)}
    return _("from %(first)s to %(last)s") % {
        "first": day_label(session.first_day),
        "last": day_label(session.last_day),
    }


def modalities(session: ExamSession) -> list[EvaluationModality]:
    rows = EvaluationModality.objects.filter(version=session.version, session_kind=session.kind).prefetch_related(
        "parts"
    )
    if session.kind == SessionKind.CCP:
        rows = rows.filter(ccp__in=session.ccps.all()) | EvaluationModality.objects.filter(
            version=session.version, session_kind=session.kind, ccp__isnull=True
        )
    elif session.kind == SessionKind.CCS:
        rows = rows.filter(ccs=session.ccs_id) | EvaluationModality.objects.filter(
            version=session.version, session_kind=session.kind, ccs__isnull=True
        )
    return list(rows.distinct().order_by("position", "pk"))


def duration_label(value: timedelta | None) -> str:
    if not value:
        return ""
    minutes = int(value.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}{NBSP}h{NBSP}{rest:02d}"
    return f"{hours}{NBSP}h" if hours else f"{rest}{NBSP}min"


def tests(session: ExamSession) -> list[dict[str, str]]:
    """The tests in the catalogue's order; the first starts at the opening time of the first day."""
    rows = []
    for index, modality in enumerate(modalities(session)):
        detail = duration_label(modality.duration)
        rows.append(
            {
                "day": day_label(session.first_day) if index == 0 else "",
                "start": clock(session.opens_at) if index == 0 else "",
                "end": "",
                "label": modality.get_kind_display(),
                "detail": (_("Duration: %(d)s") % {"d": detail}) if detail else "",
            }
        )
    if not rows:
        rows.append(
            {
                "day": day_label(session.first_day),
                "start": clock(session.opens_at),
                "end": clock(session.closes_at),
                "label": session.get_kind_display(),
                "detail": "",
            }
        )
    return rows


def planned_slots(registration: Registration | None) -> list[TimetableSlot]:
    """The candidate's parts in the session's saved planning, in time order (none without a planning)."""
    if registration is None:
        return []
    return list(
        TimetableSlot.objects.filter(timetable__session=registration.session_id, registration=registration).order_by(
            "starts_at", "position"
        )
    )


def planned_tests(slots: list[TimetableSlot]) -> list[dict[str, str]]:
    """One row per planned part: the day when it changes, the start and end times (R-43)."""
    rows = []
    previous = None
    for slot in slots:
        start, end = slot.starts_at.astimezone(PARIS), slot.ends_at.astimezone(PARIS)
        rows.append(
            {
                "day": day_label(start.date()) if start.date() != previous else "",
                "start": clock(start.time()),
                "end": clock(end.time()),
                "label": slot.label,
                "detail": "",
            }
        )
        previous = start.date()
    return rows


def first_start(slots: list[TimetableSlot]) -> datetime | None:
    return slots[0].starts_at.astimezone(PARIS) if slots else None


def session_block(session: ExamSession) -> dict[str, Any]:
    version = session.version
    label = _("version %(label)s") % {"label": version.label}
    if version.rncp_code:
        label += f" ({version.rncp_code})"
    return {
        "number": session.number,
        "kind_label": session.get_kind_display(),
        "title_label": version.title.label,
        "title_code": version.title.code,
        "version_label": label,
        "site": session.site_address,
        "days_label": days_label(session),
        "remote": session.remote,
    }


def authority_block(session: ExamSession) -> dict[str, str]:
    authority = session.centre.authority
    return {"ministry": _("Ministry in charge of employment"), "name": authority.name, "address": authority.address}


def session_labels() -> dict[str, str]:
    return {
        "number": _("Session number"),
        "kind": _("Kind"),
        "title": _("Titre professionnel"),
        "version": _("Version"),
        "days": _("Dates"),
        "site": _("Place"),
    }


def page_label() -> str:
    return _("Page {page} of {pages}")


def _labels(convocation: Convocation, session: ExamSession, role: str) -> dict[str, Any]:
    if role == "candidate":
        body = [
            _(
                "You are convened to the exam session below, to obtain the titre professionnel or the "
                "certificates it names. Please arrive on time: the end of a test is never moved for a late "
                "candidate (R-45)."
            ),
        ]
    else:
        body = [
            _(
                "Thank you for accepting to sit on the jury of the exam session below. You evaluate the candidates "
                "against the title's reference framework and deliberate with the other members (R-63, R-65)."
            ),
        ]
    return {
        "heading": _("Convocation"),
        "object": _("Subject: convocation to exam session no. %(number)s") % {"number": session.number},
        "salutation": _("Madam, Sir,"),
        "body": body,
        "session_fields": session_labels(),
        "remote": _("Remote session (R-46 experiment): the connection details are sent by the centre."),
        "tests_heading": _("Your tests") if role == "candidate" else _("The tests"),
        "columns": {"day": _("Date"), "time": _("Time"), "test": _("Test")},
        "bring_heading": _("To bring"),
        "accommodations_heading": _("Accommodations granted"),
        "jury_heading": _("Leave of absence"),
        "regulation_heading": _("Rules of the exam sessions"),
        "closing": _("Yours faithfully,"),
        "signatory": _("The centre's manager"),
        "signatory_name": session.centre.name,
        "issued": _("Convocation issued on {date}"),
    }


def _centre(session: ExamSession) -> dict[str, str]:
    centre = session.centre
    return {"name": centre.name, "address": centre.address, "email": centre.email}


def data(convocation: Convocation, *, issued: datetime) -> dict[str, Any]:
    """The data of ``core/typst/convocation.typ`` for one candidate or jury member."""
    session = convocation.session
    registration: Registration | None = convocation.registration
    issued_day = issued.astimezone(PARIS).date()
    slots = planned_slots(registration)
    if registration is not None:
        candidate = registration.candidate
        recipient = {
            "name": f"{candidate.given_names} {candidate.birth_name.upper()}",
            "address": "",
            "role": "candidate",
        }
        bring = [
            _("A valid identity document"),
            _("This convocation"),
            _("Your dossier professionnel, if you have not handed it in already (R-52)"),
        ]
        accommodations = [
            ", ".join(a.kind_labels()) + (f" : {a.details}" if a.details else "")
            for a in registration.accommodations.all()
        ]
        jury = None
    else:
        member = convocation.assignment.member  # type: ignore[union-attr]  # one of the two, by constraint
        recipient = {"name": f"{member.first_name} {member.last_name.upper()}", "address": "", "role": "jury"}
        bring = [_("A valid identity document"), _("This convocation")]
        accommodations = []
        jury = {
            "leave_note": _(
                "If you are employed, hand your employer the request for leave of absence that titrepro prepares "
                "for you (attached to this e-mail when your employer is known, and in your space), with this "
                "convocation, by %(day)s at the latest: 15 days before the session (R-66; Code du travail, "
                "L.3142-42 to L.3142-45). The leave is yours by right and without loss of pay."
            )
            % {"day": document_date(session_rules.leave_request_deadline(session.first_day))}
        }
    return {
        "title": _("Convocation — session %(number)s") % {"number": session.number},
        "reference": f"CONV-{session.number}-{convocation.reference}",
        "page_label": page_label(),
        "labels": _labels(convocation, session, recipient["role"]),
        "recipient": recipient,
        "authority": authority_block(session),
        "centre": _centre(session),
        "session": session_block(session),
        "tests": planned_tests(slots) if slots else tests(session),
        "bring": bring,
        "accommodations": accommodations,
        "regulation_note": _(
            "The sessions are held under the règlement général des sessions d'examen of the titres professionnels "
            "(arrêté du 21 juillet 2016). It is attached to this e-mail's page on titrepro and available from the "
            "centre: please read it before the session. A candidate who arrives late may be admitted by the "
            "responsable de session, without the end of the test being moved."
        ),
        "issued_on": document_date(issued_day),
        "place_and_date": _("Issued on %(day)s") % {"day": document_date(issued_day)},
        "jury": jury,
    }


def render_pdf(convocation: Convocation, *, issued: datetime) -> bytes:
    return pdf.render("convocation", data(convocation, issued=issued))


def ics(convocation: Convocation) -> bytes:
    """The session as one event: for a candidate with a planning, from their first start to their last end."""
    session = convocation.session
    start = datetime.combine(session.first_day, session.opens_at, tzinfo=PARIS)
    end = datetime.combine(session.last_day, session.closes_at, tzinfo=PARIS)
    slots = planned_slots(convocation.registration)
    if slots:
        start = slots[0].starts_at.astimezone(PARIS)
        end = max(slot.ends_at for slot in slots).astimezone(PARIS)
    event = calendar.Event(
        uid=f"convocation-{convocation.reference}@titrepro",
        summary=_("Exam session %(number)s — %(title)s")
        % {"number": session.number, "title": session.version.title.code},
        location=session.site_address,
        description=session_block(session)["title_label"],
        start=start,
        end=end,
        cancelled=not session.is_open,
    )
    return calendar.calendar([event])


def email(convocation: Convocation, pdf_bytes: bytes) -> EmailMessage:
    session = convocation.session
    subject = _("Convocation to exam session %(number)s (%(title)s)") % {
        "number": session.number,
        "title": session.version.title.label,
    }
    begins = first_start(planned_slots(convocation.registration))
    if begins is not None:
        body = _(
            "Hello,\n\nYou are convened to exam session %(number)s, %(days)s, at %(site)s.\n"
            "Your first test starts at %(time)s on %(day)s: the times of each of your tests are in your "
            "convocation, attached (PDF), with your day in a calendar file (.ics).\n\n"
            "%(centre)s\n"
        ) % {
            "number": session.number,
            "days": days_label(session),
            "site": session.site_address,
            "time": clock(begins.time()),
            "day": day_label(begins.date()),
            "centre": session.centre.name,
        }
    else:
        body = _(
            "Hello,\n\nYou are convened to exam session %(number)s, %(days)s, at %(site)s.\n"
            "Your convocation is attached (PDF), with the session in a calendar file (.ics).\n\n"
            "%(centre)s\n"
        ) % {
            "number": session.number,
            "days": days_label(session),
            "site": session.site_address,
            "centre": session.centre.name,
        }
    message = EmailMessage(
        subject,
        body,
        settings.DEFAULT_FROM_EMAIL,
        [convocation.email],
        reply_to=[session.centre.email] if session.centre.email else None,
        headers={"X-Titrepro-Convocation": convocation.reference},
    )
    message.attach(f"convocation-{session.number}.pdf", pdf_bytes, "application/pdf")
    message.attach(f"session-{session.number}.ics", ics(convocation), "text/calendar; method=PUBLISH")
    return message
