"""No input gives a 500, and every API answer is JSON in the one error shape (issue 11, item 9).

Each case below was a 500, an HTML page or a body without ``code`` before the
fix it names; tests/api/test_schemathesis.py then runs the whole API from its
OpenAPI document.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client, override_settings
from tests.factories import (
    ApprovalFactory,
    CandidateFactory,
    agent_of,
    centre_staff,
    make_jury_member,
    make_title,
)
from tests.helpers import login_as

from titrepro.accounts import services as account_services
from titrepro.accounts.api_auth import issue_token

pytestmark = pytest.mark.django_db

TOO_BIG = 2**63  # one past the largest 64-bit signed integer (PostgreSQL bigint, SQLite INTEGER)
SHAPE = {"code", "message", "field", "reasons", "errors"}


@dataclass
class World:
    centre_id: int
    version_id: int
    staff_token: str
    agent_token: str
    staff: Any


@pytest.fixture
def world() -> World:
    make_title()
    approval = ApprovalFactory.create()
    centre = approval.centre
    CandidateFactory.create(centre=centre)
    make_jury_member(authority=centre.authority)
    staff = centre_staff(centre)
    return World(
        centre_id=centre.pk,
        version_id=approval.version_id,
        staff_token=issue_token(staff, "centre")[1],
        agent_token=issue_token(agent_of(centre.authority), "dreets")[1],
        staff=staff,
    )


@pytest.fixture
def client() -> Client:
    """A client that answers 500 like a server does, instead of raising the view's exception."""
    return Client(raise_request_exception=False)


def call(client: Client, method: str, url: str, token: str | None = None, **kwargs: Any) -> HttpResponse:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response: HttpResponse = getattr(client, method)(url, headers=headers, **kwargs)
    return response


def post_json(client: Client, url: str, raw: str | bytes, token: str | None = None) -> HttpResponse:
    return call(client, "post", url, token, data=raw, content_type="application/json")


