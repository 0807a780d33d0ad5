"""A large import's page in a real browser: htmx polls the job while the worker runs it, and the
report with its confirm button appears without a reload (docs/decisions/0021); axe-core on both states."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django_tasks_db.management.commands.db_worker import Worker
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in

from titrepro.candidates import services
from titrepro.demo.world import build
from titrepro.directory.models import ApprovedCentre

pytestmark = pytest.mark.browser

STAFF = "centre-ca-75-001@demo.titrepro.fr"


def test_progress_then_report_without_a_reload(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None], settings
) -> None:
    settings.TITREPRO_IMPORT_BACKGROUND_BYTES = 10
    build()
    centre = ApprovedCentre.objects.get(code="CA-75-001")
    staff = get_user_model().objects.get(username=STAFF)
    log_in(page, live_server.url, STAFF)
    lines = ["nom_naissance;prenoms;date_naissance;lieu_naissance"]
    lines += [f"Progrès{i};Anne;{1 + i % 28:02d}/03/1991;Brest" for i in range(30)]
    job = services.start_import(staff, centre, "candidats.csv", ("\n".join(lines) + "\n").encode())

    page.goto(f"{live_server.url}/espace/centre/candidats/importer/{job.pk}/")
    expect(page.locator("#import-status")).to_contain_text(gettext("The file is being checked"))
    assert_accessible(page)
    page.evaluate("window.stillTheSamePage = true")

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="browser-test",
        excluded_queue_names=[],
    ).run()

    expect(page.get_by_role("button", name=gettext("Confirm the import"))).to_be_visible(timeout=10_000)
    assert page.evaluate("window.stillTheSamePage") is True
    assert_accessible(page)
