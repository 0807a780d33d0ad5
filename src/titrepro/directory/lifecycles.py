"""The lifecycle of an approval (R-30, R-33), as data: states, moves and their checks.

    (new) --grant--> active --suspend--> suspended --reinstate--> active
    active | suspended --withdraw--> withdrawn
    active | suspended --expire--> expired        (the system, once the approval is past its end)

No person acts on an approval past its end (R-30: it lasts at most until the
title version's end): it only expires. ``services`` make the moves;
pages and the API ask ``APPROVAL.can(...)`` / ``APPROVAL.offered(...)``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from titrepro.accounts.permissions import ensure_in
from titrepro.core.lifecycle import NEW, Lifecycle, Move, system_only
from titrepro.core.refusals import Refused
from titrepro.directory.messages import refusal
from titrepro.directory.models import Approval, ApprovalStatus
from titrepro.directory.queries import visible_centres
from titrepro.rules.dates import add_years
from titrepro.rules.directory import may_reapply
from titrepro.rules.parameters import DEFAULT

ACTIVE, SUSPENDED, WITHDRAWN, EXPIRED = (
    ApprovalStatus.ACTIVE,
    ApprovalStatus.SUSPENDED,
    ApprovalStatus.WITHDRAWN,
    ApprovalStatus.EXPIRED,
)


def authority_of_the_centre(user: Any, approval: Approval) -> None:
    """An agent of the centre's authority, or a national administrator (403 / 404 otherwise)."""
    ensure_in(visible_centres(user), approval.centre)


def not_past_its_end(user: Any, approval: Approval, on: date) -> Refused | None:
    if approval.valid_until < on:
        return refusal("approval_ended", end=approval.valid_until)
    return None


def past_its_end(user: Any, approval: Approval, on: date) -> Refused | None:
    if approval.valid_until >= on:
        return refusal("approval_not_ended", end=approval.valid_until)
    return None


def within_the_version(user: Any, approval: Approval, on: date) -> Refused | None:
    """R-30: the approval ends at the latest with its title version, and not before it starts."""
    if approval.valid_until < approval.granted_on:
        return refusal("approval_version_ended", field="granted_on", end=approval.valid_until)
    return None


def no_reapply_ban(user: Any, approval: Approval, on: date) -> Refused | None:
    """R-33: a centre whose approval was withdrawn may be banned from applying again for up to two years."""
    withdrawn = (
        Approval.objects.filter(
            centre_id=approval.centre_id, version__title_id=approval.version.title_id, status=WITHDRAWN
        )
        .exclude(reapply_banned_until=None)
        .order_by("-reapply_banned_until")
    )
    for previous in withdrawn:
        if previous.withdrawn_on and not may_reapply(
            previous.withdrawn_on, previous.reapply_banned_until, approval.granted_on
        ):
            end = min(
                previous.reapply_banned_until or approval.granted_on,
                add_years(previous.withdrawn_on, DEFAULT.reapply_ban_max_years),
            )
            return refusal("approval_reapply_banned", end=end)
    return None


def no_open_approval_on_the_site(user: Any, approval: Approval, on: date) -> Refused | None:
    if Approval.objects.filter(
        centre_id=approval.centre_id,
        version_id=approval.version_id,
        site_address=approval.site_address,
        status__in=[ACTIVE, SUSPENDED],
    ).exists():
        return refusal("approval_already_open")
    return None


APPROVAL: Lifecycle[Approval] = Lifecycle(
    name="approval",
    model=Approval,
    states=dict(ApprovalStatus.choices),
    authorise=authority_of_the_centre,
    moves=[
        Move(
            "grant",
            (NEW,),
            ACTIVE,
            "approval.granted",
            _("Record an approval"),
            checks=(within_the_version, no_reapply_ban, no_open_approval_on_the_site),
        ),
        Move(
            "suspend",
            (ACTIVE,),
            SUSPENDED,
            "approval.suspended",
            _("Suspend"),
            checks=(not_past_its_end,),
            wrong_state_code="approval_not_active",
            wrong_state_message=_("Only an active approval can be suspended."),
        ),
        Move(
            "reinstate",
            (SUSPENDED,),
            ACTIVE,
            "approval.reinstated",
            _("Reinstate"),
            checks=(not_past_its_end,),
            wrong_state_code="approval_not_suspended",
            wrong_state_message=_("Only a suspended approval can be reinstated."),
        ),
        Move(
            "withdraw",
            (ACTIVE, SUSPENDED),
            WITHDRAWN,
            "approval.withdrawn",
            _("Withdraw"),
            checks=(not_past_its_end,),
            wrong_state_code="approval_not_open",
            wrong_state_message=_("Only an active or suspended approval can be withdrawn."),
        ),
        Move(
            "expire",
            (ACTIVE, SUSPENDED),
            EXPIRED,
            "approval.expired",
            checks=(
                system_only("approval_expires_by_itself", _("An approval expires by itself at its end.")),
                past_its_end,
            ),
        ),
    ],
)
