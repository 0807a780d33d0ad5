"""API tokens: created once (key shown once), used as Bearer, revoked, then refused."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import login_as
from titrepro.accounts.models import ApiToken


def test_token_by_page_then_api_then_revoke(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["juror"])
    assert client.get(reverse("accounts:token_create")).status_code == 200
    page = client.post(reverse("accounts:token_create"), {"name": "script"})
    assert page.status_code == 200
    key = page.context["key"]
    assert key.startswith("tp_")
    token = ApiToken.objects.get(user=world["juror"])
    assert key not in token.key_hash
    home = client.get(reverse("accounts:home")).content.decode()
    assert "script" in home
    assert key not in home
    bearer = Client()
    me = bearer.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200
    assert me.json()["roles"][0]["kind"] == "jury_member"
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert bearer.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_tokens_api(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["staff"])
    created = client.post("/api/v1/accounts/tokens", json.dumps({"name": "sync"}), content_type="application/json")
    assert created.status_code == 201
    body = created.json()
    auth = {"Authorization": f"Bearer {body['key']}"}
    anon = Client()
    listed = anon.get("/api/v1/accounts/tokens", headers=auth)
    assert listed.status_code == 200
    assert [t["name"] for t in listed.json()] == ["sync"]
    assert "key" not in listed.json()[0]
    assert anon.delete(f"/api/v1/accounts/tokens/{body['id']}", headers=auth).status_code == 204
    assert anon.get("/api/v1/accounts/me", headers=auth).status_code == 401


def test_someone_elses_token_is_404(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["staff"])
    created = client.post("/api/v1/accounts/tokens", json.dumps({"name": "mine"}), content_type="application/json")
    login_as(client, world["juror"])
    response = client.delete(f"/api/v1/accounts/tokens/{created.json()['id']}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"] == "Ce jeton n’existe pas."
    assert client.post(reverse("accounts:token_revoke", args=[created.json()["id"]])).status_code == 404


@pytest.mark.django_db
def test_a_token_cannot_mint_a_token_or_an_account(client: Any) -> None:
    """Issue 11, item 8: token management and invitations need a person logged in; a token may
    still revoke itself (that takes power away)."""
    from tests.factories import make_centre, user_with_role
    from titrepro.accounts import services
    from titrepro.accounts.models import ApiToken, RoleKind

    centre = make_centre()
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=centre)
    _token, key = services.create_token(staff, "script")
    bearer = {"authorization": f"Bearer {key}"}
    minted = client.post("/api/v1/accounts/tokens", {"name": "more"}, content_type="application/json", headers=bearer)
    assert minted.status_code == 403
    assert minted.json()["code"] == "session_required"
    invited = client.post(
        "/api/v1/accounts/invitations",
        {"email": "new.staff@example.org", "kind": "centre_staff", "scope_id": centre.pk},
        content_type="application/json",
        headers=bearer,
    )
    assert invited.status_code == 403
    assert invited.json()["code"] == "session_required"
    assert ApiToken.objects.filter(user=staff).count() == 1
