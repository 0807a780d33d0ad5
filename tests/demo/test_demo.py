"""The demonstration world of the quick start."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from titrepro.accounts import otp
from titrepro.accounts.models import STAFF_KINDS, Role, RoleKind, TotpDevice
from titrepro.audit.services import verify
from titrepro.candidates.models import Candidate, Holding, Pathway
from titrepro.deliberation.models import Decision, DocumentToIssue, Minutes
from titrepro.demo.world import PASSWORD, build, codes
from titrepro.directory.models import Approval, ApprovedCentre, Authority, Habilitation, JuryMember
from titrepro.rules import timetable as rules
from titrepro.sessions import timetable
from titrepro.sessions.models import ExamSession, TimetableSlot

pytestmark = pytest.mark.django_db


def test_the_world_is_believable_and_its_accounts_work() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    assert Authority.objects.count() == 2
    assert ApprovedCentre.objects.count() == 3
    assert set(Approval.objects.values_list("centre", flat=True)) == set(
        ApprovedCentre.objects.values_list("pk", flat=True)
    )
    assert JuryMember.objects.count() == 12
    assert Habilitation.objects.filter(ended_on=None).count() == 12  # one of them reached its end (its term)
    assert Candidate.objects.count() == 100
    assert set(Pathway.objects.values_list("route", flat=True)) == {"training", "apprenticeship", "vae", "accumulation"}
    assert {r.kind for r in Role.objects.all()} == set(RoleKind)
    printed = out.getvalue()
    for role in Role.objects.select_related("user"):
        assert role.user.username in printed
        assert authenticate(username=role.user.username, password=PASSWORD) == role.user
    assert verify() is None


def test_running_it_twice_changes_nothing() -> None:
    build()
    counts = (Candidate.objects.count(), Habilitation.objects.count(), Approval.objects.count(), Role.objects.count())
    build()
    assert (
        Candidate.objects.count(),
        Habilitation.objects.count(),
        Approval.objects.count(),
        Role.objects.count(),
    ) == counts


def test_the_convened_and_the_held_sessions_are_planned() -> None:
    """Their planning passes the checker; the late candidate's part started on arrival, its end kept (R-45)."""
    build()
    planned = ExamSession.objects.filter(timetable__isnull=False)
    assert {s.status for s in planned} == {"convened", "held"}
    for session in planned:
        problem, index = timetable.problem_for(session)
        slots = [pure for _row, pure in timetable.saved_slots(session.timetable, index)]
        assert [v for v in rules.check(problem, slots) if v.hard] == []
    late = TimetableSlot.objects.filter(planned_start__isnull=False)
    assert late.count() == 1
    assert late.get().registration.attendance == "late"


def test_the_held_session_is_deliberated_and_validated() -> None:
    """Results, holdings and documents to issue have something to show; every member present signed."""
    build()
    minutes = Minutes.objects.get(status="validated")
    assert minutes.session.status == "held"
    results = set(Decision.objects.filter(registration__session=minutes.session).values_list("result", flat=True))
    assert {"absent", "partial_success", "failure", "title_awarded"} <= results
    assert Holding.objects.filter(kind="title").exists()
    assert DocumentToIssue.objects.filter(minutes=minutes).count() >= 2
    assert minutes.signatures.filter(voided_at=None).count() == minutes.present.count() >= 2


def test_refused_outside_development() -> None:
    with override_settings(DEVELOPMENT=False), pytest.raises(ImproperlyConfigured):
        build()
    assert not Authority.objects.exists()


def test_staff_accounts_log_in_without_a_phone_with_the_printed_secret_or_demo_codes() -> None:
    out = io.StringIO()
    call_command("demo", stdout=out)
    staff = Role.objects.filter(kind__in=STAFF_KINDS).select_related("user")
    assert staff.exists()
    for role in staff:
        device = TotpDevice.objects.get(user=role.user)
        assert device.secret in out.getvalue()  # printed beside its account, for a TOTP application
    printed = io.StringIO()
    call_command("demo", "codes", stdout=printed)
    current = dict(codes())
    assert set(current) == {role.user.username for role in staff}
    for role in staff:
        code = current[role.user.username]
        assert code in printed.getvalue()
        device = TotpDevice.objects.get(user=role.user)
        assert otp.pending_device(role.user) == device  # the set-up page at the first login offers this secret
        assert otp.verify(device, code, confirm=True)  # and confirms it with this code (the page's own check)


def test_codes_refused_outside_development() -> None:
    build()
    with override_settings(DEVELOPMENT=False), pytest.raises(ImproperlyConfigured):
        call_command("demo", "codes", stdout=io.StringIO())


def test_codes_refused_with_production_settings(production_env: dict[str, str]) -> None:
    """The real command under TITREPRO_ENV=production (every required setting given) refuses."""
    env = production_env
    done = subprocess.run(
        [sys.executable, "-m", "titrepro", "demo", "codes"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode != 0
    assert "development only" in done.stderr
    assert not [line for line in done.stdout.splitlines() if line.strip()[-6:].isdigit()]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_demo_worlds_convocations() -> None:
    """The demo has a session in every state; `make run`'s worker (`titrepro db_worker`) sends what it queued."""
    from django.core import mail
    from django_tasks_db.management.commands.db_worker import Worker

    from titrepro.sessions.models import Convocation, ExamSession

    build()
    assert set(ExamSession.objects.values_list("status", flat=True)) == {
        "draft",
        "declared",
        "convened",
        "held",
        "cancelled",
        "annulled",
    }
    queued = Convocation.objects.filter(status="queued").count()
    assert queued > 0
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="demo-worker",
        excluded_queue_names=[],
    ).run()
    assert set(Convocation.objects.values_list("status", flat=True)) == {"sent"}
    assert len([m for m in mail.outbox if "Convocation" in m.subject]) == queued
    # The held session's PV was validated: its documents are issued, signed, one per entry.
    from titrepro.credentials.models import IssuedDocument
    from titrepro.deliberation.models import DocumentToIssue

    entries = DocumentToIssue.objects.count()
    assert entries > 0
    assert IssuedDocument.objects.count() == entries
    assert set(DocumentToIssue.objects.values_list("status", flat=True)) == {"issued"}
