"""Permission matrix of every accounts page and API endpoint (tests/test_url_coverage.py reads the lists)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import login_as

PROTECTED_URLS = [
    "accounts:home",
    "accounts:password_change",
    "accounts:otp_setup",
    "accounts:otp_verify",
    "accounts:token_create",
    "accounts:token_revoke",
    "accounts:invite",
    "api:accounts_me",
    "api:accounts_tokens",
    "api:accounts_tokens_create",
    "api:accounts_token",
    "api:accounts_invitations",
]
PUBLIC_URLS = ["accounts:login", "accounts:logout", "accounts:invitation_accept"]

PAGES = [
    ("get", "accounts:home", {}),
    ("get", "accounts:password_change", {}),
    ("get", "accounts:otp_setup", {}),
    ("get", "accounts:otp_verify", {}),
    ("get", "accounts:token_create", {}),
    ("post", "accounts:token_revoke", {"pk": 1}),
    ("get", "accounts:invite", {}),
]
API = [
    ("get", "/api/v1/accounts/me"),
    ("get", "/api/v1/accounts/tokens"),
    ("post", "/api/v1/accounts/tokens"),
    ("delete", "/api/v1/accounts/tokens/1"),
    ("post", "/api/v1/accounts/invitations"),
]


@pytest.mark.parametrize(("method", "name", "kwargs"), PAGES, ids=[p[1] for p in PAGES])
def test_anonymous_pages_go_to_login(client: Client, db: None, method: str, name: str, kwargs: dict[str, Any]) -> None:
    response = getattr(client, method)(reverse(name, kwargs=kwargs))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize(("method", "path"), API, ids=[f"{m} {p}" for m, p in API])
def test_anonymous_api_is_401(client: Client, db: None, method: str, path: str) -> None:
    response = getattr(client, method)(path, content_type="application/json")
    assert response.status_code == 401


@pytest.mark.parametrize("who", ["admin", "agent", "staff", "juror", "learner", "nobody"])
def test_every_user_sees_their_own_pages(client: Client, world: dict[str, Any], who: str) -> None:
    login_as(client, world[who])
    for name in ("accounts:home", "accounts:password_change", "accounts:token_create", "accounts:otp_setup"):
        assert client.get(reverse(name)).status_code == 200, name
    assert client.get("/api/v1/accounts/me").status_code == 200
    assert client.get("/api/v1/accounts/tokens").status_code == 200


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("agent", 200), ("staff", 200), ("juror", 403), ("learner", 403), ("nobody", 403)],
)
def test_invite_page_by_role(client: Client, world: dict[str, Any], who: str, status: int) -> None:
    login_as(client, world[who])
    assert client.get(reverse("accounts:invite")).status_code == status


def test_invite_form_offers_only_the_actor_scope(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["agent"])
    body = client.get(reverse("accounts:invite")).content.decode()
    assert "Centre 1" in body
    assert "Centre 2" not in body
    assert "Anne Jury1" in body
    assert "Jury2" not in body
    assert 'value="national_admin"' not in body
    assert 'value="candidate"' not in body


def test_staff_pages_need_the_second_factor(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["agent"])
    for name in ("accounts:home", "accounts:password_change", "accounts:token_create", "accounts:invite"):
        assert client.get(reverse(name))["Location"].startswith(reverse("accounts:otp_setup")), name


@pytest.mark.parametrize("name", PUBLIC_URLS)
def test_public_pages(client: Client, db: None, name: str) -> None:
    if name == "accounts:logout":
        assert client.post(reverse(name)).status_code == 302
    elif name == "accounts:invitation_accept":
        assert client.get(reverse(name, kwargs={"token": "bad"})).status_code == 410
    else:
        assert client.get(reverse(name)).status_code == 200
