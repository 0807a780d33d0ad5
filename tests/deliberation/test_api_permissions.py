"""Permission matrix of /api/v1/deliberation (base class: tests/permissions.py).

The objects are built directly for each request (and rolled back with it): the fictional catalogue has no test
to sit, so the sessions of our centre are written in the state each operation needs, each with our candidate
registered and marked absent (an absence is a decision the rules allow without a dossier or ECF):

- ``held``: held yesterday, our jury member accepted and recorded present, the jury's decision "absent" made,
  the PV being deliberated; a competence on the fictional version's CCP 1 for the sheets;
- ``signed``: held two days ago, our member and a second one present, both signatures on the PV's content;
- ``submitted``: its PV submitted to the authority;
- ``validated``: its PV validated, the result notified today; a second candidate of ours has an appeal filed.

A jury member's operations are theirs alone (the national administrator included gets 403); the centre's and
the authority's are also the national administrator's; the result is read by the candidate, the centre and the
authority, the appeal filed by the candidate.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from tests.factories import make_candidate, make_jury_member, today
from tests.permissions import Audience, PermissionMatrix, Row, World
from tests.session_world import with_ccps

from titrepro.catalogue.models import CCP, Competence
from titrepro.deliberation import minutes as content
from titrepro.deliberation.models import Appeal, Decision, Minutes, Signature
from titrepro.sessions.models import ExamSession, JuryAssignment, Registration

CENTRE = Audience.CENTRE | Audience.NATIONAL
AUTHORITY = Audience.AUTHORITY | Audience.NATIONAL
JURY = Audience.JURY
# Who reads a PV: the centre, the authority, the jury members who accepted the session.
PV_READERS = CENTRE | AUTHORITY | JURY
RESULT_READERS = CENTRE | AUTHORITY | Audience.CANDIDATE

# Each state's session: how many days ago it was held, and the last digit of its number.
STATES = {"held": (1, 1), "signed": (2, 2), "submitted": (3, 3), "validated": (4, 4)}


def _session(w: World, state: str) -> ExamSession:
    ago, number = STATES[state]
    day = today() - datetime.timedelta(days=ago)
    found = ExamSession.objects.filter(centre=w.ours.centre, number=f"{day.year}-069-099{number}").first()
    if found is not None:
        return found
    return ExamSession.objects.create(
        number=f"{day.year}-069-099{number}",
        kind="title",
        version=w.ours.approval.version,
        centre=w.ours.centre,
        approval=w.ours.approval,
        site_address=w.ours.approval.site_address,
        first_day=day,
        last_day=day,
        capacity=12,
        status="held",
        declared_on=day - datetime.timedelta(days=60),
        convened_on=day - datetime.timedelta(days=40),
        held_on=day,
    )


def _registered(session: ExamSession, candidate: Any) -> Registration:
    registration = Registration.objects.get_or_create(
        session=session, candidate=candidate, defaults={"registered_on": today(), "attendance": "absent"}
    )[0]
    Decision.objects.get_or_create(registration=registration, defaults={"result": "absent", "notified_on": today()})
    return registration


def _accepted(session: ExamSession, member: Any) -> JuryAssignment:
    return JuryAssignment.objects.get_or_create(
        session=session,
        member=member,
        defaults={
            "first_day": session.first_day,
            "last_day": session.last_day,
            "proposed_on": session.first_day - datetime.timedelta(days=50),
            "status": "accepted",
            "answered_on": session.first_day - datetime.timedelta(days=45),
        },
    )[0]


def session_in(w: World, state: str) -> ExamSession:
    """Our session in ``state`` (see the module's docstring), with its PV, made once per request."""
    session = _session(w, state)
    if Minutes.objects.filter(session=session).exists():
        return session
    _registered(session, w.ours.candidate)
    minutes = Minutes.objects.create(session=session, revision=1, number=f"PV-{session.number}")
    if state in ("held", "signed"):
        minutes.present.add(_accepted(session, w.ours.member))
    if state == "held":
        ccp = with_ccps(w.ours.approval.version).ccps.get(number=1)
        Competence.objects.get_or_create(
            ccp=ccp, code="CF1", defaults={"label": "Compétence fictive", "criteria": ["Un"]}
        )
    elif state == "signed":
        second = make_jury_member(last_name="Seconde", first_name="Grace", authority=w.ours.authority)
        minutes.present.add(_accepted(session, second))
        sha = content.digest(content.content(minutes))
        for assignment in minutes.present.all():
            Signature.objects.create(minutes=minutes, assignment=assignment, sha256=sha)
    elif state in ("submitted", "validated"):
        document = content.content(minutes)
        minutes.content, minutes.sha256, minutes.status = document, content.digest(document), state
        minutes.save()
    if state == "validated":
        other = make_candidate(birth_name="Deuxième", given_names="Max", centre=w.ours.centre)
        Appeal.objects.create(
            registration=_registered(session, other),
            filed_by=w.ours.learner,
            filed_on=today(),
            notified_on=today(),
            last_day=today() + datetime.timedelta(days=61),
            text="Le jury n’a pas lu mon dossier.",
        )
    return session


def session(state: str) -> Any:
    return lambda w: [session_in(w, state).pk]


def minutes(state: str) -> Any:
    return lambda w: [Minutes.objects.get(session=session_in(w, state)).pk]


def registration(state: str) -> Any:
    return lambda w: [Registration.objects.get(session=session_in(w, state), candidate=w.ours.candidate).pk]


def sheet(w: World) -> list[int]:
    registered = registration("held")(w)[0]
    ccp = CCP.objects.get(version=w.ours.approval.version, number=1)
    return [registered, Competence.objects.get(ccp=ccp, code="CF1").pk]


def appeal(w: World) -> list[int]:
    return [Appeal.objects.get(registration__session=session_in(w, "validated")).pk]


def presence(w: World) -> dict[str, Any]:
    return {"present": [JuryAssignment.objects.get(session=session_in(w, "held"), member=w.ours.member).pk]}


class TestDeliberationApiPermissions(PermissionMatrix):
    rows: ClassVar[list[Row]] = [
        # The PV.
        Row("api:deliberation_minutes", PV_READERS, args=session("held")),
        Row("api:deliberation_minutes_presence", CENTRE, method="put", args=session("held"), body=presence),
        Row("api:deliberation_minutes_sign", JURY, method="post", args=session("held"), status=201),
        Row("api:deliberation_minutes_submit", CENTRE, method="post", args=session("signed")),
        Row("api:deliberation_minutes_validate", AUTHORITY, method="post", args=minutes("submitted")),
        Row(
            "api:deliberation_minutes_return",
            AUTHORITY,
            method="post",
            args=minutes("submitted"),
            body=lambda w: {"reason": "Motif à préciser."},
        ),
        # Evaluation and decisions.
        Row("api:deliberation_sheet_list", JURY, args=registration("held")),
        Row(
            "api:deliberation_sheet_save",
            JURY,
            method="put",
            args=sheet,
            body=lambda w: {"observations": "Non évaluée : absent.", "criteria_met": []},
        ),
        Row(
            "api:deliberation_decide",
            JURY,
            method="post",
            args=registration("held"),
            body=lambda w: {"result": "absent"},
        ),
        # The result and the appeal.
        Row("api:deliberation_result", RESULT_READERS, args=registration("validated")),
        Row(
            "api:deliberation_appeal_file",
            Audience.CANDIDATE,
            method="post",
            args=registration("validated"),
            body=lambda w: {"text": "Je n’étais pas absent."},
            status=201,
        ),
        Row(
            "api:deliberation_appeal_decide",
            AUTHORITY,
            method="post",
            args=appeal,
            body=lambda w: {"upheld": False, "answer": "L’absence est constatée."},
        ),
        # Fraud.
        Row("api:deliberation_fraud_list", AUTHORITY, args=registration("validated")),
        Row(
            "api:deliberation_fraud_decide",
            AUTHORITY,
            method="post",
            args=registration("validated"),
            body=lambda w: {"sanction": "ban", "reason": "Téléphone consulté pendant l’épreuve."},
            status=201,
        ),
    ]
