"""``/api/v1/sessions``: exam sessions, registrations, the jury, convocations, the session day, programmes.

Thin over ``queries`` (scoped reads) and ``services`` (every write: one transaction, checked by the
lifecycles and the rules, audited), like the pages. The object an operation names is looked up in
the scoped queryset of the role that may act on it, so a role that may not answers 403 and another
organisation's object 404 (``core.api``: the one error shape; a refusal by the rules is 422 with
the rule's own code, a duplicate 409).

What each reader gets of a session's registrations: the centre, the authority and the national
administrator every registration in full; a candidate only their own; a jury member the names of
the registered candidates, nothing more (no e-mail, no phone, no accommodation). The session's
answer carries the moves offered to the caller (``SESSION.offered``), each allowed or with the
code and the French message of what stops it.

Every write needs a token of scope ``full`` (``accounts.api_auth``: none is in ``IMPORT_OPERATIONS``).
"""

from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from pydantic import AfterValidator, WithJsonSchema

from titrepro.accounts.api_auth import api_auth
from titrepro.accounts.permissions import get_scoped_or_404, scope_of, scoped
from titrepro.candidates.models import Candidate
from titrepro.candidates.queries import managed_candidates, managed_centres
from titrepro.catalogue.models import CCP, CCS, SessionKind, TitleVersion
from titrepro.core.api import READ_ERRORS, WRITE_ERRORS, Id, Offset
from titrepro.core.refusals import NotFound
from titrepro.directory.models import JuryMember
from titrepro.sessions import queries, services
from titrepro.sessions.lifecycles import SESSION
from titrepro.sessions.models import (
    BUSY_JURY_STATES,
    Attendance,
    Convocation,
    DeliveryStatus,
    ExamSession,
    Incident,
    IncidentKind,
    JuryAssignment,
    JuryStatus,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)

router = Router(auth=api_auth, tags=["sessions"])

# Bounds of what the database stores (PositiveSmallIntegerField) and of what a person could mean.
SmallCount = Annotated[int, Field(ge=1, le=32767)]
CcpNumber = Annotated[int, Field(ge=1, le=32767)]
Year = Annotated[int, Field(ge=2000, le=2200, description="Calendar year of the programme.")]
Reason = Annotated[str, Field(min_length=1, max_length=2000)]
Note = Annotated[str, Field(max_length=2000)]


def _local_time(value: time) -> time:
    """A time of day on the session's site: the databases store no time zone with it."""
    if value.tzinfo is not None:
        raise ValueError(_("Give a local time, without a time zone."))
    return value


# Documented as what it is, a local time ("08:30", "08:30:00"): JSON Schema's "time" format requires an offset.
LOCAL_TIME_SCHEMA = {
    "type": "string",
    "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?$",
    "description": "A local time of day, without a time zone (HH:MM or HH:MM:SS).",
    "examples": ["08:30"],
}
LocalTime = Annotated[time, AfterValidator(_local_time), WithJsonSchema(LOCAL_TIME_SCHEMA)]


# Schemas ----------------------------------------------------------------------------------------


class MoveOut(Schema):
    """One move of the session's lifecycle the caller may be offered: allowed, or why not."""

    move: str
    allowed: bool
    code: str
    message: str


class SessionSummaryOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    title: str = Field(..., description="Code of the title, such as TP-01351.")
    version: str = Field(..., description="Label of the title version, such as 2025.")
    centre_id: int
    centre: str = Field(..., description="Code of the approved centre.")
    site_address: str
    first_day: date
    last_day: date
    opens_at: LocalTime
    closes_at: LocalTime
    capacity: int
    remote: bool
    registered: int = Field(..., description="Candidates registered (withdrawals not counted).")
    jury_accepted: int = Field(..., description="Jury members who accepted.")


class RegistrationOut(Schema):
    """A registration; for a jury member only ``id``, the names and ``status`` are given, the rest is null."""

    id: int
    session_id: int
    candidate_id: int | None
    birth_name: str
    usual_name: str
    given_names: str
    email: str | None
    phone: str | None
    status: str
    registered_on: date | None
    withdrawn_on: date | None
    withdraw_reason: str | None
    ccps: list[int] | None = Field(..., description="Numbers of the CCPs sat (CCP sessions).")
    final_interview_due: bool | None
    accommodations: list[str] | None = Field(..., description="Kinds of the accommodations granted (R-85, R-86).")
    attendance: str | None
    arrived_at: LocalTime | None
    attendance_note: str | None
    portfolio_handed_in: bool | None


class SessionOut(SessionSummaryOut):
    ccps: list[int] = Field(..., description="Numbers of the CCPs a CCP session covers.")
    ccs: str | None = Field(..., description="Code of the CCS a CCS session covers.")
    extension: bool
    declared_on: date | None
    convened_on: date | None
    held_on: date | None
    ended_on: date | None
    end_reason: str
    workstations: int = Field(..., description="Workstations of the site the planning may use.")
    lunch_starts_at: LocalTime
    lunch_ends_at: LocalTime
    registrations: list[RegistrationOut]
    moves: list[MoveOut] = Field(..., description="The moves that start from the session's status, for the caller.")


