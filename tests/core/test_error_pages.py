"""Error pages with DEBUG off: French pages in the DSFR shell, the right status, no stack trace;
under /api/ the API's JSON shape (issue 9, item 7)."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path
from django.utils.translation import gettext

import titrepro.urls


class Boom(Exception):
    pass


def forbidden(request: HttpRequest) -> HttpResponse:
    raise PermissionDenied


def suspicious(request: HttpRequest) -> HttpResponse:
    raise SuspiciousOperation("a suspicious request")


def broken(request: HttpRequest) -> HttpResponse:
    raise Boom("secret-stack-trace-marker")


@pytest.fixture
def urlconf(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The project's URLs and handlers, plus views that fail, at /essai/ and under /api/."""
    module = types.ModuleType("tests_error_pages_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("essai/interdit/", forbidden),
        path("essai/suspect/", suspicious),
        path("essai/panne/", broken),
        path("api/essai/interdit/", forbidden),
        path("api/essai/panne/", broken),
        *titrepro.urls.urlpatterns,
    ]
    for name in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, name, getattr(titrepro.urls, name))
    monkeypatch.setitem(sys.modules, module.__name__, module)
    with override_settings(ROOT_URLCONF=module.__name__, DEBUG=False):
        yield module.__name__


@pytest.fixture
def quiet_client(urlconf: str) -> Client:
    return Client(raise_request_exception=False)


def page_of(response: Any) -> str:
    return str(response.content.decode())


def assert_dsfr_french_page(text: str, title: str) -> None:
    assert '<html lang="fr"' in text
    assert 'class="fr-header"' in text
    assert 'class="fr-footer"' in text
    assert "dsfr" in text  # the DSFR stylesheet
    assert f"<h1>{title}</h1>" in text or f">{title}</h1>" in text
    assert "Traceback" not in text
    assert "secret-stack-trace-marker" not in text


@pytest.mark.django_db
def test_404_is_a_french_dsfr_page(quiet_client: Client) -> None:
    response = quiet_client.get("/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert_dsfr_french_page(page_of(response), gettext("Page not found"))


@pytest.mark.django_db
def test_403_is_a_french_dsfr_page(quiet_client: Client) -> None:
    response = quiet_client.get("/essai/interdit/")
    assert response.status_code == 403
    assert_dsfr_french_page(page_of(response), gettext("Access refused"))


@pytest.mark.django_db
def test_400_is_a_french_dsfr_page(quiet_client: Client) -> None:
    response = quiet_client.get("/essai/suspect/")
    assert response.status_code == 400
    assert_dsfr_french_page(page_of(response), gettext("Request not valid"))


@pytest.mark.django_db
def test_500_is_a_french_dsfr_page_without_stack_trace(quiet_client: Client) -> None:
    response = quiet_client.get("/essai/panne/")
    assert response.status_code == 500
    assert_dsfr_french_page(page_of(response), gettext("Server error"))


@pytest.mark.django_db
def test_error_pages_link_home_and_to_the_site_map(quiet_client: Client) -> None:
    text = page_of(quiet_client.get("/nulle-part/"))
    assert 'href="/"' in text
    assert 'href="/plan-du-site/"' in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/nulle-part/", 404, "not_found"),
        ("/api/essai/interdit/", 403, "forbidden"),
        ("/api/essai/panne/", 500, "server_error"),
    ],
)
def test_under_api_the_answer_stays_json(quiet_client: Client, url: str, status: int, code: str) -> None:
    response = quiet_client.get(url)
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == code


@pytest.mark.django_db
def test_a_csrf_refusal_is_a_french_page() -> None:
    """Django's own CSRF failure page is English: a form sent without its token gets ours."""
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    page = response.content.decode()
    assert '<html lang="fr"' in page
    assert gettext("The form has expired") in page
    assert "CSRF verification failed" not in page
