"""Throttling that holds (issue 11, item 7): per account whatever the address, a growing delay
rather than a hard lock, a per-address limit, atomic under concurrency, the trusted proxies'
forwarded address, and the second factor limited per account."""

from __future__ import annotations

import threading
import time
from typing import Any

import pyotp
import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import PASSWORD
from titrepro.accounts import otp, throttle, views
from titrepro.accounts.models import TotpDevice

LOGIN = "/compte/connexion/"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    now = [1_000_000.0]
    monkeypatch.setattr(throttle, "now", lambda: now[0])
    return now


def _try(client: Client, username: str, password: str, ip: str, **extra: Any) -> int:
    response = client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)
    return response.status_code


def test_many_addresses_do_not_multiply_the_guesses(world: dict[str, Any], clock: list[float]) -> None:
    """Forty wrong passwords from ten addresses: the account is delayed after the free failures."""
    statuses = [_try(Client(), "juror", "wrong", f"203.0.113.{n % 10}") for n in range(40)]
    assert statuses.count(200) == throttle.FREE_FAILURES
    assert statuses[throttle.FREE_FAILURES] == 429


def test_the_delay_grows_and_ends(world: dict[str, Any], clock: list[float]) -> None:
    client = Client()
    for _ in range(throttle.FREE_FAILURES):
        assert _try(client, "juror", "wrong", "203.0.113.1") == 200
    # One more failure is allowed after the first delay, then the delay doubles.
    assert _try(client, "juror", PASSWORD, "203.0.113.1") == 429
    clock[0] += throttle.FIRST_DELAY
    assert _try(client, "juror", "wrong", "203.0.113.1") == 200
    clock[0] += throttle.FIRST_DELAY
    assert _try(client, "juror", "wrong", "203.0.113.1") == 429  # now twice FIRST_DELAY
    clock[0] += throttle.FIRST_DELAY
    # A delay, not a lock: the right password works once it has passed.
    assert _try(client, "juror", PASSWORD, "203.0.113.1") == 302


def test_the_delay_never_exceeds_the_maximum(world: dict[str, Any], clock: list[float]) -> None:
    client = Client()
    for _ in range(30):
        _try(client, "juror", "wrong", "203.0.113.1")
        clock[0] += throttle.MAX_DELAY
    assert _try(client, "juror", "wrong", "203.0.113.1") == 200
    clock[0] += throttle.MAX_DELAY
    assert _try(client, "juror", PASSWORD, "203.0.113.1") == 302


def test_a_known_browser_is_not_delayed_by_an_attacker(world: dict[str, Any], clock: list[float]) -> None:
    """The real user's browser (which logged in before) keeps its own count: another's failures,
    from any address, do not lock it out."""
    own = Client()
    assert _try(own, "juror", PASSWORD, "198.51.100.7") == 302
    assert throttle.DEVICE_COOKIE in own.cookies
    own.post(reverse("accounts:logout"))
    for n in range(12):
        _try(Client(), "juror", "wrong", f"203.0.113.{n}")
    assert _try(Client(), "juror", PASSWORD, "203.0.113.99") == 429
    assert _try(own, "juror", PASSWORD, "198.51.100.7") == 302


def test_the_per_address_limit(world: dict[str, Any], clock: list[float], settings: Any) -> None:
    """Many accounts tried from one address: refused after the address's limit, other addresses are not."""
    statuses = [_try(Client(), f"someone{n}", "wrong", "203.0.113.5") for n in range(throttle.ADDRESS_FAILURES + 3)]
    assert statuses.count(200) == throttle.ADDRESS_FAILURES
    assert statuses[-1] == 429
    assert _try(Client(), "juror", PASSWORD, "198.51.100.7") == 302
    clock[0] += throttle.ADDRESS_WINDOW
    assert _try(Client(), "someone-else", "wrong", "203.0.113.5") == 200


def test_a_success_frees_its_address_ticket(world: dict[str, Any], clock: list[float]) -> None:
    """A training centre behind one address: successful logins do not use up the address's limit."""
    for _ in range(throttle.ADDRESS_FAILURES + 5):
        client = Client()
        assert _try(client, "learner", PASSWORD, "203.0.113.5") == 302


