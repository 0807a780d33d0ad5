"""Roles: what a user may do, and over which organisation.

A user has one or more ``Role`` rows; each names a kind and the one
organisation (or person) it is scoped to. The scope is enforced by
``accounts.permissions`` in services and queries, never by the pages alone.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RoleKind(models.TextChoices):
    NATIONAL_ADMIN = "national_admin", _("National administrator")
    AUTHORITY_AGENT = "authority_agent", _("Authority agent")
    CENTRE_STAFF = "centre_staff", _("Centre staff")
    JURY_MEMBER = "jury_member", _("Jury member")
    CANDIDATE = "candidate", _("Candidate")


STAFF_KINDS = {RoleKind.NATIONAL_ADMIN, RoleKind.AUTHORITY_AGENT, RoleKind.CENTRE_STAFF}


class Role(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(_("role"), max_length=20, choices=RoleKind.choices)
    authority = models.ForeignKey(
        "directory.Authority", on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    centre = models.ForeignKey(
        "directory.ApprovedCentre", on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    jury_member = models.ForeignKey(
        "directory.JuryMember", on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    candidate = models.ForeignKey(
        "candidates.Candidate", on_delete=models.PROTECT, null=True, blank=True, related_name="roles"
    )
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    # A role offered to an existing account waits for its owner to accept it (issue 11, item 1):
    # until then it gives no right (``permissions.scope_of`` reads accepted roles only).
    pending = models.BooleanField(_("waiting for acceptance"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="national_admin", authority=None, centre=None, jury_member=None, candidate=None)
                    | Q(kind="authority_agent", authority__isnull=False, centre=None, jury_member=None, candidate=None)
                    | Q(kind="centre_staff", authority=None, centre__isnull=False, jury_member=None, candidate=None)
                    | Q(kind="jury_member", authority=None, centre=None, jury_member__isnull=False, candidate=None)
                    | Q(kind="candidate", authority=None, centre=None, jury_member=None, candidate__isnull=False)
                ),
                name="role_scope_matches_kind",
                violation_error_message=_("A role is scoped to exactly the organisation or person its kind needs."),
            ),
            *(
                models.UniqueConstraint(
                    fields=["user", *scope],
                    condition=Q(kind=kind),
                    name=f"role_unique_{kind}",
                    violation_error_message=_("This user already has this role."),
                )
                for kind, scope in (
                    ("national_admin", []),
                    ("authority_agent", ["authority"]),
                    ("centre_staff", ["centre"]),
                    ("jury_member", ["jury_member"]),
                    ("candidate", ["candidate"]),
                )
            ),
        ]

    def __str__(self) -> str:
        scope = self.authority or self.centre or self.jury_member or self.candidate
        return f"{self.get_kind_display()} — {scope}" if scope else str(self.get_kind_display())


class TokenScope(models.TextChoices):
    """What a token may do (issue 11, item 8), always within its owner's roles."""

    READ = "read", _("Read only")
    IMPORT = "import", _("Read and imports")
    FULL = "full", _("Full (every action of my roles)")


TOKEN_DAYS = (30, 90, 365)


def default_token_expiry() -> Any:
    return timezone.now() + timedelta(days=90)


class ApiToken(models.Model):
    """A token for a machine client; only its SHA-256 is stored, the key is shown once.
    It expires and has a scope (read, import, full) checked by ``api_auth.TokenAuth``."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    expires_at = models.DateTimeField(_("expires at"), default=default_token_expiry)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class TotpDevice(models.Model):
    """A TOTP authenticator (RFC 6238) for the second factor; confirmed once the user typed a first code."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="totp_device")
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # The last time step accepted: a code cannot be used twice (replay).
    last_step = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP {self.user}"


class Invitation(models.Model):
    """An e-mailed link for a new account to set its password; single use, expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    role = models.ForeignKey(Role, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    email = models.EmailField(_("e-mail"))
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return self.email


class RecoveryCode(models.Model):
    """A one-time code for the second factor when the authenticator is lost (issue 9, item 7).

    Ten are made at set-up and shown once; only their hash is stored (Django's password hashers);
    each is accepted once instead of a TOTP code (``used_at``). New ones replace the old ones."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user} ({'used' if self.used_at else 'unused'})"


class SecondFactorReset(models.Model):
    """An authority reset this person's lost authenticator: until they set a new one up, the second
    factor is asked of them at login whatever their role (``otp.is_required``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reset_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reset_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("authenticator reset")
        verbose_name_plural = _("authenticator resets")

    def __str__(self) -> str:
        return f"{self.user} ({self.reset_at:%Y-%m-%d})"
