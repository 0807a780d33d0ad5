"""Benchmark of the candidates import: 100,000 generated rows, checked then written.

Usage (PostgreSQL, the target: under 30 s):

    createdb -h 127.0.0.1 -U postgres titrepro_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/titrepro_bench uv run python bench/import.py

The script migrates the database it is given (``migrate`` is idempotent), loads the
built-in catalogue, creates a bench centre, writes a CSV of ``--rows`` candidates,
checks and imports it, then re-imports it (nothing new must be written), and
deletes what it created. Without DATABASE_URL it runs on the development SQLite file.
Prints rows per second and the peak memory (maximum resident set size of the process).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titrepro.settings")
# The bench's audit entries are anchored in a checkpoint file of their own, not the development one.
os.environ.setdefault(
    "TITREPRO_AUDIT_CHECKPOINT_FILE", str(Path(tempfile.mkdtemp(prefix="titrepro-bench-")) / "checkpoints.jsonl")
)
# The bench reads more rows than the import allows by default (TITREPRO_IMPORT_MAX_ROWS, 20,000).
os.environ.setdefault("TITREPRO_IMPORT_MAX_ROWS", "10000000")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from titrepro.candidates import imports, services  # noqa: E402
from titrepro.candidates.models import Candidate, Pathway  # noqa: E402
from titrepro.catalogue.services import load_builtin  # noqa: E402
from titrepro.directory.models import ApprovedCentre, Authority  # noqa: E402

ROUTES = ("formation", "apprentissage", "vae", "capitalisation")


def generate(rows: int) -> bytes:
    lines = [
        "nom_naissance;nom_usage;prenoms;date_naissance;lieu_naissance;courriel;telephone;titre;parcours;"
        "organisme_formation;debut_formation;fin_formation"
    ]
    for i in range(rows):
        lines.append(
            f"Bénard{i};;Éloïse Marie;{1 + i % 28:02d}/{1 + i % 12:02d}/{1960 + i % 45};Saint-Étienne;"
            f"eloise.{i}@example.org;06 12 34 {i % 100:02d} {i // 100 % 100:02d};TP-01351;{ROUTES[i % 4]};"
            f"AFPA Lyon;05/01/2026;"
        )
    return ("\n".join(lines) + "\n").encode()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    arguments = parser.parse_args()

    call_command("migrate", verbosity=0)
    load_builtin()
    authority, _ = Authority.objects.get_or_create(departement="98", defaults={"name": "DDETS bench"})
    centre, _ = ApprovedCentre.objects.get_or_create(
        code="BENCH-IMPORT", defaults={"name": "Centre bench import", "authority": authority}
    )
    Pathway.objects.filter(candidate__centre=centre).delete()
    Candidate.objects.filter(centre=centre).delete()

    content = generate(arguments.rows)
    print(f"database: {connection.vendor}; file: {arguments.rows} rows, {len(content) / 1e6:.1f} MB")

    started = time.perf_counter()
    report = imports.check(centre, "bench.csv", content)
    checked = time.perf_counter()
    if not report.ok:
        raise SystemExit(report.as_text()[:2000])
    report = services.import_candidates(None, centre, report, trusted=True)
    written = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # kilobytes on Linux
    if report.created != arguments.rows:
        raise SystemExit(f"created {report.created}, expected {arguments.rows}")

    again = imports.check(centre, "bench.csv", content)
    again = services.import_candidates(None, centre, again, trusted=True)
    reimported = time.perf_counter()
    if again.created or again.pathways_created:
        raise SystemExit("the re-import created rows")

    total = written - started
    print(f"check:  {checked - started:6.2f} s")
    print(f"write:  {written - checked:6.2f} s")
    print(f"total:  {total:6.2f} s  ->  {arguments.rows / total:,.0f} rows/s")
    print(f"peak memory (maximum resident set size of the process): {peak / 1e6:.0f} MB")
    print(f"re-import of the same file: {reimported - written:.2f} s, {again.created} created")

    Pathway.objects.filter(candidate__centre=centre).delete()
    Candidate.objects.filter(centre=centre).delete()


if __name__ == "__main__":
    main()