def test_forwarded_address_only_from_a_trusted_proxy(world: dict[str, Any], clock: list[float], settings: Any) -> None:
    settings.TITREPRO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    forwarded = {"HTTP_X_FORWARDED_FOR": "203.0.113.5"}
    for n in range(throttle.ADDRESS_FAILURES):
        _try(Client(), f"someone{n}", "wrong", "10.0.0.2", **forwarded)
    assert _try(Client(), "another", "wrong", "10.0.0.2", **forwarded) == 429
    # Behind the same proxy, another client is not blocked.
    assert _try(Client(), "juror", PASSWORD, "10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7") == 302
    # A header sent by anyone else is ignored: the address is the connection's.
    assert _try(Client(), "another", "wrong", "192.0.2.1", **forwarded) == 200


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("192.0.2.1", "203.0.113.5", "192.0.2.1"),
        ("10.0.0.2", "203.0.113.5", "203.0.113.5"),
        ("10.0.0.2", "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # the client may prepend anything
        ("10.0.0.2", "203.0.113.5, 10.0.0.3", "203.0.113.5"),  # two trusted proxies
        ("10.0.0.2", "not-an-address", "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
    ],
)
def test_client_ip(rf: Any, settings: Any, remote: str, forwarded: str, expected: str) -> None:
    settings.TITREPRO_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    assert throttle.client_ip(request) == expected


@pytest.mark.django_db(transaction=True)
def test_concurrent_attempts_check_at_most_the_allowed_passwords(
    world: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Thirty concurrent wrong passwords from one address: no more than the free failures are checked."""
    checked: list[int] = []
    lock = threading.Lock()

    def slow_authenticate(request: Any, **credentials: Any) -> None:
        with lock:
            checked.append(1)
        time.sleep(0.05)  # the time a password hash takes, so that the attempts overlap
        return None

    monkeypatch.setattr(views, "authenticate", slow_authenticate)
    barrier = threading.Barrier(30)
    statuses: list[int] = []

    def attempt() -> None:
        try:
            barrier.wait()
            status = _try(Client(), "juror", "wrong", "203.0.113.1")
            with lock:
                statuses.append(status)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(statuses) == 30
    assert len(checked) <= throttle.FREE_FAILURES
    assert statuses.count(429) >= 30 - throttle.FREE_FAILURES


def test_second_factor_failures_count_per_account(world: dict[str, Any], clock: list[float]) -> None:
    """Wrong codes from many addresses: the account is delayed, whatever the address."""
    TotpDevice.objects.create(user=world["agent"], secret=pyotp.random_base32(), confirmed_at=timezone.now())
    client = Client()
    client.force_login(world["agent"])
    url = reverse("accounts:otp_verify")
    statuses = [
        client.post(url, {"code": "000000"}, REMOTE_ADDR=f"203.0.113.{n}").status_code
        for n in range(throttle.FREE_FAILURES + 1)
    ]
    assert statuses[-1] == 429
    assert statuses.count(200) == throttle.FREE_FAILURES


def test_a_code_sent_twice_at_once_is_accepted_once(world: dict[str, Any]) -> None:
    """Two requests holding the same device (loaded before either saved) send the same code."""
    device = TotpDevice.objects.create(user=world["agent"], secret=pyotp.random_base32(), confirmed_at=timezone.now())
    first, second = TotpDevice.objects.get(pk=device.pk), TotpDevice.objects.get(pk=device.pk)
    code = pyotp.TOTP(device.secret).now()
    assert otp.verify(first, code) is True
    assert otp.verify(second, code) is False


@pytest.mark.django_db(transaction=True)
def test_migrate_creates_the_database_cache_table(settings: Any) -> None:
    """Issue 9, item 9: the throttle's table comes with ``migrate``, not only with ``createcachetable``."""
    import importlib

    from django.db import connection

    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "titrepro_test_cache"}
    }
    migration = importlib.import_module("titrepro.accounts.migrations.0006_cache_table")
    assert "titrepro_test_cache" not in connection.introspection.table_names()
    try:
        with connection.schema_editor() as editor:
            migration.create_cache_table(None, editor)
        assert "titrepro_test_cache" in connection.introspection.table_names()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS titrepro_test_cache")