class SessionIn(Schema):
    centre_id: Id
    kind: SessionKind
    title: str = Field(..., min_length=1, max_length=20, description="Code of the title, such as TP-01351.")
    version: str = Field(..., min_length=1, max_length=16, description="Label of the title version, such as 2025.")
    ccps: list[CcpNumber] = Field([], max_length=50, description="Numbers of the CCPs (a CCP session only).")
    ccs: str | None = Field(None, min_length=1, max_length=20, description="Code of the CCS (a CCS session only).")
    site_address: str = Field(..., min_length=1, max_length=500)
    first_day: date
    last_day: date
    opens_at: LocalTime | None = Field(None, description="08:30 if not given.")
    closes_at: LocalTime | None = Field(None, description="17:30 if not given.")
    capacity: SmallCount
    remote: bool = Field(False, description="R-46 experiment only.")
    workstations: int = Field(0, ge=0, le=1000, description="Workstations of the site the planning may use.")
    lunch_starts_at: LocalTime | None = Field(None, description="12:00 if not given (at least 45 minutes).")
    lunch_ends_at: LocalTime | None = Field(None, description="13:00 if not given.")


class ReasonIn(Schema):
    reason: Reason


class SessionFilter(Schema):
    status: SessionStatus | None = None
    centre_id: Id | None = None
    title: str | None = Field(None, max_length=20, description="Code of the title.")
    starts_from: date | None = Field(None, description="Sessions whose last day is on or after this day.")
    ends_by: date | None = Field(None, description="Sessions whose first day is on or before this day.")


class SessionPageIn(Schema):
    limit: int = Field(100, ge=1, le=1000, description="Number of sessions per page (at most 1000).")
    offset: Offset = 0


class SessionPagination(LimitOffsetPagination):
    """Limit/offset pagination with a bounded page size; the page's sessions (annotated by
    ``queries.with_counts``) are shaped once sliced."""

    # Its own name: the catalogue's pagination input is the document's ``Input`` component.
    Input = SessionPageIn  # type: ignore[assignment]

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params: Any) -> Any:
        page = super().paginate_queryset(queryset, pagination, request, **params)
        page[self.items_attribute] = [_summary(s, s.registered, s.jury_accepted) for s in page[self.items_attribute]]
        return page


class RegistrationIn(Schema):
    candidate_id: Id
    ccps: list[CcpNumber] = Field(
        [], max_length=50, description="Numbers of the CCPs sat (a CCP session; all of the session's if empty)."
    )


class BatchIn(Schema):
    candidate_ids: list[Id] = Field(..., min_length=1, max_length=500)


class BatchResultOut(Schema):
    candidate_id: int
    registered: bool
    registration_id: int | None
    code: str | None = Field(..., description="The refusal's code when the candidate was not registered.")
    message: str | None


class BatchOut(Schema):
    registered: int
    refused: int
    results: list[BatchResultOut]


class AttendanceValue(StrEnum):
    PRESENT = Attendance.PRESENT.value
    ABSENT = Attendance.ABSENT.value
    LATE = Attendance.LATE.value
    REFUSED = Attendance.REFUSED.value


class AttendanceIn(Schema):
    attendance: AttendanceValue
    arrived_at: LocalTime | None = Field(None, description="Required when the candidate was late (admitted or not).")
    note: Note = ""
    portfolio_handed_in: bool | None = Field(None, description="Left unchanged if not given.")


class SessionBriefOut(Schema):
    id: int
    number: str
    kind: str
    status: str
    title: str
    version: str
    centre: str
    site_address: str
    first_day: date
    last_day: date
    opens_at: LocalTime
    closes_at: LocalTime


class JuryOut(Schema):
    """An invitation; for another member of the same jury ``answer_note`` and ``conflicts`` are null."""

    id: int
    session: SessionBriefOut
    member_id: int
    last_name: str
    first_name: str
    status: str
    proposed_on: date
    answered_on: date | None
    answer_note: str | None
    conflicts: list[int] | None = Field(..., description="Registrations the member declared a link with (R-64).")


class InviteIn(Schema):
    member_id: Id


class NoteIn(Schema):
    note: Note = ""


class ConflictIn(Schema):
    registration_id: Id
    note: Note = ""


class ConvocationOut(Schema):
    id: int
    reference: str
    session_id: int
    addressee: str = Field(..., description="candidate or jury.")
    registration_id: int | None
    assignment_id: int | None
    name: str
    email: str
    status: DeliveryStatus
    attempts: int
    error: str
    queued_at: datetime
    sent_at: datetime | None
    rendered: bool = Field(..., description="Whether the PDF is stored (GET .../pdf).")


class IncidentIn(Schema):
    kind: IncidentKind
    text: str = Field(..., min_length=1, max_length=5000)
    occurred_on: date | None = Field(None, description="Today if not given.")
    registration_id: Id | None = None


class IncidentOut(Schema):
    id: int
    session_id: int
    kind: str
    text: str
    occurred_on: date
    registration_id: int | None
    recorded_at: datetime


class PlannedLineIn(Schema):
    kind: SessionKind
    title: str = Field(..., min_length=1, max_length=20)
    version: str = Field(..., min_length=1, max_length=16)
    month: int = Field(..., ge=1, le=12)
    expected_candidates: SmallCount


