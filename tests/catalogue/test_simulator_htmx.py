"""The simulator with htmx: the result alone for an htmx request, the whole page otherwise."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.utils.translation import gettext

from titrepro.catalogue.services import LoadReport

URL = "/simuler/"
HX = {"HX-Request": "true"}
FORM = {"title": "TP-01351", "shown": "TP-01351", "on": "2026-11-28", "route": "training", "simulate": "1"}

pytestmark = pytest.mark.django_db


def test_an_htmx_request_gets_the_result_region_only(client: Client, builtin_catalogue: LoadReport) -> None:
    response = client.get(URL, FORM | {"v2023_ccp1": "on", "v2023_ccp1_on": "2024-06-14"}, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert '<div id="simulation-result" aria-live="polite">' in body
    assert "<html" not in body
    assert "31 août 2027" in body


def test_an_htmx_result_replaces_what_could_be_stale(client: Client, builtin_catalogue: LoadReport) -> None:
    """Issue 9, item 8: the answer also replaces, out of band, the error summary, the form and the title."""
    response = client.get(URL, FORM | {"v2023_ccp1": "on", "v2023_ccp1_on": "2024-06-14"}, headers=HX)
    body = response.content.decode()
    assert re.search(r"^\s*<title>[^<]*</title>", body)  # htmx sets document.title from it
    title = re.search(r"<title>([^<]*)</title>", body)
    assert title is not None
    assert gettext("Error:") not in html.unescape(title.group(1))
    assert '<div id="simulator-errors" hx-swap-oob="true"></div>' in body
    form = re.search(r'<form [^>]*id="simulator-form"[^>]*>', body)
    assert form is not None
    assert 'hx-swap-oob="true"' in form.group(0)
    assert 'aria-invalid="true"' not in body
    assert "fr-message--error" not in body
    assert 'value="2024-06-14"' in body  # the form keeps what was typed


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
