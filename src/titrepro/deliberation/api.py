"""``/api/v1/deliberation``: the jury's sheets and decisions, the PV (procès-verbal) and its signatures, its
submission and validation, the candidate's result and their appeal.

Thin over ``deliberation.services`` and ``deliberation.appeals`` (every write: one transaction, checked by the
rules and the lifecycles, audited), like the pages. The object an operation names is looked up in the scoped
queryset of the role that may act on it, so a role that may not answers 403 and another organisation's object
404 (``core.api``: the one error shape; a refusal by the rules is 422 with the rule's own code).

Who does what:

- a jury member who accepted the session: their own evaluation sheets, the decisions, their signature; only for
  the candidates they are free of any link with (R-64): another candidate's registration is 404 for them, and
  that candidate is not in the PV's ``content.candidates`` they read;
- the centre's staff (or the national administrator): the members present, the submission (R-71);
- an agent of the centre's authority (or the national administrator): the validation or the return (R-72), the
  answer to an appeal (R-82), the decisions on fraud (R-80);
- the candidate: their own validated result, and their appeal.

The PV opens with the deliberation (from the first day of a convened or held session): before, a session has
none (404 ``minutes_not_found``). Every write needs a token of scope ``full`` (``accounts.api_auth``).
"""

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status
from pydantic import ConfigDict

from titrepro.accounts.api_auth import api_auth
from titrepro.accounts.permissions import get_scoped_or_404, scope_of, scoped
from titrepro.catalogue.models import Competence
from titrepro.core import dating
from titrepro.core.api import READ_ERRORS, WRITE_ERRORS, Id
from titrepro.core.refusals import NotFound
from titrepro.deliberation import appeals, fraud, queries, services
from titrepro.deliberation import minutes as content
from titrepro.deliberation.lifecycles import MINUTES
from titrepro.deliberation.models import (
    Appeal,
    Decision,
    EvaluationSheet,
    FraudDecision,
    Minutes,
    MinutesStatus,
    Proposal,
    Result,
    Sanction,
    Signature,
)
from titrepro.sessions import queries as session_queries
from titrepro.sessions.api import MoveOut
from titrepro.sessions.lifecycles import jury_check_of
from titrepro.sessions.models import ExamSession, IncidentKind, JuryAssignment, JuryStatus, Registration

router = Router(auth=api_auth, tags=["deliberation"])

# Bounds of what the database stores and of what a person could write.
CcpNumber = Annotated[int, Field(ge=1, le=32767)]
Text = Annotated[str, Field(max_length=10000)]


# Schemas ----------------------------------------------------------------------------------------


class MinutesMemberOut(Schema):
    assignment: int = Field(..., description="The jury assignment (``/sessions/{id}/jury``).")
    first_name: str
    last_name: str


class MinutesSessionOut(Schema):
    model_config = ConfigDict(extra="allow")

    number: str
    kind: str
    title: str
    title_label: str
    version: str
    ccps: list[int]
    ccs: str | None
    centre: str
    centre_name: str
    first_day: date
    last_day: date
    remote: bool


class MinutesCandidateOut(Schema):
    model_config = ConfigDict(extra="allow")

    registration: int
    birth_name: str
    usual_name: str
    given_names: str
    birth_date: date
    attendance: str
    result: str = Field(..., description="Empty while the jury has not decided.")
    ccps_awarded: list[int]
    reason: str
    final_interview: bool
    fraud_reports: list[str]
    remote: bool


class MinutesContentOut(Schema):
    """What the PV says (R-71): its canonical document (``deliberation.minutes.content``)."""

    model_config = ConfigDict(extra="allow")

    format: str = Field(..., description="titrepro-pv/1")
    number: str
    revision: int
    reason: str
    session: MinutesSessionOut
    jury_present: list[MinutesMemberOut]
    candidates: list[MinutesCandidateOut] = Field(
        ..., description="For a jury member, only the candidates they are free of any link with (R-64)."
    )


class SignatureOut(Schema):
    id: int
    assignment_id: int
    first_name: str
    last_name: str
    signed_at: datetime
    sha256: str = Field(..., description="The SHA-256 of the content signed.")
    second_factor: bool
    void: bool = Field(..., description="Voided: the content changed after it, or the member signed again.")
    voided_at: datetime | None
    void_reason: str


