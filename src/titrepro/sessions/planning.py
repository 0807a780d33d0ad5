"""A saved planning as people read it: by day, in time order, with the same facts on the page's table, on its
timeline (``core.timeline``), in the printed planning (``core/typst/planning.typ``) and in the order of the
sign-in sheet. Nothing here decides: the rules are ``rules.timetable``, the changes ``sessions.services``."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from titrepro.core import timeline
from titrepro.core.dating import document_date
from titrepro.rules.timetable_solver import Settings
from titrepro.sessions.convocations import authority_block, clock, day_label, page_label, session_block
from titrepro.sessions.models import ExamSession, JuryAssignment, Registration, Timetable, TimetableSlot
from titrepro.sessions.timetable import Accommodations, accommodations_of, local_zone, minutes_of


def solver_settings() -> Settings:
    """The solver's settings for a page or an API call: its time limit is the setting
    ``TITREPRO_TIMETABLE_SECONDS`` (10 by default)."""
    return Settings(seconds=float(getattr(settings, "TITREPRO_TIMETABLE_SECONDS", 10)))


@dataclass
class PlannedPart:
    """One saved slot, in local time, with its jury members."""

    slot: TimetableSlot
    start: datetime
    end: datetime
    jurors: list[JuryAssignment]

    @property
    def kind(self) -> str:
        """How the timeline colours it: before the jury, on a workstation, or alone."""
        if self.jurors:
            return "jury"
        return "workstation" if self.slot.workstation else "alone"

    def minutes(self) -> tuple[int, int]:
        return minutes_of(self.start.time()), minutes_of(self.end.time())


@dataclass
class PlannedDay:
    day: date
    parts: list[PlannedPart] = field(default_factory=list)


def planned_slots(timetable: Timetable) -> QuerySet[TimetableSlot]:
    return (
        timetable.slots.select_related("registration__candidate")
        .prefetch_related("jurors__member", "registration__accommodations")
        .order_by(
            "starts_at", "registration__candidate__birth_name", "registration__candidate__given_names", "position"
        )
    )


def by_day(slots: Iterable[TimetableSlot]) -> list[PlannedDay]:
    """The slots grouped by local day, each day in time order (the order ``slots`` come in)."""
    zone = local_zone()
    days: dict[date, PlannedDay] = {}
    for slot in slots:
        start, end = slot.starts_at.astimezone(zone), slot.ends_at.astimezone(zone)
        days.setdefault(start.date(), PlannedDay(start.date())).parts.append(
            PlannedPart(slot, start, end, list(slot.jurors.all()))
        )
    return [days[day] for day in sorted(days)]


def _candidate_label(registration: Registration) -> str:
    candidate = registration.candidate
    return f"{candidate.birth_name.upper()} {candidate.given_names}"


def _member_label(assignment: JuryAssignment) -> str:
    return f"{assignment.member.first_name} {assignment.member.last_name.upper()}"


def day_timeline(session: ExamSession, day: PlannedDay) -> timeline.Timeline:
    """The day drawn: a row per candidate, then per jury member, then per workstation used."""
    candidates: dict[int, list[timeline.Bar]] = {}
    names: dict[int, str] = {}
    jurors: dict[int, list[timeline.Bar]] = {}
    juror_names: dict[int, str] = {}
    stations: dict[int, list[timeline.Bar]] = {}
    for part in day.parts:
        start, end = part.minutes()
        registration = part.slot.registration
        who = _candidate_label(registration)
        hours = f"{clock(part.start.time())} – {clock(part.end.time())}"
        names[registration.pk] = who
        title = f"{who} · {hours} · {part.slot.label}"
        candidates.setdefault(registration.pk, []).append(timeline.Bar(start, end, part.slot.label, title, part.kind))
        for juror in part.jurors:
            juror_names[juror.pk] = _member_label(juror)
            jurors.setdefault(juror.pk, []).append(timeline.Bar(start, end, who, title, "busy"))
        if part.slot.workstation:
            stations.setdefault(part.slot.workstation, []).append(timeline.Bar(start, end, who, title, "workstation"))
    rows = [timeline.Row(names[pk], tuple(bars), "candidates") for pk, bars in candidates.items()]
    rows += [
        timeline.Row(juror_names[pk], tuple(bars), "jury")
        for pk, bars in sorted(jurors.items(), key=lambda item: juror_names[item[0]])
    ]
    rows += [
        timeline.Row(_("Workstation %(number)s") % {"number": number}, tuple(bars), "workstations")
        for number, bars in sorted(stations.items())
    ]
    opens, closes = minutes_of(session.opens_at), minutes_of(session.closes_at)
    first = min((p.minutes()[0] for p in day.parts), default=opens)
    last = max((p.minutes()[1] for p in day.parts), default=closes)
    lunch = (minutes_of(session.lunch_starts_at), minutes_of(session.lunch_ends_at))
    return timeline.day_timeline(rows, min(opens, first), max(closes, last), (lunch,))


def accommodation_label(accommodations: Accommodations) -> str:
    """ "Temps majoré de 1/3", "salle à part" …: what the planning took into account (R-85)."""
    found = []
    if accommodations.extra_time:
        found.append(_("extra time of %(fraction)s") % {"fraction": accommodations.extra_time})
    if accommodations.separate_room:
        found.append(_("separate room"))
    if accommodations.human_aid:
        found.append(_("human aid"))
    text = ", ".join(found)
    return text[:1].upper() + text[1:]


def summary(timetable: Timetable) -> str:
    computed = document_date(timetable.computed_at.astimezone(local_zone()))
    if timetable.status == "optimal":
        text = _("Planning computed on %(day)s: no planning ends earlier.") % {"day": computed}
    else:
        text = _("Planning computed on %(day)s: valid, optimality not proven.") % {"day": computed}
    if timetable.edited:
        text += " " + _("Parts were moved by hand since.")
    return text


def _note(slot: TimetableSlot) -> str:
    notes = []
    if slot.planned_start is not None:
        at = clock(slot.planned_start.astimezone(local_zone()).time())
        notes.append(_("Late arrival: planned at %(at)s, the end is kept (R-45).") % {"at": at})
    if slot.warning_accepted:
        notes.append(_("Warning accepted: %(what)s") % {"what": slot.warning_accepted})
    return " ".join(notes)


def pdf_data(session: ExamSession, timetable: Timetable) -> dict[str, Any]:
    """The data of ``core/typst/planning.typ`` (``core.pdf.PlanningData``)."""
    days = []
    labels: dict[int, str] = {}
    for day in by_day(planned_slots(timetable)):
        rows = []
        for part in day.parts:
            registration = part.slot.registration
            if registration.pk not in labels:
                labels[registration.pk] = accommodation_label(accommodations_of(registration))
            rows.append(
                {
                    "start": clock(part.start.time()),
                    "end": clock(part.end.time()),
                    "candidate": _candidate_label(registration),
                    "detail": labels[registration.pk],
                    "part": part.slot.label,
                    "note": _note(part.slot),
                    "workstation": _("Workstation %(number)s") % {"number": part.slot.workstation}
                    if part.slot.workstation
                    else "",
                    "jury": ", ".join(_member_label(j) for j in part.jurors),
                }
            )
        days.append({"label": day_label(day.day), "rows": rows})
    centre = session.centre
    return {
        "title": _("Session planning"),
        "reference": f"PLAN-{session.number}",
        "page_label": page_label(),
        "authority": authority_block(session),
        "centre": {"name": centre.name, "address": centre.address, "email": centre.email},
        "session": session_block(session),
        "summary": summary(timetable),
        "days": days,
        "labels": {
            "heading": _("Session planning"),
            "session_number": _("Session no. {number}"),
            "columns": {
                "time": _("Time"),
                "candidate": _("Candidate"),
                "part": _("Test"),
                "workstation": _("Workstation"),
                "jury": _("Jury"),
            },
            "note": _(
                "The final interview is last (R-50); each test before the jury has two jury members free of any "
                "link with the candidate (R-63, R-64); extra time granted is included (R-85)."
            ),
        },
    }


def first_starts(session: ExamSession) -> dict[int, datetime]:
    """Registration pk -> the start of the candidate's first planned part (none without a planning)."""
    starts: dict[int, datetime] = {}
    for slot in (
        TimetableSlot.objects.filter(timetable__session=session)
        .order_by("starts_at")
        .only("registration_id", "starts_at")
    ):
        starts.setdefault(slot.registration_id, slot.starts_at)
    return starts


