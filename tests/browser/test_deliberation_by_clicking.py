"""The deliberation in a real browser: a jury member fills an evaluation sheet, decides for each candidate and
signs the PV; the second member signs, the centre submits it; an authority agent opens it and validates it.
axe-core runs on every page (no serious or critical violation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in
from tests.deliberation.world import held_session

from titrepro.candidates.models import Holding
from titrepro.deliberation import services
from titrepro.deliberation.models import MinutesStatus
from titrepro.demo.world import PASSWORD

pytestmark = pytest.mark.browser


def _with_password(user: Any) -> str:
    user.set_password(PASSWORD)
    user.save()
    return str(user.username)


def test_a_member_evaluates_decides_and_signs_and_the_agent_validates(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None], builtin_catalogue: Any
) -> None:
    held = held_session()
    first, second = held.registrations
    base = live_server.url

    log_in(page, base, _with_password(held.member_user(0)))
    page.goto(f"{base}/espace/jury/sessions/{held.jury[0].pk}/")
    page.locator("#deliberation-link").click()
    expect(page.locator("#deliberation-candidates tbody tr")).to_have_count(2)
    assert_accessible(page)

    page.locator(f'tr[data-registration="{first.pk}"] a').click()
    expect(page.get_by_role("heading", level=1)).to_have_text(str(first.candidate))
    assert_accessible(page)
    sheet = page.locator("section[id^=c]").first
    sheet.locator("textarea").fill("Diagnostic méthodique, procédure documentée.")
    sheet.get_by_label("Acquis", exact=True).check(force=True)
    sheet.get_by_role("button").click()
    expect(page.get_by_text("est enregistrée")).to_be_visible()

    form = page.locator("#decision-form")
    form.get_by_label("L’entretien final a eu lieu").check(force=True)
    form.get_by_label("Titre obtenu").check(force=True)
    for box in form.locator("input[name=ccps]").all():
        box.check(force=True)
    form.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("#current-decision")).to_have_attribute("data-result", "title_awarded")

    page.get_by_role("link", name="Retour aux candidats").click()
    page.locator(f'tr[data-registration="{second.pk}"] a').click()
    form = page.locator("#decision-form")
    form.get_by_label("Échec").check(force=True)
    form.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator(".fr-error-text, .fr-message--error").first).to_contain_text("R-65")
    assert_accessible(page)
    form = page.locator("#decision-form")
    form.locator("textarea[name=reason]").fill("Aucune compétence du CCP 1 démontrée.")
    form.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.locator("#current-decision")).to_have_attribute("data-result", "failure")

    page.get_by_role("link", name="Retour aux candidats").click()
    page.locator("#sign-form button").click()
    expect(page.locator("#signed")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()

    minutes = services.current_minutes(held.session)
    services.sign(held.member_user(1), minutes)
    services.submit(held.world.staff, minutes)

    log_in(page, base, _with_password(held.world.agent))
    page.goto(f"{base}/espace/dreets/pv/")
    assert_accessible(page)
    page.get_by_role("link", name=minutes.number).first.click()
    assert_accessible(page)
    page.locator("#validate-form button").click()
    expect(page.get_by_text("Le PV est validé")).to_be_visible()
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.VALIDATED
    assert Holding.objects.filter(candidate=first.candidate, kind="title").exists()
