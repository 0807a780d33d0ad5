"""What the timetable rules (``rules.timetable``) are told about a session, read from the database, and back.

``problem_for`` builds the pure ``Problem``: the session's days with their opening hours and lunch break,
its active registrations with the timed parts of their tests (from the catalogue), the accommodations
granted to them (R-85, R-86), the jury members who accepted and, per candidate, those free of any
conflict with them (R-63, R-64: ``rules.sessions.jury_check``, as for the convocations). The ``Index``
maps the problem's ids back: a candidate is a registration (its pk), a jury member an accepted
assignment (its pk), a part key a modality or a part of one. Nothing here decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _

from titrepro.candidates.models import AccommodationKind, DecisionStatus, extra_time_fraction
from titrepro.catalogue.models import CCP, EvaluationModality, ModalityKind, ModalityPart, SessionKind
from titrepro.core.refusals import Refused
from titrepro.rules import sessions as session_rules
from titrepro.rules import timetable as rules
from titrepro.sessions import facts
from titrepro.sessions.models import (
    ExamSession,
    JuryAssignment,
    JuryStatus,
    Registration,
    RegistrationStatus,
    Timetable,
    TimetableSlot,
)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def minutes_of(value: time) -> int:
    return value.hour * 60 + value.minute


def part_key(modality: EvaluationModality, part: ModalityPart | None = None) -> str:
    """``m12`` for a whole modality, ``m12.34`` for one of its parts: unique within a candidate."""
    return f"m{modality.pk}" if part is None else f"m{modality.pk}.{part.pk}"


@dataclass(frozen=True)
class Source:
    """Where a part of the problem comes from in the catalogue, and how it is shown."""

    modality: EvaluationModality
    part: ModalityPart | None
    label: str
    position: int


@dataclass
class Index:
    """The problem's ids back to the database, and session minutes to aware date-times (local time)."""

    session: ExamSession
    registrations: dict[int, Registration] = field(default_factory=dict)
    assignments: dict[int, JuryAssignment] = field(default_factory=dict)
    sources: dict[int, dict[str, Source]] = field(default_factory=dict)  # candidate id -> part key -> source

    def moment(self, minute: int) -> datetime:
        """The aware date-time of a session minute (minutes from midnight of the first day, local time)."""
        days, rest = divmod(minute, rules.DAY_MINUTES)
        day = self.session.first_day + timedelta(days=days)
        return datetime.combine(day, time(rest // 60, rest % 60), tzinfo=local_zone())

    def minute(self, moment: datetime) -> int:
        local = moment.astimezone(local_zone())
        return (local.date() - self.session.first_day).days * rules.DAY_MINUTES + minutes_of(local.time())

    def candidate_name(self, candidate_id: int) -> str:
        registration = self.registrations.get(candidate_id)
        return str(registration.candidate) if registration is not None else str(candidate_id)

    def juror_name(self, juror_id: int) -> str:
        assignment = self.assignments.get(juror_id)
        return str(assignment.member) if assignment is not None else str(juror_id)

    def part_label(self, candidate_id: int, key: str | None) -> str:
        source = self.sources.get(candidate_id, {}).get(key or "")
        return source.label if source is not None else (key or "")


def session_days(session: ExamSession) -> tuple[rules.Day, ...]:
    """Every day from the first to the last, with the session's hours and its lunch break."""
    count = (session.last_day - session.first_day).days + 1
    lunch = ((minutes_of(session.lunch_starts_at), minutes_of(session.lunch_ends_at)),)
    return tuple(
        rules.Day(
            index=index,
            day=session.first_day + timedelta(days=index),
            opens=minutes_of(session.opens_at),
            closes=minutes_of(session.closes_at),
            breaks=lunch,
        )
        for index in range(max(count, 0))
    )


def _missing_duration(session: ExamSession, modality: EvaluationModality, part: ModalityPart | None) -> Refused:
    what = modality.get_kind_display() if part is None else f"{modality.get_kind_display()} — {part.label}"
    return Refused(
        "timetable_duration_missing",
        _(
            "The catalogue gives no duration for “%(modality)s” of %(title)s, version %(version)s: complete the "
            "title's file, since the convocation states the time of each test (R-43)."
        )
        % {"modality": what, "title": session.version.title.code, "version": session.version.label},
    )


def _modalities_of(session: ExamSession, registration: Registration) -> list[EvaluationModality]:
    """The modalities a candidate sits, in order: the title session's; each CCP sat, in CCP order (the final
    interview last, only when due); the CCS's."""
    rows = EvaluationModality.objects.filter(version=session.version, session_kind=session.kind).prefetch_related(
        "parts"
    )
    if session.kind == SessionKind.TITLE:
        return list(rows.order_by("position", "pk"))
    if session.kind == SessionKind.CCS:
        return list(rows.filter(ccs=session.ccs_id).order_by("position", "pk"))
    sat: Sequence[CCP] = sorted(registration.ccps.all(), key=lambda c: c.number) or sorted(
        session.ccps.all(), key=lambda c: c.number
    )
    ordered = list(rows.filter(ccp__in=sat).order_by("ccp__number", "position", "pk"))
    finals = [m for m in ordered if m.kind == ModalityKind.FINAL_INTERVIEW]
    chosen = [m for m in ordered if m.kind != ModalityKind.FINAL_INTERVIEW]
    if registration.final_interview_due:
        final = finals[:1] or list(
            EvaluationModality.objects.filter(
                version=session.version, session_kind=SessionKind.TITLE, kind=ModalityKind.FINAL_INTERVIEW
            )
            .prefetch_related("parts")
            .order_by("position", "pk")[:1]
        )
        chosen += final
    return chosen


def parts_of(
    session: ExamSession, registration: Registration, cache: dict[tuple[int, ...], list[tuple[rules.Part, Source]]]
) -> list[tuple[rules.Part, Source]]:
    """The timed parts of one candidate: one per part of a modality that has parts, else the modality."""
    modalities = _modalities_of(session, registration)
    signature = tuple(m.pk for m in modalities)
    if signature in cache:
        return cache[signature]
    found: list[tuple[rules.Part, Source]] = []
    for modality in modalities:
        final = modality.kind == ModalityKind.FINAL_INTERVIEW
        kind_label = str(modality.get_kind_display())
        parts = sorted(modality.parts.all(), key=lambda p: (p.position, p.pk))
        if not parts:
            if not modality.duration:
                raise _missing_duration(session, modality, None)
            key = part_key(modality)
            found.append(
                (
                    rules.Part(
                        key,
                        kind_label,
                        int(modality.duration.total_seconds() // 60),
                        jury=modality.jury_present,
                        workstation=modality.uses_workstation,
                        final=final,
                    ),
                    Source(modality, None, kind_label, len(found)),
                )
            )
            continue
        for number, part in enumerate(parts, start=1):
            if not part.duration:
                raise _missing_duration(session, modality, part)
            key = part_key(modality, part)
            label = f"{kind_label} ({number}/{len(parts)}) — {part.label}"[:500]
            found.append(
                (
                    rules.Part(
                        key,
                        label,
                        int(part.duration.total_seconds() // 60),
                        jury=part.jury_present,
                        workstation=part.uses_workstation,
                        final=final and number == len(parts),
                    ),
                    Source(modality, part, label, len(found)),
                )
            )
    cache[signature] = found
    return found


@dataclass(frozen=True)
class Accommodations:
    extra_time: Fraction = Fraction(0)
    extra_time_orals: bool = False
    separate_room: bool = False
    human_aid: bool = False


def accommodations_of(registration: Registration) -> Accommodations:
    """The granted accommodations attached to the registration (R-85, R-86); the largest extra time wins."""
    granted = [a for a in registration.accommodations.all() if a.status == DecisionStatus.GRANTED]
    timed = [(extra_time_fraction(a.extra_time), a) for a in granted if a.extra_time]
    largest = max(timed, key=lambda pair: pair[0], default=(Fraction(0), None))
    return Accommodations(
        extra_time=largest[0],
        extra_time_orals=largest[1] is not None and largest[1].extra_time_orals,
        separate_room=any(AccommodationKind.ADAPTED_ROOM in a.kinds for a in granted),
        human_aid=any(AccommodationKind.HUMAN_AID in a.kinds for a in granted),
    )


def active_registrations(session: ExamSession) -> list[Registration]:
    return list(
        session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("candidate")
        .prefetch_related("candidate__pathways", "ccps", "accommodations")
        .order_by("candidate__birth_name", "candidate__given_names", "pk")
    )


def accepted_jury(session: ExamSession) -> list[JuryAssignment]:
    return list(
        session.jury.filter(status=JuryStatus.ACCEPTED)
        .select_related("member")
        .prefetch_related(*facts.MEMBER_PREFETCH)
        .order_by("member__last_name", "member__first_name", "pk")
    )


def _days_of(assignment: JuryAssignment, days: Iterable[rules.Day]) -> frozenset[int]:
    return frozenset(d.index for d in days if assignment.first_day <= d.day <= assignment.last_day)


def late_ends(session: ExamSession, index: Index) -> dict[int, dict[str, int]]:
    """Registration pk -> part key -> end minute, for the parts a late candidate started on arrival: their end
    never moves (R-45)."""
    found: dict[int, dict[str, int]] = {}
    rows = TimetableSlot.objects.filter(timetable__session=session, planned_start__isnull=False)
    for row in rows.only("registration_id", "part_key", "ends_at"):
        found.setdefault(row.registration_id, {})[row.part_key] = index.minute(row.ends_at)
    return found


def problem_for(session: ExamSession) -> tuple[rules.Problem, Index]:
    """The pure planning problem of ``session`` and the way back to its rows.

    Refused (``timetable_duration_missing``) when a part the candidates sit has no duration in the catalogue.
    """
    days = session_days(session)
    registrations = active_registrations(session)
    assignments = accepted_jury(session)
    members, ties = facts.jury_facts(session, assignments, registrations)
    check = session_rules.jury_check(members, ties)
    by_member = {a.member_id: a.pk for a in assignments}
    index = Index(session)
    candidates = []
    cache: dict[tuple[int, ...], list[tuple[rules.Part, Source]]] = {}
    late = late_ends(session, index)
    for registration in registrations:
        planned = parts_of(session, registration, cache)
        accommodations = accommodations_of(registration)
        free = check.free_members.get(registration.candidate_id, ())
        index.registrations[registration.pk] = registration
        index.sources[registration.pk] = {part.key: source for part, source in planned}
        candidates.append(
            rules.Candidate(
                id=registration.pk,
                name=str(registration.candidate),
                parts=tuple(part for part, _source in planned),
                jurors=frozenset(by_member[m] for m in free if m in by_member),
                extra_time=accommodations.extra_time,
                extra_time_orals=accommodations.extra_time_orals,
                separate_room=accommodations.separate_room,
                human_aid=accommodations.human_aid,
                fixed_ends=late.get(registration.pk, {}),
            )
        )
    jurors = []
    for assignment in assignments:
        index.assignments[assignment.pk] = assignment
        jurors.append(rules.Juror(id=assignment.pk, name=str(assignment.member), days=_days_of(assignment, days)))
    problem = rules.Problem(
        days=days, candidates=tuple(candidates), jurors=tuple(jurors), workstations=session.workstations
    )
    return problem, index


def saved_slots(timetable: Timetable, index: Index) -> list[tuple[TimetableSlot, rules.Slot]]:
    """The saved planning, each row beside its pure slot."""
    rows = timetable.slots.prefetch_related("jurors").order_by("starts_at", "registration_id", "position")
    return [(row, pure_slot(row, index)) for row in rows]


def pure_slot(row: TimetableSlot, index: Index) -> rules.Slot:
    return rules.Slot(
        candidate=row.registration_id,
        part=row.part_key,
        start=index.minute(row.starts_at),
        end=index.minute(row.ends_at),
        workstation=row.workstation,
        jurors=tuple(sorted(j.pk for j in row.jurors.all())),
    )


def day_of(index: Index, minute: int) -> date:
    return index.session.first_day + timedelta(days=minute // rules.DAY_MINUTES)