class ProgrammeIn(Schema):
    lines: list[PlannedLineIn] = Field(..., max_length=500)


class PlannedLineOut(Schema):
    kind: str
    title: str
    version: str
    month: int
    expected_candidates: int


class ProgrammeOut(Schema):
    id: int
    centre_id: int
    centre: str
    year: int
    status: str
    sent_on: date | None
    lines: list[PlannedLineOut]


class ProgrammeFilter(Schema):
    year: Year | None = None
    centre_id: Id | None = None
    status: ProgrammeStatus | None = None


# Who reads: the answers shaped for the caller ------------------------------------------------------

STAFF, JURY, CANDIDATE = "staff", "jury", "candidate"


def _reader(user: Any, session: ExamSession) -> str:
    """How the caller sees a session they may read: as its centre or authority (or national), as one of
    its jury members (invited or accepted: one who declined or was withdrawn no longer sees the candidates),
    or as one of its candidates."""
    scope = scope_of(user)
    if scope.national or session.centre_id in scope.centres or session.centre.authority_id in scope.authorities:
        return STAFF
    busy = session.jury.filter(member_id__in=scope.jury_members, status__in=BUSY_JURY_STATES)
    if scope.jury_members and busy.exists():
        return JURY
    return CANDIDATE


def _summary(session: ExamSession, registered: int, jury_accepted: int) -> dict[str, Any]:
    return {
        "id": session.pk,
        "number": session.number,
        "kind": session.kind,
        "status": session.status,
        "title": session.version.title.code,
        "version": session.version.label,
        "centre_id": session.centre_id,
        "centre": session.centre.code,
        "site_address": session.site_address,
        "first_day": session.first_day,
        "last_day": session.last_day,
        "opens_at": session.opens_at,
        "closes_at": session.closes_at,
        "capacity": session.capacity,
        "remote": session.remote,
        "registered": registered,
        "jury_accepted": jury_accepted,
    }


def _brief(session: ExamSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "number": session.number,
        "kind": session.kind,
        "status": session.status,
        "title": session.version.title.code,
        "version": session.version.label,
        "centre": session.centre.code,
        "site_address": session.site_address,
        "first_day": session.first_day,
        "last_day": session.last_day,
        "opens_at": session.opens_at,
        "closes_at": session.closes_at,
    }


def _registration(registration: Registration) -> dict[str, Any]:
    """A registration in full: for the centre, the authority, and the candidate themself."""
    candidate = registration.candidate
    return {
        "id": registration.pk,
        "session_id": registration.session_id,
        "candidate_id": candidate.pk,
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "given_names": candidate.given_names,
        "email": candidate.email,
        "phone": candidate.phone,
        "status": registration.status,
        "registered_on": registration.registered_on,
        "withdrawn_on": registration.withdrawn_on,
        "withdraw_reason": registration.withdraw_reason,
        "ccps": sorted(ccp.number for ccp in registration.ccps.all()),
        "final_interview_due": registration.final_interview_due,
        "accommodations": sorted({kind for a in registration.accommodations.all() for kind in a.kinds}),
        "attendance": registration.attendance,
        "arrived_at": registration.arrived_at,
        "attendance_note": registration.attendance_note,
        "portfolio_handed_in": registration.portfolio_handed_in,
    }


def _registration_names(registration: Registration) -> dict[str, Any]:
    """What a jury member gets of a registration: who, nothing more."""
    candidate = registration.candidate
    hidden = dict.fromkeys(
        (
            "candidate_id",
            "email",
            "phone",
            "registered_on",
            "withdrawn_on",
            "withdraw_reason",
            "ccps",
            "final_interview_due",
            "accommodations",
            "attendance",
            "arrived_at",
            "attendance_note",
            "portfolio_handed_in",
        )
    )
    return {
        "id": registration.pk,
        "session_id": registration.session_id,
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "given_names": candidate.given_names,
        "status": registration.status,
        **hidden,
    }


def _registrations_for(user: Any, session: ExamSession, reader: str) -> list[dict[str, Any]]:
    registrations = queries.registrations_of(session)
    if reader == JURY:
        return [_registration_names(r) for r in registrations.filter(status=RegistrationStatus.REGISTERED)]
    if reader == CANDIDATE:
        registrations = registrations.filter(candidate_id__in=scope_of(user).candidates)
    return [_registration(r) for r in registrations]


def _moves(user: Any, session: ExamSession) -> list[dict[str, Any]]:
    return [
        {"move": name, "allowed": answer.allowed, "code": answer.code, "message": answer.message}
        for name, answer in SESSION.offered(user, session).items()
    ]


def _session_out(user: Any, session: ExamSession) -> dict[str, Any]:
    """The session as the caller may see it, with its registrations and the moves offered to them."""
    reader = _reader(user, session)
    registrations = _registrations_for(user, session, reader)
    registered = session.registrations.filter(status=RegistrationStatus.REGISTERED).count()
    accepted = session.jury.filter(status=JuryStatus.ACCEPTED).count()
    return _summary(session, registered, accepted) | {
        "ccps": sorted(ccp.number for ccp in session.ccps.all()),
        "ccs": session.ccs.code if session.ccs else None,
        "extension": session.extension,
        "declared_on": session.declared_on,
        "convened_on": session.convened_on,
        "held_on": session.held_on,
        "ended_on": session.ended_on,
        "end_reason": session.end_reason,
        "workstations": session.workstations,
        "lunch_starts_at": session.lunch_starts_at,
        "lunch_ends_at": session.lunch_ends_at,
        "registrations": registrations,
        "moves": _moves(user, session),
    }


