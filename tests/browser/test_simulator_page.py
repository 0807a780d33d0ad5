"""The page "Simuler mon parcours" in a real browser, with axe-core: form, then French result."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from titrepro.catalogue.services import LoadReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_simulate_ccp_1_of_tssr_2023(
    live_server: LiveServer,
    builtin_catalogue: LoadReport,
    page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    response = page.goto(f"{live_server.url}/simuler/?title=TP-01351")
    assert response is not None
    assert response.status == 200, f"GET /simuler/?title=TP-01351 answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_have_text("Simuler mon parcours")
    assert_accessible(page)

    page.fill("#id_on", "2026-11-28")
    # DSFR draws radios and checkboxes over their label: a person clicks the label.
    page.locator('label[for="id_route_0"]', has_text="Formation continue (parcours continu)").click()
    page.locator('label[for="id_v2023_ccp1"]', has_text="Je détiens le CCP 1 – Exploiter les éléments").click()
    expect(page.locator("#id_route_0")).to_be_checked()
    expect(page.locator("#id_v2023_ccp1")).to_be_checked()
    page.get_by_label("Obtenu le (CCP 1, version 2023)").fill("2024-06-14")
    # With JavaScript, htmx fetches the result alone and puts it in place: the page is not reloaded.
    page.evaluate("window.__samePage = true")
    with page.expect_response(lambda r: "/simuler/?" in r.url and r.request.headers.get("hx-request") == "true"):
        page.get_by_role("button", name="Simuler", exact=True).click()

    result = page.locator("section[aria-labelledby=result]")
    expect(result).to_contain_text("Où en êtes-vous au 28 novembre 2026")
    assert page.evaluate("window.__samePage") is True
    expect(result).to_contain_text("Où en êtes-vous au 28 novembre 2026")
    expect(result).to_contain_text("Vous détenez le CCP 1")
    expect(result).to_contain_text("obtenu le 14 juin 2024")
    expect(result).to_contain_text("Il vous manque le CCP 2")
    expect(result).to_contain_text("Vous avez jusqu’au 31 août 2027 pour compléter ce titre")
    expect(result).to_contain_text("Version 2026")
    expect(result).to_contain_text("vous inscrire à une session titre")
    assert "simulate=1" in page.url  # the result's address can be shared
    assert_accessible(page)

    # A date after the question's: a French error at the top, linked to the field.
    page.get_by_label("Obtenu le (CCP 1, version 2023)").fill("2027-01-01")
    with page.expect_navigation():
        page.get_by_role("button", name="Simuler", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("postérieure à la date de la question")
    expect(page.get_by_label("Obtenu le (CCP 1, version 2023)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
