"""``/api/v1/sessions/{id}/planning``: a session's timetable read, computed, its resources saved, a part moved.

Thin over ``services`` as the planning page is (``services.plan_session``, ``set_planning_resources``,
``move_slot``: one transaction each, the whole planning checked again by ``rules.timetable.check``). A
planning that cannot exist, or a move that breaks a rule, is 422 with the rule's code and the French
message naming the constraint, the people or resources and what would make it possible.

What each reader gets: the centre, the authority and the national administrator every part; a jury member
the parts they sit (the candidates' names, the other members present); a candidate their own parts, without
the jury's names. Every write is centre staff's (or the national administrator's), with a ``full`` token.
"""

from datetime import datetime
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from titrepro.accounts.api_auth import api_auth
from titrepro.accounts.permissions import get_scoped_or_404, scope_of
from titrepro.core.api import READ_ERRORS, WRITE_ERRORS, Id
from titrepro.core.refusals import NotFound
from titrepro.sessions import planning, queries, services
from titrepro.sessions.api import CANDIDATE, JURY, LocalTime, _managed, _reader, _visible
from titrepro.sessions.models import ExamSession, JuryAssignment, JuryStatus, Timetable, TimetableSlot
from titrepro.sessions.timetable import local_zone

router = Router(auth=api_auth, tags=["planning"])

Workstations = Annotated[int, Field(ge=0, le=1000, description="Workstations of the site the parts may use.")]


class PlannedJurorOut(Schema):
    assignment_id: int = Field(..., description="The jury assignment (``/sessions/{id}/jury``).")
    first_name: str
    last_name: str


class PlannedSlotOut(Schema):
    """One planned part of one candidate's tests."""

    id: int
    registration_id: int
    birth_name: str
    usual_name: str
    given_names: str
    part: str = Field(..., description="The part's key in the planning problem.")
    label: str = Field(..., description="The part as the catalogue names it.")
    position: int = Field(..., description="Its rank among the candidate's parts (R-50: the final interview last).")
    starts_at: datetime
    ends_at: datetime
    planned_start: datetime | None = Field(
        ..., description="The start planned before the candidate arrived late (the end is kept, R-45)."
    )
    workstation: int | None
    jurors: list[PlannedJurorOut] | None = Field(..., description="The jury members present; null for a candidate.")
    warning_accepted: str = Field(..., description="The warning staff accepted when they moved the part.")


class PlanningOut(Schema):
    session_id: int
    status: str = Field(..., description="optimal, or feasible (valid, not proven optimal).")
    computed_at: datetime
    edited: bool = Field(..., description="A part was moved by hand since it was computed.")
    end_minute: int = Field(..., description="The session's end, in minutes from midnight of its first day.")
    spread: int = Field(..., description="The candidates' days (first start to last end), summed, in minutes.")
    load_gap: int = Field(..., description="Minutes between the busiest and the least busy jury member.")
    end_bound: int | None = Field(..., description="No planning can end before this minute.")
    gap: float | None = Field(..., description="How far the end may be from the best possible (0: optimal).")
    seconds: float = Field(..., description="The solve time.")
    seed: int
    slots: list[PlannedSlotOut]


class ResourcesIn(Schema):
    workstations: Workstations
    lunch_starts_at: LocalTime
    lunch_ends_at: LocalTime


class ResourcesOut(Schema):
    session_id: int
    workstations: int
    lunch_starts_at: LocalTime
    lunch_ends_at: LocalTime


class MoveIn(Schema):
    start: datetime = Field(..., description="The new start; without a time zone, the site's local time.")
    accept_warning: bool = Field(False, description="Save even if the move leaves a candidate a long wait.")
    jurors: list[Id] | None = Field(
        None, max_length=20, description="Jury assignments present (accepted); not given: unchanged."
    )
    workstation: int | None = Field(
        None, ge=1, le=1000, description="The workstation; null: none; not given: unchanged."
    )


def _slots_for(user: Any, session: ExamSession, saved: Timetable) -> QuerySet[TimetableSlot]:
    slots = planning.planned_slots(saved)
    reader = _reader(user, session)
    if reader == JURY:
        return slots.filter(jurors__member_id__in=scope_of(user).jury_members).distinct()
    if reader == CANDIDATE:
        return slots.filter(registration__candidate_id__in=scope_of(user).candidates)
    return slots


def _slot(slot: TimetableSlot, *, jurors: bool = True) -> dict[str, Any]:
    candidate = slot.registration.candidate
    return {
        "id": slot.pk,
        "registration_id": slot.registration_id,
        "birth_name": candidate.birth_name,
        "usual_name": candidate.usual_name,
        "given_names": candidate.given_names,
        "part": slot.part_key,
        "label": slot.label,
        "position": slot.position,
        "starts_at": slot.starts_at,
        "ends_at": slot.ends_at,
        "planned_start": slot.planned_start,
        "workstation": slot.workstation,
        "jurors": [
            {"assignment_id": j.pk, "first_name": j.member.first_name, "last_name": j.member.last_name}
            for j in slot.jurors.all()
        ]
        if jurors
        else None,
        "warning_accepted": slot.warning_accepted,
    }


