"""Helpers shared by the browser tests (tests/browser/)."""

from __future__ import annotations

import re

import pyotp
from playwright.sync_api import Page

from titrepro.demo.world import PASSWORD


def log_in(page: Page, base: str, username: str) -> None:
    """Log in through the real forms; a staff account sets its second factor up with the secret the page
    shows (for people who cannot scan the QR code) and goes past its recovery codes."""
    page.goto(f"{base}/compte/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    if "/compte/double-authentification/" in page.url:
        secret = re.search(r"\b([A-Z2-7]{32})\b", page.content())
        assert secret is not None
        page.fill("input[name=code]", pyotp.TOTP(secret.group(1)).now())
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        if "/compte/double-authentification/" in page.url:  # the recovery codes, shown once after the set-up
            page.locator("main p > a.fr-btn").first.click()
            page.wait_for_load_state()
    assert "/compte/connexion/" not in page.url, f"still on the login page: {page.url}"
