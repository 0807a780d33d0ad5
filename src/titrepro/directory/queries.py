"""Reads shared by the pages, the API and the services' re-checks (STYLE.md, habit 6).

Each ``visible_<things>(user)`` is the one definition of who sees what, built
on ``accounts.permissions.scoped``: a user without the role gets
PermissionDenied (403); an object outside the user's organisation is not in
the queryset, so ``get_scoped_or_404`` (pages, API) and ``ensure_in``
(services) answer 404.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.expressions import OrderBy

from titrepro.accounts.models import RoleKind
from titrepro.accounts.permissions import scoped
from titrepro.core.models import search_filter
from titrepro.directory.models import (
    Approval,
    ApprovedCentre,
    DeclaredLink,
    Habilitation,
    JuryMember,
)
from titrepro.directory.statuses import (
    approval_status_filter,
    habilitation_status_filter,
    open_approvals,
    open_habilitations,
)


def visible_centres(user: Any) -> QuerySet[ApprovedCentre]:
    """The centres of the authority agent's authorities (all of them for a national administrator)."""
    return scoped(user, ApprovedCentre.objects.select_related("authority"), authority="authority")


def visible_approvals(user: Any) -> QuerySet[Approval]:
    return scoped(
        user, Approval.objects.select_related("centre", "version__title", "authority"), authority="centre__authority"
    )


def visible_centre_details(user: Any) -> QuerySet[ApprovedCentre]:
    return visible_centres(user).prefetch_related(
        Prefetch("approvals", queryset=Approval.objects.select_related("version__title")),
        "conventions__provider",
    )


def staff_accounts(centre: ApprovedCentre) -> list[Any]:
    """The accounts holding an accepted centre staff role on the centre (its DREETS resets their authenticator)."""
    roles = centre.roles.filter(kind=RoleKind.CENTRE_STAFF, pending=False).select_related("user")
    return [role.user for role in roles.order_by("user__email", "user__username")]


def visible_jury_members(user: Any) -> QuerySet[JuryMember]:
    """The jury members of the agent's authorities, for habilitations."""
    return scoped(user, JuryMember.objects.select_related("authority"), authority="authority")


def visible_habilitations(user: Any) -> QuerySet[Habilitation]:
    return scoped(
        user, Habilitation.objects.select_related("member", "title", "authority"), authority="member__authority"
    )


def visible_habilitations_of(members: QuerySet[JuryMember]) -> QuerySet[Habilitation]:
    """The habilitations of these (already scoped) jury members."""
    return Habilitation.objects.select_related("title").filter(member__in=members)


def own_jury_members(user: Any) -> QuerySet[JuryMember]:
    """The jury member profiles the user is (their own, never another's); 403 without the role."""
    return scoped(user, JuryMember.objects.select_related("authority"), national=False, jury_member="pk")


def own_jury_member(user: Any) -> JuryMember:
    """The jury member profile of the user, with what the profile page shows; 403 without the role."""
    member = (
        own_jury_members(user)
        .prefetch_related("experiences__title", "trainer_activities__provider", "declared_links__provider")
        .prefetch_related("declared_links__centre", "habilitations__title")
        .order_by("pk")
        .first()
    )
    if member is None:  # pragma: no cover - scoped() refused the user without the role
        raise PermissionDenied
    return member


def own_declared_links(user: Any) -> QuerySet[DeclaredLink]:
    return scoped(user, DeclaredLink.objects.select_related("member"), national=False, jury_member="member")


# The work lists (issue 9, item 5): filters named as in the URL (?q=, ?statut=, ?titre=, ?tri=nom|fin).
CENTRE_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "nom": ("name", "pk"),
    "fin": (F("next_end").asc(nulls_last=True), "name", "pk"),
}
MEMBER_SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "nom": ("last_name", "first_name", "email", "pk"),
    "fin": (F("next_end").asc(nulls_last=True), "last_name", "first_name", "pk"),
}


def _listed(
    rows: QuerySet[Any],
    related: tuple[str, str],
    shown: QuerySet[Any],
    chosen: Q,
    *,
    only_chosen: bool,
    order: Sequence[Any],
) -> QuerySet[Any]:
    """``rows`` (only those with a ``chosen`` one of their related rows when ``only_chosen``), each
    with its related rows (``shown``) and ``next_end``: the earliest ``valid_until`` of the chosen
    ones (None without any), in ``order``. ``related``: the reverse name and the foreign key back."""
    related_name, link = related
    theirs = shown.filter(chosen, **{link: OuterRef("pk")})
    if only_chosen:
        rows = rows.filter(Exists(theirs))
    nearest = theirs.order_by("valid_until").values("valid_until")[:1]
    listed: QuerySet[Any] = (
        rows.prefetch_related(Prefetch(related_name, queryset=shown))
        .annotate(next_end=Subquery(nearest))
        .order_by(*order)
    )
    return listed


def centre_work_list(
    centres: QuerySet[ApprovedCentre], *, today: date, text: str = "", status: str = "", sort: str = "nom"
) -> QuerySet[ApprovedCentre]:
    """The centres a list shows: searched (name, code, SIRET, address: accents and case ignored), those
    holding an approval shown with ``status`` today, sorted by name or by the nearest end of an approval
    (among those of the status when one is asked, else among the open ones); with their approvals."""
    chosen = approval_status_filter(status, today) if status else open_approvals(today)
    if text:
        centres = centres.filter(search_filter(text))
    return _listed(
        centres,
        ("approvals", "centre"),
        Approval.objects.select_related("version__title"),
        chosen,
        only_chosen=bool(status),
        order=CENTRE_SORTS.get(sort, CENTRE_SORTS["nom"]),
    )


def jury_member_work_list(
    members: QuerySet[JuryMember],
    *,
    today: date,
    text: str = "",
    status: str = "",
    title: str = "",
    sort: str = "nom",
) -> QuerySet[JuryMember]:
    """The jury members a list shows: searched (name, e-mail), those holding a habilitation for ``title``
    and shown with ``status`` today (the same habilitation), sorted by name or by the nearest end of a
    habilitation (among the chosen ones, else among the open ones); with their habilitations."""
    chosen = habilitation_status_filter(status, today) if status else open_habilitations(today)
    if title:
        chosen &= Q(title__code=title)
    if text:
        members = members.filter(search_filter(text))
    return _listed(
        members,
        ("habilitations", "member"),
        Habilitation.objects.select_related("title"),
        chosen,
        only_chosen=bool(status or title),
        order=MEMBER_SORTS.get(sort, MEMBER_SORTS["nom"]),
    )


def habilitated_titles(members: QuerySet[JuryMember]) -> list[tuple[str, str]]:
    """(code, label) of the titles these members hold a habilitation for, for the list's title filter."""
    return sorted(
        set(Habilitation.objects.filter(member__in=members).values_list("title__code", "title__label").distinct())
    )
