"""Pending imports are server-side jobs of one hour, and large ones run in the task worker (issue 11, items 6, 12).

The worker is django-tasks-db's own (``Worker.run`` in batch mode, as ``titrepro db_worker --batch``
runs it) over the tasks queued in the database: the tasks run for real, not through an
immediate backend. Those tests are transactional, as the worker commits.
"""

from __future__ import annotations

import io
import time
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from tests.factories import make_centre, user_with_role
from tests.helpers import login_as

from titrepro.accounts.models import RoleKind
from titrepro.candidates import imports, services
from titrepro.candidates.models import Candidate, ImportJob, ImportStatus
from titrepro.directory.models import ApprovedCentre

HEADER = "nom_naissance;prenoms;date_naissance;lieu_naissance"


def csv(count: int) -> bytes:
    lines = [HEADER, *(f"Lune{i};Paul;{1 + i % 28:02d}/02/1990;Nice" for i in range(count))]
    return ("\n".join(lines) + "\n").encode()


def run_worker() -> int:
    """Run every queued task, then stop; how many ran."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    worker.run()
    return worker._run_tasks


@pytest.fixture
def staff(db: None) -> tuple[ApprovedCentre, Any]:
    centre = make_centre()
    return centre, user_with_role(RoleKind.CENTRE_STAFF, centre=centre)


def send(client: Client, centre: ApprovedCentre, content: bytes) -> str:
    response = client.post(
        reverse("spaces:centre_import"),
        {"centre": centre.pk, "file": SimpleUploadedFile("candidats.csv", content, content_type="text/csv")},
    )
    assert response.status_code == 302, response.content[:500]
    return str(response["Location"])


@pytest.mark.django_db
def test_the_pending_file_is_a_job_not_in_the_session(client: Client, staff) -> None:
    centre, user = staff
    login_as(client, user)
    location = send(client, centre, csv(3))
    job = ImportJob.objects.get()
    assert location == reverse("spaces:centre_import_job", args=[job.pk])
    assert job.user == user
    assert job.status == ImportStatus.CHECKED
    assert bytes(job.content) == csv(3)
    assert timedelta(minutes=59) < job.expires_at - timezone.now() <= timedelta(hours=1)
    assert "candidates_pending_import" not in client.session
    assert b"Lune0" not in client.session.encode(dict(client.session.items())).encode()


@pytest.mark.django_db
def test_an_expired_job_is_refused_with_a_message_and_deleted(client: Client, staff) -> None:
    centre, user = staff
    login_as(client, user)
    location = send(client, centre, csv(3))
    ImportJob.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(location, {"confirm": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("spaces:centre_import")
    assert escape(gettext("This import has expired: upload the file again.")) in response.content.decode()
    assert not ImportJob.objects.exists()
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_only_the_sender_sees_the_job(client: Client, staff) -> None:
    centre, user = staff
    login_as(client, user)
    location = send(client, centre, csv(3))
    colleague = user_with_role(RoleKind.CENTRE_STAFF, centre=centre, username="colleague")
    login_as(client, colleague)
    assert client.get(location).status_code == 404
    assert client.post(location, {"confirm": "1"}).status_code == 404
    assert not Candidate.objects.exists()


@pytest.mark.django_db
def test_expired_jobs_are_purged(staff) -> None:
    centre, user = staff
    services.start_import(user, centre, "a.csv", csv(1))
    ImportJob.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    services.start_import(user, centre, "b.csv", csv(1))
    assert list(ImportJob.objects.values_list("filename", flat=True)) == ["b.csv"]


@pytest.mark.django_db
def test_settle_purges_expired_jobs_on_an_idle_site(staff) -> None:
    centre, user = staff
    services.start_import(user, centre, "a.csv", csv(1))
    ImportJob.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    out = io.StringIO()
    call_command("settle", stdout=out)
    assert "1 expired pending import(s) deleted" in out.getvalue()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_then_written_by_the_worker(client: Client, staff, settings) -> None:
    settings.TITREPRO_IMPORT_BACKGROUND_BYTES = 100
    centre, user = staff
    login_as(client, user)
    location = send(client, centre, csv(1200))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.QUEUED
    assert job.rows_total == 1200
    assert DBTaskResult.objects.count() == 1
    waiting = client.get(location, headers={"HX-Request": "true"})  # the htmx poll: the status region alone
    assert 'hx-trigger="every 2s"' in waiting.content.decode()
    assert "<html" not in waiting.content.decode()
    assert "htmx.min.js" in client.get(location).content.decode()

    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    assert job.rows_done == 1200
    assert job.report is not None
    assert job.report["to_create"] == 1200
    assert not Candidate.objects.exists()
    page = client.get(location)
    assert 'name="confirm"' in page.content.decode()
    assert "every 2s" not in page.content.decode()

    assert client.post(location, {"confirm": "1"}).status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.QUEUED
    assert not Candidate.objects.exists()
    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE
    assert job.report is not None
    assert job.report["created"] == 1200
    assert Candidate.objects.filter(centre=centre).count() == 1200
    assert "1200" in client.get(location).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_worker_stops_an_import_past_its_time_limit(staff, settings) -> None:
    settings.TITREPRO_IMPORT_BACKGROUND_BYTES = 100
    settings.TITREPRO_IMPORT_TIME_LIMIT_SECONDS = -1  # already past: stopped at the first progress report
    centre, user = staff
    job = services.start_import(user, centre, "candidats.csv", csv(1200))
    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "a été arrêté" in job.error
    assert job.rows_done == 500
    assert not Candidate.objects.exists()
    client = login_as(Client(), user)
    page = client.get(reverse("spaces:centre_import_job", args=[job.pk])).content.decode()
    assert job.error in page
    assert 'enctype="multipart/form-data"' in page  # send the file again from here
    assert 'name="confirm"' not in page


@pytest.mark.django_db(transaction=True)
def test_the_worker_purges_expired_jobs_and_skips_them(staff, settings) -> None:
    settings.TITREPRO_IMPORT_BACKGROUND_BYTES = 100
    centre, user = staff
    services.start_import(user, centre, "candidats.csv", csv(10))
    ImportJob.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert run_worker() == 1
    assert not ImportJob.objects.exists()
    assert DBTaskResult.objects.get().return_value == "skipped"


@pytest.mark.django_db(transaction=True)
def test_the_time_limit_also_stops_the_write_and_rolls_it_back(staff, settings, monkeypatch) -> None:
    settings.TITREPRO_IMPORT_BACKGROUND_BYTES = 100
    settings.TITREPRO_IMPORT_TIME_LIMIT_SECONDS = 1
    centre, user = staff
    job = services.start_import(user, centre, "candidats.csv", csv(20))
    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.CHECKED
    services.confirm_import(user, job)

    written = imports.write

    def slow_write(*args: Any, **kwargs: Any) -> Any:
        result = written(*args, **kwargs)  # the rows are inserted, then the transaction runs late
        time.sleep(3)
        return result

    monkeypatch.setattr(imports, "write", slow_write)
    assert run_worker() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert "a été arrêté" in job.error
    assert not Candidate.objects.exists()  # rolled back


@pytest.mark.django_db(transaction=True)
def test_an_unexpected_error_fails_the_job_with_a_french_message(staff, settings, monkeypatch) -> None:
    settings.TITREPRO_IMPORT_BACKGROUND_BYTES = 100
    centre, user = staff
    services.start_import(user, centre, "candidats.csv", csv(20))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("boom")

    monkeypatch.setattr(imports, "check", broken)
    assert run_worker() == 1
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert job.error == gettext("The import stopped on an unexpected error: nothing was imported.")
    assert DBTaskResult.objects.get().status == "FAILED"
