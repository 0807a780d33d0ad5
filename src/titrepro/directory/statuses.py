"""Statuses read against a day (issue 9, item 4): an approval or a habilitation past its end is
shown expired, whatever the nightly ``settle`` has written yet, and offers no action."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from titrepro.core.templatetags.french_dates import french_date
from titrepro.directory.models import Approval, ApprovalStatus, Habilitation

# "Ending soon": the dashboards and the lists warn this long before an end.
ENDING_WITHIN = timedelta(days=92)


@dataclass(frozen=True)
class Shown:
    """A status as a page shows it: a code for filters, a label, a DSFR badge colour and a detail."""

    code: str
    label: str | Promise
    badge: str
    detail: str = ""

    @property
    def badge_class(self) -> str:
        return f"fr-badge--{self.badge}"


STATUS_FILTERS = {
    "in_force": gettext_lazy("In force"),
    "ending": gettext_lazy("Ending within three months"),
    "suspended": gettext_lazy("Suspended"),
    "expired": gettext_lazy("Expired or ended"),
    "withdrawn": gettext_lazy("Withdrawn"),
}


def _day(value: date) -> str:
    return french_date(value)


def past_its_end(approval: Approval, today: date) -> bool:
    return approval.status == ApprovalStatus.EXPIRED or (
        approval.status in (ApprovalStatus.ACTIVE, ApprovalStatus.SUSPENDED) and approval.valid_until < today
    )


def approval_status(approval: Approval, today: date) -> Shown:
    if approval.status == ApprovalStatus.WITHDRAWN:
        detail = _("withdrawn on %(day)s") % {"day": _day(approval.withdrawn_on)} if approval.withdrawn_on else ""
        return Shown("withdrawn", gettext_lazy("Withdrawn"), "error", detail)
    if past_its_end(approval, today):
        return Shown(
            "expired", gettext_lazy("Expired"), "error", _("ended on %(day)s") % {"day": _day(approval.valid_until)}
        )
    until = _("until %(day)s") % {"day": _day(approval.valid_until)}
    if approval.status == ApprovalStatus.SUSPENDED:
        return Shown("suspended", gettext_lazy("Suspended"), "warning", until)
    if approval.valid_until <= today + ENDING_WITHIN:
        return Shown("ending", gettext_lazy("Ending soon"), "warning", until)
    return Shown("in_force", gettext_lazy("Active"), "success", until)


def habilitation_status(habilitation: Habilitation, today: date) -> Shown:
    if habilitation.ended_on is not None and habilitation.ended_on <= today:
        return Shown(
            "expired",
            pgettext_lazy("habilitation", "Ended"),
            "error",
            pgettext("habilitation", "ended on %(day)s") % {"day": _day(habilitation.ended_on)},
        )
    if habilitation.valid_until < today:
        detail = pgettext("habilitation", "ended on %(day)s") % {"day": _day(habilitation.valid_until)}
        return Shown("expired", pgettext_lazy("habilitation", "Expired"), "error", detail)
    until = _("until %(day)s") % {"day": _day(habilitation.valid_until)}
    if habilitation.valid_until <= today + ENDING_WITHIN:
        return Shown("ending", pgettext_lazy("habilitation", "Ending soon"), "warning", until)
    return Shown("in_force", gettext_lazy("In force"), "success", until)


# The same statuses as database conditions, so that a list filters and pages in SQL: each says, for the
# rows of its model, exactly what ``approval_status`` / ``habilitation_status`` say of one row
# (tests/directory/test_work_lists.py compares them on every boundary).
_OPEN = (ApprovalStatus.ACTIVE, ApprovalStatus.SUSPENDED)
NOTHING = Q(pk__in=[])


def approval_status_filter(code: str, today: date) -> Q:
    """The approvals ``approval_status`` shows with ``code`` on ``today``."""
    soon = today + ENDING_WITHIN
    return {
        "withdrawn": Q(status=ApprovalStatus.WITHDRAWN),
        "expired": Q(status=ApprovalStatus.EXPIRED) | Q(status__in=_OPEN, valid_until__lt=today),
        "suspended": Q(status=ApprovalStatus.SUSPENDED, valid_until__gte=today),
        "ending": Q(status=ApprovalStatus.ACTIVE, valid_until__gte=today, valid_until__lte=soon),
        "in_force": Q(status=ApprovalStatus.ACTIVE, valid_until__gt=soon),
    }.get(code, NOTHING)


def open_approvals(today: date) -> Q:
    """Approvals neither withdrawn nor past their end (in force, ending soon or suspended)."""
    return Q(status__in=_OPEN, valid_until__gte=today)


def habilitation_status_filter(code: str, today: date) -> Q:
    """The habilitations ``habilitation_status`` shows with ``code`` on ``today``."""
    soon = today + ENDING_WITHIN
    running = Q(ended_on=None) | Q(ended_on__gt=today)
    return {
        "expired": Q(ended_on__lte=today) | Q(valid_until__lt=today),
        "ending": running & Q(valid_until__gte=today, valid_until__lte=soon),
        "in_force": running & Q(valid_until__gt=soon),
    }.get(code, NOTHING)


def open_habilitations(today: date) -> Q:
    """Habilitations neither ended nor past their end."""
    return (Q(ended_on=None) | Q(ended_on__gt=today)) & Q(valid_until__gte=today)
