"""A first planning in milliseconds, without the solver: a list schedule.

The solver (``rules.timetable_solver``) starts from it as a hint and keeps it when
it finds nothing better in its time, so that a large session always gets a
planning when one is easy to find. Each step takes, among the candidates' next
parts (in the catalogue's order), the one that can start first, ties going to
the candidate with the most work left (or to a jury part); it starts there with
the least loaded jury members free of conflict and a free workstation. Several
walks are made, some letting only so many candidates be under way at once, and
the one that ends first is kept. The result may be improved, never invalid:
``rules.timetable.check`` decides, as for every planning.
"""

from __future__ import annotations

import heapq
import itertools
from collections import defaultdict

from titrepro.rules.timetable import Candidate, Part, Problem, Slot


class _Calendar:
    """What is already planned: the busy stretches of each jury member and of the workstations."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.juror_busy: dict[int, list[tuple[int, int]]] = defaultdict(list)
        self.juror_load: dict[int, int] = defaultdict(int)
        self.stations: list[tuple[int, int]] = []
        self.days = {juror.id: juror.days for juror in problem.jurors}

    def station_free(self, start: int, end: int) -> bool:
        if self.problem.workstations <= 0:
            return False
        inside = sorted((max(a, start), min(b, end)) for a, b in self.stations if a < end and start < b)
        if len(inside) < self.problem.workstations:
            return True
        # The most stations in use at one moment: at the start of one of the overlapping stretches.
        return all(sum(1 for a, b in inside if a <= at < b) < self.problem.workstations for at, _ in inside)

    def free_jurors(self, candidate: Candidate, start: int, end: int) -> list[int]:
        day = self.problem.day_of(start)
        free = [
            juror
            for juror in candidate.jurors
            if day in self.days.get(juror, frozenset())
            and all(not (a < end and start < b) for a, b in self.juror_busy[juror])
        ]
        return sorted(free, key=lambda j: (self.juror_load[j], j))

    def moments(self, ready: int) -> list[int]:
        """Where a part may start from ``ready``: then, or when something ends or a window opens."""
        ends = {b for busy in self.juror_busy.values() for _, b in busy}
        ends.update(b for _, b in self.stations)
        ends.update(a for a, _ in self.problem.windows())
        return [ready, *sorted(t for t in ends if t > ready)]

    def earliest(self, candidate: Candidate, part: Part, ready: int) -> tuple[int, tuple[int, ...]] | None:
        minutes = candidate.minutes(part)
        windows = self.problem.windows()
        fixed = candidate.fixed_ends.get(part.key)
        moments = [fixed - minutes] if fixed is not None else self.moments(ready)
        for start in moments:
            end = start + minutes
            if start < ready or not any(a <= start and end <= b for a, b in windows):
                continue
            if candidate.uses_workstation(part) and not self.station_free(start, end):
                continue
            jurors: tuple[int, ...] = ()
            if part.jury:
                free = self.free_jurors(candidate, start, end)
                if len(free) < self.problem.jury_size:
                    continue
                jurors = tuple(sorted(free[: self.problem.jury_size]))
            return start, jurors
        return None

    def take(self, candidate: Candidate, part: Part, start: int, jurors: tuple[int, ...]) -> Slot:
        end = start + candidate.minutes(part)
        for juror in jurors:
            self.juror_busy[juror].append((start, end))
            self.juror_load[juror] += end - start
        if candidate.uses_workstation(part):
            self.stations.append((start, end))
        return Slot(candidate.id, part.key, start, end, None, jurors)


def _walk(problem: Problem, priority: str, at_once: int | None = None) -> tuple[Slot, ...] | None:
    """One greedy walk, with at most ``at_once`` candidates started and not finished (a new one
    starts when one finishes). The earliest start of a candidate's next part only grows as parts
    are planned, so a stale entry of the queue is refreshed when it comes out, not before."""
    calendar = _Calendar(problem)
    opening = min((a for a, _ in problem.windows()), default=0)
    left = {candidate.id: candidate.total_minutes() for candidate in problem.candidates}

    def rank(candidate: Candidate, part: Part, start: int) -> tuple[int, ...]:
        if priority == "jury-first":
            return (start, 0 if part.jury else 1, -left[candidate.id], candidate.id)
        return (start, -left[candidate.id], candidate.id)

    waiting = [order for order, candidate in enumerate(problem.candidates) if candidate.parts]
    waiting.reverse()
    queue: list[tuple[tuple[int, ...], int, int]] = []
    ready: dict[int, int] = {}

    def admit(at: int) -> None:
        if waiting:
            order = waiting.pop()
            ready[order] = at
            heapq.heappush(queue, (rank(problem.candidates[order], problem.candidates[order].parts[0], at), order, 0))

    for _ in range(len(waiting) if at_once is None else at_once):
        admit(opening)
    slots: list[Slot] = []
    while queue:
        key, order, index = heapq.heappop(queue)
        candidate = problem.candidates[order]
        part = candidate.parts[index]
        found = calendar.earliest(candidate, part, ready[order])
        if found is None:
            return None
        start, jurors = found
        fresh = rank(candidate, part, start)
        if fresh > key:
            heapq.heappush(queue, (fresh, order, index))
            continue
        slot = calendar.take(candidate, part, start, jurors)
        slots.append(slot)
        ready[order] = slot.end
        left[candidate.id] -= slot.end - slot.start
        if index + 1 < len(candidate.parts):
            following = candidate.parts[index + 1]
            heapq.heappush(queue, (rank(candidate, following, slot.end), order, index + 1))
        else:
            admit(slot.end)
    return tuple(slots)


PRIORITIES = ("most-work-left", "jury-first")


def list_schedule(problem: Problem) -> tuple[Slot, ...] | None:
    """A planning of every part, workstations not yet numbered, or None when every greedy walk
    runs out of open time (which does not prove that no planning exists). Of the walks that
    finish, the one that ends first."""
    best: tuple[Slot, ...] | None = None
    panels = max(1, len(problem.jurors) // max(problem.jury_size, 1))
    caps: list[int | None] = [None, *(panels * k for k in (2, 3, 4, 5, 6) if panels * k < len(problem.candidates))]
    for priority, at_once in itertools.product(PRIORITIES, caps):
        slots = _walk(problem, priority, at_once)
        if slots is not None and (best is None or _end(slots) < _end(best)):
            best = slots
    return best


def _end(slots: tuple[Slot, ...]) -> int:
    return max((slot.end for slot in slots), default=0)
