"""Permission matrix of every accounts page and API endpoint (base class: tests/permissions.py)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.test import Client
from django.urls import reverse

from tests.helpers import login_as
from tests.permissions import Audience, PermissionMatrix, Row

SIGNED_IN = Audience.SIGNED_IN
# Who may invite: each within their own organisation (accounts.services.invitable_kinds).
INVITERS = Audience.NATIONAL | Audience.AUTHORITY | Audience.CENTRE
# The roles whose work the API serves: only they get API tokens (accounts.spaces.API_KINDS).
API_USERS = Audience.NATIONAL | Audience.AUTHORITY | Audience.CENTRE


def own_token(w: Any) -> list[int]:
    return [w.own_token().pk]


class TestAccountsPermissions(PermissionMatrix):
    template_prefix = "accounts/"
    rows: ClassVar[list[Row]] = [
        Row("accounts:home", SIGNED_IN),
        Row("accounts:password_change", SIGNED_IN),
        Row("accounts:otp_setup", SIGNED_IN),
        # No authenticator confirmed yet: the verification page sends to the set-up page.
        Row("accounts:otp_verify", SIGNED_IN, status=302),
        Row("accounts:token_list", API_USERS, is_list=True),
        Row("accounts:token_create", API_USERS, is_list=True),
        # One's own token; someone else's answers 404.
        Row("accounts:token_revoke", SIGNED_IN, method="post", args=own_token, status=302),
        # The form offers only the organisations of the inviter.
        Row("accounts:invite", INVITERS, is_list=True),
        Row("api:accounts_me", SIGNED_IN),
        Row("api:accounts_tokens", SIGNED_IN),
        Row(
            "api:accounts_tokens_create",
            API_USERS,
            method="post",
            body=lambda w: {"name": "script"},
            status=201,
            is_list=True,
        ),
        # The dashboard of the role one works as; switching to a role one does not hold is refused with a message.
        Row("workspace:dashboard", SIGNED_IN, is_list=True),
        Row("workspace:switch", SIGNED_IN, method="post", body=lambda w: {"kind": "candidate"}, status=302),
        Row("api:accounts_token", SIGNED_IN, method="delete", args=own_token, status=204),
        Row(
            "api:accounts_invitations",
            INVITERS,
            method="post",
            body=lambda w: {"email": w.fresh_email(), "kind": "centre_staff", "scope_id": w.ours.centre.pk},
            status=201,
        ),
    ]


# With the accounts world (tests/accounts/conftest.py): its users log in with a password.


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
    for name in ("accounts:home", "accounts:password_change", "accounts:token_list", "accounts:invite"):
        assert client.get(reverse(name))["Location"].startswith(reverse("accounts:otp_setup")), name
