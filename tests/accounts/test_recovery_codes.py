"""Recovery codes of the second factor and the authority-side reset of a lost authenticator
(issue 9, item 7)."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD, user_with_role
from tests.helpers import login_as
from titrepro.accounts import recovery
from titrepro.accounts.models import RecoveryCode, RoleKind, SecondFactorReset, TotpDevice
from titrepro.accounts.otp import SESSION_KEY
from titrepro.audit.models import AuditEntry


def confirmed(user: Any) -> TotpDevice:
    return TotpDevice.objects.create(user=user, secret=pyotp.random_base32(), confirmed_at=timezone.now())


def log_in_to_verification(client: Client, username: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def verify(client: Client, code: str) -> Any:
    return client.post(reverse("accounts:otp_verify"), {"code": code, "next": "/compte/"})


def test_codes_are_stored_hashed(world: dict[str, Any]) -> None:
    codes = recovery.generate_codes(world["staff"])
    assert len(codes) == 10 == len(set(codes))
    stored = list(RecoveryCode.objects.filter(user=world["staff"]).values_list("code_hash", flat=True))
    assert len(stored) == 10
    assert not set(codes) & set(stored)
    assert all(value.startswith("argon2$") for value in stored)


def test_a_recovery_code_passes_the_second_factor_once(client: Client, world: dict[str, Any]) -> None:
    confirmed(world["staff"])
    codes = recovery.generate_codes(world["staff"])
    log_in_to_verification(client, "staff")
    first = verify(client, codes[3].upper())
    assert first.status_code == 302
    assert first["Location"] == "/compte/"
    assert client.session[SESSION_KEY] == str(world["staff"].pk)
    assert AuditEntry.objects.filter(action="second_factor.recovery_code_used").count() == 1
    # The same code, the second time: refused.
    client.post(reverse("accounts:logout"))
    log_in_to_verification(client, "staff")
    again = verify(client, codes[3])
    assert again.status_code == 200
    assert SESSION_KEY not in client.session
    assert recovery.remaining_codes(world["staff"]) == 9
    # Another unused code still works.
    assert verify(client, codes[4]).status_code == 302


def test_another_persons_code_is_refused(world: dict[str, Any]) -> None:
    theirs = recovery.generate_codes(world["agent"])
    recovery.generate_codes(world["staff"])
    assert not recovery.use_code(world["staff"], theirs[0])
    assert recovery.use_code(world["agent"], theirs[0])
    assert not recovery.use_code(world["agent"], theirs[0])


def test_new_codes_replace_the_old_ones(client: Client, world: dict[str, Any]) -> None:
    confirmed(world["staff"])
    old = recovery.generate_codes(world["staff"])
    login_as(client, world["staff"])
    page = client.get(reverse("accounts:recovery_codes"))
    assert page.context["remaining"] == 10
    made = client.post(reverse("accounts:recovery_codes"))
    assert made.status_code == 200
    new = made.context["codes"]
    assert len(new) == 10
    assert all(code in made.content.decode() for code in new)
    assert not recovery.use_code(world["staff"], old[0])
    assert recovery.use_code(world["staff"], new[0])


def test_codes_are_shown_once_at_set_up(client: Client, world: dict[str, Any]) -> None:
    client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    client.get(reverse("accounts:otp_setup"))
    device = TotpDevice.objects.get(user=world["staff"])
    done = client.post(reverse("accounts:otp_setup"), {"code": pyotp.TOTP(device.secret).now(), "next": "/compte/"})
    codes = done.context["codes"]
    assert recovery.remaining_codes(world["staff"]) == 10
    # The page that manages them never shows them again.
    page = client.get(reverse("accounts:recovery_codes")).content.decode()
    assert not any(code in page for code in codes)


# The reset of a lost authenticator -------------------------------------------------------------


def test_an_agent_resets_a_centre_staff_device(client: Client, world: dict[str, Any]) -> None:
    confirmed(world["staff"])
    recovery.generate_codes(world["staff"])
    token_count = world["staff"].api_tokens.count()
    login_as(client, world["agent"])
    page = client.get(reverse("accounts:device_reset", args=[world["staff"].pk]))
    assert page.status_code == 200
    assert page.context["has_device"] is True
    done = client.post(reverse("accounts:device_reset", args=[world["staff"].pk]), {"reason": "téléphone perdu"})
    assert done.status_code == 302
    assert not TotpDevice.objects.filter(user=world["staff"]).exists()
    assert not RecoveryCode.objects.filter(user=world["staff"]).exists()
    assert world["staff"].api_tokens.count() == token_count
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert entry.actor == world["agent"]
    assert entry.reason == "téléphone perdu"
    assert entry.data["had_device"] is True
    # At the next login the person sets an authenticator up again.
    other = Client()
    response = other.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_a_reset_needs_a_reason(client: Client, world: dict[str, Any]) -> None:
    confirmed(world["juror"])
    login_as(client, world["agent"])
    response = client.post(reverse("accounts:device_reset", args=[world["juror"].pk]), {"reason": " "})
    assert response.status_code == 200
    assert TotpDevice.objects.filter(user=world["juror"]).exists()


def test_who_may_reset_whom(world: dict[str, Any]) -> None:
    agent, admin = world["agent"], world["admin"]
    other_staff = user_with_role(RoleKind.CENTRE_STAFF, username="staff2", centre=world["centre2"])
    other_agent = user_with_role(RoleKind.AUTHORITY_AGENT, username="agent-bis", authority=world["authority1"])
    reachable = set(recovery.resettable_users(agent).values_list("username", flat=True))
    assert reachable == {"staff", "juror"}
    assert {"agent", "staff", "juror", "staff2", "learner"} <= set(
        recovery.resettable_users(admin).values_list("username", flat=True)
    )
    for person in (other_staff, other_agent, admin, world["learner"]):
        with pytest.raises(Http404):
            recovery.resettable_user(agent, person.pk)
    for actor in (agent, admin):
        with pytest.raises(PermissionDenied):
            recovery.resettable_user(actor, actor.pk)
    for actor in (world["staff"], world["juror"], world["learner"], world["nobody"]):
        with pytest.raises(PermissionDenied):
            recovery.resettable_user(actor, world["juror"].pk)


def test_a_jury_member_sets_a_new_device_up_after_a_reset(client: Client, world: dict[str, Any]) -> None:
    """Jury members choose the second factor; once an authority reset it, it is asked again."""
    confirmed(world["juror"])
    login_as(client, world["agent"])
    client.post(reverse("accounts:device_reset", args=[world["juror"].pk]), {"reason": "téléphone volé"})
    person = Client()
    response = person.post(reverse("accounts:login"), {"username": "juror", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    assert person.get("/espace/jury/profil/")["Location"].startswith(reverse("accounts:otp_setup"))
    person.get(reverse("accounts:otp_setup"))
    device = TotpDevice.objects.get(user=world["juror"])
    done = person.post(reverse("accounts:otp_setup"), {"code": pyotp.TOTP(device.secret).now(), "next": "/compte/"})
    assert len(done.context["codes"]) == 10
    assert not SecondFactorReset.objects.filter(user=world["juror"]).exists()
