"""Writes about accounts: invitations, roles, API tokens. Each is one transaction, audited.

Who may invite whom (docs/decisions/0014-login-throttling-and-totp.md, issue 4 item 5):
- a national administrator: anyone, for any organisation;
- an authority agent: agents of their authority, staff of its centres, its jury members;
- centre staff: staff of their centre and its candidates.
A kind the actor may never grant is refused (``PermissionDenied``, 403); an
organisation outside the actor's scope is answered like a missing one (``Http404``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.accounts.api_auth import issue_token
from titrepro.accounts.models import TOKEN_DAYS, ApiToken, Invitation, Role, RoleKind, TokenScope
from titrepro.accounts.permissions import forget_scope, scope_of
from titrepro.audit.services import record
from titrepro.core.refusals import Conflict, Refused

INVITATION_DAYS = 7
INVITATION_SALT = "titrepro.accounts.invitation"


# The field of Role that holds the scope of each kind (None: the national administrator has none).
SCOPE_FIELD_NAMES: dict[str, str | None] = {
    RoleKind.NATIONAL_ADMIN: None,
    RoleKind.AUTHORITY_AGENT: "authority",
    RoleKind.CENTRE_STAFF: "centre",
    RoleKind.JURY_MEMBER: "jury_member",
    RoleKind.CANDIDATE: "candidate",
}


def scope_field(kind: str) -> tuple[str, type[models.Model]] | None:
    """The field of Role that scopes ``kind`` and the model it points to, read off the Role's foreign key
    (so accounts imports no other app); None for the national administrator. KeyError for an unknown kind."""
    name = SCOPE_FIELD_NAMES[kind]
    if name is None:
        return None
    model = Role._meta.get_field(name).related_model
    if not isinstance(model, type):  # pragma: no cover - the foreign keys name real models
        raise TypeError(f"Role.{name} does not point to a model")
    return name, model


class InvitationInvalid(Exception):
    """The link is unknown, expired or already used (message in French for the page)."""


def invitable_kinds(user: Any) -> list[RoleKind]:
    """The role kinds this user may grant."""
    scope = scope_of(user)
    if scope.national:
        return list(RoleKind)
    kinds: list[RoleKind] = []
    if scope.authorities:
        kinds += [RoleKind.AUTHORITY_AGENT, RoleKind.CENTRE_STAFF, RoleKind.JURY_MEMBER]
    if scope.centres:
        if RoleKind.CENTRE_STAFF not in kinds:
            kinds.append(RoleKind.CENTRE_STAFF)
        kinds.append(RoleKind.CANDIDATE)
    return kinds


def invitable_objects(user: Any, kind: str) -> models.QuerySet[Any]:
    """The organisations (or people) this user may grant a role of ``kind`` on; empty if none."""
    spec = scope_field(kind)
    if spec is None:
        raise ValueError("a national administrator role has no scope object")
    model = spec[1]
    scope = scope_of(user)
    qs: models.QuerySet[Any] = model._default_manager.all()
    if scope.national:
        return qs
    if kind not in invitable_kinds(user):
        return qs.none()
    if kind == RoleKind.AUTHORITY_AGENT:
        return qs.filter(pk__in=scope.authorities)
    if kind == RoleKind.JURY_MEMBER:
        return qs.filter(authority_id__in=scope.authorities)
    if kind == RoleKind.CENTRE_STAFF:
        return qs.filter(models.Q(authority_id__in=scope.authorities) | models.Q(pk__in=scope.centres))
    return qs.filter(centre_id__in=scope.centres)  # candidate


def check_may_grant(actor: Any, kind: str, scope_object: models.Model | None) -> None:
    """Raise PermissionDenied (kind never allowed) or Http404 (object outside the actor's scope)."""
    if kind not in SCOPE_FIELD_NAMES:
        raise PermissionDenied(_("Unknown role."))
    if kind not in invitable_kinds(actor):
        raise PermissionDenied(_("You may not grant this role."))
    spec = scope_field(kind)
    if spec is None:
        if scope_object is not None:
            raise PermissionDenied(_("A national administrator role has no organisation."))
        return
    if scope_object is None or not isinstance(scope_object, spec[1]):
        raise Http404
    if not invitable_objects(actor, kind).filter(pk=scope_object.pk).exists():
        raise Http404


@dataclass(frozen=True)
class InvitationSent:
    role: Role
    invitation: Invitation
    token: str
    path: str


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT, compress=True)


def is_disabled(user: Any) -> bool:
    """An account an administrator disabled: inactive, though it once set a password (an account
    invited and never activated has none). No invitation ever re-activates it (issue 11, item 1)."""
    return not user.is_active and user.has_usable_password()


def invite(
    actor: Any, *, email: str, kind: str, scope_object: models.Model | None, base_url: str = "", reason: str = ""
) -> InvitationSent:
    """Offer a role to the person with this e-mail; audited as ``role.granted``. The e-mail leaves after commit.

    A new address gets an inactive account whose role takes effect when its owner sets a password
    through the link. An existing account gets the role *pending*: it gives no right until the
    account's owner, logged in, accepts it through the link; a disabled account never gets it
    (the link answers that the account is disabled). The answer is the same in every case, so an
    inviter learns nothing of the address's account."""
    check_may_grant(actor, kind, scope_object)
    email = get_user_model().objects.normalize_email(email.strip()).lower()
    user_model = get_user_model()
    with transaction.atomic():
        user = user_model.objects.filter(email__iexact=email).first()
        existing = user is not None and (user.is_active or user.has_usable_password())
        if user is None:
            user = user_model.objects.create_user(username=email, email=email, is_active=False)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        spec = scope_field(kind)
        scope_kwargs = {spec[0]: scope_object} if spec else {}
        if Role.objects.filter(user=user, kind=kind, **scope_kwargs).exists():
            raise Conflict("role_already_held", _("This person already has this role."), "email")
        role = Role.objects.create(user=user, kind=kind, pending=existing, **scope_kwargs)
        forget_scope(user)
        invitation = Invitation.objects.create(
            user=user,
            role=role,
            invited_by=actor,
            email=email,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
        )
        token = invitation_token(invitation)
        path = reverse("accounts:invitation_accept", kwargs={"token": token})
        record(
            actor=actor,
            action="role.granted",
            target=role,
            reason=reason,
            data={"user": user.get_username(), "kind": kind, "scope": str(scope_object or ""), "pending": existing},
        )
        link = base_url.rstrip("/") + path
        transaction.on_commit(lambda: _send_invitation(email, role, link, existing=existing))
    return InvitationSent(role=role, invitation=invitation, token=token, path=path)


