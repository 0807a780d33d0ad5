"""The session timetable: the problem, a planning, and a checker written without the solver.

Pure Python over frozen dataclasses: no Django, no solver (import-linter keeps
``ortools`` out of this module, so that the checker cannot share a mistake with
the model in ``rules.timetable_solver``). Times are whole minutes counted from
midnight of the session's first day: day ``k`` at 09:30 is ``k * 1440 + 570``.

The hard rules a planning obeys (``check`` lists every breach):

- every part of every candidate is planned once, for its duration with the
  accommodations applied (R-85, R-86: extra time lengthens the parts the candidate
  does alone, and the jury parts only when the decision says so);
- inside the opening hours of one day, never across a break (the lunch break
  lasts at least ``MIN_LUNCH_MINUTES``);
- a candidate's parts in the catalogue's order, one at a time, the final
  interview last (R-50);
- every part that needs the jury has at least ``jury_size`` members present, each
  free of any conflict with that candidate and available that day (R-63, R-64);
- a jury member in one place at a time, a workstation for one candidate at a
  time; a candidate in a separate room uses no shared workstation;
- a part whose end is fixed (a late candidate: the end is never moved, R-45)
  ends when fixed.

The soft rule (``WAIT_TOO_LONG``, a warning staff may accept): a candidate does not
wait more than ``MAX_WAIT_MINUTES`` between two parts of the same day, breaks
not counted.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from types import MappingProxyType

DAY_MINUTES = 24 * 60
MIN_LUNCH_MINUTES = 45
LUNCH_AFTER_MINUTES = 6 * 60  # a day open longer than this has a lunch break
MAX_WAIT_MINUTES = 60

# Why a problem has no planning (``Infeasibility.code``) ------------------------------------------
NO_DAYS = "no_days"
BREAK_TOO_SHORT = "break_too_short"
PART_LONGER_THAN_WINDOW = "part_longer_than_window"
CANDIDATE_LONGER_THAN_SESSION = "candidate_longer_than_session"
TOO_FEW_FREE_JURORS = "too_few_free_jurors"
WORKSTATIONS_SHORT = "workstations_short"
JURY_TIME_SHORT = "jury_time_short"
COMBINATION = "combination"
NOT_FOUND_IN_TIME = "not_found_in_time"

# What a planning breaks (``Violation.code``) -----------------------------------------------------
PART_MISSING = "part_missing"
PART_UNKNOWN = "part_unknown"
WRONG_DURATION = "wrong_duration"
OUTSIDE_HOURS = "outside_hours"
ORDER = "order"
CANDIDATE_TWICE = "candidate_twice"
JURY_MISSING = "jury_missing"
JUROR_CONFLICTED = "juror_conflicted"
JUROR_UNAVAILABLE = "juror_unavailable"
JUROR_UNKNOWN = "juror_unknown"
JUROR_TWICE = "juror_twice"
WORKSTATION_MISSING = "workstation_missing"
WORKSTATION_UNKNOWN = "workstation_unknown"
WORKSTATION_TWICE = "workstation_twice"
END_MOVED = "end_moved"
WAIT_TOO_LONG = "wait_too_long"  # soft


@dataclass(frozen=True, slots=True)
class Day:
    """A day of the session: ``index`` from 0, opening hours and breaks in minutes since midnight."""

    index: int
    day: date
    opens: int
    closes: int
    breaks: tuple[tuple[int, int], ...] = ()

    def windows(self) -> tuple[tuple[int, int], ...]:
        """The open stretches of the day between its breaks, in session minutes."""
        base = self.index * DAY_MINUTES
        stretches: list[tuple[int, int]] = []
        cursor = self.opens
        for start, end in sorted(self.breaks):
            if start > cursor:
                stretches.append((base + cursor, base + min(start, self.closes)))
            cursor = max(cursor, end)
        if self.closes > cursor:
            stretches.append((base + cursor, base + self.closes))
        return tuple((a, b) for a, b in stretches if b > a)

    def open_minutes(self) -> int:
        return sum(end - start for start, end in self.windows())


@dataclass(frozen=True, slots=True)
class Part:
    """A timed part of a candidate's tests, in the catalogue's order.

    ``key`` is unique within the candidate; ``jury``: the jury must be present
    (R-63); ``workstation``: the candidate uses a workstation; ``final``: the final
    interview (R-50), which must be last.
    """

    key: str
    label: str
    minutes: int
    jury: bool
    workstation: bool
    final: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """A registered candidate: their parts, accommodations (R-85) and the jury members free of
    conflict with them (R-64). ``fixed_ends``: part key -> end that may not move (R-45)."""

    id: int
    name: str
    parts: tuple[Part, ...]
    jurors: frozenset[int]
    extra_time: Fraction = Fraction(0)
    extra_time_orals: bool = False
    separate_room: bool = False
    human_aid: bool = False
    fixed_ends: Mapping[str, int] = field(default_factory=dict, hash=False)

    def minutes(self, part: Part) -> int:
        """The part's duration with the extra time applied, rounded up to the minute."""
        if self.extra_time and (not part.jury or self.extra_time_orals):
            return math.ceil(part.minutes * (1 + self.extra_time))
        return part.minutes

    def uses_workstation(self, part: Part) -> bool:
        """A shared workstation: a candidate in a separate room has their own post."""
        return part.workstation and not self.separate_room

    def total_minutes(self) -> int:
        return sum(self.minutes(part) for part in self.parts)


