"""The second factor: TOTP (RFC 6238) with pyotp, QR code as SVG with segno.

A staff user (``STAFF_KINDS``, or Django's is_staff / is_superuser) must pass it
once per session; the session then holds ``SESSION_KEY`` = the user's pk.
Other users may enable it; once confirmed it is asked of them too.
"""

from __future__ import annotations

import io
from typing import Any

import pyotp
import segno
from django.http import HttpRequest
from django.utils import timezone

from titrepro.accounts.models import SecondFactorReset, TotpDevice
from titrepro.accounts.permissions import scope_of

SESSION_KEY = "titrepro_second_factor"
ISSUER = "titrepro"


def is_required(user: Any) -> bool:
    """Whether this user must pass the second factor (staff, or anyone who enabled it)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user.is_superuser or scope_of(user).is_staff_role:
        return True
    if TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
        return True
    # An authority reset their lost authenticator: they set a new one up (issue 9, item 7).
    return SecondFactorReset.objects.filter(user=user).exists()


def is_passed(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_authenticated and request.session.get(SESSION_KEY) == str(user.pk))


def mark_passed(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = str(request.user.pk)
    request.session.cycle_key()


def confirmed_device(user: Any) -> TotpDevice | None:
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def pending_device(user: Any) -> TotpDevice:
    """The device being set up (a new secret until confirmed)."""
    device, _created = TotpDevice.objects.get_or_create(user=user, defaults={"secret": pyotp.random_base32()})
    return device


def provisioning_uri(device: TotpDevice) -> str:
    return pyotp.TOTP(device.secret).provisioning_uri(name=device.user.get_username(), issuer_name=ISSUER)


def qr_svg(device: TotpDevice) -> str:
    """The otpauth:// URI as an inline SVG (no script, no external image)."""
    out = io.BytesIO()
    segno.make(provisioning_uri(device), error="m").save(
        out, kind="svg", scale=5, xmldecl=False, svgns=True, title="QR code", nl=False
    )
    return out.getvalue().decode("utf-8")


def verify(device: TotpDevice, code: str, *, confirm: bool = False) -> bool:
    """Check a code (the current step or one step either side) and refuse a replayed one."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return False
    totp = pyotp.TOTP(device.secret)
    current = totp.timecode(timezone.now())
    for step in (current - 1, current, current + 1):
        if step > device.last_step and pyotp.utils.strings_equal(totp.generate_otp(step), code):
            # A conditional update: of two requests sending the same code at once, one wins (issue 11, item 7).
            won = TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
            if not won:
                return False
            device.last_step = step
            if confirm and device.confirmed_at is None:
                device.confirmed_at = timezone.now()
                device.save(update_fields=["confirmed_at"])
            return True
    return False
