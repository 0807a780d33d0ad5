"""The footer's mandatory links (DSFR) and their pages: accessibility statement, legal notice,
personal data and cookies, site map (issue 9, item 7)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from titrepro.core.views_site import AXE_CHECKED_PAGES, COOKIES

FOOTER_LINKS = {
    "footer-site-map": "site:site_map",
    "footer-accessibility": "site:accessibility",
    "footer-legal-notice": "site:legal_notice",
    "footer-personal-data": "site:personal_data",
}


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["accounts:login", *FOOTER_LINKS.values()])
def test_every_page_has_the_mandatory_footer_links(client: Client, page: str) -> None:
    body = client.get(reverse(page)).content.decode()
    for element_id, name in FOOTER_LINKS.items():
        assert f'id="{element_id}" href="{reverse(name)}"' in body
    assert f'id="footer-cookies" href="{reverse("site:personal_data")}#cookies"' in body
    # The accessibility link states the status, as the DSFR asks.
    assert gettext("Accessibility: not compliant") in body


@pytest.mark.django_db
def test_the_accessibility_statement_is_honest(client: Client) -> None:
    response = client.get(reverse("site:accessibility"))
    body = response.content.decode()
    assert gettext("titrepro is not compliant with the RGAA 4.1.2.") in body
    for path in AXE_CHECKED_PAGES:
        assert f"<code>{path}</code>" in body
    for heading in ("status", "tests", "non-accessible", "method", "contact", "appeal"):
        assert f'id="{heading}"' in body


@pytest.mark.django_db
def test_the_cookie_table_lists_every_cookie_the_site_sets(client: Client) -> None:
    body = client.get(reverse("site:personal_data")).content.decode()
    names = [name for name, _kind in COOKIES]
    assert {"sessionid", "csrftoken", "titrepro_device"} <= set(names)
    for name in names:
        assert f"<code>{name}</code>" in body


@pytest.mark.django_db
def test_the_site_map_names_every_public_page_and_each_space(client: Client) -> None:
    body = client.get(reverse("site:site_map")).content.decode()
    for name in (
        "catalogue:title_list",
        "catalogue:simulator",
        "accounts:login",
        "accounts:password_reset",
        "accounts:home",
        "site:accessibility",
        "site:legal_notice",
        "site:personal_data",
    ):
        assert f'href="{reverse(name)}"' in body, name
    for space in ("/espace/dreets/", "/espace/centre/candidats/", "/espace/jury/profil/", "/espace/candidat/"):
        assert f'href="{space}"' in body


@pytest.mark.django_db
def test_the_legal_notice_names_the_publisher_host_and_contact_of_the_deployment(client: Client, settings: Any) -> None:
    settings.TITREPRO_CONTACT_EMAIL = "ecrire@exemple.gouv.fr"
    settings.TITREPRO_PUBLISHER = "Ministère du Travail, DGEFP"
    settings.TITREPRO_HOST_NAME = "Hébergeur Exemple SAS"
    settings.TITREPRO_HOST_ADDRESS = "1 rue de l'Hébergement, 75001 Paris\n01 23 45 67 89"
    body = client.get(reverse("site:legal_notice")).content.decode()
    assert 'href="mailto:ecrire@exemple.gouv.fr"' in body
    assert "Ministère du Travail, DGEFP" in body
    assert "Hébergeur Exemple SAS" in body
    assert "75001 Paris<br>01 23 45 67 89" in body
    for page in ("site:accessibility", "site:personal_data"):
        assert 'href="mailto:ecrire@exemple.gouv.fr"' in client.get(reverse(page)).content.decode()