class MinutesOut(Schema):
    id: int
    session_id: int
    number: str
    revision: int
    status: str
    present: list[MinutesMemberOut] = Field(..., description="The jury members present at the deliberation (R-63).")
    signatures: list[SignatureOut] = Field(..., description="Every signature, the void ones included.")
    sha256: str = Field(
        ...,
        description="The SHA-256 of the canonical JSON of the whole content (the one the members sign); frozen from "
        "the submission on.",
    )
    content: MinutesContentOut
    submitted_at: datetime | None
    validated_at: datetime | None
    return_reason: str
    moves: list[MoveOut] = Field(..., description="The moves that start from the PV's status, for the caller.")


class PresenceIn(Schema):
    present: list[Id] = Field(..., max_length=50, description="Jury assignments present (accepted).")


class SignIn(Schema):
    code: str | None = Field(None, max_length=16, description="The code of the member's authentication app, if any.")


class MinutesReturnIn(Schema):
    reason: Text


class SheetProposal(StrEnum):
    NONE = ""
    ACQUIRED = Proposal.ACQUIRED.value
    NOT_ACQUIRED = Proposal.NOT_ACQUIRED.value


class SheetOut(Schema):
    """One competence evaluated at the session, with the caller's sheet (empty while not recorded)."""

    competence_id: int
    code: str
    label: str
    ccp: int | None = Field(..., description="The number of the competence's CCP (null: a CCS's).")
    criteria: list[str] = Field(..., description="The criteria of the competence, in the order of the RE.")
    recorded: bool
    criteria_met: list[int] = Field(..., description="Indexes (from 0) of the criteria observed.")
    observations: str
    proposal: SheetProposal
    updated_at: datetime | None


class SheetIn(Schema):
    observations: Text = ""
    proposal: SheetProposal = SheetProposal.NONE
    criteria_met: list[Annotated[int, Field(ge=0, le=999)]] = Field(
        [], max_length=200, description="Indexes (from 0) of the criteria observed."
    )


class JuryDecisionIn(Schema):
    result: Result
    ccps: list[CcpNumber] = Field([], max_length=50, description="Numbers of the CCPs awarded.")
    reason: Text = Field("", description="Required for any refusal (R-65) and an excused absence (R-70).")
    final_interview_held: bool | None = Field(None, description="Left unchanged if not given (R-50).")
    final_interview_notes: Text | None = Field(None, description="Left unchanged if not given.")


class JuryDecisionOut(Schema):
    registration_id: int
    result: str
    ccps_awarded: list[int]
    reason: str
    final_interview_held: bool
    final_interview_notes: str
    decided_at: datetime | None


class AppealIn(Schema):
    text: Text = Field(..., description="The grounds of the appeal.")


class AppealDecisionIn(Schema):
    upheld: bool
    answer: Text = Field(..., description="The authority's answer: the candidate reads it (R-82).")
    result: Result | None = Field(None, description="The new result of an appeal upheld.")
    ccps: list[CcpNumber] = Field([], max_length=50, description="The CCPs the new decision awards.")
    reason: Text = ""


class AppealOut(Schema):
    id: int
    registration_id: int
    status: str
    filed_on: date
    notified_on: date
    last_day: date = Field(..., description="The last day to appeal (R-82).")
    text: str
    decided_on: date | None
    answer: str
    corrective: str | None = Field(..., description="The number of the corrective PV of an appeal upheld.")


class FraudDecisionIn(Schema):
    sanction: Sanction
    reason: Text = Field(..., description="The reasons: a fraud decision is reasoned (R-80).")
    withdraws: bool = Field(False, description="Withdraw what the session gave (fraud found after the results).")
    ban_years: int | None = Field(
        None, ge=1, le=10, description="The ban's length in years; the parameter fraud_ban_years by default (U-04)."
    )
    incident_id: int | None = Field(None, description="The fraud report decided on; the last one by default.")


class FraudDecisionOut(Schema):
    id: int
    registration_id: int
    incident_id: int | None
    sanction: str
    ban_until: date | None = Field(..., description="The last day of the ban from the sessions.")
    withdraws: bool
    reason: str
    decided_on: date


