"""Solve a session timetable (``rules.timetable.Problem``) with OR-Tools CP-SAT.

Decision 0035. The model: one fixed-size interval per candidate part, its start
restricted to the open stretches of the days (a ``Domain`` of several ranges, so
a part never crosses a break or a night); the parts of a candidate chained in
the catalogue's order; the parts on a shared workstation in one cumulative of
capacity ``workstations``; for each part with the jury, one optional interval per
jury member free of conflict with the candidate, exactly ``jury_size`` of them
present, and one no-overlap per jury member. Identical candidates are ordered by
their first start (symmetry breaking).

The objective is lexicographic and solved in three rounds, each keeping the
previous one's best value: the session's end, then the sum of each candidate's
spread (first start to last end), then the gap between the most and the least
loaded jury member. Workstation numbers are given afterwards, greedily by start
time, a candidate keeping their workstation when it is free: interval graphs are
coloured that way with as many colours as the cumulative allows.

Every planning returned has passed ``rules.timetable.check``.

OR-Tools is imported by the functions that build or solve a model, not with the module: a process that never
plans (the task worker issuing documents, most web requests) does not load its ~85 MB.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ortools.sat.python import cp_model

from titrepro.rules.timetable import (
    COMBINATION,
    NOT_FOUND_IN_TIME,
    Candidate,
    Infeasibility,
    Objective,
    Part,
    Problem,
    Slot,
    check,
    hard,
    infeasibilities,
    lower_bound,
    objective,
    open_minutes_until,
)
from titrepro.rules.timetable_greedy import list_schedule

OPTIMAL = "optimal"
FEASIBLE = "feasible"
INFEASIBLE = "infeasible"
UNKNOWN = "unknown"

# Share of the time limit each round may use; what a round leaves goes to the next.
ROUNDS = (0.75, 0.15, 0.1)


@dataclass(frozen=True, slots=True)
class Settings:
    """``seconds``: wall-clock limit for the whole solve; ``workers``: CP-SAT search workers
    (1 makes the search deterministic for a given ``seed``); ``work``: an optional limit in
    CP-SAT's deterministic time, which does not depend on the machine's load."""

    seconds: float = 10.0
    workers: int = 1
    seed: int = 20260101
    work: float | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """``status``: optimal, feasible (a planning, optimality not proven), infeasible or unknown
    (no planning found in the time). ``gap``: the relative distance between the session's end
    and the best proven bound of it (0.0 when proven optimal)."""

    status: str
    slots: tuple[Slot, ...] = ()
    reasons: tuple[Infeasibility, ...] = ()
    objective: Objective | None = None
    end_bound: int | None = None
    gap: float | None = None
    seconds: float = 0.0
    rounds: tuple[str, ...] = ()


@dataclass
class _Task:
    candidate: Candidate
    part: Part
    minutes: int
    start: cp_model.IntVar
    interval: cp_model.IntervalVar
    presence: dict[int, cp_model.IntVar]

    @property
    def end(self) -> cp_model.LinearExprT:
        return self.start + self.minutes


class _Model:
    def __init__(self, problem: Problem, *, relax: frozenset[str] = frozenset()) -> None:
        from ortools.sat.python import cp_model  # imported here: see the module docstring

        self.problem = problem
        self.model = cp_model.CpModel()
        self.tasks: list[_Task] = []
        self.by_candidate: dict[int, list[_Task]] = {}
        self.pooled = interchangeable_jury(problem)
        self._build(relax)

    def _windows_for(self, candidate: Candidate, part: Part, minutes: int) -> list[tuple[int, int]]:
        days = {day.index for day in self.problem.days}
        if part.jury:
            available = {j.id: j.days for j in self.problem.jurors if j.id in candidate.jurors}
            days = {d for d in days if sum(1 for ds in available.values() if d in ds) >= self.problem.jury_size}
        ranges = []
        for day in self.problem.days:
            if day.index not in days:
                continue
            for a, b in day.windows():
                if b - a >= minutes:
                    ranges.append((a, b - minutes))
        return ranges

    def _build(self, relax: frozenset[str]) -> None:
        from ortools.sat.python import cp_model  # imported here: see the module docstring

        m = self.model
        problem = self.problem
        horizon = max((b for _, b in problem.windows()), default=0)
        station_intervals = []
        juror_intervals: dict[int, list[cp_model.IntervalVar]] = defaultdict(list)
        jury_intervals = []
        jurors = {j.id: j for j in problem.jurors}
        for candidate in problem.candidates:
            own: list[_Task] = []
            for index, part in enumerate(candidate.parts):
                minutes = candidate.minutes(part)
                ranges = self._windows_for(candidate, part, minutes)
                name = f"c{candidate.id}p{index}"
                domain = (
                    cp_model.Domain.from_intervals([[a, b] for a, b in ranges]) if ranges else cp_model.Domain(0, 0)
                )
                start = m.new_int_var_from_domain(domain, name)
                if not ranges:
                    m.add_bool_or([])  # no window fits: infeasible (explained beforehand)
                interval = m.new_fixed_size_interval_var(start, minutes, name + "i")
                task = _Task(candidate, part, minutes, start, interval, {})
                fixed = candidate.fixed_ends.get(part.key)
                if fixed is not None:
                    m.add(start == fixed - minutes)
                if candidate.uses_workstation(part) and "workstations" not in relax:
                    station_intervals.append(interval)
                if part.jury and self.pooled:
                    jury_intervals.append(interval)
                elif part.jury:
                    for juror_id in sorted(candidate.jurors):
                        juror = jurors.get(juror_id)
                        if juror is None:
                            continue
                        present = m.new_bool_var(f"{name}j{juror_id}")
                        task.presence[juror_id] = present
                        optional = m.new_optional_fixed_size_interval_var(
                            start, minutes, present, f"{name}j{juror_id}i"
                        )
                        juror_intervals[juror_id].append(optional)
                        away = [
                            [a, b]
                            for day in problem.days
                            if day.index not in juror.days
                            for a, b in ((day.index * 1440, day.index * 1440 + 1439),)
                        ]
                        if away:
                            allowed = domain.intersection_with(cp_model.Domain.from_intervals(away).complement())
                            m.add_linear_expression_in_domain(start, allowed).only_enforce_if(present)
                    m.add(sum(task.presence.values()) == problem.jury_size)
                    jury_intervals.append(interval)
                own.append(task)
            if "order" not in relax:
                for before, after in itertools.pairwise(own):
                    m.add(after.start >= before.end)
                finals = [t for t in own if t.part.final]
                for final in finals:
                    for other in own:
                        if not other.part.final:
                            m.add(final.start >= other.end)
            else:
                m.add_no_overlap([t.interval for t in own])
            self.tasks.extend(own)
            self.by_candidate[candidate.id] = own
        if station_intervals:
            m.add_cumulative(station_intervals, [1] * len(station_intervals), problem.workstations)
        if "jury" not in relax and self.pooled:
            if jury_intervals:
                panels = len(problem.jurors) // max(problem.jury_size, 1)
                m.add_cumulative(jury_intervals, [1] * len(jury_intervals), panels)
        elif "jury" not in relax:
            for intervals in juror_intervals.values():
                m.add_no_overlap(intervals)
            if jury_intervals:
                m.add_cumulative(jury_intervals, [problem.jury_size] * len(jury_intervals), len(problem.jurors))
        self._break_symmetry()
        # The session ends at the end of a part, so inside an open stretch: a bound in the night is no bound.
        ends = [[a + 1, b] for a, b in problem.windows()]
        self.end = m.new_int_var_from_domain(cp_model.Domain.from_intervals(ends or [[0, 0]]), "end")
        for own in self.by_candidate.values():
            if own:
                m.add(self.end >= own[-1].end)  # the final interview, when there is one, is last

        spreads = []
        for candidate_id, own in self.by_candidate.items():
            if not own:
                continue
            spread = m.new_int_var(0, max(horizon, 0), f"spread{candidate_id}")
            first = m.new_int_var(0, max(horizon, 0), f"first{candidate_id}")
            last = m.new_int_var(0, max(horizon, 0), f"last{candidate_id}")
            m.add_min_equality(first, [t.start for t in own])
            m.add_max_equality(last, [t.end for t in own])
            m.add(spread == last - first)
            spreads.append(spread)
        self.spread = sum(spreads) if spreads else m.new_constant(0)
        loads = []
        for juror in () if self.pooled else problem.jurors:
            terms = [t.minutes * t.presence[juror.id] for t in self.tasks if juror.id in t.presence]
            load = m.new_int_var(0, max(horizon, 0) * max(len(self.tasks), 1), f"load{juror.id}")
            m.add(load == sum(terms, 0))
            loads.append(load)
        if loads:
            top = m.new_int_var(0, max(horizon, 0) * max(len(self.tasks), 1), "top")
            bottom = m.new_int_var(0, max(horizon, 0) * max(len(self.tasks), 1), "bottom")
            m.add_max_equality(top, loads)
            m.add_min_equality(bottom, loads)
            self.load_gap: cp_model.LinearExprT = top - bottom
        else:
            self.load_gap = m.new_constant(0)

    def _break_symmetry(self) -> None:
        """Candidates alike in every respect may be swapped: order them by their first start."""
        groups: dict[tuple[object, ...], list[int]] = defaultdict(list)
        for candidate in self.problem.candidates:
            if candidate.fixed_ends:
                continue
            signature = (
                tuple((p.minutes, p.jury, p.workstation, p.final) for p in candidate.parts),
                candidate.extra_time,
                candidate.extra_time_orals,
                candidate.separate_room,
                candidate.jurors,
            )
            groups[signature].append(candidate.id)
        for ids in groups.values():
            for a, b in itertools.pairwise(ids):
                first_a, first_b = self.by_candidate[a], self.by_candidate[b]
                if first_a and first_b:
                    self.model.add(first_a[0].start <= first_b[0].start)

    def slots(self, solver: cp_model.CpSolver) -> list[Slot]:
        slots = []
        for task in self.tasks:
            start = solver.value(task.start)
            present = tuple(sorted(j for j, lit in task.presence.items() if solver.boolean_value(lit)))
            slots.append(Slot(task.candidate.id, task.part.key, start, start + task.minutes, None, present))
        return list(assign_jurors(self.problem, slots)) if self.pooled else slots

    def hint(self, solver: cp_model.CpSolver) -> None:
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        for task in self.tasks:
            self.model.add_hint(task.start, solver.value(task.start))
            for lit in task.presence.values():
                self.model.add_hint(lit, solver.boolean_value(lit))

    def hint_slots(self, slots: Sequence[Slot]) -> None:
        """Start the search from a planning made without the solver."""
        self.model.clear_hints()  # type: ignore[no-untyped-call]
        planned = {(slot.candidate, slot.part): slot for slot in slots}
        for task in self.tasks:
            slot = planned[(task.candidate.id, task.part.key)]
            self.model.add_hint(task.start, slot.start)
            for juror, lit in task.presence.items():
                self.model.add_hint(lit, juror in slot.jurors)


def assign_workstations(problem: Problem, slots: Sequence[Slot]) -> tuple[Slot, ...]:
    """Give each part on a shared workstation a workstation number, 1..n, greedily by start time;
    a candidate keeps the workstation they had when it is free."""
    parts = {(c.id, p.key): (c, p) for c in problem.candidates for p in c.parts}
    free_at: dict[int, int] = {}
    last_of: dict[int, int] = {}
    result = []
    for slot in sorted(slots, key=lambda s: (s.start, s.end, s.candidate)):
        candidate, part = parts[(slot.candidate, slot.part)]
        if not candidate.uses_workstation(part):
            result.append(replace(slot, workstation=None))
            continue
        free = [n for n in range(1, problem.workstations + 1) if free_at.get(n, -1) <= slot.start]
        if not free:
            result.append(replace(slot, workstation=None))  # the checker will say so
            continue
        station = last_of.get(slot.candidate)
        if station not in free:
            station = free[0]
        free_at[station] = slot.end
        last_of[slot.candidate] = station
        result.append(replace(slot, workstation=station))
    return tuple(sorted(result, key=lambda s: (s.start, s.candidate)))


def interchangeable_jury(problem: Problem) -> bool:
    """Every jury member is free of conflict with every candidate and there every day: then only
    how many jury parts run at once matters, and the members are named afterwards."""
    everyone = frozenset(juror.id for juror in problem.jurors)
    days = frozenset(day.index for day in problem.days)
    return all(everyone <= c.jurors for c in problem.candidates) and all(days <= j.days for j in problem.jurors)


def assign_jurors(problem: Problem, slots: Sequence[Slot]) -> tuple[Slot, ...]:
    """Name ``jury_size`` members for each jury part of a planning whose jury parts never overlap
    more than ``len(jurors) // jury_size`` at once, by start time, the least loaded first.

    Never short: when a part starts, the parts already running hold at most
    ``jury_size * (panels - 1)`` members, which leaves ``jury_size`` free.
    """
    parts = {(c.id, p.key): p for c in problem.candidates for p in c.parts}
    busy_until = {juror.id: -1 for juror in problem.jurors}
    load = {juror.id: 0 for juror in problem.jurors}
    result = []
    for slot in sorted(slots, key=lambda s: (s.start, s.end, s.candidate)):
        if not parts[(slot.candidate, slot.part)].jury:
            result.append(replace(slot, jurors=()))
            continue
        free = sorted((j for j, until in busy_until.items() if until <= slot.start), key=lambda j: (load[j], j))
        chosen = tuple(sorted(free[: problem.jury_size]))
        for juror in chosen:
            busy_until[juror] = slot.end
            load[juror] += slot.end - slot.start
        result.append(replace(slot, jurors=chosen))
    return tuple(result)


def _solver(settings: Settings, seconds: float) -> cp_model.CpSolver:
    from ortools.sat.python import cp_model  # imported here: see the module docstring

    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(seconds, 0.05)
    solver.parameters.num_workers = max(settings.workers, 1)
    # One thread still runs every strategy (LNS included) in turn, deterministically.
    solver.parameters.interleave_search = settings.workers <= 1
    solver.parameters.random_seed = settings.seed
    if settings.work is not None:
        solver.parameters.max_deterministic_time = settings.work
    return solver


def _explain(problem: Problem, settings: Settings) -> Infeasibility:
    """Which groups of rules, together, leave no planning: each relaxed in turn."""
    from ortools.sat.python import cp_model  # imported here: see the module docstring

    blamed = []
    for group in ("workstations", "jury", "order"):
        relaxed = _Model(problem, relax=frozenset({group}))
        status = _solver(settings, settings.seconds / 6).solve(relaxed.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            blamed.append(group)
    return Infeasibility(COMBINATION, part=",".join(blamed) or None)


def _first_planning(problem: Problem) -> tuple[Slot, ...] | None:
    """The greedy list schedule with its workstations numbered, when it passes the checker."""
    slots = list_schedule(problem)
    if slots is None:
        return None
    slots = assign_workstations(problem, slots)
    return None if hard(check(problem, slots)) else slots


def solve(
    problem: Problem, settings: Settings = Settings(), *, clock: Callable[[], float] = time.perf_counter
) -> Outcome:
    """The best planning of ``problem`` within ``settings``, or why there is none.

    The greedy planning (``rules.timetable_greedy``) is the first incumbent and the solver's hint;
    each round must keep the previous rounds' values. The session's end is proven optimal when
    it meets the larger of the solver's bound and ``rules.timetable.lower_bound``.
    """
    from ortools.sat.python import cp_model  # imported here: see the module docstring

    started = clock()
    shortages = infeasibilities(problem)
    if shortages:
        return Outcome(INFEASIBLE, reasons=shortages, seconds=clock() - started)
    if not any(c.parts for c in problem.candidates):
        return Outcome(OPTIMAL, objective=Objective(0, 0, 0), end_bound=0, gap=0.0, seconds=clock() - started)
    built = _Model(problem)
    model = built.model
    bound = lower_bound(problem)
    model.add(built.end >= bound)
    incumbent = _first_planning(problem)
    rounds: list[str] = []
    if incumbent is not None:
        rounds.append("greedy")
        built.hint_slots(incumbent)
        model.add(built.end <= objective(problem, incumbent).end)
    budget = settings.seconds
    solver = _solver(settings, budget * ROUNDS[0] - (clock() - started))
    model.minimize(built.end)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        if incumbent is not None:  # never expected: the greedy planning satisfies the model
            raise AssertionError("the model refuses a planning that passes the checker")
        return Outcome(INFEASIBLE, reasons=(_explain(problem, settings),), seconds=clock() - started)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        incumbent = assign_workstations(problem, built.slots(solver))
        bound = max(bound, int(solver.best_objective_bound))
        rounds.append(solver.status_name(status).lower())
    elif incumbent is None:
        return Outcome(UNKNOWN, reasons=(Infeasibility(NOT_FOUND_IN_TIME),), seconds=clock() - started)
    else:
        rounds.append("kept")
    best_end = objective(problem, incumbent).end
    proven = best_end <= bound
    model.add(built.end <= best_end)
    for done, (goal, name) in enumerate(((built.spread, "spread"), (built.load_gap, "load")), start=1):
        if name == "load" and built.pooled:
            break  # the members are named afterwards, the least loaded first
        if name == "load":
            model.add(built.spread <= objective(problem, incumbent).spread)
        built.hint_slots(incumbent)
        model.minimize(goal)
        remaining = budget - (clock() - started)
        share = 1.0 if built.pooled else ROUNDS[done] / sum(ROUNDS[done:])
        following = _solver(settings, remaining * share)
        status = following.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            incumbent = assign_workstations(problem, built.slots(following))
            rounds.append(following.status_name(status).lower())
            proven = proven and status == cp_model.OPTIMAL
        else:
            rounds.append("kept")
            proven = False
    broken = hard(check(problem, incumbent))
    if broken:  # never expected: the model and the checker disagree
        raise AssertionError(f"the solver returned a planning that breaks {broken[0]}")
    used = open_minutes_until(problem, best_end)
    gap = 0.0 if used <= 0 else max(0, used - open_minutes_until(problem, bound)) / used
    return Outcome(
        OPTIMAL if proven else FEASIBLE,
        incumbent,
        objective=objective(problem, incumbent),
        end_bound=bound,
        gap=gap,
        seconds=clock() - started,
        rounds=tuple(rounds),
    )
