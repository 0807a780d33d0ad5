"""One place decides what a user may see and do (STYLE.md, habit 6).

Pages and API call these helpers through the services and queries; an object
outside the user's scope answers 404 like a missing one (``get_scoped_or_404``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.http import Http404

from titrepro.accounts.models import Role, RoleKind


@dataclass(frozen=True)
class Scope:
    """What a user's roles cover, computed once per request."""

    national: bool = False
    authorities: frozenset[int] = field(default_factory=frozenset)
    centres: frozenset[int] = field(default_factory=frozenset)
    jury_members: frozenset[int] = field(default_factory=frozenset)
    candidates: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_staff_role(self) -> bool:
        return self.national or bool(self.authorities or self.centres)

    @property
    def is_anything(self) -> bool:
        return self.is_staff_role or bool(self.jury_members or self.candidates)


def scope_of(user: Any) -> Scope:
    """The scope of a user (cached on the user object for the request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope()
    cached: Scope | None = getattr(user, "_titrepro_scope", None)
    if cached is not None:
        return cached
    rows = list(
        Role.objects.filter(user=user).values_list(
            "kind", "authority_id", "centre_id", "jury_member_id", "candidate_id"
        )
    )
    scope = Scope(
        national=any(kind == RoleKind.NATIONAL_ADMIN for kind, *_ in rows),
        authorities=frozenset(a for kind, a, *_ in rows if kind == RoleKind.AUTHORITY_AGENT and a),
        centres=frozenset(c for kind, _a, c, *_ in rows if kind == RoleKind.CENTRE_STAFF and c),
        jury_members=frozenset(j for kind, _a, _c, j, _k in rows if kind == RoleKind.JURY_MEMBER and j),
        candidates=frozenset(k for kind, _a, _c, _j, k in rows if kind == RoleKind.CANDIDATE and k),
    )
    user._titrepro_scope = scope
    return scope


def forget_scope(user: Any) -> None:
    """After a role change in the same request."""
    if hasattr(user, "_titrepro_scope"):
        del user._titrepro_scope


def get_scoped_or_404[M: models.Model](queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One object from an already scoped queryset; outside the scope is the same as missing."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist:  # type: ignore[attr-defined]
        raise Http404 from None