class ResultOut(Schema):
    registration_id: int
    session_id: int
    session: str = Field(..., description="The session's number.")
    title: str = Field(..., description="Code of the title.")
    minutes: str = Field(..., description="The number of the validated PV.")
    validated_on: date | None
    result: str
    ccps_awarded: list[int]
    reason: str
    notified_on: date | None = Field(..., description="The day the result was notified (null: not yet).")
    appeal_last_day: date | None = Field(..., description="The last day to appeal (R-82); null before notification.")
    appeals: list[AppealOut]


# Shaping ----------------------------------------------------------------------------------------


def _member(assignment: JuryAssignment) -> dict[str, Any]:
    return {
        "assignment": assignment.pk,
        "first_name": assignment.member.first_name,
        "last_name": assignment.member.last_name,
    }


def _signature(signature: Signature) -> dict[str, Any]:
    member = signature.assignment.member
    return {
        "id": signature.pk,
        "assignment_id": signature.assignment_id,
        "first_name": member.first_name,
        "last_name": member.last_name,
        "signed_at": signature.signed_at,
        "sha256": signature.sha256,
        "second_factor": signature.second_factor,
        "void": signature.voided_at is not None,
        "voided_at": signature.voided_at,
        "void_reason": signature.void_reason,
    }


def _document(minutes: Minutes) -> tuple[dict[str, Any], str]:
    """The PV's content and its hash: frozen from the submission on, else what it says now."""
    if minutes.status != MinutesStatus.DELIBERATING and minutes.sha256:
        return dict(minutes.content), minutes.sha256
    document = content.content(minutes)
    return document, content.digest(document)


def _free_registrations(session: ExamSession, assignment: JuryAssignment) -> set[int]:
    """The registrations whose candidate the member is free of any link with (R-64)."""
    free = jury_check_of(session).free_members
    registered = session.registrations.values_list("pk", "candidate_id")
    return {pk for pk, candidate in registered if assignment.member_id in free.get(candidate, ())}


def _minutes_out(user: Any, minutes: Minutes, sitting: JuryAssignment | None = None) -> dict[str, Any]:
    """The PV as the caller may read it: for a jury member (``sitting``), only the candidates free of them."""
    document, sha = _document(minutes)
    if sitting is not None:
        allowed = _free_registrations(minutes.session, sitting)
        document = document | {"candidates": [c for c in document["candidates"] if c["registration"] in allowed]}
    present = sorted(
        minutes.present.select_related("member"), key=lambda a: (a.member.last_name, a.member.first_name, a.pk)
    )
    signatures = minutes.signatures.select_related("assignment__member").order_by("signed_at", "pk")
    return {
        "id": minutes.pk,
        "session_id": minutes.session_id,
        "number": minutes.number,
        "revision": minutes.revision,
        "status": minutes.status,
        "present": [_member(a) for a in present],
        "signatures": [_signature(s) for s in signatures],
        "sha256": sha,
        "content": document,
        "submitted_at": minutes.submitted_at,
        "validated_at": minutes.validated_at,
        "return_reason": minutes.return_reason,
        "moves": [
            {"move": name, "allowed": answer.allowed, "code": answer.code, "message": answer.message}
            for name, answer in MINUTES.offered(user, minutes).items()
            if MINUTES.move(name).label  # "supersede" is an appeal's doing, not a button
        ],
    }


def _sheets(assignment: JuryAssignment, registration: Registration) -> list[dict[str, Any]]:
    mine = {
        s.competence_id: s for s in EvaluationSheet.objects.filter(registration=registration, assignment=assignment)
    }
    rows = []
    for competence in queries.competences_of(registration):
        sheet = mine.get(competence.pk)
        rows.append(
            {
                "competence_id": competence.pk,
                "code": competence.code,
                "label": competence.label,
                "ccp": competence.ccp.number if competence.ccp is not None else None,
                "criteria": [str(c) for c in competence.criteria or []],
                "recorded": sheet is not None,
                "criteria_met": list(sheet.criteria_met) if sheet is not None else [],
                "observations": sheet.observations if sheet is not None else "",
                "proposal": sheet.proposal if sheet is not None else "",
                "updated_at": sheet.updated_at if sheet is not None else None,
            }
        )
    return rows


def _decision(decision: Decision) -> dict[str, Any]:
    return {
        "registration_id": decision.registration_id,
        "result": decision.result,
        "ccps_awarded": sorted(c.number for c in decision.ccps_awarded.all()),
        "reason": decision.reason,
        "final_interview_held": decision.final_interview_held,
        "final_interview_notes": decision.final_interview_notes,
        "decided_at": decision.decided_at,
    }