def _jury(assignment: JuryAssignment, *, in_full: bool) -> dict[str, Any]:
    member = assignment.member
    return {
        "id": assignment.pk,
        "session": _brief(assignment.session),
        "member_id": member.pk,
        "last_name": member.last_name,
        "first_name": member.first_name,
        "status": assignment.status,
        "proposed_on": assignment.proposed_on,
        "answered_on": assignment.answered_on,
        "answer_note": assignment.answer_note if in_full else None,
        "conflicts": sorted(c.registration_id for c in assignment.declared_conflicts.all()) if in_full else None,
    }


def _convocation(convocation: Convocation) -> dict[str, Any]:
    if convocation.registration_id is not None:
        addressee, name = "candidate", str(convocation.registration.candidate)  # type: ignore[union-attr]
    else:
        addressee, name = "jury", str(convocation.assignment.member)  # type: ignore[union-attr]
    return {
        "id": convocation.pk,
        "reference": convocation.reference,
        "session_id": convocation.session_id,
        "addressee": addressee,
        "registration_id": convocation.registration_id,
        "assignment_id": convocation.assignment_id,
        "name": name,
        "email": convocation.email,
        "status": convocation.status,
        "attempts": convocation.attempts,
        "error": convocation.error,
        "queued_at": convocation.queued_at,
        "sent_at": convocation.sent_at,
        "rendered": bool(convocation.pdf),
    }


def _programme(programme: Programme) -> dict[str, Any]:
    return {
        "id": programme.pk,
        "centre_id": programme.centre_id,
        "centre": programme.centre.code,
        "year": programme.year,
        "status": programme.status,
        "sent_on": programme.sent_on,
        "lines": [
            {
                "kind": line.kind,
                "title": line.version.title.code,
                "version": line.version.label,
                "month": line.month,
                "expected_candidates": line.expected_candidates,
            }
            for line in programme.planned.select_related("version__title")
        ],
    }


# Lookups: the scoped querysets of who may act ---------------------------------------------------


def _visible(request: HttpRequest, session_id: int) -> ExamSession:
    return get_scoped_or_404(queries.visible_sessions(request.user), pk=session_id)


def _managed(request: HttpRequest, session_id: int) -> ExamSession:
    """A session of the caller's centres (every one for a national administrator); 403 for other roles."""
    return get_scoped_or_404(queries.managed_sessions(request.user), pk=session_id)


def _managed_registration(request: HttpRequest, registration_id: int) -> Registration:
    registrations = Registration.objects.select_related("session", "candidate")
    return get_scoped_or_404(
        registrations.filter(session__in=queries.managed_sessions(request.user)), pk=registration_id
    )


def _managed_assignment(request: HttpRequest, assignment_id: int) -> JuryAssignment:
    assignments = JuryAssignment.objects.select_related("session", "member")
    return get_scoped_or_404(assignments.filter(session__in=queries.managed_sessions(request.user)), pk=assignment_id)


def _version(title: str, label: str, field: str) -> TitleVersion:
    version = TitleVersion.objects.select_related("title").filter(title__code=title, label=label).first()
    if version is None:
        raise NotFound(
            "version_not_found", _("Title %(code)s has no version %(label)s.") % {"code": title, "label": label}, field
        )
    return version


def _ccps(version: TitleVersion, numbers: list[int]) -> list[CCP]:
    found = {ccp.number: ccp for ccp in CCP.objects.filter(version=version, number__in=numbers)}
    for number in numbers:
        if number not in found:
            raise NotFound(
                "ccp_not_found",
                _("Version %(label)s of title %(code)s has no CCP %(number)d.")
                % {"label": version.label, "code": version.title.code, "number": number},
                "ccps",
            )
    return [found[number] for number in dict.fromkeys(numbers)]


def _ccs(version: TitleVersion, code: str | None) -> CCS | None:
    if code is None:
        return None
    ccs = CCS.objects.filter(version=version, code=code).first()
    if ccs is None:
        raise NotFound(
            "ccs_not_found",
            _("Version %(label)s of title %(code)s has no CCS %(ccs)s.")
            % {"label": version.label, "code": version.title.code, "ccs": code},
            "ccs",
        )
    return ccs


def _candidate_not_found() -> NotFound:
    return NotFound("candidate_not_found", _("No such candidate in your centres."), "candidate_id")


# Sessions ---------------------------------------------------------------------------------------


