"""Issue 9, item 6: the provenance of a public page is folded away, and opens on demand (axe-core)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from titrepro.catalogue.models import TitleVersion
from titrepro.catalogue.services import LoadReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("url", ["/titres/TP-01351/", "/titres/TP-01351/versions/2026/"])
def test_the_provenance_opens_on_demand(
    live_server: LiveServer,
    builtin_catalogue: LoadReport,
    page: Page,
    assert_accessible: Callable[[Page], None],
    url: str,
) -> None:
    from django.utils.translation import gettext

    note = " ".join(TitleVersion.objects.get(title__code="TP-01351", label="2026").notes.split())[:40]
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None
    assert response.status == 200
    section = page.locator("#provenance")
    button = page.get_by_role("button", name=gettext("Sources and reliability of the data"))
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(section).to_be_hidden()
    expect(page.get_by_text(note)).to_be_hidden()
    assert_accessible(page)

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(section).to_be_visible()
    expect(section.get_by_text(note)).to_be_visible()
    expect(section.locator("#source-S8")).to_be_visible()
    assert_accessible(page)