def _planning(user: Any, session: ExamSession) -> dict[str, Any]:
    saved = Timetable.objects.filter(session=session).first()
    if saved is None:
        raise NotFound("timetable_not_found", _("This session has no planning yet."))
    jurors = _reader(user, session) != CANDIDATE
    return {
        "session_id": session.pk,
        "status": saved.status,
        "computed_at": saved.computed_at,
        "edited": saved.edited,
        "end_minute": saved.end_minute,
        "spread": saved.spread,
        "load_gap": saved.load_gap,
        "end_bound": saved.end_bound,
        "gap": saved.gap,
        "seconds": saved.seconds,
        "seed": saved.seed,
        "slots": [_slot(s, jurors=jurors) for s in _slots_for(user, session, saved)],
    }


def _resources(session: ExamSession) -> dict[str, Any]:
    return {
        "session_id": session.pk,
        "workstations": session.workstations,
        "lunch_starts_at": session.lunch_starts_at,
        "lunch_ends_at": session.lunch_ends_at,
    }


@router.get(
    "/{int:session_id}/planning",
    response={200: PlanningOut, **READ_ERRORS},
    url_name="sessions_planning",
    summary="A session's planning, as the caller may see it",
)
def get_planning(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """404 ``timetable_not_found`` until it is computed. Jury members get the parts they sit, candidates theirs."""
    return Status(200, _planning(request.user, _visible(request, session_id)))


@router.post(
    "/{int:session_id}/planning/compute",
    response={200: PlanningOut, **WRITE_ERRORS},
    url_name="sessions_planning_compute",
    summary="Compute the session's planning in place of the previous one (centre staff)",
)
def compute_planning(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    """Within the solver's time limit; when no planning exists, 422 names the constraint and the people or
    resources and says what would make it possible, and the previous planning stays."""
    session = _managed(request, session_id)
    services.plan_session(request.user, session, settings=planning.solver_settings())
    return Status(200, _planning(request.user, session))


@router.get(
    "/{int:session_id}/planning/resources",
    response={200: ResourcesOut, **READ_ERRORS},
    url_name="sessions_planning_resources",
    summary="The workstations and the lunch break the planning is computed with (centre staff)",
)
def get_resources(request: HttpRequest, session_id: Id) -> Status[dict[str, Any]]:
    return Status(200, _resources(_managed(request, session_id)))


@router.put(
    "/{int:session_id}/planning/resources",
    response={200: ResourcesOut, **WRITE_ERRORS},
    url_name="sessions_planning_resources_save",
    summary="Save the workstations and the lunch break (centre staff)",
)
def save_resources(request: HttpRequest, session_id: Id, payload: ResourcesIn) -> Status[dict[str, Any]]:
    """A lunch break of at least 45 minutes within the opening hours; the saved planning stays as it is
    (compute it again to take the change into account)."""
    session = services.set_planning_resources(
        request.user,
        _managed(request, session_id),
        workstations=payload.workstations,
        lunch_starts_at=payload.lunch_starts_at,
        lunch_ends_at=payload.lunch_ends_at,
    )
    return Status(200, _resources(session))


@router.post(
    "/planning/slots/{int:slot_id}/move",
    response={200: PlannedSlotOut, **WRITE_ERRORS},
    url_name="sessions_planning_slot_move",
    summary="Move a part, or change its jury members or workstation (centre staff)",
)
def move_slot(request: HttpRequest, slot_id: Id, payload: MoveIn) -> Status[dict[str, Any]]:
    """Its duration is kept; the whole planning is checked again: a rule broken (a jury member in two places,
    a workstation taken, the order of the parts) is 422 naming the rule and the people; a long wait for the
    candidate is 422 ``timetable_warning`` unless ``accept_warning``."""
    slots = TimetableSlot.objects.filter(timetable__session__in=queries.managed_sessions(request.user))
    slot = get_scoped_or_404(slots.select_related("timetable__session"), pk=slot_id)
    start = payload.start if payload.start.tzinfo is not None else payload.start.replace(tzinfo=local_zone())
    changes: dict[str, Any] = {}
    if payload.jurors is not None:
        accepted = {
            a.pk: a
            for a in JuryAssignment.objects.filter(
                session=slot.timetable.session, status=JuryStatus.ACCEPTED, pk__in=payload.jurors
            )
        }
        for number, pk in enumerate(payload.jurors):
            if pk not in accepted:
                raise NotFound(
                    "jury_assignment_not_found",
                    _("No jury member who accepted this session has this assignment id."),
                    f"jurors.{number}",
                )
        changes["jurors"] = [accepted[pk] for pk in dict.fromkeys(payload.jurors)]
    if "workstation" in payload.model_fields_set:
        changes["workstation"] = payload.workstation
    moved = services.move_slot(request.user, slot, start=start, accept_warning=payload.accept_warning, **changes)
    return Status(200, _slot(planning.planned_slots(moved.timetable).get(pk=moved.pk)))
