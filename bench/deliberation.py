"""Benchmark of the validation of PVs: 1,000 submitted PVs of 20 candidates each, validated one by one through
``deliberation.services.validate``.

Usage (PostgreSQL):

    uv run python bench/deliberation.py                    # 1,000 PVs of 20 candidates
    uv run python bench/deliberation.py --quick            # 50 PVs: a smoke run
    uv run python bench/deliberation.py --quick --profile  # and cProfile's top functions of the validation loop
    uv run python bench/deliberation.py --workers 2        # two agents validating different PVs at the same time

The audit log it writes is append-only and anchored in a checkpoint file of the run's own: so the bench
creates its database (``--database``, default ``postgres://postgres@127.0.0.1:5432/titrepro_bench_deliberation``;
its name must contain "bench": a leftover one of that name is dropped first) and drops it at the end
(``--keep`` keeps it). ``DATABASE_URL`` is not read: the bench never writes into a database it did not create.

The script migrates the database, loads the built-in catalogue and builds, in bulk (not timed: the bench
measures the validation, not the data entry), a centre approved for TSSR 2023 under a bench authority,
``--pvs`` held title sessions of ``--candidates`` candidates each with two jury members, every candidate
decided (70 % title awarded, 15 % partial success, 10 % failure, 5 % absent), and each session's PV submitted:
its members present, its content and SHA-256 frozen, signed by both members.

Then it times the validation loop only: for each PV, the real ``services.validate`` by an agent of the
authority (one transaction: the PV's lifecycle locks the row and audits, the holdings and the exam outcomes
are written, the documents to issue queued; after the commit the audit checkpoint and one result notice task
per candidate). Each PV is validated as a request would: the agent's scope is looked up again.

It prints PVs/s, holdings/s, documents queued, the queries per PV and the share of the time spent in them,
and where the time goes (phases measured by wrapping the services' own functions; they still run).

Aim: 50 PVs/s. Measured on this 2-core machine (PostgreSQL on the same machine), 1,000 PVs: about 38 PVs/s,
1,700 holdings/s, 27 queries per PV. Two thirds of a PV's 26 ms are Python (Django building the queries and
the ~180 model instances of a PV of 20 candidates), one third waiting on PostgreSQL; the PV's lock, scope and
reads, the holdings, then the audit chain (two entries under its lock, and the checkpoint after the commit)
take the most. Two workers in one process do not go faster (the interpreter's lock, and two cores shared with
PostgreSQL).

"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from scratch_database import server


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pvs", type=int, default=1_000)
    parser.add_argument("--candidates", type=int, default=20, help="candidates per PV")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 50 PVs")
    parser.add_argument("--workers", type=int, default=1, help="threads validating different PVs at the same time")
    parser.add_argument("--profile", action="store_true", help="cProfile the validation loop (one worker)")
    parser.add_argument("--database", default="postgres://postgres@127.0.0.1:5432/titrepro_bench_deliberation")
    parser.add_argument("--keep", action="store_true", help="keep the database and the checkpoint file")
    return parser.parse_args()


ARGS = arguments()
server(ARGS.database, "create")
os.environ["DATABASE_URL"] = ARGS.database
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titrepro.settings")
os.environ.setdefault("TITREPRO_DEBUG", "0")  # as in production: no query log kept in memory
# The bench's audit entries are anchored in a checkpoint file of their own, not the development one.
CHECKPOINTS = Path(tempfile.mkdtemp(prefix="titrepro-bench-"))
os.environ["TITREPRO_AUDIT_CHECKPOINT_FILE"] = str(CHECKPOINTS / "checkpoints.jsonl")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from titrepro.accounts.models import Role, RoleKind  # noqa: E402
from titrepro.accounts.permissions import forget_scope  # noqa: E402
from titrepro.audit import services as audit  # noqa: E402
from titrepro.candidates.models import Candidate, ExamOutcome, Holding, Pathway, identity_key  # noqa: E402
from titrepro.catalogue.models import CCP, Title  # noqa: E402
from titrepro.catalogue.services import load_builtin  # noqa: E402
from titrepro.core import lifecycle  # noqa: E402
from titrepro.deliberation import minutes as content  # noqa: E402
from titrepro.deliberation import services, tasks  # noqa: E402
from titrepro.deliberation.models import Decision, DocumentToIssue, Minutes, MinutesStatus, Signature  # noqa: E402
from titrepro.directory.models import Approval, ApprovedCentre, Authority, JuryMember  # noqa: E402
from titrepro.sessions.models import (  # noqa: E402
    ExamSession,
    JuryAssignment,
    JuryStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)

LAST_DAY = date(2026, 5, 4)  # the sessions were held before it, under TSSR 2023 (in force until 2026)
# Out of 20 candidates: 14 titles (CCPs 1 and 2 and the title: 3 holdings), 3 partial successes (CCP 1: one
# holding, a failure for the resit rules), 2 failures, 1 absence.
RESULTS = ("title_awarded",) * 14 + ("partial_success",) * 3 + ("failure",) * 2 + ("absent",)


# The data: bulk, not timed ---------------------------------------------------------------------------------------


def setup(pvs: int, per_pv: int) -> tuple[Any, ApprovedCentre, list[Minutes]]:
    """The authority's agent, the centre, and its ``pvs`` submitted PVs."""
    call_command("migrate", verbosity=0)
    load_builtin()
    version = Title.objects.get(code="TP-01351").versions.get(label="2023")
    ccps = list(CCP.objects.filter(version=version).order_by("number"))
    authority = Authority.objects.create(departement="988", name="DDETS bench PV")
    centre = ApprovedCentre.objects.create(code="BENCH-PV", name="Centre de mesure des PV", authority=authority)
    approval = Approval.objects.create(
        centre=centre,
        version=version,
        site_address="1 rue de la Mesure, 75000 Paris",
        granted_on=version.valid_from or date(2023, 9, 1),
        valid_until=version.valid_until or LAST_DAY + timedelta(days=365),
        authority=authority,
    )
    users = get_user_model().objects
    staff = users.create(username="bench-pv-staff")
    Role.objects.create(user=staff, kind=RoleKind.CENTRE_STAFF, centre=centre)
    agent = users.create(username="bench-pv-agent")
    Role.objects.create(user=agent, kind=RoleKind.AUTHORITY_AGENT, authority=authority)
    now = timezone.now()

    def day(i: int, before: int = 0) -> date:
        return LAST_DAY - timedelta(days=i % 300 + before)

    sessions = ExamSession.objects.bulk_create(
        ExamSession(
            number=f"BENCH-PV-{i:05d}",
            kind="title",
            version=version,
            centre=centre,
            approval=approval,
            site_address="1 rue de la Mesure, 75000 Paris",
            first_day=day(i),
            last_day=day(i),
            capacity=per_pv,
            status=SessionStatus.HELD,
            declared_on=day(i, 90),
            convened_on=day(i, 60),
            held_on=day(i),
        )
        for i in range(pvs)
    )
    members = []
    for i in range(2 * pvs):  # two members per session, each on one session only (no overlapping assignments)
        member = JuryMember(
            last_name=f"Juré{i}", first_name="Dominique", email=f"jure{i}@example.org", authority=authority
        )
        member.search_text = member.folded_search_text()  # what JuryMember.save() fills in
        members.append(member)
    members = JuryMember.objects.bulk_create(members, batch_size=5000)
    jury = JuryAssignment.objects.bulk_create(
        (
            JuryAssignment(
                session=session,
                member=members[2 * i + j],
                status=JuryStatus.ACCEPTED,
                first_day=session.first_day,
                last_day=session.last_day,
                proposed_on=session.first_day - timedelta(days=70),
                answered_on=session.first_day - timedelta(days=65),
            )
            for i, session in enumerate(sessions)
            for j in range(2)
        ),
        batch_size=5000,
    )
    people = [
        Candidate(
            birth_name=f"VALIDÉ{i}",
            given_names="Camille",
            birth_date=date(1990, 1, 1) + timedelta(days=i % 5000),
            birth_place="Paris",
            email=f"valide{i}@example.org",
            centre=centre,
        )
        for i in range(pvs * per_pv)
    ]
    for person in people:  # what Candidate.save() fills in
        person.identity_key = identity_key(person.birth_name, person.given_names, person.birth_date)
    people = Candidate.objects.bulk_create(people, batch_size=5000)
    Pathway.objects.bulk_create(
        (Pathway(candidate=c, title=version.title, route="training", started_on=date(2025, 9, 1)) for c in people),
        batch_size=5000,
    )
    results = [RESULTS[i % per_pv % len(RESULTS)] for i in range(len(people))]
    registrations = Registration.objects.bulk_create(
        (
            Registration(
                session=sessions[i // per_pv],
                candidate=person,
                status=RegistrationStatus.REGISTERED,
                registered_on=sessions[i // per_pv].first_day - timedelta(days=80),
                attendance="absent" if results[i] == "absent" else "present",
                portfolio_handed_in=True,
            )
            for i, person in enumerate(people)
        ),
        batch_size=5000,
    )
    decisions = Decision.objects.bulk_create(
        (
            Decision(
                registration=registration,
                result=result,
                reason="" if result in ("title_awarded", "absent") else "CCP 2 : procédures de sauvegarde absentes.",
                final_interview_held=result == "title_awarded",
                decided_at=now,
            )
            for registration, result in zip(registrations, results, strict=True)
        ),
        batch_size=5000,
    )
    awarded = {"title_awarded": ccps, "partial_success": ccps[:1]}
    Decision.ccps_awarded.through.objects.bulk_create(
        (
            Decision.ccps_awarded.through(decision_id=decision.pk, ccp_id=ccp.pk)
            for decision, result in zip(decisions, results, strict=True)
            for ccp in awarded.get(result, [])
        ),
        batch_size=5000,
    )
    minutes = Minutes.objects.bulk_create(
        Minutes(
            session=session,
            number=f"PV-{session.number}",
            status=MinutesStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=staff,
        )
        for session in sessions
    )
    Minutes.present.through.objects.bulk_create(
        (
            Minutes.present.through(minutes_id=pv.pk, juryassignment_id=assignment.pk)
            for i, pv in enumerate(minutes)
            for assignment in jury[2 * i : 2 * i + 2]
        ),
        batch_size=5000,
    )
    signatures = []
    for i, pv in enumerate(minutes):  # what submit froze: the content and its hash, signed by both members
        pv.content = content.content(pv)
        pv.sha256 = content.digest(pv.content)
        signatures += [Signature(minutes=pv, assignment=a, sha256=pv.sha256) for a in jury[2 * i : 2 * i + 2]]
    Minutes.objects.bulk_update(minutes, ["content", "sha256"], batch_size=500)
    Signature.objects.bulk_create(signatures, batch_size=5000)
    return agent, centre, list(Minutes.objects.filter(session__centre=centre).order_by("pk"))


# Where the time goes ---------------------------------------------------------------------------------------------

AUDIT = "audit entries (2, chained)"
CHECKPOINT = "after commit: audit checkpoint"
NOTICES = "after commit: result notices queued"
HOLDINGS = "write_holdings: holdings and outcomes"
DOCUMENTS = "queue_documents: documents to issue"
COMMIT = "the validation's COMMIT (PostgreSQL writes and flushes its log)"
REST = "the rest: the PV's lock and row, scope, decisions read"


class Meter:
    """Seconds, calls and queries per phase (every thread); a query counts in the innermost phase running."""

    def __init__(self) -> None:
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.calls: Counter[str] = Counter()
        self.queries: Counter[str] = Counter()
        self.query_seconds: defaultdict[str, float] = defaultdict(float)
        self.lock = threading.Lock()
        self.local = threading.local()

    def stack(self) -> list[str]:
        if not hasattr(self.local, "stack"):
            self.local.stack = []
        stack: list[str] = self.local.stack
        return stack

    def add(self, phase: str, seconds: float) -> None:
        with self.lock:
            self.seconds[phase] += seconds
            self.calls[phase] += 1

    def timed[**P, R](self, phase: str, function: Callable[P, R]) -> Callable[P, R]:
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            stack = self.stack()
            stack.append(phase)
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(phase, time.perf_counter() - started)
                stack.pop()

        return wrapper

    def outermost[**P, R](self, phase: str, function: Callable[P, R]) -> Callable[P, R]:
        """``timed``, only when no other phase runs (a commit inside the checkpoint is the checkpoint's)."""
        inner = self.timed(phase, function)

        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            return function(*args, **kwargs) if self.stack() else inner(*args, **kwargs)

        return wrapper

    def query(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        stack = self.stack()
        phase = stack[-1] if stack else REST
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            with self.lock:
                self.queries[phase] += 1
                self.query_seconds[phase] += time.perf_counter() - started


@contextmanager
def metered(meter: Meter) -> Iterator[None]:
    """The services' own functions, wrapped to time them (each still runs): restored at the end."""
    backend = type(tasks.send_result_notice.get_backend())  # its enqueue: one insert each, after the commit
    from django.db.backends.base.base import BaseDatabaseWrapper as wrapper

    patches: list[tuple[Any, str, Any]] = [
        (wrapper, "_commit", meter.outermost(COMMIT, wrapper._commit)),  # type: ignore[attr-defined]
        (services, "write_holdings", meter.timed(HOLDINGS, services.write_holdings)),
        (services, "queue_documents", meter.timed(DOCUMENTS, services.queue_documents)),
        (services, "record", meter.timed(AUDIT, audit.record)),  # the lifecycle's entry and validate's own
        (lifecycle, "record", meter.timed(AUDIT, audit.record)),
        (audit, "_checkpoint_after_commit", meter.timed(CHECKPOINT, audit._checkpoint_after_commit)),
        (backend, "enqueue", meter.timed(NOTICES, backend.enqueue)),
    ]
    saved = [(owner, name, vars(owner).get(name)) for owner, name, _ in patches]
    for owner, name, value in patches:
        setattr(owner, name, value)
    try:
        yield
    finally:
        for owner, name, value in saved:
            if value is None:
                delattr(owner, name)  # it was inherited
            else:
                setattr(owner, name, value)


# The timed loop --------------------------------------------------------------------------------------------------


def validate_all(agent: Any, batch: list[Minutes], meter: Meter, failures: Counter[str]) -> None:
    with connection.execute_wrapper(meter.query):
        for minutes in batch:
            forget_scope(agent)  # a request looks the agent's scope up again
            started = time.perf_counter()
            try:
                services.validate(agent, minutes)
            except Exception as error:  # counted and reported: a bench does not stop at the first one
                with meter.lock:
                    failures[f"{type(error).__name__}: {(str(error).splitlines() or [''])[0][:120]}"] += 1
            meter.add("validation", time.perf_counter() - started)


def in_thread(agent: Any, batch: list[Minutes], meter: Meter, failures: Counter[str]) -> None:
    try:
        validate_all(agent, batch, meter, failures)
    finally:
        connection.close()


def report(meter: Meter, elapsed: float, centre: ApprovedCentre, candidates: int, workers: int) -> None:
    validated = Minutes.objects.filter(session__centre=centre, status=MinutesStatus.VALIDATED).count()
    holdings = Holding.objects.filter(candidate__centre=centre).count()
    outcomes = ExamOutcome.objects.filter(candidate__centre=centre).count()
    documents = DocumentToIssue.objects.filter(minutes__session__centre=centre).count()
    print(f"validation: {validated} PVs in {elapsed:.1f} s = {validated / elapsed:.1f} PVs/s ({workers} worker(s))")
    print(f"holdings: {holdings} written = {holdings / elapsed:.0f} holdings/s ({outcomes} exam outcomes)")
    print(f"documents queued: {documents}; result notices queued: {meter.calls[NOTICES]}")

    pvs = max(1, meter.calls["validation"])
    busy = meter.seconds["validation"] or elapsed  # summed over the workers
    queries = sum(meter.queries.values())
    waiting = sum(meter.query_seconds.values())
    print(
        f"per PV: {1000 * busy / pvs:.1f} ms, {queries / pvs:.0f} queries ({queries / pvs / candidates:.1f} per"
        f" candidate), {100 * waiting / busy:.0f} % of the time in the queries (PostgreSQL and the driver),"
        f" the rest in Python building them and the objects"
    )
    phases = [HOLDINGS, DOCUMENTS, NOTICES, AUDIT, CHECKPOINT, COMMIT]
    seconds = {phase: meter.seconds[phase] for phase in phases}
    seconds[REST] = busy - sum(seconds.values())  # the phases are disjoint: none runs inside another
    for phase in sorted(seconds, key=lambda p: -seconds[p]):
        print(
            f"  {phase}: {1000 * seconds[phase] / pvs:.1f} ms per PV ({100 * seconds[phase] / busy:.0f} %),"
            f" {meter.queries[phase] / pvs:.0f} queries"
        )
    limit = max(seconds, key=lambda p: seconds[p])
    per_candidate = (meter.queries[HOLDINGS] + meter.queries[DOCUMENTS]) / pvs / candidates
    print(
        f"limited by: {limit.split(':')[0]} ({100 * seconds[limit] / busy:.0f} % of the time) — the holdings and the"
        f" documents issue {per_candidate:.1f} queries per candidate, one candidate after the other;"
        f" aim 50 PVs/s {'met' if validated / elapsed >= 50 else 'not met'}"
    )


def main() -> None:
    pvs = 50 if ARGS.quick else ARGS.pvs
    name = connection.settings_dict["NAME"]
    print(f"database: {connection.vendor} {name} (created for the run); {os.cpu_count()} cores")
    try:
        started = time.perf_counter()
        agent, centre, minutes = setup(pvs, ARGS.candidates)
        print(f"setup: {pvs} submitted PVs of {ARGS.candidates} candidates in {time.perf_counter() - started:.1f} s")

        meter = Meter()
        failures: Counter[str] = Counter()
        workers = 1 if ARGS.profile else ARGS.workers
        profile = cProfile.Profile() if ARGS.profile else None
        started = time.perf_counter()
        with metered(meter):
            if profile is not None:
                profile.runcall(validate_all, agent, minutes, meter, failures)
            elif workers == 1:
                validate_all(agent, minutes, meter, failures)
            else:
                connection.close()  # each thread its own connection
                threads = [
                    threading.Thread(target=in_thread, args=(agent, minutes[i::workers], meter, failures))
                    for i in range(workers)
                ]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
        elapsed = time.perf_counter() - started
        report(meter, elapsed, centre, ARGS.candidates, workers)
        for failure, count in failures.most_common():
            print(f"failed: {count} x {failure}")
        if profile is not None:
            stats = pstats.Stats(profile)
            stats.sort_stats("cumulative").print_stats(35)
            stats.sort_stats("tottime").print_stats(15)
    finally:
        connection.close()
        if ARGS.keep:
            print(f"kept: database {name}, checkpoint file {CHECKPOINTS / 'checkpoints.jsonl'}")
        else:
            server(ARGS.database, "drop")
            shutil.rmtree(CHECKPOINTS, ignore_errors=True)


if __name__ == "__main__":
    main()
