"""Staff pass a TOTP second factor before staff pages, the admin and the session API."""

from __future__ import annotations

from typing import Any

import pyotp
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from tests.helpers import login_as
from titrepro.accounts.models import TotpDevice
from titrepro.accounts.otp import SESSION_KEY


@pytest.mark.parametrize("who", ["admin", "agent", "staff"])
@pytest.mark.parametrize("path", ["/admin/", "/espace/dreets/", "/espace/centre/candidats/", "/compte/"])
def test_staff_without_second_factor_are_sent_to_set_up(client: Client, world: dict[str, Any], who, path) -> None:
    client.force_login(world[who])
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:otp_setup"))


def test_staff_with_a_device_are_sent_to_verification(client: Client, world: dict[str, Any]) -> None:
    TotpDevice.objects.create(user=world["agent"], secret=pyotp.random_base32(), confirmed_at=timezone.now())
    client.force_login(world["agent"])
    response = client.get("/espace/dreets/")
    assert response["Location"].startswith(reverse("accounts:otp_verify"))


def test_django_staff_flag_also_needs_the_second_factor(client: Client, world: dict[str, Any]) -> None:
    user = world["nobody"]
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get("/admin/")["Location"].startswith(reverse("accounts:otp_setup"))


def test_admin_login_page_goes_to_ours(client: Client, db: None) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("who", ["juror", "learner"])
def test_jury_members_and_candidates_are_not_forced(client: Client, world: dict[str, Any], who: str) -> None:
    response = client.post(reverse("accounts:login"), {"username": who, "password": PASSWORD})
    assert response["Location"] == reverse("workspace:dashboard")
    assert client.get(reverse("accounts:home")).status_code == 200


def test_login_as_helper_passes_the_second_factor(client: Client, world: dict[str, Any]) -> None:
    admin = world["admin"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    login_as(client, admin)
    assert client.get(reverse("accounts:home")).status_code == 200
    assert client.get("/admin/").status_code == 200


def test_admin_login_refuses_a_logged_in_non_staff_user(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["juror"])
    assert client.get("/admin/login/?next=/admin/").status_code == 403


def test_session_api_is_anonymous_for_staff_without_second_factor(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["staff"])
    assert client.get("/api/v1/accounts/me").status_code == 401
    login_as(client, world["staff"])
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_set_up_with_a_real_code(client: Client, world: dict[str, Any]) -> None:
    response = client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_setup"))
    page = client.get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body
    device = TotpDevice.objects.get(user=world["staff"])
    assert device.secret in body
    wrong = client.post(reverse("accounts:otp_setup"), {"code": "000000", "next": "/compte/"})
    assert wrong.status_code == 200
    assert "error-summary" in wrong.content.decode()
    code = pyotp.TOTP(device.secret).now()
    done = client.post(reverse("accounts:otp_setup"), {"code": code, "next": "/compte/"})
    # Set up: the ten recovery codes are shown, once, with the way on to the page asked for.
    assert done.status_code == 200
    assert done.templates[0].name == "accounts/recovery_codes.html"
    assert len(done.context["codes"]) == 10
    assert 'href="/compte/"' in done.content.decode()
    device.refresh_from_db()
    assert device.confirmed_at is not None
    assert client.session[SESSION_KEY] == str(world["staff"].pk)
    # The same code cannot be used twice.
    client.post(reverse("accounts:logout"))
    client.post(reverse("accounts:login"), {"username": "staff", "password": PASSWORD})
    replay = client.post(reverse("accounts:otp_verify"), {"code": code, "next": "/compte/"})
    assert replay.status_code == 200


def test_verification_at_login_with_a_real_code(client: Client, world: dict[str, Any]) -> None:
    device = TotpDevice.objects.create(user=world["agent"], secret=pyotp.random_base32(), confirmed_at=timezone.now())
    response = client.post(reverse("accounts:login"), {"username": "agent", "password": PASSWORD, "next": "/admin/"})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
    assert client.get("/espace/dreets/").status_code == 302
    done = client.post(reverse("accounts:otp_verify"), {"code": pyotp.TOTP(device.secret).now(), "next": "/admin/"})
    assert done["Location"] == "/admin/"
    assert client.get(reverse("accounts:home")).status_code == 200


def test_wrong_codes_are_throttled(client: Client, world: dict[str, Any]) -> None:
    TotpDevice.objects.create(user=world["agent"], secret=pyotp.random_base32(), confirmed_at=timezone.now())
    client.force_login(world["agent"])
    statuses = [client.post(reverse("accounts:otp_verify"), {"code": "000000"}).status_code for _ in range(6)]
    assert statuses[-1] == 429


def test_a_candidate_may_enable_it_and_is_then_asked(client: Client, world: dict[str, Any]) -> None:
    TotpDevice.objects.create(user=world["learner"], secret=pyotp.random_base32(), confirmed_at=timezone.now())
    response = client.post(reverse("accounts:login"), {"username": "learner", "password": PASSWORD})
    assert response["Location"].startswith(reverse("accounts:otp_verify"))