@dataclass(frozen=True, slots=True)
class Juror:
    """A jury member of the session; ``days``: the indexes of the days they are there."""

    id: int
    name: str
    days: frozenset[int]


@dataclass(frozen=True, slots=True)
class Problem:
    days: tuple[Day, ...]
    candidates: tuple[Candidate, ...]
    jurors: tuple[Juror, ...]
    workstations: int
    jury_size: int = 2

    def candidate(self, candidate_id: int) -> Candidate:
        return next(c for c in self.candidates if c.id == candidate_id)

    def windows(self) -> tuple[tuple[int, int], ...]:
        return tuple(w for day in self.days for w in day.windows())

    def day_of(self, minute: int) -> int:
        return minute // DAY_MINUTES


@dataclass(frozen=True, slots=True)
class Slot:
    """One planned part: when, on which workstation (1..n, or None) and with which jury members."""

    candidate: int
    part: str
    start: int
    end: int
    workstation: int | None = None
    jurors: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class Violation:
    """A rule a planning breaks. ``hard`` is False for a warning staff may accept."""

    code: str
    candidate: int | None = None
    part: str | None = None
    juror: int | None = None
    workstation: int | None = None
    other_candidate: int | None = None
    minutes: int | None = None
    hard: bool = True


@dataclass(frozen=True, slots=True)
class Infeasibility:
    """Why no planning exists: the constraint, the people or resources, and the figures.

    ``needed`` and ``available`` are minutes when the cause is a shortage.
    """

    code: str
    candidates: tuple[int, ...] = ()
    jurors: tuple[int, ...] = ()
    part: str | None = None
    needed: int | None = None
    available: int | None = None


@dataclass(frozen=True, slots=True)
class Objective:
    """Lexicographic: the session ends as early as possible, then each candidate's days are
    compact, then the jury's load is balanced."""

    end: int
    spread: int
    load_gap: int


def objective(problem: Problem, slots: Iterable[Slot]) -> Objective:
    """The objective of a planning, computed from its slots alone."""
    slots = list(slots)
    if not slots:
        return Objective(0, 0, 0)
    by_candidate: dict[int, list[Slot]] = defaultdict(list)
    load = {juror.id: 0 for juror in problem.jurors}
    for slot in slots:
        by_candidate[slot.candidate].append(slot)
        for juror in slot.jurors:
            load[juror] = load.get(juror, 0) + slot.end - slot.start
    spread = sum(max(s.end for s in own) - min(s.start for s in own) for own in by_candidate.values())
    gap = max(load.values()) - min(load.values()) if load else 0
    return Objective(max(slot.end for slot in slots), spread, gap)


def _inside_one_window(windows: tuple[tuple[int, int], ...], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in windows)


def _overlap(a: Slot, b: Slot) -> bool:
    return a.start < b.end and b.start < a.end


def _day_breaks(problem: Problem, day_index: int) -> tuple[tuple[int, int], ...]:
    day = next((d for d in problem.days if d.index == day_index), None)
    if day is None:
        return ()
    base = day_index * DAY_MINUTES
    return tuple((base + a, base + b) for a, b in day.breaks)


