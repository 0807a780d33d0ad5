"""Benchmark: the standing of one million synthetic candidates against the shipped catalogue.

Pure engine, no database: the titles are read from the YAML files shipped in
the package (src/titrepro/catalogue/titles/), compiled once, and
``titrepro.rules.standing.compute_standing`` runs on one core. Candidates are
generated in batches (generation is not timed) so memory stays flat.

    uv run python bench/standing.py [--candidates 1000000] [--seed 1]

Prints candidates per second for the engine alone, and the peak resident memory
of the process. Target (issue 3): at least 100,000 candidates per second.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from datetime import date, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titrepro.settings")
django.setup()  # for the YAML loader's translated messages only; no database is opened

from titrepro.catalogue.loader import parse_file  # noqa: E402
from titrepro.catalogue.services import builtin_files  # noqa: E402
from titrepro.catalogue.specs import spec_from_document  # noqa: E402
from titrepro.rules.catalogue import TitleSpec  # noqa: E402
from titrepro.rules.standing import (  # noqa: E402
    CcpHolding,
    EquivalenceHolding,
    Event,
    Holding,
    Route,
    SessionKind,
    SessionOutcome,
    Situation,
    TitleHolding,
    TitleIndex,
    VaeAdmissibility,
    VaeApplication,
    compute_standing,
)

BATCH = 20_000
ROUTES = [Route.TRAINING, Route.APPRENTICESHIP, Route.VAE, Route.ACCUMULATION, None]


def synthetic(spec: TitleSpec, rnd: random.Random, count: int) -> list[Situation]:
    """A believable mix: most candidates hold 0 to 2 CCPs, some failed, some are VAE, a few hold the title."""
    versions = [(v.label, sorted(v.ccps), v.valid_from or date(2015, 1, 1)) for v in spec.versions]
    out = []
    for _ in range(count):
        on = date(2024, 1, 1) + timedelta(days=rnd.randrange(3 * 365))
        holdings: list[Holding] = []
        events: list[Event] = []
        for label, numbers, start in versions:
            if start < on and rnd.random() < 0.35:
                for number in numbers:
                    if rnd.random() < 0.4:
                        span = max((on - start).days, 1)
                        holdings.append(
                            CcpHolding(spec.code, label, number, start + timedelta(days=rnd.randrange(span)))
                        )
        roll = rnd.random()
        if roll < 0.03:
            holdings.append(TitleHolding(spec.code, None, on - timedelta(days=rnd.randrange(1, 900))))
        elif roll < 0.05:
            holdings.append(EquivalenceHolding("RNCP" + str(rnd.randrange(10000, 40000))))
        route = rnd.choice(ROUTES)
        if rnd.random() < 0.15:
            kind = SessionKind.TITLE if rnd.random() < 0.8 else SessionKind.CCP
            events.append(
                SessionOutcome("failure", kind, spec.code, versions[-1][0], on - timedelta(days=rnd.randrange(1, 700)))
            )
        if route is Route.VAE:
            if rnd.random() < 0.7:
                events.append(VaeAdmissibility(spec.code, on - timedelta(days=rnd.randrange(1, 500))))
            else:
                events.append(VaeApplication(spec.code, on - timedelta(days=rnd.randrange(1, 120))))
        started = (
            on - timedelta(days=rnd.randrange(30, 900)) if route in (Route.TRAINING, Route.APPRENTICESHIP) else None
        )
        out.append(Situation(spec.code, on, route, started, tuple(holdings), tuple(events)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    indexes = [TitleIndex(spec_from_document(parse_file(path))) for path in builtin_files()]
    rnd = random.Random(args.seed)
    engine_seconds = 0.0
    done = options = 0
    started = time.perf_counter()
    while done < args.candidates:
        index = indexes[(done // BATCH) % len(indexes)]
        batch = synthetic(index.spec, rnd, min(BATCH, args.candidates - done))
        tick = time.perf_counter()
        for situation in batch:
            options += len(compute_standing(index, situation).options)
        engine_seconds += time.perf_counter() - tick
        done += len(batch)
    wall = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"python            {platform.python_version()} on {platform.machine()}, one core")
    print(f"titles            {', '.join(i.code for i in indexes)}")
    print(f"candidates        {done:,}")
    print(f"options computed  {options:,}")
    print(f"engine time       {engine_seconds:.2f} s")
    print(f"candidates/s      {done / engine_seconds:,.0f}  (engine only; target 100,000)")
    print(f"wall time         {wall:.2f} s (with generating the candidates)")
    print(f"peak memory       {peak_mib:,.0f} MiB (resident, whole process)")
    sys.exit(0)


if __name__ == "__main__":
    main()
