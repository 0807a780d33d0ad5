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
    login_as(client, world["staff"])
    assert client.get(reverse("accounts:token_create")).status_code == 200
    page = client.post(reverse("accounts:token_create"), {"name": "script", "scope": "read", "days": "90"})
    assert page.status_code == 200
    key = page.context["key"]
    assert key.startswith("tp_")
    token = ApiToken.objects.get(user=world["staff"])
    assert key not in token.key_hash
    home = client.get(reverse("accounts:token_list")).content.decode()
    assert "script" in home
    assert key not in home
    bearer = Client()
    me = bearer.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {key}"})
    assert me.status_code == 200
    assert me.json()["roles"][0]["kind"] == "centre_staff"
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
    _token, key = services.create_token(staff, "script", scope="full", days=90)
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


def _bearer(key: str) -> dict[str, str]:
    return {"authorization": f"Bearer {key}"}


@pytest.mark.django_db
def test_tokens_expire(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 11, item 8: a token has an expiry; past it, it is refused like a revoked one."""
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import make_centre, user_with_role
    from titrepro.accounts import services
    from titrepro.accounts.models import RoleKind

    user = user_with_role(RoleKind.CENTRE_STAFF, centre=make_centre())
    token, key = services.create_token(user, "script", scope="read", days=30)
    assert token.expires_at is not None
    assert timedelta(days=29) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert client.get("/api/v1/accounts/me", headers=_bearer(key)).status_code == 200
    later = timezone.now() + timedelta(days=31)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get("/api/v1/accounts/me", headers=_bearer(key)).status_code == 401


@pytest.mark.django_db
def test_a_token_does_what_its_scope_allows(client: Any) -> None:
    """read: reading only; import: reading and imports; full: every write of its owner's roles."""
    from tests.factories import make_centre, user_with_role
    from titrepro.accounts import services
    from titrepro.accounts.models import RoleKind

    centre = make_centre()
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=centre)
    keys = {scope: services.create_token(staff, scope, scope=scope, days=90)[1] for scope in ("read", "import", "full")}
    csv = b"nom_naissance;prenoms;date_naissance;lieu_naissance\nMARTIN;Paul;01/02/1990;Lyon\n"

    def importing(key: str) -> Any:
        from django.core.files.uploadedfile import SimpleUploadedFile

        upload = SimpleUploadedFile("c.csv", csv, content_type="text/csv")
        data = {"file": upload, "centre": centre.code, "dry_run": "true"}
        return client.post("/api/v1/candidates/import", data, headers=_bearer(key))

    for key in keys.values():
        assert client.get("/api/v1/candidates", headers=_bearer(key)).status_code == 200
    refused = importing(keys["read"])
    assert refused.status_code == 403
    assert refused.json()["code"] == "token_scope"
    assert "Lecture seule" in refused.json()["message"]
    assert importing(keys["import"]).status_code == 200
    assert importing(keys["full"]).status_code == 200
    # A decision is not an import: the import token may not take one.
    decided = client.post(
        "/api/v1/candidates/vae/1/decision",
        {"outcome": "admissible"},
        content_type="application/json",
        headers=_bearer(keys["import"]),
    )
    assert decided.status_code == 403
    assert decided.json()["code"] == "token_scope"


def test_the_token_page_shows_scope_and_expiry(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["staff"])
    page = client.post(reverse("accounts:token_create"), {"name": "sync", "scope": "import", "days": "30"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=world["staff"], name="sync")
    assert token.scope == "import"
    home = client.get(reverse("accounts:token_list")).content.decode()
    assert "Lecture et imports" in home
    assert token.expires_at is not None
    from django.utils import formats, timezone

    assert formats.date_format(timezone.localtime(token.expires_at), "SHORT_DATE_FORMAT") in home
    bad = client.post(reverse("accounts:token_create"), {"name": "x", "scope": "root", "days": "9999"})
    assert bad.status_code == 200
    assert "error-summary" in bad.content.decode()
    assert not ApiToken.objects.filter(name="x").exists()


def test_the_scoped_operations_exist() -> None:
    """The operations named in accounts.api_auth are API operations (a renamed one would be
    silently refused to import tokens); every other write needs a full token."""
    from django.urls import get_resolver

    from titrepro.accounts.api_auth import IMPORT_OPERATIONS, SESSION_OPERATIONS

    names = {name for name in get_resolver().namespace_dict["api"][1].reverse_dict if isinstance(name, str)}
    assert "candidates_import" in IMPORT_OPERATIONS
    assert names >= IMPORT_OPERATIONS | SESSION_OPERATIONS


def test_tokens_are_offered_only_to_the_roles_that_use_the_api(client: Client, world: dict[str, Any]) -> None:
    """Issue 9, item 1: a jury member or a candidate has no API work: no token page, no token."""
    for who in ("juror", "learner"):
        login_as(client, world[who])
        assert 'href="/compte/jetons/"' not in client.get(reverse("accounts:home")).content.decode()
        assert client.get(reverse("accounts:token_list")).status_code == 403
        created = client.post("/api/v1/accounts/tokens", json.dumps({"name": "x"}), content_type="application/json")
        assert created.status_code == 403
    login_as(client, world["staff"])
    assert 'href="/compte/jetons/"' in client.get(reverse("accounts:home")).content.decode()
