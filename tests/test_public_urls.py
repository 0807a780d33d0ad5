"""The public pages and endpoints: open to anyone, no account needed."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

PUBLIC_URLS = [
    "catalogue:home",
    "catalogue:title_list",
    "catalogue:title_detail",
    "catalogue:version_detail",
    "catalogue:simulator",
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
    "api:list_titles",
    "api:get_title",
    "api:get_title_version",
    "api:standing",
]

GETS = [
    ("catalogue:home", {}),
    ("catalogue:title_list", {}),
    ("catalogue:title_detail", {"code": "TP-01351"}),
    ("catalogue:version_detail", {"code": "TP-01351", "label": "2023"}),
    ("catalogue:simulator", {}),
    ("api:openapi-json", {}),
    ("api:openapi-view", {}),
    ("api:list_titles", {}),
    ("api:get_title", {"code": "TP-01351"}),
    ("api:get_title_version", {"code": "TP-01351", "label": "2023"}),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "kwargs"), GETS, ids=[name for name, _ in GETS])
def test_anyone_may_read(client: Client, builtin_catalogue: object, name: str, kwargs: dict[str, str]) -> None:
    response = client.get(reverse(name, kwargs=kwargs), follow=True)
    assert response.status_code == 200


@pytest.mark.django_db
def test_anyone_may_ask_for_a_standing(client: Client, builtin_catalogue: object) -> None:
    response = client.post(
        reverse("api:standing"), data=json.dumps({"title": "TP-01351"}), content_type="application/json"
    )
    assert response.status_code == 200


def test_every_public_name_is_tested_here() -> None:
    assert {name for name, _ in GETS} | {"api:standing", "api:api-root"} == set(PUBLIC_URLS)
