"""Benchmark of the session timetable solver (issue 13): plans TSSR sessions and prints, for each,
the solve time, the objective, the proven bound and whether the planning is optimal.

Usage:

    uv run python bench/timetable.py            # every case, 10 s each, one worker
    uv run python bench/timetable.py --seconds 30 --only tssr-20-6

No database: the problems are built in ``titrepro.rules.timetable`` from the durations of the
built-in catalogue (``catalogue/titles/tssr.yaml``): the TSSR 2023 title session (practical
assessment 1:30 on a post without the jury, 0:15 of reading without a post, 0:45 before the jury
on a post; professional questionnaire 2:00 on a post; technical interview 0:45 and final
interview 0:20 before the jury: 5 h 35) and the TSSR 2026 CCP 1 session (3 h 15).

Days are open 8:30-17:30 with lunch 12:00-13:00 (8 open hours). The gap is counted in open
minutes: (end - bound) / (end - first opening), nights and breaks left out.

Aim (issue 13): an optimal or proven-within-5% planning for the 20-candidate TSSR title session
over two days with three jury members and ten workstations, in under 10 s on one core.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from titrepro.rules.timetable import (
    DAY_MINUTES,
    Candidate,
    Day,
    Juror,
    Part,
    Problem,
    check,
    hard,
    open_minutes_until,
)
from titrepro.rules.timetable_solver import Settings, interchangeable_jury, solve

TSSR_2023_TITLE = (
    Part("msp-1", "Manipulations sur machines virtuelles", 90, jury=False, workstation=True),
    Part("msp-2", "Prise de connaissance du sujet", 15, jury=False, workstation=False),
    Part("msp-3", "Mises en situation devant le jury", 45, jury=True, workstation=True),
    Part("qp", "Questionnaire professionnel", 120, jury=False, workstation=True),
    Part("et", "Entretien technique", 45, jury=True, workstation=False),
    Part("ef", "Entretien final", 20, jury=True, workstation=False, final=True),
)
TSSR_2026_CCP_1 = (
    Part("msp-1", "Manipulations", 60, jury=False, workstation=True),
    Part("msp-2", "Préparation de la présentation", 15, jury=False, workstation=False),
    Part("msp-3", "Présentation orale devant le jury", 30, jury=True, workstation=False),
    Part("msp-4", "Résolution d’un incident devant le jury", 30, jury=True, workstation=True),
    Part("qp", "Questionnaire professionnel", 30, jury=False, workstation=True),
    Part("et", "Entretien technique", 30, jury=True, workstation=False),
)


@dataclass(frozen=True)
class Case:
    name: str
    parts: tuple[Part, ...]
    candidates: int
    days: int
    jurors: int
    workstations: int
    conflicts: bool = False  # each member conflicted with two candidates, two with a third extra time

    def problem(self) -> Problem:
        days = tuple(
            Day(i, date(2027, 3, 1) + timedelta(days=i), 8 * 60 + 30, 17 * 60 + 30, ((12 * 60, 13 * 60),))
            for i in range(self.days)
        )
        jurors = tuple(Juror(100 + j, f"Membre {j + 1}", frozenset(range(self.days))) for j in range(self.jurors))
        candidates = []
        for c in range(self.candidates):
            free = {j.id for j in jurors}
            if self.conflicts:
                free -= {100 + (c // 2) % self.jurors}
            candidates.append(
                Candidate(
                    c + 1,
                    f"Candidat {c + 1}",
                    self.parts,
                    frozenset(free),
                    extra_time=Fraction(1, 3) if self.conflicts and c < 2 else Fraction(0),
                )
            )
        return Problem(days, tuple(candidates), jurors, self.workstations)


CASES = (
    Case("tssr-20-3", TSSR_2023_TITLE, 20, 2, 3, 10),
    Case("tssr-20-6", TSSR_2023_TITLE, 20, 2, 6, 10),
    Case("tssr-20-6-conflicts", TSSR_2023_TITLE, 20, 2, 6, 10, conflicts=True),
    Case("tssr-12-2-one-day", TSSR_2023_TITLE, 12, 1, 2, 8),
    Case("tssr-12-2", TSSR_2023_TITLE, 12, 4, 2, 8),
    Case("ccp-60-6", TSSR_2026_CCP_1, 60, 5, 6, 10),
)


def clock(minute: int) -> str:
    day, rest = divmod(minute, DAY_MINUTES)
    return f"day {day + 1} {rest // 60:02d}:{rest % 60:02d}"


def run(case: Case, settings: Settings) -> None:
    problem = case.problem()
    started = time.perf_counter()
    outcome = solve(problem, settings)
    elapsed = time.perf_counter() - started
    mode = "interchangeable jury" if interchangeable_jury(problem) else "jury member by member"
    print(
        f"{case.name}: {case.candidates} candidates, {case.days} days, {case.jurors} jury members, "
        f"{case.workstations} workstations ({mode})"
    )
    if not outcome.slots:
        print(f"  {outcome.status} in {elapsed:.2f} s")
        for reason in outcome.reasons:
            print(f"  reason: {reason.code} needed={reason.needed} available={reason.available}")
        return
    if outcome.objective is None or outcome.end_bound is None or hard(check(problem, outcome.slots)):
        sys.exit(f"{case.name}: the planning returned does not pass the checker")
    used = open_minutes_until(problem, outcome.objective.end)
    print(
        f"  {outcome.status} in {elapsed:.2f} s (rounds {', '.join(outcome.rounds)}): ends {clock(outcome.objective.end)}"
        f" ({used} open minutes), bound {clock(outcome.end_bound)}, gap {outcome.gap:.1%},"
        f" spread {outcome.objective.spread} min, jury load gap {outcome.objective.load_gap} min"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--only", choices=[case.name for case in CASES])
    args = parser.parse_args()
    settings = Settings(seconds=args.seconds, workers=args.workers)
    for case in CASES:
        if args.only in (None, case.name):
            run(case, settings)


if __name__ == "__main__":
    main()
