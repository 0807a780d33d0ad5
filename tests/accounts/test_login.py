"""Passwords (Argon2), login, throttling, logout, password change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import get_hasher
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, make_user
from tests.helpers import login_as
from titrepro.accounts import throttle


def test_argon2_is_the_hasher(db: None) -> None:
    user = make_user(username="someone", with_password=True)
    assert get_hasher().algorithm == "argon2"
    assert user.password.startswith("argon2$")


def test_login_page_renders(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert 'name="password"' in response.content.decode()


def test_login_then_logout(client: Client, world: dict[str, Any]) -> None:
    response = client.post(reverse("accounts:login"), {"username": "juror", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:dashboard")
    assert client.get(reverse("accounts:home")).status_code == 200
    assert client.get(reverse("accounts:logout")).status_code == 405  # POST only
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("accounts:home")).status_code == 302


def test_wrong_password_is_refused_with_an_error(client: Client, world: dict[str, Any]) -> None:
    response = client.post(reverse("accounts:login"), {"username": "juror", "password": "nope"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_ignores_an_outside_next(client: Client, world: dict[str, Any]) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": "juror", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("workspace:dashboard")


def test_throttling_delays_after_five_failures(
    client: Client, world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1_000_000.0]
    monkeypatch.setattr(throttle, "now", lambda: clock[0])
    url = reverse("accounts:login")
    for _ in range(throttle.FREE_FAILURES):
        assert client.post(url, {"username": "juror", "password": "wrong"}).status_code == 200
    # Even the right password is refused during the delay, with the wait in French.
    still = client.post(url, {"username": "juror", "password": PASSWORD})
    assert still.status_code == 429
    assert f"{throttle.FIRST_DELAY} secondes" in still.content.decode()
    assert "_auth_user_id" not in client.session
    # Another account from the same address is not delayed.
    assert client.post(url, {"username": "learner", "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    clock[0] += throttle.FIRST_DELAY - 1
    assert client.post(url, {"username": "juror", "password": PASSWORD}).status_code == 429
    clock[0] += 1
    assert client.post(url, {"username": "juror", "password": PASSWORD}).status_code == 302


def test_a_success_resets_the_failure_count(client: Client, world: dict[str, Any]) -> None:
    url = reverse("accounts:login")
    for _ in range(throttle.FREE_FAILURES - 1):
        client.post(url, {"username": "juror", "password": "wrong"})
    assert client.post(url, {"username": "juror", "password": PASSWORD}).status_code == 302
    client.post(reverse("accounts:logout"))
    assert client.post(url, {"username": "juror", "password": "wrong"}).status_code == 200


def test_password_change(client: Client, world: dict[str, Any]) -> None:
    login_as(client, world["juror"])
    url = reverse("accounts:password_change")
    assert client.get(url).status_code == 200
    short = client.post(url, {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"})
    assert short.status_code == 200
    assert "error-summary" in short.content.decode()
    new = "a much longer new passphrase 42"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    world["juror"].refresh_from_db()
    assert world["juror"].check_password(new)
    assert client.get(reverse("accounts:home")).status_code == 200  # still logged in
