"""What the directory API answers: shapes, refusals with their reason codes, token authentication."""

from __future__ import annotations

import datetime
import json

from django.test import Client
from django.urls import reverse
from tests.factories import ExperienceFactory, JuryMemberFactory
from tests.helpers import login_as

from titrepro.accounts.api_auth import issue_token
from titrepro.audit.services import history
from titrepro.directory.models import Habilitation

from .conftest import World


def post(client: Client, url: str, body: dict[str, object], **headers: str) -> object:
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


def test_approval_list_shape(client: Client, world: World):
    login_as(client, world.agent)
    (item,) = client.get(reverse("api:directory_approval_list")).json()
    assert item["title"] == "TP-99901"
    assert item["version"] == "2025"
    assert item["status"] == "active"
    assert item["valid_until"] == "2029-12-31"


def test_grant_approval_is_capped_and_audited(client: Client, world: World):
    login_as(client, world.agent)
    response = post(
        client,
        reverse("api:directory_approval_grant", args=[world.centre.pk]),
        {
            "version_id": world.approval.version_id,
            "site_address": "Annexe",
            "granted_on": "2025-05-01",
            "valid_until": "2035-01-01",
            "reason": "Dossier complet",
        },
    )
    assert response.status_code == 201  # type: ignore[attr-defined]
    assert response.json()["valid_until"] == "2029-12-31"  # type: ignore[attr-defined]


def test_unknown_version_is_404(client: Client, world: World):
    login_as(client, world.agent)
    response = post(
        client,
        reverse("api:directory_approval_grant", args=[world.centre.pk]),
        {"version_id": 999999, "site_address": "x", "granted_on": "2025-05-01"},
    )
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert response.json()["code"] == "version_not_found"  # type: ignore[attr-defined]


def test_habilitation_refused_with_reason_codes(client: Client, world: World):
    member = JuryMemberFactory.create(authority=world.member.authority)
    ExperienceFactory.create(
        member=member, title=world.title, start=datetime.date(2008, 1, 1), end=datetime.date(2010, 1, 1)
    )
    login_as(client, world.agent)
    response = post(
        client,
        reverse("api:directory_habilitation_grant"),
        {"member_id": member.pk, "title": world.title.code, "granted_on": "2025-06-01"},
    )
    assert response.status_code == 422  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["reasons"] == ["habilitation_experience_too_short", "habilitation_out_of_job_too_long"]
    assert "R-61" in body["message"]
    assert not Habilitation.objects.filter(member=member).exists()


def test_habilitation_granted_by_token(client: Client, world: World):
    member = JuryMemberFactory.create(authority=world.member.authority)
    ExperienceFactory.create(member=member, title=world.title, start=datetime.date(2015, 1, 1))
    _, key = issue_token(world.agent, "outil DDETS")
    response = post(
        client,
        reverse("api:directory_habilitation_grant"),
        {"member_id": member.pk, "title": world.title.code, "granted_on": "2025-06-01", "valid_until": "2031-01-01"},
        Authorization=f"Bearer {key}",
    )
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    assert response.json()["valid_until"] == "2029-12-31"  # type: ignore[attr-defined]
    habilitation = Habilitation.objects.get(member=member)
    assert [e.action for e in history(habilitation)] == ["habilitation.granted"]


def test_jury_me(client: Client, world: World):
    login_as(client, world.member_user)
    body = client.get(reverse("api:directory_jury_me")).json()
    assert body["last_name"] == "Lovelace"
    assert [link["label"] for link in body["declared_links"]] == ["Lien secret"]
    assert body["experiences"][0]["title"] == "TP-99901"
    assert body["habilitations"][0]["title"] == "TP-99901"
