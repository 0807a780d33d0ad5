"""Permission matrix of the jury's and the centre's deliberation pages (tests/permissions.py).

A jury member's pages show only the sessions they accepted (another member's: 404, any other role: 403, the
national administrator included); the centre's page is for the session's centre and the national
administrator; a candidate's pages show only their own validated results; the authority's appeal and fraud
pages are for the agents of the centre's authority and the national administrator. The objects are built for each request, directly: a session of our centre held yesterday, our
candidate registered and present, our jury member accepted and recorded present. The writes reach the services:
the centre records who is present (302); the member's decision and signature are refused by the rules (the
fictional catalogue's candidate has no ECF nor dossier; nothing decided yet to sign): 400.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from tests.deliberation.permission_world import held_yesterday
from tests.factories import today
from tests.permissions import Audience, PermissionMatrix, Row

from titrepro.candidates.models import ProfessionalPortfolio
from titrepro.deliberation import minutes as content
from titrepro.deliberation.models import Appeal, Decision, Minutes
from titrepro.sessions.models import ExamSession, JuryAssignment, Registration

CENTRE = Audience.CENTRE | Audience.NATIONAL
JURY = Audience.JURY
CANDIDATE = Audience.CANDIDATE
AUTHORITY = Audience.AUTHORITY | Audience.NATIONAL


def _session(w: Any) -> ExamSession:
    return held_yesterday(w, "0009")


def _registration(w: Any) -> Registration:
    session = _session(w)
    return Registration.objects.get_or_create(
        session=session,
        candidate=w.ours.candidate,
        defaults={"registered_on": today(), "attendance": "present"},
    )[0]


def _assignment(w: Any) -> JuryAssignment:
    session = _session(w)
    assignment = JuryAssignment.objects.get_or_create(
        session=session,
        member=w.ours.member,
        defaults={
            "first_day": session.first_day,
            "last_day": session.last_day,
            "proposed_on": session.first_day - datetime.timedelta(days=50),
            "status": "accepted",
            "answered_on": session.first_day - datetime.timedelta(days=45),
        },
    )[0]
    minutes = Minutes.objects.get_or_create(session=session, revision=1, defaults={"number": f"PV-{session.number}"})[0]
    minutes.present.add(assignment)
    return assignment


def _validated(w: Any) -> Registration:
    """Our candidate's result, validated and notified today (written directly)."""
    registration = _registration(w)
    _assignment(w)
    _decision, created = Decision.objects.get_or_create(
        registration=registration,
        defaults={"result": "failure", "reason": "Compétences non démontrées", "notified_on": today()},
    )
    if created:
        minutes = Minutes.objects.get(session=registration.session)
        document = content.content(minutes)
        Minutes.objects.filter(pk=minutes.pk).update(
            status="validated", content=document, sha256=content.digest(document), validated_at=timezone.now()
        )
    return registration


def result(w: Any) -> list[int]:
    return [_validated(w).pk]


def results(w: Any) -> dict[str, str]:
    _validated(w)
    return {}


def _appeal(w: Any) -> Appeal:
    registration = _validated(w)
    return Appeal.objects.get_or_create(
        registration=registration,
        defaults={
            "filed_by": w.ours.learner,
            "filed_on": today(),
            "notified_on": today(),
            "last_day": today() + datetime.timedelta(days=61),
            "text": "Mon dossier n’a pas été lu.",
        },
    )[0]


def appeal(w: Any) -> list[int]:
    return [_appeal(w).pk]


def appeals(w: Any) -> dict[str, str]:
    _appeal(w)
    return {}


def session(w: Any) -> list[int]:
    _registration(w)
    _assignment(w)
    return [_session(w).pk]


def sitting(w: Any) -> list[int]:
    _registration(w)
    return [_assignment(w).pk]


def candidate(w: Any) -> list[int]:
    return [_assignment(w).pk, _registration(w).pk]


def portfolio(w: Any) -> list[int]:
    """The member's candidate, with a dossier professionnel uploaded for the session's title (a PDF file)."""
    registration = _registration(w)
    ProfessionalPortfolio.objects.get_or_create(
        candidate=registration.candidate,
        title=registration.session.version.title,
        replaced_at=None,
        defaults={
            "file": SimpleUploadedFile("dp.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf"),
            "declaration_on_honour": True,
            "signed_on": today(),
        },
    )
    return [_assignment(w).pk, registration.pk]


def submitted(w: Any) -> list[int]:
    """The session, its PV submitted to the authority (its content frozen, written directly)."""
    registration = _registration(w)
    _assignment(w)
    minutes = Minutes.objects.get(session=registration.session)
    if minutes.status == "deliberating":
        document = content.content(minutes)
        Minutes.objects.filter(pk=minutes.pk).update(
            status="submitted", content=document, sha256=content.digest(document), submitted_at=timezone.now()
        )
    return [registration.session_id]


class TestDeliberationPagesPermissions(PermissionMatrix):
    template_prefix = "deliberation/"

    rows: ClassVar[list[Row]] = [
        Row("deliberation:jury_deliberation", JURY, args=sitting),
        Row(
            "deliberation:jury_deliberation",
            JURY,
            method="post",
            args=sitting,
            body=lambda w: {"action": "sign"},
            status=400,
        ),
        Row("deliberation:jury_candidate", JURY, args=candidate),
        Row(
            "deliberation:jury_candidate",
            JURY,
            method="post",
            args=candidate,
            body=lambda w: {"action": "decide", "result": "failure", "reason": "Compétences non démontrées"},
            status=400,
        ),
        Row("deliberation:jury_portfolio_file", JURY, args=portfolio),
        Row("deliberation:centre_minutes_pdf", CENTRE, args=submitted),
        Row("deliberation:candidate_results", CANDIDATE, query=results, is_list=True),
        Row("deliberation:candidate_appeal", CANDIDATE, args=result),
        Row("deliberation:candidate_result_statement", CANDIDATE, args=result),
        Row(
            "deliberation:candidate_appeal",
            CANDIDATE,
            method="post",
            args=result,
            body=lambda w: {"text": "Mon dossier n’a pas été lu."},
            status=302,
        ),
        Row("deliberation:authority_appeal_list", AUTHORITY, query=appeals, is_list=True),
        Row("deliberation:authority_appeal_detail", AUTHORITY, args=appeal),
        Row(
            "deliberation:authority_appeal_detail",
            AUTHORITY,
            method="post",
            args=appeal,
            body=lambda w: {"upheld": "0", "answer": "La délibération a suivi le référentiel."},
            status=302,
        ),
        Row("deliberation:authority_fraud_decision", AUTHORITY, args=result),
        Row(
            "deliberation:authority_fraud_decision",
            AUTHORITY,
            method="post",
            args=result,
            body=lambda w: {"sanction": "ban", "reason": "Téléphone consulté pendant l’épreuve."},
            status=302,
        ),
        Row("deliberation:centre_deliberation", CENTRE, args=session),
        Row(
            "deliberation:centre_deliberation",
            CENTRE,
            method="post",
            args=session,
            body=lambda w: {"action": "presence", "present": [_assignment(w).pk]},
            status=302,
        ),
    ]
