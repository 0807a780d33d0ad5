"""The catalogue's updates in a real browser: the national administrator finds them in the menu, opens the latest
import's report from the list, and axe-core checks both pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in
from tests.catalogue.rncp_exports import csv_export
from tests.catalogue.test_rncp_import import TODAY, first_export
from tests.catalogue.test_rncp_updates import second_export

from titrepro.catalogue import rncp_import
from titrepro.demo.world import build

pytestmark = pytest.mark.browser


def test_the_national_administrator_reads_the_report_of_the_latest_import(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None], tmp_path: Path
) -> None:
    build()
    for name, (fiches, links), day in (
        ("one", first_export(), "2024-02-22"),
        ("two", second_export(), "2026-12-01"),
    ):
        folder = tmp_path / name
        folder.mkdir()
        rncp_import.import_export(csv_export(folder, fiches, links, day=day), today=TODAY)
    base = live_server.url
    log_in(page, base, "admin@demo.titrepro.fr")
    page.goto(f"{base}/espace/")
    page.get_by_role("link", name="Mises à jour du catalogue").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mises à jour du catalogue")
    expect(page.locator("#updates-table tbody tr")).to_have_count(2)
    assert_accessible(page)

    page.locator("#updates-table tbody tr").first.get_by_role("link").click()
    expect(page.locator("#update-summary")).to_contain_text("export-fiches-csv-2026-12-01.zip")
    expect(page.locator("#title-RNCP10001 .changes")).to_contain_text("Nouvelle version 2026 (RNCP10003).")
    assert_accessible(page)
    page.locator("#title-RNCP30001 h3 a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Serveur en restauration")
