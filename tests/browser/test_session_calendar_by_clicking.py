"""A centre staff member goes from the list of sessions to the calendar and through the months by
clicking only; axe-core runs on every month (no serious or critical violation). The demo's sessions
(from ten days ago to ninety days ahead, one cancelled and one annulled) fill the grid."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in

from titrepro.demo.world import build

pytestmark = pytest.mark.browser


def test_the_calendar_through_the_months(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    build()
    base = live_server.url
    log_in(page, base, "centre-ca-75-001@demo.titrepro.fr")
    page.goto(f"{base}/espace/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Sessions").click()
    page.locator("#list-to-calendar").click()
    expect(page.locator("#session-calendar thead th")).to_have_count(7)
    expect(page.locator("#session-calendar thead th").first).to_have_text("lundi")
    assert_accessible(page)

    statuses: set[str] = set()
    for _ in range(4):  # the current month and the three after it: every session of the demo ahead
        assert_accessible(page)
        statuses |= set(
            page.locator("#session-calendar [data-status]").evaluate_all("e => e.map(x => x.dataset.status)")
        )
        month = page.locator("#session-calendar").get_attribute("data-month")
        page.locator("#calendar-months a[rel=next]").click()
        expect(page.locator("#session-calendar")).not_to_have_attribute("data-month", month or "")
    assert {"cancelled", "annulled"} <= statuses  # struck in the grid, with their badge

    page.locator("#calendar-months a[rel=prev]").click()
    page.locator("#session-calendar a").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session ")
    page.go_back()
    page.locator("#calendar-to-list").click()
    expect(page.locator("#session-list")).to_be_visible()
