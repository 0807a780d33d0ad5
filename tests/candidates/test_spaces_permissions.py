"""Permission matrix of the role spaces (/espace/...) and of /api/v1/candidates.

For each page and endpoint: anonymous -> login (401 for the API); wrong role -> 403;
the right role in another organisation -> 404 (or none of the other's data);
the right user -> 200.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.factories import (
    make_accommodation,
    make_candidate,
    make_centre,
    make_pathway,
    make_vae_application,
    user_with_role,
)
from tests.helpers import login_as

from titrepro.accounts.models import RoleKind
from titrepro.candidates.models import Candidate
from titrepro.catalogue.models import Title
from titrepro.catalogue.services import LoadReport

pytestmark = pytest.mark.django_db

PROTECTED_URLS = [
    "spaces:centre_candidate_list",
    "spaces:centre_candidate_detail",
    "spaces:centre_candidate_new",
    "spaces:centre_import",
    "spaces:centre_export",
    "spaces:centre_assessment_add",
    "spaces:centre_vae_file",
    "spaces:centre_accommodation_request",
    "spaces:candidate_home",
    "spaces:candidate_portfolio",
    "spaces:authority_vae_list",
    "spaces:authority_vae_decide",
    "spaces:authority_accommodation_list",
    "spaces:authority_accommodation_decide",
    "api:candidates_list",
    "api:candidates_detail",
    "api:candidates_import",
    "api:candidates_vae_decide",
    "api:candidates_accommodation_decide",
]


@dataclass
class World:
    candidate: Candidate
    other_candidate: Candidate
    staff: Any
    other_staff: Any
    agent: Any
    other_agent: Any
    me: Any
    admin: Any
    vae_pk: int
    other_vae_pk: int
    accommodation_pk: int
    other_accommodation_pk: int


@pytest.fixture
def world(builtin_catalogue: LoadReport) -> World:
    tssr = Title.objects.get(code="TP-01351")
    candidate = make_candidate(centre=make_centre(code="HERE"), birth_name="Ici")
    other = make_candidate(centre=make_centre(code="THERE"), birth_name="Ailleurs")
    make_pathway(candidate=candidate, title=tssr)
    today = timezone.localdate()
    return World(
        candidate=candidate,
        other_candidate=other,
        staff=user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre),
        other_staff=user_with_role(RoleKind.CENTRE_STAFF, centre=other.centre),
        agent=user_with_role(RoleKind.AUTHORITY_AGENT, authority=candidate.centre.authority),
        other_agent=user_with_role(RoleKind.AUTHORITY_AGENT, authority=other.centre.authority),
        me=user_with_role(RoleKind.CANDIDATE, candidate=candidate),
        admin=user_with_role(RoleKind.NATIONAL_ADMIN),
        vae_pk=make_vae_application(candidate=candidate, title=tssr, filed_on=today).pk,
        other_vae_pk=make_vae_application(candidate=other, title=tssr, filed_on=today).pk,
        accommodation_pk=make_accommodation(candidate=candidate, requested_on=today).pk,
        other_accommodation_pk=make_accommodation(candidate=other, requested_on=today).pk,
    )


def page_cases(w: World) -> list[tuple[str, str, Any, Any, str | None]]:
    """(name, url, right user, wrong-role user, url of the other organisation's object or None)."""
    return [
        ("centre_candidate_list", reverse("spaces:centre_candidate_list"), w.staff, w.agent, None),
        (
            "centre_candidate_detail",
            reverse("spaces:centre_candidate_detail", args=[w.candidate.pk]),
            w.staff,
            w.me,
            reverse("spaces:centre_candidate_detail", args=[w.other_candidate.pk]),
        ),
        ("centre_candidate_new", reverse("spaces:centre_candidate_new"), w.staff, w.agent, None),
        ("centre_import", reverse("spaces:centre_import"), w.staff, w.agent, None),
        (
            "centre_export",
            reverse("spaces:centre_export") + f"?centre={w.candidate.centre_id}",
            w.staff,
            w.me,
            reverse("spaces:centre_export") + f"?centre={w.other_candidate.centre_id}",
        ),
        (
            "centre_assessment_add",
            reverse("spaces:centre_assessment_add", args=[w.candidate.pk]),
            w.staff,
            w.me,
            reverse("spaces:centre_assessment_add", args=[w.other_candidate.pk]),
        ),
        (
            "centre_vae_file",
            reverse("spaces:centre_vae_file", args=[w.candidate.pk]),
            w.staff,
            w.agent,
            reverse("spaces:centre_vae_file", args=[w.other_candidate.pk]),
        ),
        (
            "centre_accommodation_request",
            reverse("spaces:centre_accommodation_request", args=[w.candidate.pk]),
            w.staff,
            w.me,
            reverse("spaces:centre_accommodation_request", args=[w.other_candidate.pk]),
        ),
        ("candidate_home", reverse("spaces:candidate_home"), w.me, w.staff, None),
        ("candidate_portfolio", reverse("spaces:candidate_portfolio"), w.me, w.agent, None),
        ("authority_vae_list", reverse("spaces:authority_vae_list"), w.agent, w.staff, None),
        (
            "authority_vae_decide",
            reverse("spaces:authority_vae_decide", args=[w.vae_pk]),
            w.agent,
            w.staff,
            reverse("spaces:authority_vae_decide", args=[w.other_vae_pk]),
        ),
        ("authority_accommodation_list", reverse("spaces:authority_accommodation_list"), w.agent, w.me, None),
        (
            "authority_accommodation_decide",
            reverse("spaces:authority_accommodation_decide", args=[w.accommodation_pk]),
            w.agent,
            w.staff,
            reverse("spaces:authority_accommodation_decide", args=[w.other_accommodation_pk]),
        ),
    ]


def test_every_page_is_in_the_matrix(world: World) -> None:
    names = {f"spaces:{name}" for name, *_rest in page_cases(world)}
    assert names == {name for name in PROTECTED_URLS if name.startswith("spaces:")}


def test_anonymous_is_sent_to_the_login_page(client: Client, world: World) -> None:
    login = resolve_url(settings.LOGIN_URL)
    for name, url, *_rest in page_cases(world):
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(login), name


def test_wrong_role_gets_403(client: Client, world: World) -> None:
    for name, url, _right, wrong, _other in page_cases(world):
        login_as(client, wrong)
        assert client.get(url).status_code == 403, name


def test_other_organisation_gets_404(client: Client, world: World) -> None:
    for name, _url, right, _wrong, other_url in page_cases(world):
        if other_url is None:
            continue
        login_as(client, right)
        assert client.get(other_url).status_code == 404, name


def test_right_user_gets_200_and_only_their_data(client: Client, world: World) -> None:
    for name, url, right, _wrong, _other in page_cases(world):
        login_as(client, right)
        response = client.get(url)
        assert response.status_code == 200, name
        assert "Ailleurs" not in response.content.decode("utf-8-sig"), name


def test_national_admin_sees_every_centre(client: Client, world: World) -> None:
    login_as(client, world.admin)
    response = client.get(reverse("spaces:centre_candidate_list"))
    assert "Ailleurs" in response.content.decode()
    assert "Ici" in response.content.decode()


# --- API ------------------------------------------------------------------------------


def api_cases(w: World) -> list[tuple[str, str, str, dict[str, Any], Any, Any, str | None]]:
    """(name, method, url, body, right user, wrong-role user, other organisation's url)."""
    decision = {"decision": True, "on": timezone.localdate().isoformat(), "reason": ""}
    return [
        ("candidates_list", "get", reverse("api:candidates_list"), {}, w.staff, None, None),
        (
            "candidates_detail",
            "get",
            reverse("api:candidates_detail", args=[w.candidate.pk]),
            {},
            w.staff,
            None,
            reverse("api:candidates_detail", args=[w.other_candidate.pk]),
        ),
        (
            "candidates_vae_decide",
            "post",
            reverse("api:candidates_vae_decide", args=[w.vae_pk]),
            decision,
            w.agent,
            w.staff,
            reverse("api:candidates_vae_decide", args=[w.other_vae_pk]),
        ),
        (
            "candidates_accommodation_decide",
            "post",
            reverse("api:candidates_accommodation_decide", args=[w.accommodation_pk]),
            decision,
            w.agent,
            w.me,
            reverse("api:candidates_accommodation_decide", args=[w.other_accommodation_pk]),
        ),
    ]


def call(client: Client, method: str, url: str, body: dict[str, Any]) -> Any:
    if method == "get":
        return client.get(url)
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_matrix(client: Client, world: World) -> None:
    for name, method, url, body, right, wrong, other_url in api_cases(world):
        client.logout()
        assert call(client, method, url, body).status_code == 401, name
        if wrong is not None:
            login_as(client, wrong)
            response = call(client, method, url, body)
            assert response.status_code == 403, name
            assert response.json()["code"] == "forbidden"
        if other_url is not None:
            login_as(client, right)
            response = call(client, method, other_url, body)
            assert response.status_code == 404, name
            assert response.json()["code"] == "not_found"
        login_as(client, right)
        assert call(client, method, url, body).status_code == 200, name


def test_api_list_is_scoped(client: Client, world: World) -> None:
    login_as(client, world.other_staff)
    names = {c["birth_name"] for c in client.get(reverse("api:candidates_list")).json()}
    assert names == {"Ailleurs"}
    login_as(client, world.me)
    assert [c["id"] for c in client.get(reverse("api:candidates_list")).json()] == [world.candidate.pk]


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("candidats.csv", content, content_type="text/csv")


GOOD = b"nom_naissance;prenoms;date_naissance;lieu_naissance\nNouveau;Jean;01/02/2000;Brest\n"
BAD = b"nom_naissance;prenoms;date_naissance;lieu_naissance\nNouveau;Jean;31/02/2000;Brest\n"


def test_api_import_matrix(client: Client, world: World) -> None:
    url = reverse("api:candidates_import")
    assert client.post(url, {"centre": "HERE", "file": upload(GOOD)}).status_code == 401
    login_as(client, world.agent)
    assert client.post(url, {"centre": "HERE", "file": upload(GOOD)}).status_code == 403
    login_as(client, world.other_staff)
    assert client.post(url, {"centre": "HERE", "file": upload(GOOD)}).status_code == 404
    login_as(client, world.staff)
    bad = client.post(url, {"centre": "HERE", "file": upload(BAD)})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["line"] == 2
    dry = client.post(url, {"centre": "HERE", "file": upload(GOOD), "dry_run": "true"})
    assert dry.status_code == 200
    assert dry.json()["to_create"] == 1
    assert not dry.json()["committed"]
    done = client.post(url, {"centre": "HERE", "file": upload(GOOD)})
    assert done.status_code == 200
    assert done.json()["created"] == 1
    assert Candidate.objects.filter(birth_name="Nouveau").count() == 1
