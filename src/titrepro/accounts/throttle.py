"""Login throttling on Django's cache: after ``MAX_FAILURES`` failed attempts for one
username from one address, that pair is locked for ``LOCK_SECONDS``
(docs/decisions/0014-login-throttling-and-totp.md).

The lock is kept as an expiry timestamp read through ``now()``, so tests move the clock.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache

MAX_FAILURES = 5
LOCK_SECONDS = 15 * 60


def now() -> float:
    return time.time()


def _key(kind: str, username: str, ip: str) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\x00{ip}".encode()).hexdigest()
    return f"titrepro:throttle:{kind}:{digest}"


def locked_for(username: str, ip: str) -> int:
    """Seconds left on the lock of this username from this address (0 when not locked)."""
    until = cache.get(_key("lock", username, ip))
    if until is None:
        return 0
    left = int(until - now())
    return max(left, 0)


def record_failure(username: str, ip: str) -> int:
    """Count one failure; returns the seconds of lock it triggered (0 if none)."""
    key = _key("fail", username, ip)
    failures = int(cache.get(key, 0)) + 1
    if failures >= MAX_FAILURES:
        cache.delete(key)
        # The cache entry outlives the lock by a margin; the timestamp decides.
        cache.set(_key("lock", username, ip), now() + LOCK_SECONDS, LOCK_SECONDS * 2)
        return LOCK_SECONDS
    cache.set(key, failures, LOCK_SECONDS)
    return 0


def reset(username: str, ip: str) -> None:
    cache.delete_many([_key("fail", username, ip), _key("lock", username, ip)])
