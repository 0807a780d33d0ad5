"""The simulator with htmx: the result alone for an htmx request, the whole page otherwise."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from titrepro.catalogue.services import LoadReport

URL = "/simuler/"
HX = {"HX-Request": "true"}
FORM = {"title": "TP-01351", "shown": "TP-01351", "on": "2026-11-28", "route": "training", "simulate": "1"}

pytestmark = pytest.mark.django_db


def test_an_htmx_request_gets_the_result_region_only(client: Client, builtin_catalogue: LoadReport) -> None:
    response = client.get(URL, FORM | {"v2023_ccp1": "on", "v2023_ccp1_on": "2024-06-14"}, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="simulation-result" aria-live="polite">')
    assert "<html" not in body
    assert "31 août 2027" in body


def test_without_htmx_the_same_address_gives_the_whole_page(client: Client, builtin_catalogue: LoadReport) -> None:
    response = client.get(URL, FORM | {"v2023_ccp1": "on", "v2023_ccp1_on": "2024-06-14"})
    body = response.content.decode()
    assert "<html" in body
    assert 'id="simulation-result"' in body
    assert "31 août 2027" in body


def test_errors_load_the_whole_page_where_fields_show_them(client: Client, builtin_catalogue: LoadReport) -> None:
    params = FORM | {"v2023_ccp1": "on", "v2023_ccp1_on": "2030-01-01"}
    response = client.get(URL, params, headers=HX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(URL + "?")
    full = client.get(response["HX-Redirect"])
    assert "Erreur" in full.content.decode()


def test_htmx_is_served_by_us_with_the_nonce_and_no_inline_styles(
    client: Client, builtin_catalogue: LoadReport
) -> None:
    page = client.get(URL, {"title": "TP-01351"})
    body = page.content.decode()
    nonce = page["Content-Security-Policy"].split("'nonce-")[1].split("'")[0]
    assert f'src="/static/vendor/htmx-2.0.11/htmx.min.js" nonce="{nonce}"' in body
    assert finders.find("vendor/htmx-2.0.11/htmx.min.js") is not None
    assert '"includeIndicatorStyles": false' in body
    assert 'hx-get="/simuler/"' in body
