"""The role a person is working as, the header menu, and the dashboard (``core.workspaces``).

A person may hold several kinds of role (centre staff and jury member, say): the session keeps
the one they work as (``SESSION_KEY``), the first in ``KIND_ORDER`` until they switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from titrepro.accounts.models import RoleKind
from titrepro.accounts.permissions import scope_of
from titrepro.core.workspaces import Section, sections_for

SESSION_KEY = "titrepro_space"
KIND_ORDER = (
    RoleKind.NATIONAL_ADMIN,
    RoleKind.AUTHORITY_AGENT,
    RoleKind.CENTRE_STAFF,
    RoleKind.JURY_MEMBER,
    RoleKind.CANDIDATE,
)
# The kinds whose work the API serves: only they are offered API tokens.
API_KINDS = frozenset({RoleKind.NATIONAL_ADMIN, RoleKind.AUTHORITY_AGENT, RoleKind.CENTRE_STAFF})


def kinds_of(user: Any) -> list[RoleKind]:
    """The kinds of the user's accepted roles, in ``KIND_ORDER``."""
    scope = scope_of(user)
    held = {
        RoleKind.NATIONAL_ADMIN: scope.national,
        RoleKind.AUTHORITY_AGENT: bool(scope.authorities),
        RoleKind.CENTRE_STAFF: bool(scope.centres),
        RoleKind.JURY_MEMBER: bool(scope.jury_members),
        RoleKind.CANDIDATE: bool(scope.candidates),
    }
    return [kind for kind in KIND_ORDER if held[kind]]


def active_kind(request: HttpRequest) -> RoleKind | None:
    kinds = kinds_of(request.user)
    if not kinds:
        return None
    chosen = request.session.get(SESSION_KEY)
    return next((kind for kind in kinds if kind == chosen), kinds[0])


def choose(request: HttpRequest, kind: str) -> bool:
    """Work as this kind of role, if the user holds it."""
    if kind not in kinds_of(request.user):
        return False
    request.session[SESSION_KEY] = kind
    return True


def may_use_the_api(user: Any) -> bool:
    return any(kind in API_KINDS for kind in kinds_of(user))


@dataclass(frozen=True)
class Space:
    kind: RoleKind
    label: str
    sections: list[Section]


def workspace(request: HttpRequest) -> dict[str, Any]:
    """Context processor: the space the user works in, the others they may switch to, its menu."""
    user = getattr(request, "user", None)
    kind = active_kind(request) if user is not None and user.is_authenticated else None
    if user is None or kind is None:
        return {"space": None, "other_spaces": []}
    return {
        "space": Space(
            kind=kind,
            label=str(kind.label),
            sections=[s for s in sections_for(kind) if user.is_staff or not s.django_staff_only],
        ),
        "other_spaces": [(other, other.label) for other in kinds_of(user) if other != kind],
    }
