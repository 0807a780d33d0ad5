"""Invitations: who may invite whom, the link (expiry, single use), audit of roles granted and revoked."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse

from tests.helpers import login_as
from titrepro.accounts import services
from titrepro.accounts.api_auth import issue_token
from titrepro.accounts.models import ApiToken, Invitation, Role, RoleKind
from titrepro.accounts.permissions import scope_of
from titrepro.audit.models import AuditEntry

NEW_PASSWORD = "a brand new passphrase 2026"


def test_happy_path_by_page(client: Client, world: dict[str, Any], django_capture_on_commit_callbacks) -> None:
    login_as(client, world["agent"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invite"),
            {"email": "New.Staff@Example.org", "kind": "centre_staff", "organisation": f"centre:{world['centre1'].pk}"},
        )
    assert response.status_code == 302
    role = Role.objects.get(user__email="new.staff@example.org")
    assert role.kind == RoleKind.CENTRE_STAFF
    assert role.centre == world["centre1"]
    assert not role.user.is_active
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/compte/invitation/" in line)
    path = link[link.index("/compte/") :]
    entry = AuditEntry.objects.get(action="role.granted")
    assert entry.actor == world["agent"]
    client.post(reverse("accounts:logout"))
    assert client.get(path).status_code == 200
    mismatch = client.post(path, {"password1": NEW_PASSWORD, "password2": "other"})
    assert mismatch.status_code == 200
    done = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    # Staff: on to the second factor.
    assert done["Location"].startswith(reverse("accounts:otp_setup"))
    user = type(role.user).objects.get(pk=role.user.pk)
    assert user.is_active
    assert user.check_password(NEW_PASSWORD)
    client.post(reverse("accounts:logout"))
    reused = client.get(path)
    assert reused.status_code == 410
    assert client.post(path, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 410


def test_expired_link_is_refused(client: Client, world: dict[str, Any]) -> None:
    sent = services.invite(world["staff"], email="kid@example.org", kind="candidate", scope_object=world["candidate1"])
    invitation = Invitation.objects.get(user__email="kid@example.org")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=invitation.expires_at - timedelta(days=8))
    response = client.get(sent.path)
    assert response.status_code == 410
    assert client.get(sent.path + "tampered/").status_code == 404


def test_tampered_token_is_refused(client: Client, db: None) -> None:
    assert client.get(reverse("accounts:invitation_accept", kwargs={"token": "abc:def"})).status_code == 410


@pytest.mark.parametrize(
    ("actor", "kind", "obj", "error"),
    [
        ("staff", "authority_agent", "authority1", PermissionDenied),  # centre staff never grant agents
        ("staff", "jury_member", "jury1", PermissionDenied),
        ("juror", "candidate", "candidate1", PermissionDenied),
        ("learner", "candidate", "candidate1", PermissionDenied),
        ("agent", "candidate", "candidate1", PermissionDenied),
        ("agent", "national_admin", None, PermissionDenied),
        ("agent", "centre_staff", "centre2", Http404),  # another authority's centre
        ("agent", "authority_agent", "authority2", Http404),
        ("agent", "jury_member", "jury2", Http404),
        ("staff", "centre_staff", "centre2", Http404),
        ("staff", "candidate", "candidate2", Http404),
    ],
)
def test_who_may_not_invite_whom(world: dict[str, Any], actor, kind, obj, error) -> None:
    with pytest.raises(error):
        services.invite(world[actor], email="x@example.org", kind=kind, scope_object=world[obj] if obj else None)
    assert not Role.objects.filter(user__email="x@example.org").exists()


@pytest.mark.parametrize(
    ("actor", "kind", "obj"),
    [
        ("admin", "national_admin", None),
        ("admin", "candidate", "candidate2"),
        ("agent", "authority_agent", "authority1"),
        ("agent", "centre_staff", "centre1"),
        ("agent", "jury_member", "jury1"),
        ("staff", "centre_staff", "centre1"),
        ("staff", "candidate", "candidate1"),
    ],
)
def test_who_may_invite_whom(world: dict[str, Any], actor, kind, obj) -> None:
    sent = services.invite(world[actor], email="x@example.org", kind=kind, scope_object=world[obj] if obj else None)
    assert sent.role.kind == kind
    assert sent.token


def test_invite_page_forbidden_and_out_of_scope(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["juror"])
    assert client.get(reverse("accounts:invite")).status_code == 403
    login_as(client, world["staff"])
    response = client.post(
        reverse("accounts:invite"), {"email": "y@example.org", "kind": "candidate", "candidate": world["candidate2"].pk}
    )
    assert response.status_code == 404


def test_api_invitations(client: Client, world: dict[str, Any]) -> None:
    url = "/api/v1/accounts/invitations"
    login_as(client, world["staff"])

    def post(body: dict[str, Any]) -> Any:
        return client.post(url, json.dumps(body), content_type="application/json")

    ok = post({"email": "k@example.org", "kind": "candidate", "scope_id": world["candidate1"].pk})
    assert ok.status_code == 201
    assert ok.json()["invited"] is True
    again = post({"email": "k@example.org", "kind": "candidate", "scope_id": world["candidate1"].pk})
    assert again.status_code == 409
    forbidden = post({"email": "k@example.org", "kind": "jury_member", "scope_id": world["jury1"].pk})
    assert forbidden.status_code == 403
    assert forbidden.json()["code"] == "forbidden"
    missing = post({"email": "k@example.org", "kind": "candidate", "scope_id": world["candidate2"].pk})
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_an_existing_account_gets_nothing_until_its_owner_accepts(client: Client, world: dict[str, Any]) -> None:
    """Issue 11, item 1: the role waits for the owner; the inviter cannot attach rights to someone else's account."""
    learner = world["learner"]
    sent = services.invite(world["agent"], email="learner@example.org", kind="jury_member", scope_object=world["jury1"])
    assert sent.role.user == learner
    assert sent.role.pending
    assert not scope_of(learner).jury_members
    # Someone else following the link cannot accept it; the owner, logged in, can.
    login_as(client, world["nobody"])
    assert client.post(sent.path).status_code == 410
    assert Role.objects.get(pk=sent.role.pk).pending
    client.logout()
    assert client.get(sent.path).status_code == 302  # to the login page
    login_as(client, learner)
    assert client.get(sent.path).status_code == 200
    assert client.post(sent.path).status_code == 302
    learner = type(learner).objects.get(pk=learner.pk)
    assert scope_of(learner).jury_members == {world["jury1"].pk}
    assert AuditEntry.objects.filter(action="role.accepted").count() == 1


