"""The planning in a real browser: centre staff open the demo's convened session, read its planning (a
timeline per day beside its table), change a part's jury, compute it again, and read the held session's late
arrival; the demo jury member reads their own day. axe-core runs on every page (no serious or critical
violation)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in

from titrepro.demo.world import build
from titrepro.sessions.models import ExamSession

pytestmark = pytest.mark.browser


def test_staff_read_and_change_the_planning_and_the_jury_member_reads_their_day(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    build()
    base = live_server.url
    convened = ExamSession.objects.get(status="convened", timetable__isnull=False)
    held = ExamSession.objects.get(status="held", timetable__isnull=False)

    log_in(page, base, "centre-ca-75-001@demo.titrepro.fr")
    page.goto(f"{base}/espace/centre/sessions/{convened.pk}/")
    page.locator("#planning-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Planning — {convened.number}")
    day = convened.first_day.isoformat()
    expect(page.locator(f'svg[aria-labelledby="{day}-timeline-caption"]')).to_be_visible()
    expect(page.locator(f"#planning-{day} tbody tr").first).to_be_visible()
    expect(page.locator("#planning-figures")).to_contain_text("Calculé en")
    assert_accessible(page)

    # Change a part's jury members or workstation: the form, then back to the planning with the change saved.
    page.get_by_role("link", name="Changer le jury ou le poste").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Modifier une épreuve du planning")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer la modification").click()
    expect(page.get_by_text("L’épreuve est modifiée.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Planning")

    # Computed again: the same candidates, the success message, still accessible.
    page.locator("#planning-compute button").click()
    expect(page.get_by_text("Le planning est calculé.")).to_be_visible()
    assert_accessible(page)

    # The held session's late candidate: their part started on arrival and kept its end.
    page.goto(f"{base}/espace/centre/sessions/{held.pk}/planning/")
    expect(page.locator("[data-late]").first).to_contain_text("R-45")
    assert_accessible(page)
    page.context.clear_cookies()

    log_in(page, base, "jure01@demo.titrepro.fr")
    assignment = convened.jury.get(member__user__username="jure01@demo.titrepro.fr")
    page.goto(f"{base}/espace/jury/sessions/{assignment.pk}/")
    expect(page.locator("#own-day")).to_have_text("Votre journée")
    assert_accessible(page)
