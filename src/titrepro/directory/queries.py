"""Reads shared by the pages and the API, scoped by ``scope_of(user)`` (STYLE.md, habit 6).

A user without the role gets PermissionDenied (403); an object outside the
user's organisation is not in the queryset, so ``get_scoped_or_404`` answers 404.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet

from titrepro.accounts.permissions import Scope, scope_of
from titrepro.directory.models import (
    Approval,
    ApprovedCentre,
    DeclaredLink,
    Habilitation,
    JuryMember,
)


def authority_scope(user: Any) -> Scope:
    """The scope of a national administrator or an authority agent; anyone else is refused (403)."""
    scope = scope_of(user)
    if not (scope.national or scope.authorities):
        raise PermissionDenied
    return scope


def centres_for(user: Any) -> QuerySet[ApprovedCentre]:
    scope = authority_scope(user)
    centres = ApprovedCentre.objects.select_related("authority")
    return centres if scope.national else centres.filter(authority__in=scope.authorities)


def approvals_for(user: Any) -> QuerySet[Approval]:
    scope = authority_scope(user)
    approvals = Approval.objects.select_related("centre", "version__title", "authority")
    return approvals if scope.national else approvals.filter(centre__authority__in=scope.authorities)


def centre_detail_for(user: Any) -> QuerySet[ApprovedCentre]:
    return centres_for(user).prefetch_related(
        Prefetch("approvals", queryset=Approval.objects.select_related("version__title")),
        "conventions__provider",
    )


def jury_members_for(user: Any) -> QuerySet[JuryMember]:
    scope = authority_scope(user)
    members = JuryMember.objects.select_related("authority")
    return members if scope.national else members.filter(authority__in=scope.authorities)


def habilitations_for(user: Any) -> QuerySet[Habilitation]:
    scope = authority_scope(user)
    habilitations = Habilitation.objects.select_related("member", "title", "authority")
    return habilitations if scope.national else habilitations.filter(member__authority__in=scope.authorities)


def own_jury_member(user: Any) -> JuryMember:
    """The jury member profile of the user; anyone without the role is refused (403)."""
    scope = scope_of(user)
    if not scope.jury_members:
        raise PermissionDenied
    member = (
        JuryMember.objects.filter(pk__in=scope.jury_members)
        .prefetch_related("experiences__title", "trainer_activities__provider", "declared_links__provider")
        .prefetch_related("declared_links__centre", "habilitations__title")
        .order_by("pk")
        .first()
    )
    if member is None:
        raise PermissionDenied
    return member


def own_declared_links(user: Any) -> QuerySet[DeclaredLink]:
    scope = scope_of(user)
    if not scope.jury_members:
        raise PermissionDenied
    return DeclaredLink.objects.filter(member__in=scope.jury_members)
