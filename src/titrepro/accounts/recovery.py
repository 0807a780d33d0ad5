"""The ways back into an account: password reset by e-mail, recovery codes for the second factor,
and the reset of a lost authenticator by an authority (issue 9, item 7). Each write is one
transaction, audited.

Who may reset whose authenticator (``resettable_users``):
- a national administrator: anyone;
- an authority agent: the centre staff of the centres under their authority and the jury members
  of their authority (never a national administrator or another agent);
- nobody their own (``PermissionDenied``). Someone outside the actor's reach is answered like a
  missing account (``Http404``); a role that may reset no one gets ``PermissionDenied``.
The reset deletes the authenticator and the recovery codes, nothing else, and leaves a
``SecondFactorReset``: whatever their role, the person sets a new authenticator up at their next
login (``otp.is_required``, ``SecondFactorMiddleware``); setting it up removes the mark.
"""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.accounts.models import RecoveryCode, RoleKind, SecondFactorReset, TotpDevice
from titrepro.accounts.permissions import scope_of
from titrepro.audit.services import record
from titrepro.core.refusals import Refused

CODE_COUNT = 10
CODE_LENGTH = 10
# Lower-case letters and digits that cannot be mistaken for one another (no 0/o, 1/l/i).
ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# Recovery codes ---------------------------------------------------------------------------------


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def generate_codes(user: Any) -> list[str]:
    """Ten new recovery codes for ``user``, replacing any old ones; only their hashes are kept.
    The caller shows them once."""
    codes = [_new_code() for _ in range(CODE_COUNT)]
    with transaction.atomic():
        replaced = RecoveryCode.objects.filter(user=user).delete()[0]
        if TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists():
            SecondFactorReset.objects.filter(user=user).delete()  # a new authenticator is set up
        RecoveryCode.objects.bulk_create([RecoveryCode(user=user, code_hash=make_password(code)) for code in codes])
        record(
            actor=user,
            action="second_factor.recovery_codes_generated",
            target=user,
            data={"user": user.get_username(), "count": CODE_COUNT, "replaced": replaced},
        )
    return codes


def remaining_codes(user: Any) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use_code(user: Any, code: str) -> bool:
    """Accept one unused recovery code of ``user`` instead of a TOTP code, and spend it (audited).
    A code already used, another's, or anything else is refused (False)."""
    code = normalise_code(code)
    if len(code) != CODE_LENGTH or any(character not in ALPHABET for character in code):
        return False
    for candidate in RecoveryCode.objects.filter(user=user, used_at__isnull=True):
        if check_password(code, candidate.code_hash):
            with transaction.atomic():
                # Conditional: of two requests with the same code, one wins.
                won = RecoveryCode.objects.filter(pk=candidate.pk, used_at__isnull=True).update(used_at=timezone.now())
                if not won:
                    return False
                record(
                    actor=user,
                    action="second_factor.recovery_code_used",
                    target=user,
                    data={"user": user.get_username(), "remaining": remaining_codes(user)},
                )
            return True
    return False


# The reset of a lost authenticator --------------------------------------------------------------


def resettable_users(actor: Any) -> models.QuerySet[Any]:
    """The accounts whose authenticator ``actor`` may reset (never their own); PermissionDenied if none."""
    scope = scope_of(actor)
    users = get_user_model().objects.exclude(pk=actor.pk)
    if scope.national:
        return users
    if not scope.authorities:
        raise PermissionDenied
    reached = Q(
        roles__kind=RoleKind.CENTRE_STAFF, roles__pending=False, roles__centre__authority_id__in=scope.authorities
    ) | Q(
        roles__kind=RoleKind.JURY_MEMBER,
        roles__pending=False,
        roles__jury_member__authority_id__in=scope.authorities,
    )
    above = Q(roles__kind__in=[RoleKind.NATIONAL_ADMIN, RoleKind.AUTHORITY_AGENT]) | Q(is_superuser=True)
    return users.filter(pk__in=users.filter(reached).values("pk")).exclude(pk__in=users.filter(above).values("pk"))


def resettable_user(actor: Any, user_id: int) -> Any:
    """The account ``user_id`` if ``actor`` may reset its authenticator: 403 for one's own or a role
    that may reset no one, 404 outside the actor's reach or missing."""
    if user_id == actor.pk:
        raise PermissionDenied(_("You may not reset your own authenticator: ask your DREETS or the administrator."))
    person = resettable_users(actor).filter(pk=user_id).first()
    if person is None:
        raise Http404
    return person


def reset_device(actor: Any, user_id: int, *, reason: str) -> Any:
    """Delete the person's authenticator and recovery codes (nothing else); audited as
    ``second_factor.reset`` with the reason. Returns the person."""
    if not reason.strip():
        raise Refused("reason_required", _("Give the reason for the reset."), "reason")
    with transaction.atomic():
        person = resettable_user(actor, user_id)
        device = TotpDevice.objects.select_for_update().filter(user=person).first()
        had_device = device is not None and device.confirmed_at is not None
        if device is not None:
            device.delete()
        codes = RecoveryCode.objects.filter(user=person).delete()[0]
        SecondFactorReset.objects.update_or_create(user=person, defaults={"reset_by": actor})
        record(
            actor=actor,
            action="second_factor.reset",
            target=person,
            reason=reason.strip(),
            data={"user": person.get_username(), "had_device": had_device, "recovery_codes_deleted": codes},
        )
    return person


# Password reset ---------------------------------------------------------------------------------


def reset_password(user: Any, password: str) -> None:
    """Set the password chosen through a reset link (already validated); audited. A disabled account
    stays disabled: a reset never changes ``is_active`` (and is refused for an inactive account)."""
    with transaction.atomic():
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise Refused("account_disabled", _("This account is disabled: a password reset does not re-activate it."))
        user.set_password(password)
        user.save(update_fields=["password"])
        record(actor=user, action="account.password_reset", target=user, data={"user": user.get_username()})
