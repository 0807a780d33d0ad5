"""Authentication of the API: a bearer token for machine clients, the session for the browser."""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import security
from ninja.security import HttpBearer
from ninja.utils import check_csrf

from titrepro.accounts.models import ApiToken
from titrepro.core.api import CsrfFailed
from titrepro.core.refusals import Forbidden


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_token(user: Any, name: str) -> tuple[ApiToken, str]:
    """Create a token; the clear key is returned once and never stored."""
    key = "tp_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=hash_key(key), prefix=key[3:11])
    return token, key


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=hash_key(token), revoked_at__isnull=True, user__is_active=True)
            .first()
        )
        if row is None:
            return None
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
