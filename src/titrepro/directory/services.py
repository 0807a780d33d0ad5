"""Every write of the directory: one transaction each, scope checked first, audited.

Scope is re-checked through the same ``queries.visible_*`` functions the pages
use: a user without the role gets PermissionDenied (403); an object of another
authority Http404, as if missing. A refusal by a rule raises
``core.refusals.Refused`` with the rule's code and its French sentence. The
approval's moves go through its lifecycle (``directory.lifecycles.APPROVAL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from titrepro.accounts.permissions import ensure_in
from titrepro.audit.services import record
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.catalogue.queries import current_version
from titrepro.core.dating import decision_date, plausible
from titrepro.core.refusals import Refused
from titrepro.core.values import normalise_phone, phone_problem
from titrepro.directory.lifecycles import APPROVAL
from titrepro.directory.messages import habilitation_reason_message, refusal
from titrepro.directory.models import (
    Approval,
    ApprovalStatus,
    ApprovedCentre,
    DeclaredLink,
    Habilitation,
    JuryMember,
    LinkKind,
    ProfessionalExperience,
    TrainingProvider,
)
from titrepro.directory.queries import own_jury_members, visible_jury_members
from titrepro.rules.dates import add_years
from titrepro.rules.directory import (
    ExperiencePeriod,
    approval_valid_until,
    habilitation_check,
    habilitation_valid_until,
    reapply_ban_allowed,
)
from titrepro.rules.parameters import DEFAULT


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def check_authority_of_member(user: Any, member: JuryMember) -> None:
    """An agent of the member's authority, or a national administrator (403 / 404 otherwise)."""
    ensure_in(visible_jury_members(user), member)


def check_own_member(user: Any, member: JuryMember) -> None:
    """A jury member changes their own profile only (403 / 404 otherwise)."""
    ensure_in(own_jury_members(user), member)


# Approvals (R-30, R-33) ---------------------------------------------------------------------


def grant_approval(
    actor: Any,
    *,
    centre: ApprovedCentre,
    version: TitleVersion,
    site_address: str,
    granted_on: date,
    valid_until: date | None = None,
    reason: str = "",
) -> Approval:
    """Record an approval of ``centre`` for ``version`` on one site (R-30), refused during a ban (R-33)."""
    end = approval_valid_until(valid_until, version.valid_until)
    if end is None:
        raise refusal("approval_end_needed", field="valid_until")
    approval = Approval(
        centre=centre,
        version=version,
        site_address=site_address,
        granted_on=granted_on,
        valid_until=end,
        authority_id=centre.authority_id,
    )
    APPROVAL.check_actor("grant", actor, approval)  # who first (403 / 404), then the dates
    decision_date(granted_on, "granted_on")
    plausible(valid_until, "valid_until")
    return APPROVAL.create(
        "grant",
        actor,
        approval,
        on=granted_on,
        reason=reason,
        data={"granted_on": _iso(granted_on), "valid_until": _iso(end), "version": str(version)},
    )


def suspend_approval(actor: Any, approval: Approval, *, reason: str) -> Approval:
    """Suspend an active approval after a control (R-33)."""
    return APPROVAL.apply("suspend", actor, approval, reason=reason)


def reinstate_approval(actor: Any, approval: Approval, *, reason: str) -> Approval:
    """Reinstate a suspended approval once the centre reports compliance (R-33)."""
    return APPROVAL.apply("reinstate", actor, approval, reason=reason)


def withdraw_approval(
    actor: Any, approval: Approval, *, withdrawn_on: date, reason: str, banned_until: date | None = None
) -> Approval:
    """Withdraw an approval, with an optional ban on re-applying of at most two years (R-33)."""
    APPROVAL.check_actor("withdraw", actor, approval)
    decision_date(withdrawn_on, "withdrawn_on")
    plausible(banned_until, "reapply_banned_until")
    if not reapply_ban_allowed(withdrawn_on, banned_until):
        raise refusal(
            "approval_ban_too_long",
            field="reapply_banned_until",
            years=DEFAULT.reapply_ban_max_years,
            end=add_years(withdrawn_on, DEFAULT.reapply_ban_max_years),
        )
    return APPROVAL.apply(
        "withdraw",
        actor,
        approval,
        reason=reason,
        changes={"withdrawn_on": withdrawn_on, "reapply_banned_until": banned_until},
        data={"withdrawn_on": _iso(withdrawn_on), "reapply_banned_until": _iso(banned_until)},
    )


def expire_approvals(on: date) -> int:
    """The system expires every approval past its end (R-30): ``titrepro settle`` runs it daily."""
    expired = 0
    for approval in Approval.objects.filter(
        status__in=[ApprovalStatus.ACTIVE, ApprovalStatus.SUSPENDED], valid_until__lt=on
    ).order_by("pk"):
        APPROVAL.apply("expire", None, approval, on=on, data={"valid_until": _iso(approval.valid_until)})
        expired += 1
    return expired


# Habilitations (R-60 to R-62) --------------------------------------------------------------


def experience_periods(member: JuryMember, title: Title) -> list[ExperiencePeriod]:
    """The member's periods in the job the title targets (R-61)."""
    return [
        ExperiencePeriod(start, end)
        for start, end in ProfessionalExperience.objects.filter(member=member, title=title).values_list("start", "end")
    ]