def check(problem: Problem, slots: Iterable[Slot]) -> tuple[Violation, ...]:
    """Every rule the planning ``slots`` breaks, hard ones first; an empty tuple when it is valid."""
    slots = list(slots)
    found: list[Violation] = []
    windows = problem.windows()
    jurors = {juror.id: juror for juror in problem.jurors}
    by_candidate: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_candidate[slot.candidate].append(slot)

    for candidate in problem.candidates:
        own: dict[str, Slot] = {}
        for slot in by_candidate.pop(candidate.id, []):
            if slot.part in own:
                found.append(Violation(CANDIDATE_TWICE, candidate.id, slot.part))
            own[slot.part] = slot
        known = {part.key: part for part in candidate.parts}
        for key in own.keys() - known.keys():
            found.append(Violation(PART_UNKNOWN, candidate.id, key))
        previous: Slot | None = None
        for part in candidate.parts:
            planned = own.get(part.key)
            if planned is None:
                found.append(Violation(PART_MISSING, candidate.id, part.key))
                continue
            found.extend(_check_part(problem, candidate, part, planned, windows, jurors))
            if previous is not None and planned.start < previous.end:
                found.append(Violation(ORDER, candidate.id, part.key))
            previous = planned
        finals = [own[p.key] for p in candidate.parts if p.final and p.key in own]
        others = [own[p.key] for p in candidate.parts if not p.final and p.key in own]
        for final in finals:
            if any(other.end > final.start for other in others):
                found.append(Violation(ORDER, candidate.id, next(p.key for p in candidate.parts if p.final)))
    for candidate_id, rest in by_candidate.items():
        found.extend(Violation(PART_UNKNOWN, candidate_id, slot.part) for slot in rest)

    found.extend(_shared_resources(slots))
    found.extend(_waits(problem, slots))
    return tuple(sorted(set(found), key=lambda v: (not v.hard, v.code, v.candidate or 0, v.part or "")))


def _check_part(
    problem: Problem,
    candidate: Candidate,
    part: Part,
    slot: Slot,
    windows: tuple[tuple[int, int], ...],
    jurors: Mapping[int, Juror],
) -> list[Violation]:
    found: list[Violation] = []
    if slot.end - slot.start != candidate.minutes(part):
        found.append(Violation(WRONG_DURATION, candidate.id, part.key, minutes=candidate.minutes(part)))
    if not _inside_one_window(windows, slot.start, slot.end):
        found.append(Violation(OUTSIDE_HOURS, candidate.id, part.key))
    fixed = candidate.fixed_ends.get(part.key)
    if fixed is not None and slot.end != fixed:
        found.append(Violation(END_MOVED, candidate.id, part.key, minutes=fixed))
    present = set(slot.jurors)
    if part.jury and len(present) < problem.jury_size:
        found.append(Violation(JURY_MISSING, candidate.id, part.key, minutes=len(present)))
    day = problem.day_of(slot.start)
    for juror_id in sorted(present):
        juror = jurors.get(juror_id)
        if juror is None:
            found.append(Violation(JUROR_UNKNOWN, candidate.id, part.key, juror=juror_id))
            continue
        if juror_id not in candidate.jurors:
            found.append(Violation(JUROR_CONFLICTED, candidate.id, part.key, juror=juror_id))
        if day not in juror.days:
            found.append(Violation(JUROR_UNAVAILABLE, candidate.id, part.key, juror=juror_id))
    if candidate.uses_workstation(part):
        if slot.workstation is None:
            found.append(Violation(WORKSTATION_MISSING, candidate.id, part.key))
        elif not 1 <= slot.workstation <= problem.workstations:
            found.append(Violation(WORKSTATION_UNKNOWN, candidate.id, part.key, workstation=slot.workstation))
    return found


def _shared_resources(slots: list[Slot]) -> list[Violation]:
    """A jury member in one place, a workstation for one candidate, at a time."""
    found: list[Violation] = []
    by_juror: dict[int, list[Slot]] = defaultdict(list)
    by_station: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        for juror in set(slot.jurors):
            by_juror[juror].append(slot)
        if slot.workstation is not None:
            by_station[slot.workstation].append(slot)
    for juror, own in by_juror.items():
        for a, b in _clashes(own):
            found.append(Violation(JUROR_TWICE, b.candidate, b.part, juror=juror, other_candidate=a.candidate))
    for station, own in by_station.items():
        for a, b in _clashes(own):
            found.append(
                Violation(WORKSTATION_TWICE, b.candidate, b.part, workstation=station, other_candidate=a.candidate)
            )
    return found


