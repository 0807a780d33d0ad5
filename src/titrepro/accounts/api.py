"""/api/v1/accounts: who I am, my tokens, invitations. Errors are ``core.api.ApiError``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from titrepro.accounts import services
from titrepro.accounts.api_auth import api_auth, require_session
from titrepro.accounts.models import ApiToken, Role, RoleKind, TokenScope
from titrepro.core.api import Id, errors
from titrepro.core.refusals import NotFound

router = Router(auth=api_auth, tags=["accounts"])


class RoleOut(Schema):
    id: int
    kind: str
    label: str
    authority_id: int | None
    centre_id: int | None
    jury_member_id: int | None
    candidate_id: int | None


class MeOut(Schema):
    username: str
    email: str
    roles: list[RoleOut]


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: TokenScope
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None


class TokenIn(Schema):
    name: str = Field(..., max_length=100)
    scope: TokenScope = Field(TokenScope.READ, description="read, import (read and imports) or full")
    days: Literal[30, 90, 365] = Field(90, description="How long the token lasts")


class TokenCreated(TokenOut):
    key: str


class InvitationIn(Schema):
    # The e-mail becomes the username of a new account (at most 150 characters).
    email: str = Field(..., max_length=150, pattern=r"^\s*[^@\s]+@[^@\s]+\s*$")
    kind: RoleKind
    scope_id: Id | None = None


class InvitationOut(Schema):
    """The same answer whether the address had an account or not (issue 11, item 1)."""

    role_id: int
    email: str
    invited: bool


def _role(role: Role) -> RoleOut:
    return RoleOut(
        id=role.pk,
        kind=role.kind,
        label=str(role),
        authority_id=role.authority_id,
        centre_id=role.centre_id,
        jury_member_id=role.jury_member_id,
        candidate_id=role.candidate_id,
    )


def _token(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
    }


@router.get("/me", response={200: MeOut, **errors(401, 422)}, url_name="accounts_me")
def me(request: HttpRequest) -> MeOut:
    user: Any = request.user
    roles = Role.objects.filter(user=user, pending=False).select_related(
        "authority", "centre", "jury_member", "candidate"
    )
    return MeOut(username=user.get_username(), email=user.email, roles=[_role(r) for r in roles])


@router.get("/tokens", response={200: list[TokenOut], **errors(401, 422)}, url_name="accounts_tokens")
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    user: Any = request.user
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
    tokens = tokens.order_by("-created_at")
    return [_token(t) for t in tokens]


@router.post(
    "/tokens", response={201: TokenCreated, **errors(401, 403, 409, 413, 422)}, url_name="accounts_tokens_create"
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    require_session(request)
    token, key = services.create_token(request.user, payload.name, scope=payload.scope.value, days=payload.days)
    return Status(201, {**_token(token), "key": key})


@router.delete("/tokens/{token_id}", response={204: None, **errors(401, 403, 404, 409, 422)}, url_name="accounts_token")
def revoke_token(request: HttpRequest, token_id: Id) -> Status[Any]:
    user: Any = request.user
    if not ApiToken.objects.filter(pk=token_id, user=user, revoked_at__isnull=True).exists():
        raise NotFound("not_found", _("No such token."))
    services.revoke_token(request.user, token_id)
    return Status(204, None)


@router.post(
    "/invitations",
    response={201: InvitationOut, **errors(401, 403, 404, 409, 413, 422)},
    url_name="accounts_invitations",
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status[Any]:
    require_session(request)
    kind = payload.kind.value
    if kind not in services.invitable_kinds(request.user):
        raise PermissionDenied
    spec = services.scope_field(kind)
    scope_object = None
    if spec is not None:
        scope_object = services.invitable_objects(request.user, kind).filter(pk=payload.scope_id).first()
        if scope_object is None:
            raise NotFound("not_found", _("No such organisation in your scope."), "scope_id")
    sent = services.invite(
        request.user,
        email=payload.email,
        kind=kind,
        scope_object=scope_object,
        base_url=request.build_absolute_uri("/"),
    )
    return Status(
        201,
        {
            "role_id": sent.role.pk,
            "email": sent.invitation.email,
            "invited": True,
        },
    )