def test_an_invitation_never_reactivates_a_disabled_account(client: Client, world: dict[str, Any]) -> None:
    learner = world["learner"]
    _token, key = issue_token(learner, "script")
    learner.is_active = False
    learner.save()
    assert ApiToken.objects.get(user=learner).revoked_at is not None  # disabling revokes the tokens
    sent = services.invite(
        world["staff"], email="learner@example.org", kind="centre_staff", scope_object=world["centre1"]
    )
    assert client.get(sent.path).status_code == 410
    assert client.post(sent.path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code == 410
    with pytest.raises(services.InvitationInvalid):
        services.accept_invitation(sent.token, NEW_PASSWORD)
    learner.refresh_from_db()
    assert not learner.is_active
    assert not learner.check_password(NEW_PASSWORD)
    assert client.get("/api/v1/accounts/me", headers={"authorization": f"Bearer {key}"}).status_code == 401


def test_the_api_answer_does_not_tell_whether_the_address_had_an_account(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["agent"])
    bodies = []
    for email in ("learner@example.org", "someone.new@example.org"):
        response = client.post(
            "/api/v1/accounts/invitations",
            json.dumps({"email": email, "kind": "jury_member", "scope_id": world["jury1"].pk}),
            content_type="application/json",
        )
        assert response.status_code == 201
        bodies.append(sorted((key, value) for key, value in response.json().items() if key not in {"role_id", "email"}))
    assert bodies[0] == bodies[1]


def test_revoke_role_is_audited_and_scoped(world: dict[str, Any]) -> None:
    role = Role.objects.get(user=world["staff"])
    other = Role.objects.create(user=world["nobody"], kind="centre_staff", centre=world["centre2"])
    with pytest.raises(Http404):
        services.revoke_role(world["agent"], other)
    with pytest.raises(PermissionDenied):
        services.revoke_role(world["juror"], role)
    services.revoke_role(world["agent"], role, reason="left the centre")
    assert not Role.objects.filter(pk=role.pk).exists()
    entry = AuditEntry.objects.get(action="role.revoked")
    assert entry.actor == world["agent"]
    assert entry.reason == "left the centre"
    assert entry.data["kind"] == "centre_staff"
