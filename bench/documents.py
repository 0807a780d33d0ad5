"""Benchmark of the issuance of documents: 10,000 documents of validated PVs rendered (Typst, with the QR code),
signed (PAdES, the authority's key) and registered, with their digital badges (an Open Badges 3.0 credential per
title and CCP held, eddsa-rdfc-2022), by two real task workers (``titrepro db_worker``), each a process of its
own, as ``make run`` starts one.

Usage (PostgreSQL):

    uv run python bench/documents.py                 # 10,000 documents, two workers
    uv run python bench/documents.py --quick         # 1,000 documents: a smoke run
    uv run python bench/documents.py --workers 1

The bench creates its database (``--database``, default ``postgres://postgres@127.0.0.1:5432/titrepro_bench_documents``;
its name must contain "bench": a leftover one of that name is dropped first), a keys folder, a media folder
and an audit checkpoint file of its own in a temporary folder, and drops them at the end (``--keep`` keeps
them). ``DATABASE_URL`` is not read.

Not timed: the data, built in bulk (a centre approved for TSSR 2023 under a bench authority with its
development key, 500 validated PVs of 20 candidates, one "to be issued" entry per candidate: 17 parchemins and
3 livrets out of 20, the holdings: the title and its three CCPs for a parchemin, CCP 1 for a livret, so 71 badges
per 20 documents), and the tasks queued (one ``issue_documents`` per PV, as the
validation queues them). Timed: from the workers' start until they have nothing left to do. The workers send
each document to its holder too (one task per PV, the e-mail with the PDF attached, the console backend of
development, its output thrown away): what issuing costs in production.

It prints documents (PDF + badges) per second and badges per second, the peak memory (resident set, VmHWM) of
each worker process, and checks that every entry was issued once. Aim: 200 documents/s with their badges, under
150 MB per worker.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from scratch_database import server


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1,000 documents")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/titrepro_bench_documents")
    parser.add_argument("--keep", action="store_true", help="keep the database and the temporary folder")
    return parser.parse_args()


ARGS = arguments()
TOTAL = 1_000 if ARGS.quick else ARGS.documents
PER_PV = 20
server(ARGS.database, "create")
FOLDER = Path(tempfile.mkdtemp(prefix="titrepro-bench-documents-"))
ENVIRONMENT = {
    "DATABASE_URL": ARGS.database,
    "DJANGO_SETTINGS_MODULE": "titrepro.settings",
    "TITREPRO_DEBUG": "0",  # as in production: no query log kept in memory
    "TITREPRO_KEYS_DIR": str(FOLDER / "keys"),
    "TITREPRO_MEDIA_DIR": str(FOLDER / "media"),
    "TITREPRO_AUDIT_CHECKPOINT_FILE": str(FOLDER / "audit-checkpoints.jsonl"),
}
os.environ.update(ENVIRONMENT)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db.models import Max, Min  # noqa: E402
from django.utils import timezone  # noqa: E402

from titrepro.candidates.models import Candidate, Holding, HoldingKind, identity_key  # noqa: E402
from titrepro.catalogue.models import CCP, Title  # noqa: E402
from titrepro.catalogue.services import load_builtin  # noqa: E402
from titrepro.credentials import keys, tasks  # noqa: E402
from titrepro.credentials.models import Badge, IssuedDocument  # noqa: E402
from titrepro.deliberation.models import DocumentToIssue, IssuanceStatus, Minutes, MinutesStatus  # noqa: E402
from titrepro.directory.models import Approval, ApprovedCentre, Authority  # noqa: E402
from titrepro.sessions.models import ExamSession, Registration, RegistrationStatus, SessionStatus  # noqa: E402

LAST_DAY = date(2026, 5, 4)
LIVRETS = 3  # out of 20 candidates of a PV: the others are awarded the title


def setup(total: int) -> list[int]:
    """The validated PVs and their entries to issue; the PVs' ids."""
    call_command("migrate", verbosity=0)
    load_builtin()
    version = Title.objects.get(code="TP-01351").versions.get(label="2023")
    ccps = list(CCP.objects.filter(version=version).order_by("number"))
    authority = Authority.objects.create(
        departement="974",
        name="DDETS de la mesure",
        address="1 place de la Mesure\n75000 Paris",
        signatory_name="Claude MARTIN",
        signatory_title="Directeur départemental de l’emploi, du travail et des solidarités",
    )
    keys.init_keys([(authority.departement, authority.name)])
    centre = ApprovedCentre.objects.create(code="BENCH-DOC", name="Centre de mesure", authority=authority)
    approval = Approval.objects.create(
        centre=centre,
        version=version,
        site_address="1 rue de la Mesure, 75000 Paris",
        granted_on=version.valid_from or date(2023, 9, 1),
        valid_until=version.valid_until or LAST_DAY + timedelta(days=365),
        authority=authority,
    )
    pvs = -(-total // PER_PV)
    sessions = ExamSession.objects.bulk_create(
        ExamSession(
            number=f"BENCH-DOC-{i:05d}",
            kind="title",
            version=version,
            centre=centre,
            approval=approval,
            site_address="1 rue de la Mesure, 75000 Paris",
            first_day=LAST_DAY - timedelta(days=i % 300),
            last_day=LAST_DAY - timedelta(days=i % 300),
            capacity=PER_PV,
            status=SessionStatus.HELD,
            declared_on=LAST_DAY - timedelta(days=i % 300 + 90),
            convened_on=LAST_DAY - timedelta(days=i % 300 + 60),
            held_on=LAST_DAY - timedelta(days=i % 300),
        )
        for i in range(pvs)
    )
    people = [
        Candidate(
            birth_name=f"DÉLIVRÉ{i}",
            given_names="Camille Marie",
            birth_date=date(1990, 1, 1) + timedelta(days=i % 5000),
            birth_place="Paris",
            email=f"delivre{i}@example.org",
            centre=centre,
        )
        for i in range(total)
    ]
    for person in people:
        person.identity_key = identity_key(person.birth_name, person.given_names, person.birth_date)
    people = Candidate.objects.bulk_create(people, batch_size=5000)
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                session=sessions[i // PER_PV],
                candidate=person,
                status=RegistrationStatus.REGISTERED,
                registered_on=sessions[i // PER_PV].first_day - timedelta(days=80),
                attendance="present",
            )
            for i, person in enumerate(people)
        ),
        batch_size=5000,
    )
    now = timezone.now()
    minutes = Minutes.objects.bulk_create(
        Minutes(
            session=session,
            number=f"PV-{session.number}",
            status=MinutesStatus.VALIDATED,
            sha256="0" * 64,
            submitted_at=now,
            validated_at=now,
        )
        for session in sessions
    )
    livret = [i % PER_PV < LIVRETS for i in range(total)]

    def holdings(i: int, person: Candidate) -> list[Holding]:
        """What the PV gave: CCP 1 for a livret; the title and every CCP for a parchemin (each gets a badge)."""
        session, pv = sessions[i // PER_PV], minutes[i // PER_PV]
        source = f"PV {pv.number}, session {session.number}"
        held = [
            Holding(
                candidate=person,
                kind=HoldingKind.CCP,
                version=version,
                ccp=ccp,
                obtained_on=session.last_day,
                source=source,
            )
            for ccp in (ccps[:1] if livret[i] else ccps)
        ]
        if not livret[i]:
            held.append(
                Holding(
                    candidate=person,
                    kind=HoldingKind.TITLE,
                    version=version,
                    obtained_on=session.last_day,
                    source=source,
                )
            )
        return held

    Holding.objects.bulk_create(
        (holding for i, person in enumerate(people) for holding in holdings(i, person)), batch_size=5000
    )

    def data(i: int, person: Candidate) -> dict[str, object]:
        session = sessions[i // PER_PV]
        awarded = ccps[:1] if livret[i] else ccps
        return {
            "kind": "livret" if livret[i] else "parchemin",
            "candidate": {
                "id": person.pk,
                "birth_name": person.birth_name,
                "usual_name": "",
                "given_names": person.given_names,
                "birth_date": person.birth_date.isoformat(),
                "birth_place": person.birth_place,
            },
            "title": {
                "code": version.title.code,
                "label": version.title.label,
                "level": version.title.level,
                "rncp": version.rncp_code,
                "version": version.label,
            },
            "result": "partial_success" if livret[i] else "title_awarded",
            "ccps": [{"number": c.number, "label": c.label, "rncp_block": c.rncp_block_code} for c in awarded],
            "ccs": None,
            "obtained_on": session.last_day.isoformat(),
            "session": {"number": session.number, "centre": centre.name, "kind": session.kind},
            "minutes": {"number": minutes[i // PER_PV].number, "sha256": "0" * 64, "validated_on": None},
            "authority": {
                "name": authority.name,
                "departement": authority.departement,
                "signatory_name": authority.signatory_name,
                "signatory_title": authority.signatory_title,
            },
        }

    DocumentToIssue.objects.bulk_create(
        (
            DocumentToIssue(
                minutes=minutes[i // PER_PV],
                registration=registration,
                kind="livret" if livret[i] else "parchemin",
                data=data(i, registration.candidate),
            )
            for i, registration in enumerate(registrations)
        ),
        batch_size=2000,
    )
    return [pv.pk for pv in minutes]


def peak_kb(pid: int) -> int:
    """The process's peak resident set so far (VmHWM), in kB; 0 once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    try:
        started = time.perf_counter()
        pvs = setup(TOTAL)
        for pv in pvs:
            tasks.issue_documents.enqueue(pv)
        print(f"database: PostgreSQL (created for the run); {os.cpu_count()} cores")
        print(f"setup: {len(pvs)} validated PVs, {TOTAL} documents to issue, in {time.perf_counter() - started:.1f} s")
        command = [sys.executable, "-m", "titrepro", "db_worker", "--batch", "--interval", "0", "--no-startup-delay"]
        env = {**os.environ, **ENVIRONMENT, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
        log = (FOLDER / "workers.log").open("w")
        started = time.perf_counter()
        workers = [
            subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)  # noqa: S603
            for _ in range(ARGS.workers)
        ]
        peaks = [0] * len(workers)
        while any(w.poll() is None for w in workers):
            peaks = [max(p, peak_kb(w.pid)) for p, w in zip(peaks, workers, strict=True)]
            time.sleep(0.2)
        elapsed = time.perf_counter() - started
        issued = IssuedDocument.objects.count()
        left = DocumentToIssue.objects.filter(status=IssuanceStatus.TO_ISSUE).count()
        doubled = issued - IssuedDocument.objects.values("source").distinct().count()
        credentials = Badge.objects.count()
        print(
            f"issued: {issued} documents (PDF + their {credentials} digital badges) in {elapsed:.1f} s"
            f" = {issued / elapsed:.0f} documents/s, {credentials / elapsed:.0f} badges/s ({ARGS.workers} workers)"
        )
        first, last = IssuedDocument.objects.aggregate(first=Min("issued_at"), last=Max("issued_at")).values()
        if first is not None and last is not None and last > first:
            steady = (issued - 1) / (last - first).total_seconds()
            print(f"  once the workers are up (first to last document registered): {steady:.0f} documents/s")
        print("peak memory per worker (VmHWM): " + ", ".join(f"{p / 1024:.0f} MB" for p in peaks))
        print(f"left to issue: {left}; issued twice: {doubled}; workers' exit codes: {[w.returncode for w in workers]}")
        aim = issued / elapsed >= 200 and max(peaks) < 150 * 1024  # the wall-clock rate, start-up included
        print(f"aim (200 documents/s, under 150 MB per worker): {'met' if aim else 'not met'}")
    finally:
        from django.db import connections

        connections.close_all()
        if not ARGS.keep:
            server(ARGS.database, "drop")
            shutil.rmtree(FOLDER, ignore_errors=True)
        else:
            print(f"kept: {ARGS.database} and {FOLDER}")


if __name__ == "__main__":
    main()
