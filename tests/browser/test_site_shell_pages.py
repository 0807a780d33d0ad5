"""The site shell in a real browser with axe-core: the footer's pages, an error page, the password
reset and the recovery codes shown at the set-up of the second factor (issue 9, item 7)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pyotp
import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.factories import PASSWORD, user_with_role

from titrepro.accounts.models import RoleKind
from titrepro.directory.models import Authority

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_shell_pages_are_accessible(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    base = live_server.url
    for path in (
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/plan-du-site/",
        "/compte/mot-de-passe/oubli/",
        "/compte/mot-de-passe/oubli/envoye/",
    ):
        response = page.goto(base + path)
        assert response is not None, path
        assert response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
    missing = page.goto(base + "/nulle-part/")
    assert missing is not None
    assert missing.status == 404
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_recovery_codes_page_is_accessible(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    authority = Authority.objects.create(name="DDETS 75", departement="75")
    user_with_role(RoleKind.AUTHORITY_AGENT, with_password=True, username="agent", authority=authority)
    base = live_server.url
    page.goto(f"{base}/compte/connexion/")
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    secret = re.search(r"\b([A-Z2-7]{32})\b", page.content())
    assert secret is not None
    page.fill("input[name=code]", pyotp.TOTP(secret.group(1)).now())
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    assert_accessible(page)
