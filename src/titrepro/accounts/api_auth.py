"""Authentication of the API: a bearer token for machine clients, the session for the browser."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import security
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from titrepro.accounts.models import ApiToken, TokenScope
from titrepro.core.api import CsrfFailed
from titrepro.core.refusals import Forbidden


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


# What a token of each scope may call besides reading (the URL names of the API's operations).
# Every other write needs a full token; SESSION_OPERATIONS need a person logged in (require_session).
IMPORT_OPERATIONS = frozenset({"candidates_import"})
SESSION_OPERATIONS = frozenset({"accounts_tokens_create", "accounts_invitations"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def issue_token(user: Any, name: str, scope: str = TokenScope.FULL, days: int = 90) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = "tp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_hash=hash_key(key),
        prefix=key[3:11],
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


def scope_allows(scope: str, request: HttpRequest) -> bool:
    if request.method in SAFE_METHODS or scope == TokenScope.FULL:
        return True
    match = getattr(request, "resolver_match", None)
    name = match.url_name if match is not None else None
    # A token may always revoke itself or another of its owner's tokens: that takes power away.
    if request.method == "DELETE" and name == "accounts_token":
        return True
    return scope == TokenScope.IMPORT and name in IMPORT_OPERATIONS


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(
                key_hash=hash_key(token),
                revoked_at__isnull=True,
                expires_at__gt=timezone.now(),
                user__is_active=True,
            )
            .first()
        )
        if row is None:
            return None
        if not scope_allows(row.scope, request):
            raise Forbidden(
                "token_scope",
                _("This token may not do this: its scope is “%(scope)s”.") % {"scope": row.get_scope_display()},
            )
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        request.titrepro_token = row  # type: ignore[attr-defined]
        return row.user


def require_session(request: HttpRequest) -> None:
    """Token management and invitations need a person logged in (past the second factor for staff):
    a token never mints another token or an account (issue 11, item 8)."""
    if getattr(request, "titrepro_token", None) is not None:
        raise Forbidden(
            "session_required",
            _("Log in to titrepro in a browser to manage tokens and invitations: an API token cannot."),
        )


class SessionAuth(security.SessionAuth):
    """The browser's session. Its CSRF token is checked only when the session is someone's:
    a call without one answers 401 (``unauthenticated``), not a CSRF refusal; a session's
    write without the token answers 403 ``csrf_failed`` (core.api)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise CsrfFailed
        return request.COOKIES.get(self.param_name)


# Routers that need a user: `Router(auth=api_auth)`.
api_auth = [TokenAuth(), SessionAuth()]
