"""Every role's pages in a real browser: log in through the real forms (with the staff
second factor), open the role's pages, and run axe-core on each."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in

from titrepro.candidates.models import Candidate
from titrepro.demo.world import build
from titrepro.directory.models import ApprovedCentre

pytestmark = pytest.mark.browser


def visit(page: Page, url: str, assert_accessible: Callable[[Page], None]) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, f"GET {url} answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


def test_every_role_sees_accessible_pages(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    build()
    base = live_server.url
    centre = ApprovedCentre.objects.get(code="CA-75-001")
    candidate = Candidate.objects.filter(centre=centre).first()
    assert candidate is not None

    visit(page, f"{base}/compte/connexion/", assert_accessible)

    log_in(page, base, "agent75@demo.titrepro.fr")
    for path in (
        "/compte/",
        "/espace/dreets/centres/",
        f"/espace/dreets/centres/{centre.pk}/",
        "/espace/dreets/jury/",
        "/espace/dreets/vae/",
        "/espace/dreets/amenagements/",
    ):
        visit(page, base + path, assert_accessible)
    page.context.clear_cookies()

    log_in(page, base, "centre-ca-75-001@demo.titrepro.fr")
    for path in (
        "/espace/centre/candidats/",
        f"/espace/centre/candidats/{candidate.pk}/",
        "/espace/centre/candidats/importer/",
    ):
        visit(page, base + path, assert_accessible)
    page.context.clear_cookies()

    log_in(page, base, "jure01@demo.titrepro.fr")
    visit(page, base + "/espace/jury/profil/", assert_accessible)
    page.context.clear_cookies()

    log_in(page, base, "candidat001@demo.titrepro.fr")
    visit(page, base + "/espace/candidat/", assert_accessible)
