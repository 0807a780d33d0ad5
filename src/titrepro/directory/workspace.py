"""The directory's part of the workspaces (``core.workspaces``): menu sections and work queues of
authority agents, national administrators and jury members."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titrepro.core.workspaces import Queue, Section, Work, register
from titrepro.directory import queries
from titrepro.directory.models import ApprovalStatus
from titrepro.directory.statuses import ENDING_WITHIN

OPEN = (ApprovalStatus.ACTIVE, ApprovalStatus.SUSPENDED)


def _filtered(url_name: str, status: str) -> str:
    return f"{reverse(url_name)}?statut={status}"


def authority_work(user: Any) -> Iterator[Work]:
    today = timezone.localdate()
    approvals = queries.visible_approvals(user).filter(status__in=OPEN)
    yield Queue(
        _("Approvals ending within three months"),
        approvals.filter(valid_until__gte=today, valid_until__lte=today + ENDING_WITHIN).count(),
        _filtered("directory:centre_list", "ending"),
        hint=_("a new application must be instructed before the end"),
        order=30,
    )
    yield Queue(
        _("Approvals past their end"),
        approvals.filter(valid_until__lt=today).count(),
        _filtered("directory:centre_list", "expired"),
        hint=_("they expire tonight: no session can be held under them"),
        urgent=True,
        order=31,
    )
    habilitations = queries.visible_habilitations(user).filter(ended_on=None)
    yield Queue(
        _("Habilitations ending within three months"),
        habilitations.filter(valid_until__gte=today, valid_until__lte=today + ENDING_WITHIN).count(),
        _filtered("directory:jury_member_list", "ending"),
        order=40,
    )


def jury_work(user: Any) -> Iterator[Work]:
    today = timezone.localdate()
    member = queries.own_jury_members(user)
    habilitations = queries.visible_habilitations_of(member).filter(ended_on=None, valid_until__gte=today)
    yield Queue(
        _("My habilitations in force"),
        habilitations.count(),
        reverse("directory:jury_profile"),
        order=10,
    )
    ending = habilitations.filter(valid_until__lte=today + ENDING_WITHIN).count()
    if ending:
        yield Queue(
            _("My habilitations ending within three months"),
            ending,
            reverse("directory:jury_profile"),
            hint=_("ask your DREETS for a renewal"),
            urgent=True,
            order=11,
        )


CENTRES = Section(_("Centres"), "directory:centre_list", order=10)
JURY = Section(_("Jury members"), "directory:jury_member_list", order=20)


def register_all() -> None:
    for kind in ("authority_agent", "national_admin"):
        register(kind, sections=(CENTRES, JURY), work=authority_work)
    register(
        "jury_member", sections=(Section(_("My jury profile"), "directory:jury_profile", order=10),), work=jury_work
    )
    register(
        "national_admin", sections=(Section(_("Administration site"), "admin:index", order=90, django_staff_only=True),)
    )
