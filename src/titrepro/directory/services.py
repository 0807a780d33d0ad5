"""Every write of the directory: one transaction each, scope checked first, audited.

A user without the role gets PermissionDenied (403); an object of another
authority Http404, as if missing. A refusal by a rule raises ``Refused`` with a
stable code (API) and the translated messages (pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from titrepro.accounts.permissions import scope_of
from titrepro.audit.services import record
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.catalogue.queries import current_version
from titrepro.directory.messages import habilitation_reason_message, refusal_message
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
from titrepro.rules.dates import add_years
from titrepro.rules.directory import (
    ExperiencePeriod,
    approval_valid_until,
    habilitation_check,
    habilitation_valid_until,
    may_reapply,
    reapply_ban_allowed,
)
from titrepro.rules.parameters import DEFAULT


class Refused(Exception):
    """A change the rules do not allow: ``code`` for machines, ``messages`` for people."""

    def __init__(self, code: str, messages: list[str], reasons: tuple[str, ...] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.messages = messages
        self.reasons = reasons or (code,)

    @classmethod
    def because(cls, code: str, **values: Any) -> Refused:
        return cls(code, [refusal_message(code, **values)])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def check_authority(user: Any, authority_id: int) -> None:
    """An authority agent acts for their own authority only; a national administrator for all."""
    scope = scope_of(user)
    if scope.national:
        return
    if not scope.authorities:
        raise PermissionDenied
    if authority_id not in scope.authorities:
        raise Http404


def check_own_member(user: Any, member: JuryMember) -> None:
    """A jury member changes their own profile only."""
    scope = scope_of(user)
    if not scope.jury_members:
        raise PermissionDenied
    if member.pk not in scope.jury_members:
        raise Http404


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
    check_authority(actor, centre.authority_id)
    end = approval_valid_until(valid_until, version.valid_until)
    if end is None:
        raise Refused.because("approval_end_needed")
    if end < granted_on:
        raise Refused.because("approval_version_ended", end=end)
    with transaction.atomic():
        banned = (
            Approval.objects.filter(centre=centre, version__title_id=version.title_id, status=ApprovalStatus.WITHDRAWN)
            .exclude(reapply_banned_until=None)
            .order_by("-reapply_banned_until")
        )
        for previous in banned:
            if not may_reapply(previous.withdrawn_on, previous.reapply_banned_until, granted_on):
                assert previous.withdrawn_on is not None  # noqa: S101 (the constraint holds it)
                ban_end = min(
                    previous.reapply_banned_until or granted_on,
                    add_years(previous.withdrawn_on, DEFAULT.reapply_ban_max_years),
                )
                raise Refused.because("approval_reapply_banned", end=ban_end)
        if Approval.objects.filter(
            centre=centre,
            version=version,
            site_address=site_address,
            status__in=[ApprovalStatus.ACTIVE, ApprovalStatus.SUSPENDED],
        ).exists():
            raise Refused.because("approval_already_open")
        approval = Approval.objects.create(
            centre=centre,
            version=version,
            site_address=site_address,
            granted_on=granted_on,
            valid_until=end,
            authority=centre.authority,
        )
        record(
            actor=actor,
            action="approval.granted",
            target=approval,
            reason=reason,
            data={"granted_on": _iso(granted_on), "valid_until": _iso(end), "version": str(version)},
        )
    return approval


def _locked(approval: Approval, actor: Any) -> Approval:
    check_authority(actor, approval.centre.authority_id)
    return Approval.objects.select_for_update().select_related("centre").get(pk=approval.pk)


def suspend_approval(actor: Any, approval: Approval, *, reason: str) -> Approval:
    """Suspend an active approval after a control (R-33)."""
    with transaction.atomic():
        approval = _locked(approval, actor)
        if approval.status != ApprovalStatus.ACTIVE:
            raise Refused.because("approval_not_active")
        approval.status = ApprovalStatus.SUSPENDED
        approval.save(update_fields=["status"])
        record(actor=actor, action="approval.suspended", target=approval, reason=reason, data={"from": "active"})
    return approval


def reinstate_approval(actor: Any, approval: Approval, *, reason: str) -> Approval:
    """Reinstate a suspended approval once the centre reports compliance (R-33)."""
    with transaction.atomic():
        approval = _locked(approval, actor)
        if approval.status != ApprovalStatus.SUSPENDED:
            raise Refused.because("approval_not_suspended")
        approval.status = ApprovalStatus.ACTIVE
        approval.save(update_fields=["status"])
        record(actor=actor, action="approval.reinstated", target=approval, reason=reason, data={"from": "suspended"})
    return approval


def withdraw_approval(
    actor: Any, approval: Approval, *, withdrawn_on: date, reason: str, banned_until: date | None = None
) -> Approval:
    """Withdraw an approval, with an optional ban on re-applying of at most two years (R-33)."""
    with transaction.atomic():
        approval = _locked(approval, actor)
        if approval.status == ApprovalStatus.WITHDRAWN:
            raise Refused.because("approval_already_withdrawn")
        if not reapply_ban_allowed(withdrawn_on, banned_until):
            raise Refused.because(
                "approval_ban_too_long",
                years=DEFAULT.reapply_ban_max_years,
                end=add_years(withdrawn_on, DEFAULT.reapply_ban_max_years),
            )
        previous = approval.status
        approval.status = ApprovalStatus.WITHDRAWN
        approval.withdrawn_on = withdrawn_on
        approval.reapply_banned_until = banned_until
        approval.save(update_fields=["status", "withdrawn_on", "reapply_banned_until"])
        record(
            actor=actor,
            action="approval.withdrawn",
            target=approval,
            reason=reason,
            data={"from": previous, "withdrawn_on": _iso(withdrawn_on), "reapply_banned_until": _iso(banned_until)},
        )
    return approval


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
    check_authority(actor, member.authority_id)
    check = habilitation_check(experience_periods(member, title), granted_on)
    if not check.allowed:
        raise Refused(
            check.reasons[0].code,
            [habilitation_reason_message(r) for r in check.reasons],
            tuple(r.code for r in check.reasons),
        )
    version = current_version(Title.objects.prefetch_related("versions").get(pk=title.pk), granted_on)
    if version is None:
        raise Refused.because("title_has_no_version")
    end = habilitation_valid_until(valid_until, version.valid_until)
    if end is None:
        raise Refused.because("habilitation_end_needed")
    if end < granted_on:
        raise Refused.because("habilitation_version_ended", end=end)
    with transaction.atomic():
        if Habilitation.objects.select_for_update().filter(member=member, title=title, ended_on=None).exists():
            raise Refused.because("habilitation_already_held")
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
    check_authority(actor, habilitation.member.authority_id)
    with transaction.atomic():
        habilitation = (
            Habilitation.objects.select_for_update().select_related("title", "member").get(pk=habilitation.pk)
        )
        if habilitation.ended_on is not None:
            raise Refused.because("habilitation_already_ended")
        if ended_on < habilitation.granted_on:
            raise Refused.because("habilitation_end_before_grant")
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
    with transaction.atomic():
        before = member.phone
        member.phone = change.phone
        member.save(update_fields=["phone"])
        record(actor=actor, action="jury_member.profile_updated", target=member, data={"phone": [before, change.phone]})
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
        raise Refused.because("period_end_before_start")
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
        raise Refused.because("link_needs_provider")
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
