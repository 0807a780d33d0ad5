"""Centre staff register candidates to a session from their candidate list, by clicking only (issue 12):
tick two candidates, press the button, choose the session, submit, read the outcome; axe-core runs on
every page on the way (no serious or critical violation)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in

from titrepro.demo.world import build
from titrepro.sessions.models import ExamSession, Registration

pytestmark = pytest.mark.browser


def test_tick_two_candidates_and_register_them_to_a_session(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    build()
    base = live_server.url
    log_in(page, base, "centre-ca-75-001@demo.titrepro.fr")

    page.goto(f"{base}/espace/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Candidats", exact=True).click()
    expect(page.locator("#candidate-selection")).to_be_visible()
    assert_accessible(page)

    boxes = page.locator("#candidate-list tbody input[type=checkbox]")
    chosen = [int(boxes.nth(index).get_attribute("value") or 0) for index in (0, 1)]
    for pk in chosen:
        page.locator(f"label[for=select-{pk}]").click()  # DSFR draws the box on the label
        expect(page.locator(f"#select-{pk}")).to_be_checked()
    page.locator("#candidate-selection button[type=submit]").click()
    expect(page.locator("#picked-candidates li")).to_have_count(2)
    assert_accessible(page)

    options = page.locator("main select[name=session] option[value]:not([value=''])")
    session_pk = int(options.first.get_attribute("value") or 0)
    page.locator("main select[name=session]").select_option(str(session_pk))
    page.locator("main form[method=post] button[type=submit]").click()
    page.wait_for_load_state()
    session = ExamSession.objects.get(pk=session_pk)
    assert session.status in ("draft", "declared")
    if "/inscrire/" in page.url:  # some were refused: each candidate's outcome, with the reason
        expect(page.locator("#registration-outcomes li")).to_have_count(2)
    else:  # all registered: the session's page, its registrations listed
        assert page.url.endswith(f"/centre/sessions/{session_pk}/")
        expect(page.locator("#registration-list")).to_be_visible()
    assert_accessible(page)
    assert Registration.objects.filter(session=session, candidate__in=chosen, status="registered").exists()
