"""Permission matrix of every directory page and API endpoint.

For each: anonymous -> login page (pages) or 401 (API); wrong role -> 403;
another organisation -> 404 (or nothing of ours in a list); the right user -> 200.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from tests.helpers import login_as as login

from .conftest import World

PROTECTED_URLS = [
    "directory:centre_list",
    "directory:centre_detail",
    "directory:approval_grant",
    "directory:approval_detail",
    "directory:approval_suspend",
    "directory:approval_reinstate",
    "directory:approval_withdraw",
    "directory:jury_member_list",
    "directory:jury_member_detail",
    "directory:habilitation_grant",
    "directory:habilitation_end",
    "directory:jury_profile",
    "directory:jury_experience_add",
    "directory:jury_link_add",
    "directory:jury_link_remove",
    "api:directory_centre_list",
    "api:directory_centre_detail",
    "api:directory_approval_list",
    "api:directory_approval_detail",
    "api:directory_approval_grant",
    "api:directory_approval_suspend",
    "api:directory_approval_reinstate",
    "api:directory_approval_withdraw",
    "api:directory_habilitation_list",
    "api:directory_habilitation_grant",
    "api:directory_habilitation_end",
    "api:directory_jury_me",
]

Args = Callable[[World], list[Any]]
NONE: Args = lambda w: []  # noqa: E731

# name, URL arguments, audience ("agent": authority pages; "member": the jury member's own pages), is a list
PAGES: list[tuple[str, Args, str, bool]] = [
    ("directory:centre_list", NONE, "agent", True),
    ("directory:centre_detail", lambda w: [w.centre.pk], "agent", False),
    ("directory:approval_grant", lambda w: [w.centre.pk], "agent", False),
    ("directory:approval_detail", lambda w: [w.approval.pk], "agent", False),
    ("directory:approval_suspend", lambda w: [w.approval.pk], "agent", False),
    ("directory:approval_reinstate", lambda w: [w.approval.pk], "agent", False),
    ("directory:approval_withdraw", lambda w: [w.approval.pk], "agent", False),
    ("directory:jury_member_list", NONE, "agent", True),
    ("directory:jury_member_detail", lambda w: [w.member.pk], "agent", False),
    ("directory:habilitation_grant", lambda w: [w.member.pk], "agent", False),
    ("directory:habilitation_end", lambda w: [w.habilitation.pk], "agent", False),
    ("directory:jury_profile", NONE, "member", True),
    ("directory:jury_experience_add", NONE, "member", True),
    ("directory:jury_link_add", NONE, "member", True),
    ("directory:jury_link_remove", lambda w: [w.link.pk], "member", False),
]


def page_ids() -> list[str]:
    return [name for name, *_ in PAGES]


def right_user(world: World, audience: str) -> Any:
    return world.agent if audience == "agent" else world.member_user


def wrong_role(world: World, audience: str) -> Any:
    return world.staff if audience == "agent" else world.agent


def other_organisation(world: World, audience: str) -> Any:
    return world.other_agent if audience == "agent" else world.other_member_user


def test_every_page_is_in_the_matrix() -> None:
    assert {name for name, *_ in PAGES} == {name for name in PROTECTED_URLS if name.startswith("directory:")}


@pytest.mark.parametrize(("name", "args", "audience", "is_list"), PAGES, ids=page_ids())
def test_anonymous_is_sent_to_login(client: Client, world: World, name: str, args: Args, audience: str, is_list: bool):
    url = reverse(name, args=args(world))
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    assert client.post(url).status_code == 302


@pytest.mark.parametrize(("name", "args", "audience", "is_list"), PAGES, ids=page_ids())
def test_wrong_role_is_forbidden(client: Client, world: World, name: str, args: Args, audience: str, is_list: bool):
    login(client, wrong_role(world, audience))
    url = reverse(name, args=args(world))
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "x"}).status_code == 403


@pytest.mark.parametrize(("name", "args", "audience", "is_list"), PAGES, ids=page_ids())
def test_other_organisation_sees_nothing_of_ours(
    client: Client, world: World, name: str, args: Args, audience: str, is_list: bool
):
    login(client, other_organisation(world, audience))
    url = reverse(name, args=args(world))
    response = client.get(url)
    if is_list:
        assert response.status_code == 200
        content = response.content.decode()
        # Centre names are public (the link form offers them all); a member's data is not.
        secrets = ("Centre Lumière", "Lovelace", "Lien secret") if audience == "agent" else ("Lovelace", "Lien secret")
        for secret in secrets:
            assert secret not in content
    else:
        assert response.status_code == 404
        assert client.post(url, {"reason": "x"}).status_code == 404


@pytest.mark.parametrize(("name", "args", "audience", "is_list"), PAGES, ids=page_ids())
def test_right_user_sees_the_page(client: Client, world: World, name: str, args: Args, audience: str, is_list: bool):
    login(client, right_user(world, audience))
    response = client.get(reverse(name, args=args(world)))
    assert response.status_code == 200
    assert (response.templates[0].name or "").startswith("directory/")


@pytest.mark.parametrize(
    ("name", "args"), [(name, args) for name, args, audience, _ in PAGES if audience == "agent"], ids=str
)
def test_national_admin_sees_every_authority_page(client: Client, world: World, name: str, args: Args):
    from tests.factories import national_admin

    login(client, national_admin())
    assert client.get(reverse(name, args=args(world))).status_code == 200


# API --------------------------------------------------------------------------------------------

# name, method, URL arguments, JSON body, audience, status for the right user
APIS: list[tuple[str, str, Args, Callable[[World], dict[str, Any]] | None, str, int]] = [
    ("api:directory_centre_list", "get", NONE, None, "agent", 200),
    ("api:directory_centre_detail", "get", lambda w: [w.centre.pk], None, "agent", 200),
    ("api:directory_approval_list", "get", NONE, None, "agent", 200),
    ("api:directory_approval_detail", "get", lambda w: [w.approval.pk], None, "agent", 200),
    (
        "api:directory_approval_grant",
        "post",
        lambda w: [w.centre.pk],
        lambda w: {
            "version_id": w.approval.version_id,
            "site_address": "Autre site",
            "granted_on": "2025-05-01",
        },
        "agent",
        201,
    ),
    (
        "api:directory_approval_suspend",
        "post",
        lambda w: [w.approval.pk],
        lambda w: {"reason": "Contrôle"},
        "agent",
        200,
    ),
    # The approval is active: reinstating it is refused by the rules (422), after the scope checks.
    (
        "api:directory_approval_reinstate",
        "post",
        lambda w: [w.approval.pk],
        lambda w: {"reason": "Conforme"},
        "agent",
        422,
    ),
    (
        "api:directory_approval_withdraw",
        "post",
        lambda w: [w.approval.pk],
        lambda w: {"withdrawn_on": "2025-09-01", "reapply_banned_until": "2026-09-01", "reason": "Fraude"},
        "agent",
        200,
    ),
    ("api:directory_habilitation_list", "get", NONE, None, "agent", 200),
    (
        "api:directory_habilitation_grant",
        "post",
        NONE,
        lambda w: {"member_id": w.member.pk, "title": w.title.code, "granted_on": "2025-06-01"},
        "agent",
        422,  # the member already holds one: refused by the rules, after the scope checks
    ),
    (
        "api:directory_habilitation_end",
        "post",
        lambda w: [w.habilitation.pk],
        lambda w: {"ended_on": "2025-06-01", "reason": "À sa demande"},
        "agent",
        200,
    ),
    ("api:directory_jury_me", "get", NONE, None, "member", 200),
]


def api_ids() -> list[str]:
    return [name for name, *_ in APIS]


def call(client: Client, method: str, url: str, body: dict[str, Any] | None) -> Any:
    if method == "get":
        return client.get(url)
    return client.post(url, data=json.dumps(body or {}), content_type="application/json")


def test_every_endpoint_is_in_the_matrix() -> None:
    assert {name for name, *_ in APIS} == {name for name in PROTECTED_URLS if name.startswith("api:")}


@pytest.mark.parametrize(("name", "method", "args", "body", "audience", "status"), APIS, ids=api_ids())
def test_api_anonymous_401(client: Client, world: World, name, method, args, body, audience, status):
    response = call(client, method, reverse(name, args=args(world)), body(world) if body else None)
    assert response.status_code == 401


@pytest.mark.parametrize(("name", "method", "args", "body", "audience", "status"), APIS, ids=api_ids())
def test_api_wrong_role_403(client: Client, world: World, name, method, args, body, audience, status):
    login(client, wrong_role(world, audience))
    response = call(client, method, reverse(name, args=args(world)), body(world) if body else None)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.parametrize(("name", "method", "args", "body", "audience", "status"), APIS, ids=api_ids())
def test_api_other_organisation(client: Client, world: World, name, method, args, body, audience, status):
    login(client, other_organisation(world, audience))
    response = call(client, method, reverse(name, args=args(world)), body(world) if body else None)
    if method == "get" and not args(world):
        assert response.status_code == 200
        content = response.content.decode()
        for secret in ("Centre Lumière", "Lovelace", "Lien secret", str(world.approval.site_address)):
            assert secret not in content
    else:
        assert response.status_code == 404
        assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(("name", "method", "args", "body", "audience", "status"), APIS, ids=api_ids())
def test_api_right_user(client: Client, world: World, name, method, args, body, audience, status):
    login(client, right_user(world, audience))
    response = call(client, method, reverse(name, args=args(world)), body(world) if body else None)
    assert response.status_code == status, response.content