def _send_invitation(email: str, role: Role, link: str, *, existing: bool) -> None:
    if not existing:
        subject = _("Your titrepro account")
        body = _(
            "You have been given the role “%(role)s” on titrepro.\n\n"
            "To create your password, open this link within %(days)s days:\n%(link)s\n\n"
            "If you did not expect this message, ignore it."
        ) % {"role": role, "days": INVITATION_DAYS, "link": link}
    else:
        subject = _("A new role on titrepro")
        body = _(
            "You have been offered the role “%(role)s” on titrepro.\n\n"
            "To accept it, log in and open this link within %(days)s days:\n%(link)s\n\n"
            "If you did not expect this message, ignore it: the role gives no right until you accept it."
        ) % {"role": role, "days": INVITATION_DAYS, "link": link}
    send_mail(subject, body, None, [email])


def invitation_from_token(token: str) -> Invitation:
    """The invitation a link names, if it can still be used; InvitationInvalid otherwise."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT)
    except signing.BadSignature:
        raise InvitationInvalid(_("This invitation link is not valid.")) from None
    invitation = Invitation.objects.select_related("user", "role").filter(pk=pk).first()
    if invitation is None:
        raise InvitationInvalid(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise InvitationInvalid(_("This invitation link has already been used. Log in with your password."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(_("This invitation link has expired. Ask the person who invited you for a new one."))
    return invitation


def accept_invitation(token: str, password: str) -> Any:
    """Set the password, activate the account and spend the link (password already validated)."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationInvalid(_("This invitation link has already been used. Log in with your password."))
        user = invitation.user
        if user.is_active or user.has_usable_password():
            raise InvitationInvalid(_("This invitation is for an existing account: log in to accept it."))
        user.set_password(password)
        user.is_active = True
        user.save(update_fields=["password", "is_active"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        Invitation.objects.filter(user=user, used_at__isnull=True).update(used_at=invitation.used_at)
        record(actor=user, action="account.activated", target=invitation, data={"user": user.get_username()})
    return user


def accept_role(user: Any, token: str) -> Role:
    """The owner of an existing account, logged in, accepts the role a link offers; audited."""
    with transaction.atomic():
        invitation = invitation_from_token(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.used_at is not None:
            raise InvitationInvalid(_("This invitation link has already been used."))
        if invitation.user_id != user.pk:
            raise InvitationInvalid(_("This invitation is for another account. Log out and log in as its owner."))
        if is_disabled(invitation.user) or not user.is_active:
            raise InvitationInvalid(_("This account is disabled: an invitation does not re-activate it."))
        role = invitation.role
        if role is None:
            raise InvitationInvalid(_("This invitation link is not valid."))
        role.pending = False
        role.save(update_fields=["pending"])
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_at"])
        forget_scope(user)
        record(actor=user, action="role.accepted", target=role, data={"user": user.get_username(), "kind": role.kind})
    return role


def revoke_role(actor: Any, role: Role, *, reason: str = "") -> None:
    """Take a role back (the same rules as granting it); audited as ``role.revoked``."""
    spec = scope_field(role.kind)
    scope_object = getattr(role, spec[0]) if spec else None
    check_may_grant(actor, role.kind, scope_object)
    with transaction.atomic():
        record(
            actor=actor,
            action="role.revoked",
            target=role,
            reason=reason,
            data={"user": role.user.get_username(), "kind": role.kind, "scope": str(scope_object or "")},
        )
        Role.objects.filter(pk=role.pk).delete()
        forget_scope(role.user)


def create_token(user: Any, name: str, *, scope: str, days: int) -> tuple[ApiToken, str]:
    """A token of this scope (``TokenScope``) that expires in ``days`` (one of ``TOKEN_DAYS``)."""
    from titrepro.accounts.spaces import may_use_the_api

    if not may_use_the_api(user):
        raise PermissionDenied(_("Your roles do not use the API."))
    if scope not in TokenScope.values:
        raise Refused("invalid_scope", _("Choose what the token may do."), "scope")
    if days not in TOKEN_DAYS:
        raise Refused("invalid_lifetime", _("Choose how long the token lasts."), "days")
    with transaction.atomic():
        token, key = issue_token(user, name, scope, days)
        record(
            actor=user,
            action="token.created",
            target=token,
            data={"name": name, "prefix": token.prefix, "scope": scope, "expires_at": token.expires_at.isoformat()},
        )
    return token, key


def revoke_token(user: Any, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; another's or a missing one is Http404."""
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().filter(pk=token_id, user=user, revoked_at__isnull=True).first()
        if token is None:
            raise Http404
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record(actor=user, action="token.revoked", target=token, data={"prefix": token.prefix})
    return token