def shaped(response: Any, status: int) -> dict[str, Any]:
    """The response is ``status``, JSON, in the one error shape; its body."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data: dict[str, Any] = json.loads(response.content)
    assert set(data) >= SHAPE, data
    assert data["code"]
    assert data["message"]
    return data


# Pagination and ids are bounded: 422, not an overflow or a negative slice -------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/titles?offset={TOO_BIG}", "offset"),
        ("/api/v1/titles?offset=-1", "offset"),
        ("/api/v1/titles?limit=0", "limit"),
        ("/api/v1/titles?offset=" + "9" * 5000, "offset"),
    ],
)
def test_catalogue_pagination_is_bounded(client: Client, world: World, url: str, field: str) -> None:
    assert shaped(call(client, "get", url), 422)["field"] == field


@pytest.mark.parametrize(
    ("query", "field"),
    [("offset=-1", "offset"), (f"offset={TOO_BIG}", "offset"), ("limit=0", "limit"), ("limit=100000", "limit")],
)
def test_candidate_pagination_is_bounded(client: Client, world: World, query: str, field: str) -> None:
    response = call(client, "get", f"/api/v1/candidates?{query}", world.staff_token)
    assert shaped(response, 422)["field"] == field


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/directory/approvals?centre_id={TOO_BIG}", "centre_id"),
        (f"/api/v1/directory/habilitations?member_id={TOO_BIG}", "member_id"),
        (f"/api/v1/directory/centres/{TOO_BIG}", "centre_id"),
        (f"/api/v1/directory/approvals/{TOO_BIG}", "approval_id"),
        ("/api/v1/directory/approvals?centre_id=0", "centre_id"),
    ],
)
def test_ids_in_queries_and_paths_are_64_bit(client: Client, world: World, url: str, field: str) -> None:
    assert shaped(call(client, "get", url, world.agent_token), 422)["field"] == field


def test_ids_in_bodies_are_64_bit(client: Client, world: World) -> None:
    grant = {"version_id": TOO_BIG, "site_address": "Annexe", "granted_on": "2025-05-01"}
    response = post_json(
        client, f"/api/v1/directory/centres/{world.centre_id}/approvals", json.dumps(grant), world.agent_token
    )
    assert shaped(response, 422)["field"] == "version_id"
    habilitation = {"member_id": TOO_BIG, "title": "TP-99901", "granted_on": "2025-05-01"}
    response = post_json(client, "/api/v1/directory/habilitations", json.dumps(habilitation), world.agent_token)
    assert shaped(response, 422)["field"] == "member_id"


def test_text_is_bounded_by_its_column(client: Client, world: World) -> None:
    """A token's name has 100 characters at most; an invitation's e-mail becomes a username (150)."""
    response = post_json(client, "/api/v1/accounts/tokens", json.dumps({"name": "x" * 101}), world.staff_token)
    assert shaped(response, 422)["field"] == "name"
    for email in ["", "   ", "personne", "x" * 150 + "@example.org"]:
        invitation = {"email": email, "kind": "centre_staff", "scope_id": world.centre_id}
        response = post_json(client, "/api/v1/accounts/invitations", json.dumps(invitation), world.agent_token)
        assert shaped(response, 422)["field"] == "email", email


# Bodies that cannot be read: 413 / 422 in the shape -------------------------------------------------

DEEP = "[" * 100_000 + "]" * 100_000
LONG_NUMBER = '{"on": ' + "9" * 5000 + "}"


@pytest.mark.parametrize(
    "raw", [DEEP, LONG_NUMBER, "{not json", b"\xff\xfe\x00"], ids=["deep", "digits", "syntax", "bytes"]
)
def test_unreadable_json_is_422_on_the_standing(client: Client, world: World, raw: str | bytes) -> None:
    assert shaped(post_json(client, "/api/v1/standing", raw), 422)["code"] == "invalid_json"


@pytest.mark.parametrize("raw", [DEEP, LONG_NUMBER, "{not json"], ids=["deep", "digits", "syntax"])
def test_unreadable_json_is_422_on_every_body(client: Client, world: World, raw: str) -> None:
    response = post_json(client, "/api/v1/accounts/tokens", raw, world.staff_token)
    assert shaped(response, 422)["code"] == "invalid_json"


@pytest.mark.parametrize("text", ["x\\u0000y", "x\\ud800y"], ids=["nul", "lone-surrogate"])
def test_text_the_database_cannot_store_is_422(client: Client, world: World, text: str) -> None:
    """PostgreSQL refuses NUL in text; neither database can encode an unpaired surrogate."""
    response = post_json(client, "/api/v1/accounts/tokens", f'{{"name": "{text}"}}', world.staff_token)
    assert shaped(response, 422)["field"] == "name"
    response = call(client, "get", "/api/v1/candidates?q=a%00b", world.staff_token)
    assert shaped(response, 422)["field"] == "q"
    body = f'{{"title": "TP-{text}", "route": "training"}}'
    assert shaped(post_json(client, "/api/v1/standing", body), 422)["field"] == "title"


def test_a_path_with_nul_is_422(client: Client, world: World) -> None:
    assert shaped(call(client, "get", "/api/v1/titles/TP%00"), 422)["field"] == "code"


def test_multipart_without_boundary_is_422(client: Client, world: World) -> None:
    response = call(
        client, "post", "/api/v1/candidates/import", world.staff_token, data=b"x", content_type="multipart/form-data"
    )
    assert shaped(response, 422)["code"] == "invalid_multipart"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_the_limit_is_413(client: Client, world: World) -> None:
    big = json.dumps({"title": "TP-99901", "route": "training", "padding": "x" * 2000})
    assert shaped(post_json(client, "/api/v1/standing", big), 413)["code"] == "body_too_large"
    big = json.dumps({"name": "x" * 2000})
    assert shaped(post_json(client, "/api/v1/accounts/tokens", big, world.staff_token), 413)["code"] == "body_too_large"


# Authentication and CSRF in the shape ------------------------------------------------------------


def test_an_anonymous_write_is_401_not_a_csrf_refusal(world: World) -> None:
    client = Client(enforce_csrf_checks=True)  # as a real client: Django's test client skips CSRF checks
    response = post_json(client, "/api/v1/accounts/tokens", '{"name": "x"}')
    assert shaped(response, 401)["code"] == "unauthenticated"
    assert shaped(call(client, "delete", "/api/v1/accounts/tokens/1"), 401)["code"] == "unauthenticated"
    client.cookies["sessionid"] = "not-a-session-of-anyone"
    assert shaped(post_json(client, "/api/v1/accounts/tokens", '{"name": "x"}'), 401)["code"] == "unauthenticated"


def test_a_session_write_without_its_csrf_token_is_403_in_the_shape(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    login_as(browser, world.staff)
    response = browser.post("/api/v1/accounts/tokens", data='{"name": "x"}', content_type="application/json")
    assert shaped(response, 403)["code"] == "csrf_failed"


# Paths and methods that match no operation -------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["/api/v1/nothing-here", "/api/v1/candidates/abc", "/api/v1/candidates/-1", "/api/v1/", "/api/v2/titles"]
)
def test_a_url_that_matches_no_operation_is_a_json_404(client: Client, world: World, url: str) -> None:
    assert shaped(call(client, "get", url, world.staff_token), 404)["code"] == "not_found"


def test_a_page_that_does_not_exist_is_still_an_html_404(client: Client, world: World) -> None:
    response = client.get("/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_method_that_no_operation_takes_is_405_in_the_shape(client: Client, world: World) -> None:
    response = call(client, "put", "/api/v1/titles")
    assert shaped(response, 405)["code"] == "method_not_allowed"
    assert response["Allow"] == "GET"


def test_a_request_django_refuses_before_any_view_is_a_json_400(client: Client, world: World) -> None:
    response = client.get("/api/v1/titles", headers={"host": "ailleurs.example"})  # not in ALLOWED_HOSTS
    assert shaped(response, 400)["code"] == "bad_request"


# Writes that meet another: 409 write_conflict ----------------------------------------------------


def revoke_own_token(client: Client, key: str) -> Any:
    """A write a token may make (creating tokens needs a session: issue 11, item 8)."""
    from titrepro.accounts.api_auth import hash_key
    from titrepro.accounts.models import ApiToken

    token = ApiToken.objects.get(key_hash=hash_key(key))
    return client.delete(f"/api/v1/accounts/tokens/{token.pk}", headers={"authorization": f"Bearer {key}"})


def locked(*args: Any, **kwargs: Any) -> Any:
    raise OperationalError("database is locked")


def test_a_locked_database_is_409_write_conflict(client: Client, world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(account_services, "revoke_token", locked)
    response = revoke_own_token(client, world.staff_token)
    assert shaped(response, 409)["code"] == "write_conflict"


@pytest.mark.parametrize("sqlstate", ["40001", "40P01", "55P03"])
def test_a_postgresql_serialization_or_lock_failure_is_409(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch, sqlstate: str
) -> None:
    class Cause(Exception):
        pass

    cause = Cause("could not serialize access")
    cause.sqlstate = sqlstate  # type: ignore[attr-defined]

    def conflict(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("could not serialize access") from cause

    monkeypatch.setattr(account_services, "revoke_token", conflict)
    response = revoke_own_token(client, world.staff_token)
    assert shaped(response, 409)["code"] == "write_conflict"


def test_another_operational_error_is_still_a_server_error(
    client: Client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("no such table: accounts_apitoken")

    monkeypatch.setattr(account_services, "revoke_token", broken)
    response = revoke_own_token(client, world.staff_token)
    assert shaped(response, 500)["code"] == "server_error"  # JSON under /api/, and not hidden as a conflict
