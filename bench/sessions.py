"""Benchmark of the sessions: 10,000 candidates registered across 500 sessions through the services, then
their convocations rendered as PDF.

Usage (PostgreSQL, on a throwaway database: the audit log it writes is append-only):

    createdb -h 127.0.0.1 -U postgres titrepro_bench_sessions
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/titrepro_bench_sessions uv run python bench/sessions.py
    dropdb -h 127.0.0.1 -U postgres titrepro_bench_sessions

The script migrates the database, loads the built-in catalogue, creates a bench authority, centre and
approval for TSSR's version in force, ``--candidates`` candidates on a training route (bulk, not timed),
``--sessions`` title sessions (through ``services.create_session``), then times:

- registrations: ``services.register_many`` session by session (each registration checked by the
  eligibility engine, capacity and overlap, audited, one transaction per session);
- convocation PDFs: the data of each registered candidate's convocation (``convocations.data``), then
  ``core.pdf.render`` in ``--processes`` processes (default: one per core).

Aims (issue 12): 1,000 registrations/s and 200 PDFs/s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titrepro.settings")
# The bench's audit entries are anchored in a checkpoint file of their own, not the development one.
os.environ.setdefault(
    "TITREPRO_AUDIT_CHECKPOINT_FILE", str(Path(tempfile.mkdtemp(prefix="titrepro-bench-")) / "checkpoints.jsonl")
)

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from titrepro.accounts.models import Role, RoleKind  # noqa: E402
from titrepro.candidates.models import Candidate, Pathway, identity_key  # noqa: E402
from titrepro.catalogue.models import Title  # noqa: E402
from titrepro.catalogue.queries import is_valid_on  # noqa: E402
from titrepro.catalogue.services import load_builtin  # noqa: E402
from titrepro.core import pdf  # noqa: E402
from titrepro.directory.models import Approval, ApprovedCentre, Authority  # noqa: E402
from titrepro.sessions import convocations, services  # noqa: E402
from titrepro.sessions.models import Convocation, Registration  # noqa: E402


def render_all(batch: list[dict[str, Any]]) -> int:
    for data in batch:
        pdf.render("convocation", data)
    return len(batch)


def setup(candidates: int, sessions: int) -> tuple[Any, Any, list[Any]]:
    from django.contrib.auth import get_user_model

    call_command("migrate", verbosity=0)
    load_builtin()
    today = timezone.localdate()
    tssr = Title.objects.get(code="TP-01351")
    version = next(v for v in tssr.versions.order_by("-valid_from") if is_valid_on(v, today))
    run = int(time.time())
    authority, _ = Authority.objects.get_or_create(departement="989", defaults={"name": "Bench"})
    centre = ApprovedCentre.objects.create(code=f"B{run}", name="Centre de mesure", authority=authority)
    Approval.objects.create(
        centre=centre,
        version=version,
        site_address="1 rue de la Mesure, 75000 Paris",
        granted_on=version.valid_from or today,
        valid_until=version.valid_until or today + timedelta(days=3650),
        authority=authority,
    )
    user = get_user_model().objects.create(username=f"bench{run}")
    Role.objects.create(user=user, kind=RoleKind.CENTRE_STAFF, centre=centre)
    people = [
        Candidate(
            birth_name=f"MESURE{i}",
            given_names="Camille",
            birth_date=today - timedelta(days=365 * 30 + i % 3000),
            birth_place="Paris",
            email=f"mesure{run}.{i}@example.org",
            centre=centre,
        )
        for i in range(candidates)
    ]
    for person in people:  # what Candidate.save() fills in
        person.identity_key = identity_key(person.birth_name, person.given_names, person.birth_date)
    people = Candidate.objects.bulk_create(people)
    Pathway.objects.bulk_create(
        Pathway(candidate=c, title=tssr, route="training", started_on=today - timedelta(days=200)) for c in people
    )
    per_day = max(1, sessions // 100)
    created = [
        services.create_session(
            user,
            centre,
            kind="title",
            version=version,
            first_day=today + timedelta(days=60 + i // per_day),
            last_day=today + timedelta(days=60 + i // per_day),
            site_address="1 rue de la Mesure, 75000 Paris",
            capacity=-(-candidates // sessions),
        )
        for i in range(sessions)
    ]
    return user, centre, [(s, people[i::sessions]) for i, s in enumerate(created)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--pdfs", type=int, default=2_000, help="convocations rendered (0: every registration)")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    print(f"database: {connection.vendor} {connection.settings_dict['NAME']}")

    started = time.perf_counter()
    user, centre, plan = setup(args.candidates, args.sessions)
    print(f"setup: {args.candidates} candidates, {args.sessions} sessions in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    registered = refused = 0
    for session, people in plan:
        for outcome in services.register_many(user, session, people):
            registered += outcome.registration is not None
            refused += outcome.refusal is not None
    elapsed = time.perf_counter() - started
    print(
        f"registrations: {registered} in {elapsed:.1f} s = {registered / elapsed:.0f} registrations/s ({refused} refused)"
    )

    registrations = list(
        Registration.objects.filter(session__centre=centre)
        .select_related("session__version__title", "session__centre__authority", "candidate")
        .prefetch_related("accommodations")
        .order_by("pk")[: args.pdfs or None]
    )
    started = time.perf_counter()
    now = timezone.now()
    batch = [
        convocations.data(Convocation(session=r.session, registration=r, reference=f"B{i:07d}"), issued=now)
        for i, r in enumerate(registrations)
    ]
    prepared = time.perf_counter() - started
    connection.close()  # the processes render only: no database
    chunks = [batch[i :: args.processes] for i in range(args.processes)]
    started = time.perf_counter()
    with ProcessPoolExecutor(args.processes) as pool:
        done = sum(pool.map(render_all, chunks))
    elapsed = time.perf_counter() - started
    print(f"convocation data: {len(batch)} in {prepared:.1f} s = {len(batch) / prepared:.0f}/s")
    print(f"convocation PDFs: {done} in {elapsed:.1f} s = {done / elapsed:.0f} PDFs/s on {args.processes} process(es)")


if __name__ == "__main__":
    main()