def _appeal(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.pk,
        "registration_id": appeal.registration_id,
        "status": appeal.status,
        "filed_on": appeal.filed_on,
        "notified_on": appeal.notified_on,
        "last_day": appeal.last_day,
        "text": appeal.text,
        "decided_on": appeal.decided_on,
        "answer": appeal.answer,
        "corrective": appeal.corrective.number if appeal.corrective is not None else None,
    }


def _fraud(decision: FraudDecision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "registration_id": decision.registration_id,
        "incident_id": decision.incident_id,
        "sanction": decision.sanction,
        "ban_until": decision.ban_until,
        "withdraws": decision.withdraws,
        "reason": decision.reason,
        "decided_on": decision.decided_on,
    }


def _result(registration: Registration) -> dict[str, Any]:
    """The candidate's validated result; 404 ``result_not_validated`` before the authority validated the PV."""
    minutes = Minutes.objects.filter(session=registration.session_id).exclude(status=MinutesStatus.SUPERSEDED).first()
    decision = (
        Decision.objects.filter(registration=registration)
        .exclude(result="")
        .select_related("registration__session__centre__authority")
        .prefetch_related("ccps_awarded")
        .first()
    )
    if minutes is None or minutes.status != MinutesStatus.VALIDATED or decision is None:
        raise NotFound(
            "result_not_validated",
            _("This result is not validated yet: it is published once the authority validates the PV (R-72)."),
        )
    session = registration.session
    filed = Appeal.objects.filter(registration=registration).select_related("corrective").order_by("filed_on", "pk")
    return {
        "registration_id": registration.pk,
        "session_id": session.pk,
        "session": session.number,
        "title": session.version.title.code,
        "minutes": minutes.number,
        "validated_on": timezone.localdate(minutes.validated_at) if minutes.validated_at else None,
        "result": decision.result,
        "ccps_awarded": sorted(c.number for c in decision.ccps_awarded.all()),
        "reason": decision.reason,
        "notified_on": decision.notified_on,
        "appeal_last_day": appeals.deadline(decision),
        "appeals": [_appeal(a) for a in filed],
    }


# Lookups: the scoped querysets of who may act ---------------------------------------------------


def _sittings(user: Any) -> QuerySet[JuryAssignment]:
    """The caller's accepted assignments (403 for a role other than jury member)."""
    return queries.own_sittings(user).filter(status=JuryStatus.ACCEPTED)


def _current(session: ExamSession) -> Minutes:
    """The session's current PV, opened with the deliberation (from the first day of a convened or held
    session); 404 ``minutes_not_found`` before."""
    found = Minutes.objects.filter(session=session).exclude(status=MinutesStatus.SUPERSEDED).first()
    if found is None:
        if session.status not in services.OPEN_SESSIONS or dating.today() < session.first_day:
            raise NotFound(
                "minutes_not_found",
                _("This session has no PV yet: it opens with the deliberation, from the session's first day."),
            )
        found = services.current_minutes(session)
    return Minutes.objects.select_related("session__version__title", "session__centre").get(pk=found.pk)


def _minutes_reader(request: HttpRequest, session_id: int) -> tuple[ExamSession, JuryAssignment | None]:
    """The session, and the caller's sitting when they read it as a jury member. The centre, the authority and
    the national administrator read every PV of their sessions; a jury member those of the sessions they accepted
    (another's: 404); any other role 403."""
    user = request.user
    scope = scope_of(user)
    if scope.is_staff_role:
        sessions = ExamSession.objects.select_related(*session_queries.SESSION_RELATED)
        readable = scoped(user, sessions, centre="centre", authority="centre__authority")
        session = readable.filter(pk=session_id).first()
        if session is not None:
            return session, None
    if scope.jury_members:
        sitting = _sittings(user).filter(session_id=session_id).select_related("session__centre").first()
        if sitting is not None:
            return sitting.session, sitting
    if not scope.is_staff_role and not scope.jury_members:
        raise PermissionDenied
    raise Http404


def _sitting_session(request: HttpRequest, session_id: int) -> ExamSession:
    """A session the caller sits on (accepted); 404 otherwise, 403 for another role."""
    sitting = get_scoped_or_404(_sittings(request.user).select_related("session__centre"), session_id=session_id)
    return sitting.session


