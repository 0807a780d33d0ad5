"""Throttling of secrets checked by a person (password, second-factor code) on Django's cache
(docs/decisions/0024-throttling-that-holds.md, issue 11 item 7).

Per account, whatever the address: ``FREE_FAILURES`` failures, then a growing delay before the
next check (``FIRST_DELAY`` doubling up to ``MAX_DELAY``): a delay, never a hard lock. A browser
that logged in to the account before carries a signed cookie and counts its own failures, so an
attacker's failures do not keep the real user out. Per address (the client's, read through the
trusted proxies): at most ``ADDRESS_FAILURES`` failures in a window of ``ADDRESS_WINDOW``.

Every step relies on ``cache.add`` only, which is atomic on every backend (local memory, the
database's unique key, Redis' SET NX): one check of an account's secret at a time, and the address
limit is a set of numbered tickets that no two requests can both take.

Times are read through ``now()``, so tests move the clock.
"""

from __future__ import annotations

import hashlib
import ipaddress
import secrets
import time
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

FREE_FAILURES = 5
FIRST_DELAY = 30
MAX_DELAY = 15 * 60
# Failures of an account are forgotten after a day without any.
MEMORY_SECONDS = 24 * 3600
ADDRESS_FAILURES = 30
ADDRESS_WINDOW = 15 * 60
# While one check of an account's secret runs, another for the same account waits.
BUSY_SECONDS = 10
BUSY_RETRY = 1

DEVICE_COOKIE = "titrepro_device"
DEVICE_SALT = "titrepro.accounts.throttle.device"
DEVICE_MAX_AGE = 365 * 24 * 3600


def now() -> float:
    return time.time()


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def normalise(username: str) -> str:
    return username.strip().lower()


# -- the client's address ------------------------------------------------------------------------


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(value: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(value in network for network in _networks(tuple(settings.TITREPRO_TRUSTED_PROXIES)))


def client_ip(request: HttpRequest) -> str:
    """The connection's address; behind a trusted proxy (``TITREPRO_TRUSTED_PROXIES``), the first
    address of X-Forwarded-For read from the right that is not a trusted proxy (the client may
    put anything on the left)."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    remote_address = _address(remote)
    if remote_address is None or not _trusted(remote_address):
        return remote
    hops = [hop for hop in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return remote
        if not _trusted(address):
            return str(address)
    return remote


# -- the known browser ---------------------------------------------------------------------------


def device_of(request: HttpRequest, username: str) -> str:
    """The browser's own name for this account if it logged in to it before, else ""."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return ""
    try:
        value = signing.loads(raw, salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE)
    except signing.BadSignature:
        return ""
    if not isinstance(value, dict) or value.get("u") != _digest(normalise(username)):
        return ""
    return str(value.get("n", ""))


def remember_device(response: HttpResponse, request: HttpRequest, username: str) -> None:
    """After a successful login: this browser keeps its own failure count for this account."""
    nonce = device_of(request, username) or secrets.token_urlsafe(16)
    value = signing.dumps({"u": _digest(normalise(username)), "n": nonce}, salt=DEVICE_SALT)
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


# -- the gate ------------------------------------------------------------------------------------


def _delay(failures: int) -> int:
    """Seconds to wait after this many failures in a row."""
    if failures < FREE_FAILURES:
        return 0
    return int(min(FIRST_DELAY * 2 ** (failures - FREE_FAILURES), MAX_DELAY))


@dataclass
class Gate:
    """One check of a secret: ``enter()`` says how long to wait (0: check now), then the caller
    reports ``success()`` or ``failure()``.

    ``account`` names what is guessed (a username, ``otp:<pk>``); ``device`` the known browser
    (``device_of``); ``ip`` the client's address, or "" for no per-address limit.
    """

    account: str
    ip: str = ""
    device: str = ""
    _busy: str = field(default="", init=False)
    _ticket: str = field(default="", init=False)

    @property
    def _account_key(self) -> str:
        return "titrepro:throttle:account:" + _digest(normalise(self.account), self.device)

    def _wait_of_account(self) -> int:
        state = cache.get(self._account_key)
        if not state:
            return 0
        return max(0, int(state["until"] - now() + 0.999))

    def enter(self) -> int:
        wait = self._wait_of_account()
        if wait:
            return wait
        busy = self._account_key + ":busy"
        if not cache.add(busy, 1, BUSY_SECONDS):
            return BUSY_RETRY
        self._busy = busy
        if self.ip:
            window = int(now() // ADDRESS_WINDOW)
            prefix = f"titrepro:throttle:address:{_digest(self.ip)}:{window}"
            for number in range(ADDRESS_FAILURES):
                if cache.add(f"{prefix}:{number}", 1, ADDRESS_WINDOW * 2):
                    self._ticket = f"{prefix}:{number}"
                    break
            else:
                self._leave()
                return max(1, int((window + 1) * ADDRESS_WINDOW - now()))
        # Another request may have failed between the first read and the busy mark.
        wait = self._wait_of_account()
        if wait:
            self._leave(keep_ticket=False)
        return wait

    def success(self) -> None:
        cache.delete(self._account_key)
        self._leave(keep_ticket=False)

    def failure(self) -> int:
        """Count the failure (the address keeps its ticket); returns the wait it imposes."""
        state = cache.get(self._account_key) or {"failures": 0}
        failures = int(state["failures"]) + 1
        wait = _delay(failures)
        cache.set(self._account_key, {"failures": failures, "until": now() + wait}, MEMORY_SECONDS)
        self._leave()
        return wait

    def _leave(self, *, keep_ticket: bool = True) -> None:
        if self._ticket and not keep_ticket:
            cache.delete(self._ticket)
        self._ticket = ""
        if self._busy:
            cache.delete(self._busy)
            self._busy = ""
