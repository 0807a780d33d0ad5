"""The deliberation's PDF documents (Typst, ``core.pdf``): the PV as submitted (R-71, R-72) and the candidate's
provisional result statement.

    minutes_pdf_data / render_minutes                        ``core/typst/minutes.typ``: the PV as the jury signed
                                                             it, its signatures and hash, its validation
    result_statement_data / render_result_statement          ``core/typst/result_statement.typ``: one candidate's
                                                             result as the validated PV states it, until the
                                                             parchemin or the livret is issued (R-73)

Both read the PV's frozen content (``Minutes.content``, written at submission: ``deliberation.minutes``), never the
live decisions: the document says what was signed and validated. Every word is written here through the
translation system, dates in French (``core.dating.document_date``); the templates only lay it out. Nothing here
writes.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.catalogue.models import CCP
from titrepro.core import pdf
from titrepro.core.dating import document_date, document_time
from titrepro.deliberation.models import Minutes, MinutesStatus, Result
from titrepro.sessions.convocations import authority_block, page_label, session_block, session_labels
from titrepro.sessions.models import Attendance, ExamSession, Registration

ABSENCES = (Result.ABSENT, Result.ABSENT_EXCUSED)
NOT_THERE = (Attendance.ABSENT, Attendance.REFUSED)


class NoStatement(ValueError):
    """The registration has no provisional result statement: no validated PV lists a result for it (the PV is
    still deliberated, submitted or returned, the registration was withdrawn, or an appeal's corrective PV is
    being drawn up). A page answers 404."""


# Shared pieces ---------------------------------------------------------------------------------------------------


def choice_label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value or "—"


def candidate_name(entry: dict[str, Any]) -> str:
    """ "MOREAU Chloé": the birth name in capitals, then the given names (a candidate entry of the PV's content)."""
    return f"{entry.get('birth_name', '').upper()} {entry.get('given_names', '')}".strip()


def _candidate_detail(entry: dict[str, Any]) -> str:
    parts = []
    if entry.get("usual_name"):
        parts.append(_("usual name %(name)s") % {"name": entry["usual_name"]})
    if entry.get("birth_date"):
        born = datetime.date.fromisoformat(entry["birth_date"])
        parts.append(_("born on %(day)s") % {"day": document_date(born)})
    return ", ".join(parts)


def _member_name(member: dict[str, Any]) -> str:
    return f"{member.get('first_name', '')} {member.get('last_name', '').upper()}".strip()


def _moment(value: datetime.datetime) -> str:
    local = timezone.localtime(value)
    return _("%(day)s at %(time)s") % {"day": document_date(local.date()), "time": document_time(local)}


def _ccp_labels(session: ExamSession) -> dict[int, str]:
    return {c.number: c.label for c in CCP.objects.filter(version=session.version_id)}


def _ccps_short(numbers: list[int]) -> str:
    return ", ".join(f"CCP {number}" for number in numbers) or "—"


def _centre_block(session: ExamSession) -> dict[str, str]:
    centre = session.centre
    return {"name": centre.name, "address": centre.address, "email": centre.email}


def _validation(minutes: Minutes) -> str:
    """ "Validated by …, DDETS du Rhône, on 12 May 2026." (empty until validated)."""
    if minutes.validated_at is None:
        return ""
    authority = minutes.session.centre.authority.name
    day = document_date(timezone.localdate(minutes.validated_at))
    agent = minutes.validated_by.get_full_name() if minutes.validated_by is not None else ""
    if agent:
        return _("Validated by %(agent)s, %(authority)s, on %(day)s.") % {
            "agent": agent,
            "authority": authority,
            "day": day,
        }
    return _("Validated by %(authority)s on %(day)s.") % {"authority": authority, "day": day}


# The PV ------------------------------------------------------------------------------------------------------------


def _status_line(minutes: Minutes) -> str:
    if minutes.status == MinutesStatus.SUPERSEDED:
        return _("Replaced by a corrective PV: this revision is kept for the record.")
    if minutes.status == MinutesStatus.SUBMITTED and minutes.submitted_at is not None:
        return _("Submitted to the authority on %(day)s; awaiting its validation.") % {
            "day": document_date(timezone.localdate(minutes.submitted_at))
        }
    return ""


def _candidate_row(entry: dict[str, Any]) -> dict[str, Any]:
    notes = []
    if entry.get("remote"):
        notes.append(_("Tests taken remotely"))
    if entry.get("fraud_reports"):
        notes.append(_("Fraud report: see below"))
    return {
        "name": candidate_name(entry),
        "detail": _candidate_detail(entry),
        "notes": notes,
        "attendance": choice_label(Attendance, entry.get("attendance", "")),
        "result": choice_label(Result, entry.get("result", "")),
        "ccps": _ccps_short(entry.get("ccps_awarded", [])),
        "reason": entry.get("reason", ""),
    }


def _absences(candidates: list[dict[str, Any]]) -> list[str]:
    lines = []
    for entry in candidates:
        result = entry.get("result", "")
        if result not in ABSENCES and entry.get("attendance", "") not in NOT_THERE:
            continue
        what = choice_label(Result, result) if result else choice_label(Attendance, entry["attendance"])
        line = f"{candidate_name(entry)} — {what}"
        if result == Result.ABSENT_EXCUSED and entry.get("reason"):
            line += f" : {entry['reason']}"
        lines.append(line)
    return lines


def _fraud_reports(candidates: list[dict[str, Any]]) -> list[str]:
    return [f"{candidate_name(entry)} : {text}" for entry in candidates for text in entry.get("fraud_reports", [])]


def _signatures(minutes: Minutes) -> list[dict[str, Any]]:
    """The signatures in force (a void one was made on another content and is not part of this PV)."""
    rows = []
    for signature in minutes.signatures.filter(voided_at=None).select_related("assignment__member"):
        member = signature.assignment.member
        matches = signature.sha256 == minutes.sha256
        rows.append(
            {
                "member": f"{member.first_name} {member.last_name.upper()}",
                "signed_at": _moment(signature.signed_at),
                "second_factor": _("Yes") if signature.second_factor else _("No"),
                "hash": _("matches the content") if matches else _("does not match the content"),
                "matches": matches,
            }
        )
    return rows


def minutes_pdf_data(minutes: Minutes) -> dict[str, Any]:
    """The data of ``core/typst/minutes.typ``: the keys of ``core.pdf.DocumentData``, and

        number, status ("" or a line), revision ("" or the corrective PV's reason), session (``SessionInfo``),
        members [str], candidates [{name, detail, notes [str], attendance, result, ccps, reason}], absences [str],
        fraud_reports [str], signatures [{member, signed_at, second_factor, hash, matches}], sha256,
        validation ("" until validated), labels.

    Raises ``ValueError`` for a PV never submitted (its content is not frozen yet)."""
    document = minutes.content
    if not document or not minutes.sha256:
        raise ValueError(f"{minutes.number} was never submitted: no content to print")
    session = minutes.session
    candidates = list(document.get("candidates", []))
    revision = ""
    if minutes.revision > 1:
        revision = _("Corrective PV, revision %(revision)s: %(reason)s") % {
            "revision": minutes.revision,
            "reason": minutes.reason or "—",
        }
    return {
        "title": _("Minutes of the jury's deliberation %(number)s") % {"number": minutes.number},
        "reference": minutes.number,
        "page_label": page_label(),
        "authority": authority_block(session),
        "centre": _centre_block(session),
        "number": _("PV no. %(number)s") % {"number": minutes.number},
        "status": _status_line(minutes),
        "revision": revision,
        "session": session_block(session),
        "members": [_member_name(m) for m in document.get("jury_present", [])],
        "candidates": [_candidate_row(entry) for entry in candidates],
        "absences": _absences(candidates),
        "fraud_reports": _fraud_reports(candidates),
        "signatures": _signatures(minutes),
        "sha256": minutes.sha256,
        "validation": _validation(minutes),
        "labels": {
            "heading": _("Minutes of the jury's deliberation"),
            "session_fields": session_labels(),
            "remote": _("Session held remotely (R-46)."),
            "members_heading": _("Jury members present"),
            "candidates_heading": _("Decisions of the jury"),
            "columns": {
                "candidate": _("Candidate"),
                "attendance": _("Attendance"),
                "result": _("Result"),
                "ccps": _("CCPs awarded"),
                "reason": _("Reasons"),
            },
            "absences_heading": _("Absences"),
            "fraud_heading": _("Fraud reports"),
            "signatures_heading": _("Signatures of the jury members present"),
            "signature_columns": {
                "member": _("Member"),
                "signed_at": _("Signed on"),
                "second_factor": _("Second factor"),
                "hash": _("SHA-256 signed"),
            },
            "hash_label": _("SHA-256 of the content signed:"),
            "validation_heading": _("Validation by the authority (R-72)"),
            "none": _("None."),
            "note": _(
                "Each member present signed the SHA-256 of the PV's content (R-71); any change to the content "
                "gives another hash. Only the results of a validated PV lead to documents (R-72)."
            ),
        },
    }


def render_minutes(minutes: Minutes) -> bytes:
    """The PV as a PDF (``minutes_pdf_data``)."""
    return pdf.render("minutes", minutes_pdf_data(minutes))


# The provisional result statement ------------------------------------------------------------------------------------


def validated_minutes_of(registration: Registration) -> tuple[Minutes, dict[str, Any]]:
    """The session's validated PV and the registration's entry in it; ``NoStatement`` when there is none."""
    minutes = (
        Minutes.objects.filter(session=registration.session_id, status=MinutesStatus.VALIDATED)
        .select_related("session__centre__authority", "session__version__title", "validated_by")
        .order_by("-revision")
        .first()
    )
    if minutes is None:
        raise NoStatement(f"no validated PV for session {registration.session_id}")
    for entry in minutes.content.get("candidates", []):
        if entry.get("registration") == registration.pk and entry.get("result"):
            return minutes, entry
    raise NoStatement(f"{minutes.number} gives no result for registration {registration.pk}")


def result_statement_data(registration: Registration) -> dict[str, Any]:
    """The data of ``core/typst/result_statement.typ``: the keys of ``core.pdf.DocumentData``, and

        candidate {name, detail}, session (``SessionInfo``), result, ccps [str "CCP 1 — label"], reason,
        minutes (the PV's number), validated_on, validation, labels.

    Only a result the authority validated gives a statement: raises ``NoStatement`` (a ``ValueError``; a page
    answers 404) otherwise."""
    minutes, entry = validated_minutes_of(registration)
    session = minutes.session
    labels = _ccp_labels(session)
    ccps = [
        f"CCP {number} — {labels[number]}" if number in labels else f"CCP {number}"
        for number in entry.get("ccps_awarded", [])
    ]
    validated_on = document_date(timezone.localdate(minutes.validated_at)) if minutes.validated_at else ""
    return {
        "title": _("Provisional result statement"),
        "reference": f"RP-{session.number}-{registration.pk:04d}",
        "page_label": page_label(),
        "authority": authority_block(session),
        "centre": _centre_block(session),
        "candidate": {"name": candidate_name(entry), "detail": _candidate_detail(entry)},
        "session": session_block(session),
        "result": choice_label(Result, entry["result"]),
        "ccps": ccps,
        "reason": entry.get("reason", ""),
        "minutes": minutes.number,
        "validated_on": validated_on,
        "validation": _validation(minutes),
        "labels": {
            "heading": _("Provisional result statement"),
            "intro": _("The jury of the session below deliberated; the authority validated its minutes (R-72)."),
            "session_fields": session_labels(),
            "remote": _("Session held remotely (R-46)."),
            "candidate": _("Candidate"),
            "result": _("Result"),
            "ccps_heading": _("CCPs awarded"),
            "reason_heading": _("Reasons of the jury"),
            "minutes": _("PV no."),
            "validated_on": _("PV validated on"),
            "none": _("None."),
            "provisional": _(
                "This statement is provisional until the parchemin or the livret de certification is issued by the "
                "authority (R-73)."
            ),
        },
    }


def render_result_statement(registration: Registration) -> bytes:
    """The candidate's provisional result statement as a PDF; ``NoStatement`` as ``result_statement_data``."""
    return pdf.render("result_statement", result_statement_data(registration))