def _jury_registration(request: HttpRequest, registration_id: int) -> tuple[Registration, JuryAssignment]:
    """A registration of a session the caller sits on, of a candidate they are free of any link with (R-64): a
    member in conflict neither sees nor writes anything of theirs (404, as missing); 403 for another role."""
    sittings = _sittings(request.user)
    registrations = Registration.objects.select_related("session__version", "candidate").filter(
        session__in=sittings.values("session")
    )
    registration = get_scoped_or_404(registrations, pk=registration_id)
    sitting = sittings.filter(session=registration.session_id).first()
    if sitting is None or registration.pk not in _free_registrations(registration.session, sitting):
        raise Http404
    return registration, sitting


def _managed(request: HttpRequest, session_id: int) -> ExamSession:
    return get_scoped_or_404(session_queries.managed_sessions(request.user), pk=session_id)


def _authority_minutes(request: HttpRequest, minutes_id: int) -> Minutes:
    """A PV of the agent's départements (every one for a national administrator); 403 for another role."""
    rows = Minutes.objects.select_related("session__version__title", "session__centre").filter(
        session__in=session_queries.authority_sessions(request.user)
    )
    return get_scoped_or_404(rows, pk=minutes_id)


# The PV -----------------------------------------------------------------------------------------


@router.get(
    "/sessions/{int:session_id}/minutes",
    response={200: MinutesOut, **READ_ERRORS},
    url_name="deliberation_minutes",
    summary="A session's current PV: its members present, signatures and content",
)
def get_minutes(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """For the centre, the authority and the national administrator in full; for a jury member who accepted the
    session, the candidates they are free of any link with (R-64). Not for candidates. 404 ``minutes_not_found``
    before the deliberation opens (the session's first day)."""
    session, sitting = _minutes_reader(request, session_id)
    return Status(200, _minutes_out(request.user, _current(session), sitting))


@router.put(
    "/sessions/{int:session_id}/minutes/presence",
    response={200: MinutesOut, **WRITE_ERRORS},
    url_name="deliberation_minutes_presence",
    summary="Record the jury members present at the deliberation (centre staff)",
)
def record_presence(request: HttpRequest, session_id: Id, payload: PresenceIn) -> Status[dict[str, Any]]:
    """Members who accepted, at least two for the PV to be submitted (R-63). A change voids every signature."""
    session = _managed(request, session_id)
    found = {a.pk: a for a in JuryAssignment.objects.filter(session=session, pk__in=payload.present)}
    for number, pk in enumerate(payload.present):
        if pk not in found:
            raise NotFound(
                "jury_assignment_not_found",
                _("No jury member of this session has this assignment id."),
                f"present.{number}",
            )
    minutes = services.record_presence(request.user, session, [found[pk] for pk in dict.fromkeys(payload.present)])
    return Status(200, _minutes_out(request.user, minutes))


@router.post(
    "/sessions/{int:session_id}/minutes/sign",
    response={201: SignatureOut, **WRITE_ERRORS},
    url_name="deliberation_minutes_sign",
    summary="Sign the PV as it now stands (a jury member present)",
)
def sign_minutes(request: HttpRequest, session_id: Id, payload: SignIn) -> Status[dict[str, Any]]:
    """The signature records the member, the time and the SHA-256 of the whole content; every candidate decided
    first, each decision allowed by the rules. A member with a second factor gives a fresh ``code``."""
    session = _sitting_session(request, session_id)
    signature = services.sign(request.user, _current(session), code=payload.code)
    return Status(201, _signature(Signature.objects.select_related("assignment__member").get(pk=signature.pk)))


@router.post(
    "/sessions/{int:session_id}/minutes/submit",
    response={200: MinutesOut, **WRITE_ERRORS},
    url_name="deliberation_minutes_submit",
    summary="Submit the signed PV to the authority (centre staff)",
)
def submit_minutes(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """Once every member present signed its current content (R-71); the content and its hash are frozen."""
    session = _managed(request, session_id)
    minutes = services.submit(request.user, _current(session))
    return Status(200, _minutes_out(request.user, minutes))


@router.post(
    "/minutes/{int:minutes_id}/validate",
    response={200: MinutesOut, **WRITE_ERRORS},
    url_name="deliberation_minutes_validate",
    summary="Validate a submitted PV (authority agent)",
)
def validate_minutes(request: HttpRequest, minutes_id: Id) -> Status[dict[str, Any]]:
    """R-72: the holdings are written and the results published; the notices go out after. A PV validated or
    returned meanwhile is 422 ``minutes_not_submitted``."""
    minutes = services.validate(request.user, _authority_minutes(request, minutes_id))
    return Status(200, _minutes_out(request.user, minutes))


@router.post(
    "/minutes/{int:minutes_id}/return",
    response={200: MinutesOut, **WRITE_ERRORS},
    url_name="deliberation_minutes_return",
    summary="Return a submitted PV to the centre, with the reason (authority agent)",
)
def return_minutes(request: HttpRequest, minutes_id: Id, payload: MinutesReturnIn) -> Status[dict[str, Any]]:
    """Back to deliberation; every signature is void, the history kept."""
    minutes = services.return_minutes(request.user, _authority_minutes(request, minutes_id), reason=payload.reason)
    return Status(200, _minutes_out(request.user, minutes))


# Evaluation and decisions -------------------------------------------------------------------------


@router.get(
    "/registrations/{int:registration_id}/sheets",
    response={200: list[SheetOut], **READ_ERRORS},
    url_name="deliberation_sheet_list",
    summary="The caller's evaluation sheets for one candidate (jury member)",
)
def list_sheets(request: HttpRequest, registration_id: Id) -> Status[list[dict[str, Any]]]:
    """One entry per competence evaluated at the session (R-65), with the caller's sheet; another member's
    sheets are theirs. A member in conflict with the candidate (R-64) gets 404."""
    registration, sitting = _jury_registration(request, registration_id)
    return Status(200, _sheets(sitting, registration))


@router.put(
    "/registrations/{int:registration_id}/sheets/{int:competence_id}",
    response={200: SheetOut, **WRITE_ERRORS},
    url_name="deliberation_sheet_save",
    summary="Record the caller's sheet for one competence of one candidate (jury member)",
)
def save_sheet(
    request: HttpRequest, registration_id: Id, competence_id: Id, payload: SheetIn
) -> Status[dict[str, Any]]:
    """Observations against the RE's criteria and a proposal (R-65), while the PV is being deliberated."""
    registration, sitting = _jury_registration(request, registration_id)
    competence = Competence.objects.select_related("ccp").filter(pk=competence_id).first()
    if competence is None:
        raise NotFound("competence_not_found", _("No competence has this id."))
    services.record_sheet(
        request.user,
        registration,
        competence,
        observations=payload.observations,
        proposal=payload.proposal.value,
        criteria_met=payload.criteria_met,
    )
    return Status(200, next(s for s in _sheets(sitting, registration) if s["competence_id"] == competence.pk))


@router.post(
    "/registrations/{int:registration_id}/decision",
    response={200: JuryDecisionOut, **WRITE_ERRORS},
    url_name="deliberation_decide",
    summary="Record the jury's decision for one candidate (jury member)",
)
def decide(request: HttpRequest, registration_id: Id, payload: JuryDecisionIn) -> Status[dict[str, Any]]:
    """Checked by the rules (R-45, R-50 ... R-53, R-63 ... R-65, R-70): a decision they forbid is 422 with every
    reason (``reasons``), nothing saved. A change after a signature voids every signature of the PV."""
    registration, _sitting = _jury_registration(request, registration_id)
    decision = services.decide(
        request.user,
        registration,
        result=payload.result.value,
        ccps=payload.ccps,
        reason=payload.reason,
        final_interview_held=payload.final_interview_held,
        final_interview_notes=payload.final_interview_notes,
    )
    return Status(200, _decision(Decision.objects.prefetch_related("ccps_awarded").get(pk=decision.pk)))


# The result and the appeal -----------------------------------------------------------------------


@router.get(
    "/registrations/{int:registration_id}/result",
    response={200: ResultOut, **READ_ERRORS},
    url_name="deliberation_result",
    summary="A candidate's validated result (the candidate, the centre, the authority)",
)
def get_result(request: HttpRequest, registration_id: Id) -> Status[dict[str, Any]]:
    """With the day it was notified and the last day to appeal (R-82), and the appeals filed. 404
    ``result_not_validated`` until the authority validates the PV."""
    registrations = scoped(
        request.user,
        Registration.objects.select_related("session__version__title", "session__centre__authority"),
        centre="session__centre",
        authority="session__centre__authority",
        candidate="candidate",
    )
    return Status(200, _result(get_scoped_or_404(registrations, pk=registration_id)))


@router.post(
    "/registrations/{int:registration_id}/appeals",
    response={201: AppealOut, **WRITE_ERRORS},
    url_name="deliberation_appeal_file",
    summary="Appeal against the jury's decision (the candidate)",
)
def file_appeal(request: HttpRequest, registration_id: Id, payload: AppealIn) -> Status[dict[str, Any]]:
    """A validated and notified result, within two months of its notification (R-82: 422 ``appeal_too_late``
    after), one appeal at a time."""
    registration = get_scoped_or_404(session_queries.own_registrations(request.user), pk=registration_id)
    appeal = appeals.file_appeal(request.user, registration, text=payload.text)
    return Status(201, _appeal(appeal))


@router.post(
    "/appeals/{int:appeal_id}/decision",
    response={200: AppealOut, **WRITE_ERRORS},
    url_name="deliberation_appeal_decide",
    summary="Answer an appeal: dismiss it, or uphold it with the new decision (authority agent)",
)
def decide_appeal(request: HttpRequest, appeal_id: Id, payload: AppealDecisionIn) -> Status[dict[str, Any]]:
    """Upheld: the new decision is checked like the jury's and a corrective PV supersedes the validated one, the
    candidate's holdings following it. Dismissed: nothing else changes."""
    rows = Appeal.objects.select_related("registration__session__centre").filter(
        registration__session__in=session_queries.authority_sessions(request.user)
    )
    appeal = appeals.decide_appeal(
        request.user,
        get_scoped_or_404(rows, pk=appeal_id),
        upheld=payload.upheld,
        answer=payload.answer,
        result=payload.result.value if payload.result is not None else None,
        ccps=payload.ccps,
        reason=payload.reason,
    )
    return Status(200, _appeal(Appeal.objects.select_related("corrective").get(pk=appeal.pk)))


# Fraud (R-80) --------------------------------------------------------------------------------------


def _authority_registration(request: HttpRequest, registration_id: int) -> Registration:
    rows = Registration.objects.filter(session__in=session_queries.authority_sessions(request.user))
    return get_scoped_or_404(rows.select_related("candidate", "session__centre"), pk=registration_id)


@router.get(
    "/registrations/{int:registration_id}/fraud-decisions",
    response={200: list[FraudDecisionOut], **READ_ERRORS},
    url_name="deliberation_fraud_list",
    summary="The authority's decisions on a candidate's fraud reports (authority agent)",
)
def list_fraud_decisions(request: HttpRequest, registration_id: Id) -> Status[list[dict[str, Any]]]:
    registration = _authority_registration(request, registration_id)
    return Status(200, [_fraud(d) for d in registration.fraud_decisions.order_by("decided_on", "pk")])


@router.post(
    "/registrations/{int:registration_id}/fraud-decisions",
    response={201: FraudDecisionOut, **WRITE_ERRORS},
    url_name="deliberation_fraud_decide",
    summary="Decide on a fraud report: a sanction, and the withdrawal of what was awarded (authority agent)",
)
def decide_fraud(request: HttpRequest, registration_id: Id, payload: FraudDecisionIn) -> Status[dict[str, Any]]:
    """A ban runs from the day of the decision (``ban_until``); the candidate is then refused at registration for
    any session starting on or before it. ``withdraws``: everything the session gave is withdrawn with the
    reasons (422 ``fraud_nothing_to_withdraw`` when it gave nothing). ``incident_id``: one of the registration's
    fraud reports (another is 404)."""
    registration = _authority_registration(request, registration_id)
    reports = registration.incidents.filter(kind=IncidentKind.FRAUD).order_by("occurred_on", "pk")
    if payload.incident_id is not None:
        incident = reports.filter(pk=payload.incident_id).first()
        if incident is None:
            raise NotFound("incident_not_found", _("No fraud report of this candidate has this number."))
    else:
        incident = reports.last()
    decision = fraud.decide_fraud(
        request.user,
        registration,
        sanction=payload.sanction.value,
        reason=payload.reason,
        withdraws=payload.withdraws,
        incident=incident,
        ban_years=payload.ban_years,
    )
    return Status(201, _fraud(decision))