def grant_habilitation(
    actor: Any,
    *,
    member: JuryMember,
    title: Title,
    granted_on: date,
    valid_until: date | None = None,
    reason: str = "",
) -> Habilitation:
    """Habilitate a jury member for a title if R-61's criteria are met, until at most the version's end (R-62)."""
    check_authority_of_member(actor, member)
    decision_date(granted_on, "granted_on")
    plausible(valid_until, "valid_until")
    check = habilitation_check(experience_periods(member, title), granted_on)
    if not check.allowed:
        raise Refused(
            check.reasons[0].code,
            " ".join(habilitation_reason_message(r) for r in check.reasons),
            "granted_on",
            reasons=[r.code for r in check.reasons],
        )
    version = current_version(Title.objects.prefetch_related("versions").get(pk=title.pk), granted_on)
    if version is None:
        raise refusal("title_has_no_version")
    end = habilitation_valid_until(valid_until, version.valid_until)
    if end is None:
        raise refusal("habilitation_end_needed")
    if end < granted_on:
        raise refusal("habilitation_version_ended", end=end)
    with transaction.atomic():
        if Habilitation.objects.select_for_update().filter(member=member, title=title, ended_on=None).exists():
            raise refusal("habilitation_already_held")
        habilitation = Habilitation.objects.create(
            member=member,
            title=title,
            authority=member.authority,
            granted_on=granted_on,
            valid_until=end,
        )
        record(
            actor=actor,
            action="habilitation.granted",
            target=habilitation,
            reason=reason,
            data={
                "title": title.code,
                "version": version.label,
                "granted_on": _iso(granted_on),
                "valid_until": _iso(end),
                "experience_days": check.experience_days,
                "last_day_in_job": _iso(check.last_day_in_job),
            },
        )
    return habilitation


def end_habilitation(actor: Any, habilitation: Habilitation, *, ended_on: date, reason: str) -> Habilitation:
    """End a habilitation before its term (withdrawal, request of the member...)."""
    check_authority_of_member(actor, habilitation.member)
    decision_date(ended_on, "ended_on")
    with transaction.atomic():
        habilitation = (
            Habilitation.objects.select_for_update().select_related("title", "member").get(pk=habilitation.pk)
        )
        if habilitation.ended_on is not None:
            raise refusal("habilitation_already_ended")
        if ended_on < habilitation.granted_on:
            raise refusal("habilitation_end_before_grant")
        habilitation.ended_on = ended_on
        habilitation.end_reason = reason
        habilitation.save(update_fields=["ended_on", "end_reason"])
        record(
            actor=actor,
            action="habilitation.ended",
            target=habilitation,
            reason=reason,
            data={"ended_on": _iso(ended_on)},
        )
    return habilitation


# The jury member's own profile (R-61, R-64) -------------------------------------------------


@dataclass(frozen=True)
class ProfileChange:
    phone: str


def update_jury_profile(actor: Any, member: JuryMember, change: ProfileChange) -> JuryMember:
    """The member updates their contact details."""
    check_own_member(actor, member)
    if problem := phone_problem(change.phone):
        raise Refused("invalid_phone", problem, "phone")
    phone = normalise_phone(change.phone)
    with transaction.atomic():
        before = member.phone
        member.phone = phone
        member.save(update_fields=["phone"])
        record(actor=actor, action="jury_member.profile_updated", target=member, data={"phone": [before, phone]})
    return member


def add_experience(
    actor: Any,
    member: JuryMember,
    *,
    job: str,
    employer: str,
    start: date,
    end: date | None = None,
    title: Title | None = None,
) -> ProfessionalExperience:
    """The member declares a period in a job (what R-61 counts)."""
    check_own_member(actor, member)
    if end is not None and end < start:
        raise refusal("period_end_before_start")
    with transaction.atomic():
        experience = ProfessionalExperience.objects.create(
            member=member, job=job, employer=employer, start=start, end=end, title=title
        )
        record(
            actor=actor,
            action="jury_member.experience_added",
            target=member,
            data={
                "experience": experience.pk,
                "job": job,
                "employer": employer,
                "title": title.code if title else None,
                "start": _iso(start),
                "end": _iso(end),
            },
        )
    return experience


def add_declared_link(
    actor: Any,
    member: JuryMember,
    *,
    kind: str,
    label: str,
    note: str = "",
    provider: TrainingProvider | None = None,
    centre: ApprovedCentre | None = None,
) -> DeclaredLink:
    """The member declares a link (employer, training provider, personal) for the conflict checks (R-64)."""
    check_own_member(actor, member)
    if kind == LinkKind.TRAINING_PROVIDER and provider is None:
        raise refusal("link_needs_provider")
    with transaction.atomic():
        link = DeclaredLink.objects.create(
            member=member, kind=kind, label=label, note=note, provider=provider, centre=centre
        )
        record(
            actor=actor,
            action="declared_link.added",
            target=member,
            data={
                "link": link.pk,
                "kind": kind,
                "label": label,
                "provider": provider.pk if provider else None,
                "centre": centre.pk if centre else None,
            },
        )
    return link


def remove_declared_link(actor: Any, link: DeclaredLink, *, reason: str = "") -> None:
    """The member removes a link they declared; the log keeps what it was."""
    check_own_member(actor, link.member)
    with transaction.atomic():
        member = link.member
        data = {"link": link.pk, "kind": link.kind, "label": link.label}
        link.delete()
        record(actor=actor, action="declared_link.removed", target=member, reason=reason, data=data)