def _clashes(slots: list[Slot]) -> list[tuple[Slot, Slot]]:
    ordered = sorted(slots, key=lambda s: (s.start, s.end))
    pairs = []
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            if b.start >= a.end:
                break
            if _overlap(a, b):
                pairs.append((a, b))
    return pairs


def _waits(problem: Problem, slots: list[Slot]) -> list[Violation]:
    """Soft: a wait longer than ``MAX_WAIT_MINUTES`` between two parts of a candidate's day."""
    found: list[Violation] = []
    by_candidate: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        by_candidate[slot.candidate].append(slot)
    for candidate_id, own in by_candidate.items():
        ordered = sorted(own, key=lambda s: s.start)
        for before, after in itertools.pairwise(ordered):
            day = problem.day_of(after.start)
            if problem.day_of(before.end) != day:
                continue
            wait = after.start - before.end
            for a, b in _day_breaks(problem, day):
                wait -= max(0, min(b, after.start) - max(a, before.end))
            if wait > MAX_WAIT_MINUTES:
                found.append(Violation(WAIT_TOO_LONG, candidate_id, after.part, minutes=wait, hard=False))
    return found


def hard(violations: Iterable[Violation]) -> tuple[Violation, ...]:
    return tuple(v for v in violations if v.hard)


# Why no planning exists: necessary conditions, checked before the solver runs ---------------------


