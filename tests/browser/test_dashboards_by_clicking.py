"""Issue 9, done when: each demo role logs in, lands on its dashboard and, only by clicking from
there (no URL typed), reaches every page of its work; axe-core runs on each page, and every link
on these pages answers 200 or a deliberate redirect (no dead link)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Page
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in

from titrepro.demo.world import build

pytestmark = pytest.mark.browser

# What each role's work is made of (paths as regular expressions): the click-through must reach all.
ROLES: dict[str, list[str]] = {
    "agent75@demo.titrepro.fr": [
        r"^/espace/$",
        r"^/espace/dreets/centres/$",
        r"^/espace/dreets/centres/\d+/$",
        r"^/espace/dreets/agrements/\d+/$",
        r"^/espace/dreets/jury/$",
        r"^/espace/dreets/jury/\d+/$",
        r"^/espace/dreets/vae/$",
        r"^/espace/dreets/vae/\d+/decision/$",
        r"^/espace/dreets/candidats/\d+/$",
        r"^/espace/dreets/amenagements/$",
    ],
    "centre-ca-75-001@demo.titrepro.fr": [
        r"^/espace/$",
        r"^/espace/centre/candidats/$",
        r"^/espace/centre/candidats/\d+/$",
        r"^/espace/centre/candidats/nouveau/$",
        r"^/espace/centre/candidats/importer/$",
        r"^/espace/centre/candidats/\d+/modifier/$",
        r"^/espace/centre/candidats/\d+/parcours/nouveau/$",
        r"^/espace/centre/sessions/$",
        r"^/espace/centre/sessions/calendrier/$",
    ],
    "jure01@demo.titrepro.fr": [r"^/espace/$", r"^/espace/jury/profil/$"],
    "candidat001@demo.titrepro.fr": [
        r"^/espace/$",
        r"^/espace/candidat/$",
        r"^/espace/candidat/dossier-professionnel/$",
    ],
}
# Links not followed by the crawl (they log out, download, or leave the role's work).
SKIP = re.compile(r"^/(compte/deconnexion|admin|api|static|media)|exporter|/simuler/|^/titres/|^/$")
MAX_PAGES = 18


def _links(page: Page, base: str, selector: str = "main a[href], #header-navigation a[href]") -> list[str]:
    """The same-site paths linked from the page's main content and header menu."""
    hrefs = page.eval_on_selector_all(selector, "elements => elements.map(e => e.getAttribute('href'))")
    paths = []
    for href in hrefs:
        url = urlparse(urljoin(page.url, href))
        if url.netloc == urlparse(base).netloc and url.path not in paths:
            paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


@pytest.mark.parametrize("username", list(ROLES))
def test_from_the_dashboard_by_clicking(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None], username: str
) -> None:
    build()
    base = live_server.url
    log_in(page, base, username)
    assert urlparse(page.url).path == "/espace/", f"{username} landed on {page.url}, not the dashboard"
    visited: list[str] = []
    checked: dict[str, int] = {}

    def explore(depth: int) -> None:
        here = urlparse(page.url).path
        if here in visited or len(visited) >= MAX_PAGES:
            return
        visited.append(here)
        assert_accessible(page)
        links = _links(page, base)
        for link in links:
            if link not in checked:
                checked[link] = page.request.get(base + link, max_redirects=0).status
        if depth == 0:
            return
        followed: set[str] = set()
        # The menu is followed from the dashboard; deeper, the page's own links (a record, its actions).
        for link in links if here == "/espace/" else _links(page, base, "main a[href]"):
            path = urlparse(link).path
            # One link per kind of page is enough (the first candidate, the first centre...).
            kind = re.sub(r"\d+", "N", path)
            if SKIP.search(path) or path in visited or kind in followed or len(visited) >= MAX_PAGES:
                continue
            followed.add(kind)
            page.locator(f'a[href="{link}"]').first.click()
            page.wait_for_load_state()
            explore(depth - 1)
            page.go_back()
            page.wait_for_load_state()

    explore(depth=3)
    dead = {link: status for link, status in checked.items() if status >= 400}
    assert not dead, f"dead links for {username}: {dead}"
    missing = [pattern for pattern in ROLES[username] if not any(re.match(pattern, path) for path in visited)]
    assert not missing, f"{username} could not reach {missing} by clicking; visited {visited}"