@router.get(
    "",
    response={200: list[SessionSummaryOut], **READ_ERRORS},
    url_name="sessions_list",
    summary="Sessions the caller may see",
)
@paginate(SessionPagination)
def list_sessions(request: HttpRequest, filters: Query[SessionFilter]) -> QuerySet[ExamSession]:
    """The sessions of the caller's centres or authorities (every one for a national administrator), those
    a jury member is invited to, those a candidate is registered for; by first day. The filters combine:
    ``starts_from`` and ``ends_by`` keep the sessions that have a day in that period."""
    sessions = queries.visible_sessions(request.user)
    if filters.status is not None:
        sessions = sessions.filter(status=filters.status)
    if filters.centre_id is not None:
        sessions = sessions.filter(centre_id=filters.centre_id)
    if filters.title:
        sessions = sessions.filter(version__title__code=filters.title)
    if filters.starts_from is not None:
        sessions = sessions.filter(last_day__gte=filters.starts_from)
    if filters.ends_by is not None:
        sessions = sessions.filter(first_day__lte=filters.ends_by)
    return queries.with_counts(sessions).order_by("first_day", "number", "pk")


@router.get(
    "/{int:session_id}",
    response={200: SessionOut, **READ_ERRORS},
    url_name="sessions_detail",
    summary="One session, with its registrations and the moves offered to the caller",
)
def get_session(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """Candidates see only their own registration, jury members the names of the registered candidates."""
    session = _visible(request, session_id)
    return Status(200, _session_out(request.user, session))


@router.post(
    "",
    response={201: SessionOut, **WRITE_ERRORS},
    url_name="sessions_create",
    summary="Create a session (centre staff)",
)
def create_session(request: HttpRequest, payload: SessionIn) -> Status[dict[str, Any]]:
    """A session being prepared (R-41), covered by an approval of the centre for the version on every day
    (R-08, R-30, R-33). The version is named by its title's code and its label, as in ``/titles``."""
    centre = get_scoped_or_404(managed_centres(request.user), pk=payload.centre_id)
    version = _version(payload.title, payload.version, "version")
    session = services.create_session(
        request.user,
        centre,
        kind=payload.kind,
        version=version,
        first_day=payload.first_day,
        last_day=payload.last_day,
        site_address=payload.site_address,
        capacity=payload.capacity,
        ccps=_ccps(version, payload.ccps),
        ccs=_ccs(version, payload.ccs),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        remote=payload.remote,
        workstations=payload.workstations,
        lunch_starts_at=payload.lunch_starts_at,
        lunch_ends_at=payload.lunch_ends_at,
    )
    return Status(201, _session_out(request.user, session))


@router.post(
    "/{int:session_id}/declare",
    response={200: SessionOut, **WRITE_ERRORS},
    url_name="sessions_declare",
    summary="Declare a session to the authority (centre staff)",
)
def declare_session(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """The approval it runs under is fixed now (R-08, R-30, R-41)."""
    session = services.declare_session(request.user, _managed(request, session_id))
    return Status(200, _session_out(request.user, session))


@router.post(
    "/{int:session_id}/convene",
    response={200: SessionOut, **WRITE_ERRORS},
    url_name="sessions_convene",
    summary="Send the convocations (centre staff)",
)
def convene_session(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """The jury is complete and free of conflict (R-63, R-64) and it is not too late (R-43): one convocation
    per registered candidate and accepted jury member, sent by the task worker."""
    session = services.convene(request.user, _managed(request, session_id))
    return Status(200, _session_out(request.user, session))


@router.post(
    "/{int:session_id}/hold",
    response={200: SessionOut, **WRITE_ERRORS},
    url_name="sessions_hold",
    summary="Record a session as held (centre staff)",
)
def hold_session(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """From its first day (R-45); the deliberation follows."""
    session = services.hold_session(request.user, _managed(request, session_id))
    return Status(200, _session_out(request.user, session))


@router.post(
    "/{int:session_id}/cancel",
    response={200: SessionOut, **WRITE_ERRORS},
    url_name="sessions_cancel",
    summary="Cancel a session before its first day (centre staff)",
)
def cancel_session(request: HttpRequest, session_id: Id, payload: ReasonIn) -> Status[dict[str, Any]]:
    """The people already convened are told."""
    session = services.cancel_session(request.user, _managed(request, session_id), reason=payload.reason)
    return Status(200, _session_out(request.user, session))


@router.post(
    "/{int:session_id}/annul",
    response={200: SessionOut, **WRITE_ERRORS},
    url_name="sessions_annul",
    summary="Annul a session by a reasoned decision (authority agent)",
)
def annul_session(request: HttpRequest, session_id: Id, payload: ReasonIn) -> Status[dict[str, Any]]:
    """R-81: the centre, the candidates and the jury are told."""
    session = get_scoped_or_404(queries.authority_sessions(request.user), pk=session_id)
    session = services.annul_session(request.user, session, reason=payload.reason)
    return Status(200, _session_out(request.user, session))


# Registrations ----------------------------------------------------------------------------------


@router.get(
    "/{int:session_id}/registrations",
    response={200: list[RegistrationOut], **READ_ERRORS},
    url_name="sessions_registration_list",
    summary="The registrations of a session, as the caller may see them",
)
def list_registrations(request: HttpRequest, session_id: Id) -> Status[list[dict[str, Any]]]:
    """Every registration for the centre and the authority; a candidate's own; the names of the registered
    candidates for a jury member of the session."""
    session = _visible(request, session_id)
    return Status(200, _registrations_for(request.user, session, _reader(request.user, session)))


@router.post(
    "/{int:session_id}/registrations",
    response={201: RegistrationOut, **WRITE_ERRORS},
    url_name="sessions_register",
    summary="Register a candidate (centre staff)",
)
def register(request: HttpRequest, session_id: Id, payload: RegistrationIn) -> Status[dict[str, Any]]:
    """The rules decide on the session's dates (R-02 to R-22); capacity and overlapping sessions are checked.
    A duplicate answers 409."""
    session = _managed(request, session_id)
    candidate = managed_candidates(request.user).filter(pk=payload.candidate_id).first()
    if candidate is None:
        raise _candidate_not_found()
    registration = services.register(request.user, session, candidate, ccps=_ccps(session.version, payload.ccps))
    return Status(201, _registration(queries.registrations_of(session).get(pk=registration.pk)))


@router.post(
    "/{int:session_id}/registrations/batch",
    response={200: BatchOut, **WRITE_ERRORS},
    url_name="sessions_register_batch",
    summary="Register several candidates at once (centre staff)",
)
def register_batch(request: HttpRequest, session_id: Id, payload: BatchIn) -> Status[dict[str, Any]]:
    """Each candidate is registered or refused with the rule's code and message (200 either way): a refusal
    leaves the others registered."""
    session = _managed(request, session_id)
    found: dict[int, Candidate] = {
        c.pk: c for c in managed_candidates(request.user).filter(pk__in=payload.candidate_ids)
    }
    known = [pk for pk in payload.candidate_ids if pk in found]
    outcomes = iter(services.register_many(request.user, session, [found[pk] for pk in known]))
    missing = _candidate_not_found()
    results = []
    for pk in payload.candidate_ids:
        if pk not in found:
            results.append(
                {"candidate_id": pk, "registered": False, "registration_id": None, "code": missing.code}
                | {"message": missing.message}
            )
            continue
        outcome = next(outcomes)
        registration, refusal = outcome.registration, outcome.refusal
        results.append(
            {
                "candidate_id": pk,
                "registered": registration is not None,
                "registration_id": registration.pk if registration is not None else None,
                "code": refusal.code if refusal is not None else None,
                "message": refusal.message if refusal is not None else None,
            }
        )
    registered = sum(1 for result in results if result["registered"])
    return Status(200, {"registered": registered, "refused": len(results) - registered, "results": results})


@router.post(
    "/registrations/{int:registration_id}/withdraw",
    response={200: RegistrationOut, **WRITE_ERRORS},
    url_name="sessions_registration_withdraw",
    summary="Withdraw a registration before the session (centre staff)",
)
def withdraw_registration(request: HttpRequest, registration_id: Id, payload: ReasonIn) -> Status[dict[str, Any]]:
    """The registration stays in the history with its reason; a convocation still queued is not sent."""
    registration = services.withdraw_registration(
        request.user, _managed_registration(request, registration_id), reason=payload.reason
    )
    return Status(200, _registration(queries.registrations_of(registration.session).get(pk=registration.pk)))


@router.post(
    "/registrations/{int:registration_id}/attendance",
    response={200: RegistrationOut, **WRITE_ERRORS},
    url_name="sessions_registration_attendance",
    summary="Record a candidate's attendance on the session day (centre staff)",
)
def record_attendance(request: HttpRequest, registration_id: Id, payload: AttendanceIn) -> Status[dict[str, Any]]:
    """Present, absent, late and admitted, or late and not admitted (R-45); from the first day of a convened
    session."""
    registration = services.record_attendance(
        request.user,
        _managed_registration(request, registration_id),
        attendance=payload.attendance.value,
        arrived_at=payload.arrived_at,
        note=payload.note,
        portfolio_handed_in=payload.portfolio_handed_in,
    )
    return Status(200, _registration(queries.registrations_of(registration.session).get(pk=registration.pk)))


# The jury ---------------------------------------------------------------------------------------


def _jury_queryset() -> QuerySet[JuryAssignment]:
    return JuryAssignment.objects.select_related(
        *(f"session__{name}" for name in queries.SESSION_RELATED), "member"
    ).prefetch_related("declared_conflicts")


def _jury_out(assignment: JuryAssignment) -> dict[str, Any]:
    row = _jury_queryset().get(pk=assignment.pk)
    return _jury(row, in_full=True)


@router.get(
    "/{int:session_id}/jury",
    response={200: list[JuryOut], **READ_ERRORS},
    url_name="sessions_jury_list",
    summary="The jury of a session",
)
def list_jury(request: HttpRequest, session_id: Id) -> Status[list[dict[str, Any]]]:
    """For the centre and the authority, every invitation; for a jury member invited to the session or who
    accepted, the names and answers of the others invited or accepted (their own in full). Not for
    candidates, nor for a member who declined or was withdrawn."""
    session = _visible(request, session_id)
    reader = _reader(request.user, session)
    if reader == CANDIDATE:
        raise PermissionDenied
    own = scope_of(request.user).jury_members
    rows = _jury_queryset().filter(session=session).order_by("status", "member__last_name", "member__first_name")
    if reader == JURY:
        rows = rows.filter(status__in=BUSY_JURY_STATES) | rows.filter(member_id__in=own)
    return Status(200, [_jury(a, in_full=reader == STAFF or a.member_id in own) for a in rows])


@router.post(
    "/{int:session_id}/jury",
    response={201: JuryOut, **WRITE_ERRORS},
    url_name="sessions_jury_invite",
    summary="Invite a jury member (centre staff)",
)
def invite_member(request: HttpRequest, session_id: Id, payload: InviteIn) -> Status[dict[str, Any]]:
    """A member habilitated for the session's title on every one of its days (R-62), free on those days.
    Only members habilitated for the title are found (else 404 ``member_not_found``)."""
    session = _managed(request, session_id)
    member = (
        JuryMember.objects.filter(pk=payload.member_id, habilitations__title_id=session.version.title_id)
        .distinct()
        .first()
    )
    if member is None:
        raise NotFound("member_not_found", _("No jury member habilitated for this title has this id."), "member_id")
    assignment = services.invite_member(request.user, session, member)
    return Status(201, _jury_out(assignment))


def _own_assignment(request: HttpRequest, assignment_id: int) -> JuryAssignment:
    return get_scoped_or_404(queries.own_assignments(request.user), pk=assignment_id)


@router.post(
    "/jury/{int:assignment_id}/accept",
    response={200: JuryOut, **WRITE_ERRORS},
    url_name="sessions_jury_accept",
    summary="Accept an invitation (the jury member invited)",
)
def accept_invitation(request: HttpRequest, assignment_id: Id, payload: NoteIn) -> Status[dict[str, Any]]:
    """Still habilitated on every day of the session (R-62), before the session."""
    assignment = services.answer_invitation(
        request.user, _own_assignment(request, assignment_id), accept=True, note=payload.note
    )
    return Status(200, _jury_out(assignment))


@router.post(
    "/jury/{int:assignment_id}/decline",
    response={200: JuryOut, **WRITE_ERRORS},
    url_name="sessions_jury_decline",
    summary="Decline an invitation (the jury member invited)",
)
def decline_invitation(request: HttpRequest, assignment_id: Id, payload: NoteIn) -> Status[dict[str, Any]]:
    assignment = services.answer_invitation(
        request.user, _own_assignment(request, assignment_id), accept=False, note=payload.note
    )
    return Status(200, _jury_out(assignment))


@router.post(
    "/jury/{int:assignment_id}/withdraw",
    response={200: JuryOut, **WRITE_ERRORS},
    url_name="sessions_jury_withdraw",
    summary="Withdraw an invitation (centre staff)",
)
def withdraw_member(request: HttpRequest, assignment_id: Id, payload: NoteIn) -> Status[dict[str, Any]]:
    """Until the convocations are sent; after, the jury changes by cancelling or annulling the session."""
    assignment = services.withdraw_member(
        request.user, _managed_assignment(request, assignment_id), reason=payload.note
    )
    return Status(200, _jury_out(assignment))


@router.post(
    "/jury/{int:assignment_id}/conflicts",
    response={200: JuryOut, **WRITE_ERRORS},
    url_name="sessions_jury_conflict",
    summary="Declare a conflict of interest with one candidate (the jury member, or centre staff)",
)
def declare_conflict(request: HttpRequest, assignment_id: Id, payload: ConflictIn) -> Status[dict[str, Any]]:
    """R-64: the member no longer evaluates that candidate. Declaring it again changes nothing."""
    assignments = scoped(request.user, _jury_queryset(), centre="session__centre", jury_member="member")
    assignment = get_scoped_or_404(assignments, pk=assignment_id)
    registration = Registration.objects.filter(session_id=assignment.session_id, pk=payload.registration_id).first()
    if registration is None:
        raise NotFound("registration_not_found", _("No registration of this session has this id."), "registration_id")
    services.declare_conflict(request.user, assignment, registration, note=payload.note)
    return Status(200, _jury_out(assignment))


@router.get(
    "/jury/invitations",
    response={200: list[JuryOut], **READ_ERRORS},
    url_name="sessions_jury_invitations",
    summary="The caller's own invitations (jury member)",
)
def own_invitations(request: HttpRequest) -> Status[list[dict[str, Any]]]:
    """Every invitation of the jury member the caller is, the latest sessions first."""
    rows = (
        queries.own_assignments(request.user)
        .prefetch_related("declared_conflicts")
        .order_by("-first_day", "session__number", "pk")
    )
    return Status(200, [_jury(a, in_full=True) for a in rows])


# Convocations -----------------------------------------------------------------------------------


@router.get(
    "/{int:session_id}/convocations",
    response={200: list[ConvocationOut], **READ_ERRORS},
    url_name="sessions_convocation_list",
    summary="The convocations of a session and their delivery (centre staff)",
)
def list_convocations(request: HttpRequest, session_id: Id) -> Status[list[dict[str, Any]]]:
    """Queued, sent, failed (with the last error and the attempts) or cancelled."""
    session = _managed(request, session_id)
    return Status(200, [_convocation(c) for c in queries.convocations_of(session).order_by("pk")])


@router.post(
    "/convocations/{int:convocation_id}/resend",
    response={200: ConvocationOut, **WRITE_ERRORS},
    url_name="sessions_convocation_resend",
    summary="Send a convocation again (centre staff)",
)
def resend_convocation(request: HttpRequest, convocation_id: Id) -> Status[dict[str, Any]]:
    """A sent or failed convocation of a session still convened; the worker sends it once this is saved."""
    convocations = Convocation.objects.filter(session__in=queries.managed_sessions(request.user))
    convocation = services.resend(request.user, get_scoped_or_404(convocations, pk=convocation_id))
    return Status(200, _convocation(queries.convocations_of(convocation.session).get(pk=convocation.pk)))


_PDF = {
    "description": "The convocation as it was sent.",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


@router.get(
    "/convocations/{int:convocation_id}/pdf",
    response=READ_ERRORS,
    url_name="sessions_convocation_pdf",
    summary="The PDF of a convocation (centre staff, or the person convened)",
    openapi_extra={"responses": {200: _PDF}},
)
def convocation_pdf(request: HttpRequest, convocation_id: Id) -> FileResponse:
    """404 ``convocation_not_rendered`` until the worker has rendered it."""
    convocations = scoped(
        request.user,
        Convocation.objects.all(),
        centre="session__centre",
        candidate="registration__candidate",
        jury_member="assignment__member",
    )
    convocation = get_scoped_or_404(convocations, pk=convocation_id)
    name = convocation.pdf.name
    if not name or not convocation.pdf.storage.exists(name):
        raise NotFound("convocation_not_rendered", _("This convocation has not been rendered yet."))
    return FileResponse(
        convocation.pdf.open("rb"), content_type="application/pdf", filename=f"convocation-{convocation.reference}.pdf"
    )


# The session day --------------------------------------------------------------------------------


@router.post(
    "/{int:session_id}/incidents",
    response={201: IncidentOut, **WRITE_ERRORS},
    url_name="sessions_incident_create",
    summary="Record an incident, an irregularity or a fraud report (centre staff)",
)
def record_incident(request: HttpRequest, session_id: Id, payload: IncidentIn) -> Status[Incident]:
    """On a day of a convened or held session, not after today (R-45, R-80, R-81)."""
    session = _managed(request, session_id)
    registration = None
    if payload.registration_id is not None:
        registration = session.registrations.filter(pk=payload.registration_id).first()
        if registration is None:
            raise NotFound(
                "registration_not_found", _("No registration of this session has this id."), "registration_id"
            )
    incident = services.record_incident(
        request.user,
        session,
        kind=payload.kind,
        text=payload.text,
        occurred_on=payload.occurred_on,
        registration=registration,
    )
    return Status(201, incident)


# The yearly programme (R-40) ---------------------------------------------------------------------


def _readable_programmes(user: Any) -> QuerySet[Programme]:
    return scoped(user, Programme.objects.select_related("centre"), centre="centre", authority="centre__authority")


@router.get(
    "/programmes",
    response={200: list[ProgrammeOut], **READ_ERRORS},
    url_name="sessions_programme_list",
    summary="Session programmes (centre staff: theirs; authority agents: their départements')",
)
def list_programmes(request: HttpRequest, filters: Query[ProgrammeFilter]) -> Status[list[dict[str, Any]]]:
    """The yearly forecasts of sessions (R-40), the latest year first."""
    programmes = _readable_programmes(request.user)
    if filters.year is not None:
        programmes = programmes.filter(year=filters.year)
    if filters.centre_id is not None:
        programmes = programmes.filter(centre_id=filters.centre_id)
    if filters.status is not None:
        programmes = programmes.filter(status=filters.status)
    return Status(200, [_programme(p) for p in programmes.order_by("-year", "centre__code", "pk")])


@router.put(
    "/programmes/{int:centre_id}/{int:year}",
    response={200: ProgrammeOut, **WRITE_ERRORS},
    url_name="sessions_programme_save",
    summary="Save a centre's programme for a year (centre staff)",
)
def save_programme(request: HttpRequest, centre_id: Id, year: Year, payload: ProgrammeIn) -> Status[dict[str, Any]]:
    """Replaces the lines of a programme not sent yet; each line names its version as ``/titles`` does."""
    centre = get_scoped_or_404(managed_centres(request.user), pk=centre_id)
    lines = [
        services.PlannedLine(
            kind=line.kind,
            version=_version(line.title, line.version, f"lines.{number}.version"),
            month=line.month,
            expected_candidates=line.expected_candidates,
        )
        for number, line in enumerate(payload.lines)
    ]
    programme = services.save_programme(request.user, centre, year, lines)
    return Status(200, _programme(programme))


@router.post(
    "/programmes/{int:programme_id}/send",
    response={200: ProgrammeOut, **WRITE_ERRORS},
    url_name="sessions_programme_send",
    summary="Send a programme to the authority (centre staff)",
)
def send_programme(request: HttpRequest, programme_id: Id) -> Status[dict[str, Any]]:
    """Before 31 January (R-40); a late sending is recorded as late, not refused. Final once sent."""
    programme = get_scoped_or_404(queries.managed_programmes(request.user), pk=programme_id)
    return Status(200, _programme(services.send_programme(request.user, programme)))
