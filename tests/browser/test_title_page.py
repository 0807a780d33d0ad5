"""The public title page and version page of TSSR, in a real browser, with axe-core."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from titrepro.catalogue.services import LoadReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TSSR_2023_COMPETENCES = [
    "Assurer le support utilisateur en centre de services",
    # "ActiveDirectory" in one word, as the official description writes it
    # (tssr-fiche-de-communication.md); tssr.md §3 spells it "Active Directory".
    "Exploiter des serveurs Windows et un domaine ActiveDirectory",
    "Exploiter des serveurs Linux",
    "Exploiter un réseau IP",
    "Maintenir des serveurs dans une infrastructure virtualisée",
    "Automatiser des tâches à l’aide de scripts",
    "Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux",
    "Mettre en place, assurer et tester les sauvegardes et les restaurations des éléments de l’infrastructure",
    "Exploiter et maintenir les services de déploiement des postes de travail",
]


def test_tssr_title_and_2023_version(
    live_server: LiveServer,
    builtin_catalogue: LoadReport,
    page: Page,
    assert_accessible: Callable[[Page], None],
) -> None:
    response = page.goto(f"{live_server.url}/titres/TP-01351/")
    assert response is not None
    assert response.status == 200, f"GET /titres/TP-01351/ answered {response.status}"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Technicien supérieur systèmes et réseaux")
    body = page.locator("body")
    for text in ("2018", "2023", "2026", "RNCP37682"):
        expect(body).to_contain_text(text)
    assert_accessible(page)

    version_url = "/titres/TP-01351/versions/2023/"
    with page.expect_response(f"{live_server.url}{version_url}") as version_response:
        page.locator(f'a[href="{version_url}"]').first.click()
    assert version_response.value.status == 200, f"GET {version_url} answered {version_response.value.status}"
    for label in TSSR_2023_COMPETENCES:
        expect(body).to_contain_text(label)
    assert_accessible(page)