def in_planning_order(session: ExamSession, registrations: Iterable[Registration]) -> list[Registration]:
    """The candidates in the order they arrive in the planning (first planned part), then the unplanned ones
    by name: the order of the sign-in sheet."""
    starts = first_starts(session)
    far = datetime.max.replace(tzinfo=local_zone()) - timedelta(days=1)
    return sorted(
        registrations,
        key=lambda r: (starts.get(r.pk, far), r.candidate.birth_name, r.candidate.given_names, r.pk),
    )


def member_days(assignment: JuryAssignment) -> list[PlannedDay]:
    """The parts a jury member sits in the saved planning, by day: their own day (none without a planning)."""
    return by_day(
        TimetableSlot.objects.filter(jurors=assignment)
        .select_related("registration__candidate")
        .prefetch_related("jurors__member")
        .order_by("starts_at", "registration__candidate__birth_name", "position")
    )


def member_day_rows(assignment: JuryAssignment) -> list[dict[str, Any]]:
    """``member_days`` as the jury member's page reads it: per day, each part with the other members present."""
    return [
        {
            "day": day.day,
            "label": day_label(day.day),
            "parts": [
                {
                    "slot": part.slot,
                    "hours": f"{clock(part.start.time())} – {clock(part.end.time())}",
                    "candidate": part.slot.registration.candidate,
                    "workstation": part.slot.workstation,
                    "with": [_member_label(j) for j in part.jurors if j.pk != assignment.pk],
                }
                for part in day.parts
            ],
        }
        for day in member_days(assignment)
    ]
