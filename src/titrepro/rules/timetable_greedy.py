"""A first planning in milliseconds, without the solver: a list schedule.

The solver (``rules.timetable_solver``) starts from it as a hint and keeps it when
it finds nothing better in its time, so that a large session always gets a
planning when one is easy to find. Each step takes, among the candidates' next
parts (in the catalogue's order), the one that can start first, ties going to
the candidate with the most work left; it starts there with the least loaded jury
members free of conflict and a free workstation. A part never waits for a later
one, so the result may be improved, never invalid: ``rules.timetable.check``
decides, as for every planning.
"""

from __future__ import annotations

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


def list_schedule(problem: Problem) -> tuple[Slot, ...] | None:
    """A planning of every part, workstations not yet numbered, or None when this greedy walk
    runs out of open time (which does not prove that no planning exists)."""
    calendar = _Calendar(problem)
    following = {candidate.id: 0 for candidate in problem.candidates}
    ready = {candidate.id: min((a for a, _ in problem.windows()), default=0) for candidate in problem.candidates}
    left = {candidate.id: candidate.total_minutes() for candidate in problem.candidates}
    slots: list[Slot] = []
    while True:
        best: tuple[int, int, int, Candidate, Part, tuple[int, ...]] | None = None
        for candidate in problem.candidates:
            index = following[candidate.id]
            if index >= len(candidate.parts):
                continue
            part = candidate.parts[index]
            found = calendar.earliest(candidate, part, ready[candidate.id])
            if found is None:
                return None
            start, jurors = found
            key = (start, -left[candidate.id], candidate.id)
            if best is None or key < best[:3]:
                best = (*key, candidate, part, jurors)
        if best is None:
            return tuple(slots)
        start, _, _, candidate, part, jurors = best
        slot = calendar.take(candidate, part, start, jurors)
        slots.append(slot)
        following[candidate.id] += 1
        ready[candidate.id] = slot.end
        left[candidate.id] -= slot.end - slot.start
