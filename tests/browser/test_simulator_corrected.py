"""Issue 9, item 8, with htmx in a real browser: once corrected, no stale error stays on the page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from titrepro.catalogue.services import LoadReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_corrected_submission_clears_every_error(
    live_server: LiveServer,
    builtin_catalogue: LoadReport,
    page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    from django.utils.translation import gettext

    page.goto(f"{live_server.url}/simuler/?title=TP-01351")
    page.fill("#id_on", "2026-11-28")
    page.locator('label[for="id_v2026_ccp1"]').click()
    date_field = page.locator("#id_v2026_ccp1_on")
    date_field.fill("2020-06-14")  # before version 2026 came into force
    with page.expect_navigation():  # errors load the whole page (HX-Redirect)
        page.locator("#simulator-form button[name=simulate]:not([hidden])").click()
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#id_v2026_ccp1_on")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_v2026_ccp1_on_error")).to_be_visible()
    assert page.title().startswith(gettext("Error:"))
    assert_accessible(page)

    page.locator("#id_v2026_ccp1_on").fill("2026-10-15")
    page.evaluate("window.__samePage = true")
    with page.expect_response(lambda r: "/simuler/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#simulator-form button[name=simulate]:not([hidden])").click()
    expect(page.locator("section[aria-labelledby=result]")).to_be_visible()
    assert page.evaluate("window.__samePage") is True  # htmx swapped, no reload
    expect(page.locator("#error-summary")).to_have_count(0)
    expect(page.locator("#id_v2026_ccp1_on_error")).to_have_count(0)
    expect(page.locator("[aria-invalid=true]")).to_have_count(0)
    expect(page.locator(".fr-message--error")).to_have_count(0)
    expect(page.locator("#id_v2026_ccp1_on")).to_have_value("2026-10-15")
    assert not page.title().startswith(gettext("Error:"))
    assert page.title().startswith(gettext("Simulate my route"))
    assert_accessible(page)

    # The swapped form still works with htmx: simulate again without a reload.
    with page.expect_response(lambda r: "/simuler/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.locator("#simulator-form button[name=simulate]:not([hidden])").click()
    expect(page.locator("section[aria-labelledby=result]")).to_be_visible()
    assert page.evaluate("window.__samePage") is True
