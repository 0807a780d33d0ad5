"""Permission matrix of the recovery pages (base class: tests/permissions.py).

The reset of a lost authenticator: a national administrator for anyone, an authority agent for
the centre staff of their centres and their jury members; another authority's people are 404."""

from __future__ import annotations

from typing import Any, ClassVar

from tests.permissions import Audience, PermissionMatrix, Row

RESETTERS = Audience.NATIONAL | Audience.AUTHORITY


def our_staff(w: Any) -> list[int]:
    return [w.ours.staff.pk]


def our_juror(w: Any) -> list[int]:
    return [w.ours.juror.pk]


class TestRecoveryPermissions(PermissionMatrix):
    template_prefix = "accounts/"
    rows: ClassVar[list[Row]] = [
        # Without an authenticator the page sends to its set-up.
        Row("accounts:recovery_codes", Audience.SIGNED_IN, status=302),
        Row("accounts:device_reset", RESETTERS, args=our_staff),
        Row(
            "accounts:device_reset",
            RESETTERS,
            method="post",
            args=our_juror,
            body=lambda w: {"reason": "perdu"},
            status=302,
        ),
    ]