def infeasibilities(problem: Problem) -> tuple[Infeasibility, ...]:
    """Shortages that make every planning impossible, each with its figures.

    Each is a necessary condition, so an answer here is certain; an empty answer
    does not prove a planning exists (the solver decides, ``COMBINATION``).
    """
    found: list[Infeasibility] = []
    if not problem.days:
        return (Infeasibility(NO_DAYS),)
    for day in problem.days:
        lunch = max((b - a for a, b in day.breaks), default=0)
        if day.closes - day.opens > LUNCH_AFTER_MINUTES and lunch < MIN_LUNCH_MINUTES:
            found.append(Infeasibility(BREAK_TOO_SHORT, needed=MIN_LUNCH_MINUTES, available=lunch))
    windows = problem.windows()
    longest = max((b - a for a, b in windows), default=0)
    session_minutes = sum(b - a for a, b in windows)
    jurors = {juror.id: juror for juror in problem.jurors}
    for candidate in problem.candidates:
        for part in candidate.parts:
            if candidate.minutes(part) > longest:
                found.append(
                    Infeasibility(
                        PART_LONGER_THAN_WINDOW,
                        (candidate.id,),
                        part=part.key,
                        needed=candidate.minutes(part),
                        available=longest,
                    )
                )
        if candidate.total_minutes() > session_minutes:
            found.append(
                Infeasibility(
                    CANDIDATE_LONGER_THAN_SESSION,
                    (candidate.id,),
                    needed=candidate.total_minutes(),
                    available=session_minutes,
                )
            )
        if any(part.jury for part in candidate.parts):
            days_with_enough = [
                day
                for day in problem.days
                if sum(1 for j in candidate.jurors if j in jurors and day.index in jurors[j].days) >= problem.jury_size
            ]
            if not days_with_enough:
                conflicted = tuple(sorted(j for j in jurors if j not in candidate.jurors))
                found.append(
                    Infeasibility(
                        TOO_FEW_FREE_JURORS,
                        (candidate.id,),
                        conflicted,
                        needed=problem.jury_size,
                        available=len([j for j in candidate.jurors if j in jurors]),
                    )
                )
    station_need = sum(
        candidate.minutes(part)
        for candidate in problem.candidates
        for part in candidate.parts
        if candidate.uses_workstation(part)
    )
    station_room = problem.workstations * session_minutes
    if station_need > station_room:
        found.append(Infeasibility(WORKSTATIONS_SHORT, needed=station_need, available=station_room))
    jury_need = sum(
        candidate.minutes(part) for candidate in problem.candidates for part in candidate.parts if part.jury
    )
    jury_room = sum(
        day.open_minutes() * (sum(1 for j in problem.jurors if day.index in j.days) // max(problem.jury_size, 1))
        for day in problem.days
    )
    if jury_need > jury_room:
        found.append(
            Infeasibility(
                JURY_TIME_SHORT,
                jurors=tuple(j.id for j in problem.jurors),
                needed=jury_need,
                available=jury_room,
            )
        )
    return tuple(found)


def by_candidate(slots: Iterable[Slot]) -> Mapping[int, tuple[Slot, ...]]:
    grouped: dict[int, list[Slot]] = defaultdict(list)
    for slot in slots:
        grouped[slot.candidate].append(slot)
    return MappingProxyType({k: tuple(sorted(v, key=lambda s: s.start)) for k, v in grouped.items()})


# Open time: minutes counted only while the site is open, and a lower bound of the session's end ---


def open_minutes_until(problem: Problem, minute: int) -> int:
    """How many open minutes of the session lie before ``minute`` (breaks and nights not counted)."""
    return sum(max(0, min(b, minute) - a) for a, b in problem.windows())


def minute_after_open(problem: Problem, elapsed: int) -> int:
    """The earliest session minute at which ``elapsed`` open minutes have gone by (the inverse of
    ``open_minutes_until``); past the last window, the last closing plus what is left."""
    windows = problem.windows()
    for a, b in windows:
        if elapsed <= b - a:
            return a + elapsed
        elapsed -= b - a
    return (windows[-1][1] if windows else 0) + elapsed


def _earliest_chain(problem: Problem, candidate: Candidate, parts: Iterable[Part], ready: int) -> int | None:
    """The earliest end of ``parts`` done one after the other from ``ready``, with nothing shared
    in the way: each part in the first window that holds it (a jury part on a day with enough
    free jury members)."""
    jurors = {juror.id: juror for juror in problem.jurors}
    for part in parts:
        minutes = candidate.minutes(part)
        placed = None
        for day in problem.days:
            if (
                part.jury
                and sum(1 for j in candidate.jurors if j in jurors and day.index in jurors[j].days) < problem.jury_size
            ):
                continue
            for a, b in day.windows():
                start = max(a, ready)
                if start + minutes <= b:
                    placed = start + minutes
                    break
            if placed is not None:
                break
        if placed is None:
            return None
        ready = placed
    return ready


def _fill(problem: Problem, need: int, since: int, capacity: Mapping[int, int]) -> int:
    """The first minute by which ``need`` minutes of work fit from ``since`` on, when
    ``capacity[day]`` pieces of work can run at once on each day (work split freely)."""
    for day in problem.days:
        for a, b in day.windows():
            a = max(a, since)
            room = (b - a) * capacity.get(day.index, 0)
            if room <= 0:
                continue
            if need <= room:
                return a + math.ceil(need / capacity[day.index])
            need -= room
    return max((b for _, b in problem.windows()), default=0) + need


def lower_bound(problem: Problem) -> int:
    """A minute before which no planning can end, proved without the solver (0 when there is no
    work). The largest of: each candidate's own parts one after the other; the jury's work, panels
    of ``jury_size`` members working side by side from the first moment a jury part can start; and
    the work on shared workstations followed by the shortest of the candidates' parts after their
    last workstation part. Work is split freely across the open time, so the bound stays a bound."""
    if not problem.windows() or not any(c.parts for c in problem.candidates):
        return 0
    opening = problem.windows()[0][0]
    bound = opening
    first_jury: list[int] = []
    for candidate in problem.candidates:
        end = _earliest_chain(problem, candidate, candidate.parts, opening)
        if end is not None:
            bound = max(bound, end)
        before = list(itertools.takewhile(lambda p: not p.jury, candidate.parts))
        if len(before) < len(candidate.parts):
            start = _earliest_chain(problem, candidate, before, opening)
            first_jury.append(start if start is not None else opening)
    jury_need = sum(c.minutes(p) for c in problem.candidates for p in c.parts if p.jury)
    if jury_need:
        panels = {
            day.index: sum(1 for j in problem.jurors if day.index in j.days) // max(problem.jury_size, 1)
            for day in problem.days
        }
        bound = max(bound, _fill(problem, jury_need, min(first_jury), panels))
    station_need = sum(c.minutes(p) for c in problem.candidates for p in c.parts if c.uses_workstation(p))
    if station_need and problem.workstations:
        stations = {day.index: problem.workstations for day in problem.days}
        last_station = _fill(problem, station_need, opening, stations)
        # Whoever leaves a workstation last still has the parts after it to do.
        tail = min(
            sum(c.minutes(p) for p in c.parts[_last_station_part(c) + 1 :])
            for c in problem.candidates
            if any(c.uses_workstation(p) for p in c.parts)
        )
        bound = max(bound, minute_after_open(problem, open_minutes_until(problem, last_station) + tail))
    return bound


def _last_station_part(candidate: Candidate) -> int:
    return max(i for i, part in enumerate(candidate.parts) if candidate.uses_workstation(part))
