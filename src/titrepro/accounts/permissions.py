"""One place decides what a user may see and do (STYLE.md, habit 6).

``scope_of(user)`` reads the user's roles once per request. Each app's
``queries.py`` builds its ``visible_<things>(user)`` querysets with ``scoped``
(which rows the roles reach, 403 for a user with none of the roles that may
see them); pages, API and services all use those functions, and services
re-check an object with ``ensure_in`` before they write. An object outside the
user's scope answers 404 like a missing one (``get_scoped_or_404``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
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
        Role.objects.filter(user=user, pending=False).values_list(
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


# The Scope attribute that holds the ids each role kind is scoped to (the Role's foreign keys).
SCOPE_IDS = {
    "authority": "authorities",
    "centre": "centres",
    "jury_member": "jury_members",
    "candidate": "candidates",
}


def scoped[M: models.Model](
    user: Any, queryset: models.QuerySet[M], *, national: bool = True, **paths: str
) -> models.QuerySet[M]:
    """The rows of ``queryset`` that ``user`` reaches through their roles.

    Each keyword names a role's scope (``authority``, ``centre``, ``jury_member``,
    ``candidate``) and the lookup from the model to it, for example
    ``scoped(user, Candidate.objects.all(), centre="centre", authority="centre__authority")``.
    A national administrator sees every row when ``national`` is true. A user
    holding none of the named roles is refused (``PermissionDenied``, 403);
    one who holds them sees only the rows of their organisations.
    """
    scope = scope_of(user)
    if national and scope.national:
        return queryset
    condition = Q(pk__in=[])
    reached = False
    for kind, path in paths.items():
        ids: frozenset[int] = getattr(scope, SCOPE_IDS[kind])
        if ids:
            condition |= Q(**{f"{path}__in": ids})
            reached = True
    if not reached:
        raise PermissionDenied
    return queryset.filter(condition)


def ensure_in(queryset: models.QuerySet[Any], obj: models.Model) -> None:
    """A service's re-check: ``obj`` is in the user's scoped ``queryset``, else 404 as if missing."""
    if obj.pk is None or not queryset.filter(pk=obj.pk).exists():
        raise Http404


def forget_scope(user: Any) -> None:
    """After a role change in the same request."""
    if hasattr(user, "_titrepro_scope"):
        del user._titrepro_scope


def get_scoped_or_404[M: models.Model](queryset: models.QuerySet[M], **lookup: Any) -> M:
    """One object from an already scoped queryset; outside the scope is the same as missing."""
    try:
        return queryset.get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):  # type: ignore[attr-defined]
        raise Http404 from None  # a malformed id (``?centre=abc``) is as missing as an unknown one
