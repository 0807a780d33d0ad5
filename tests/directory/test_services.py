"""The directory services: happy paths, each refusal, scope, and the audit entries they write."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404
from tests.factories import (
    V2_END,
    ApprovalFactory,
    AuthorityFactory,
    CentreFactory,
    ExperienceFactory,
    HabilitationFactory,
    JuryMemberFactory,
    LinkFactory,
    ProviderFactory,
    agent_of,
    centre_staff,
    make_title,
    member_user,
    national_admin,
)

from titrepro.audit.services import history
from titrepro.catalogue.models import Title, TitleVersion
from titrepro.core.refusals import Refused
from titrepro.directory import services
from titrepro.directory.models import Approval, ApprovalStatus, DeclaredLink, Habilitation

D = datetime.date


@pytest.fixture
def title(db):
    return make_title()


@pytest.fixture
def v2025(title):
    return TitleVersion.objects.get(title=title, label="2025")


def actions(obj) -> list[str]:
    return [entry.action for entry in history(obj)]


# Approvals -----------------------------------------------------------------------------------


def test_grant_approval_is_capped_at_the_version_end_and_audited(v2025):
    centre = CentreFactory.create()
    agent = agent_of(centre.authority)
    approval = services.grant_approval(
        agent,
        centre=centre,
        version=v2025,
        site_address="2 rue du Plateau",
        granted_on=D(2025, 2, 1),
        valid_until=D(2035, 1, 1),
        reason="Dossier complet",
    )
    assert approval.valid_until == V2_END
    assert approval.status == ApprovalStatus.ACTIVE
    assert approval.authority == centre.authority
    (entry,) = history(approval)
    assert (entry.action, entry.reason, entry.actor) == ("approval.granted", "Dossier complet", agent)


def test_grant_approval_after_the_version_ended_is_refused(title):
    v2020 = TitleVersion.objects.get(title=title, label="2020")
    centre = CentreFactory.create()
    with pytest.raises(Refused) as refused:
        services.grant_approval(
            agent_of(centre.authority), centre=centre, version=v2020, site_address="x", granted_on=D(2025, 2, 1)
        )
    assert refused.value.code == "approval_version_ended"
    assert not Approval.objects.exists()


def test_grant_approval_scope(v2025):
    centre = CentreFactory.create()
    kwargs = {"centre": centre, "version": v2025, "site_address": "x", "granted_on": D(2025, 2, 1)}
    with pytest.raises(Http404):
        services.grant_approval(agent_of(AuthorityFactory.create()), **kwargs)
    with pytest.raises(PermissionDenied):
        services.grant_approval(centre_staff(centre), **kwargs)
    assert services.grant_approval(national_admin(), **kwargs).pk


def test_grant_approval_twice_on_the_same_site_is_refused(v2025):
    approval = ApprovalFactory.create()
    with pytest.raises(Refused) as refused:
        services.grant_approval(
            agent_of(approval.centre.authority),
            centre=approval.centre,
            version=v2025,
            site_address=approval.site_address,
            granted_on=D(2025, 6, 1),
        )
    assert refused.value.code == "approval_already_open"


def test_suspend_reinstate_withdraw_cycle_is_audited(title):
    approval = ApprovalFactory.create()
    agent = agent_of(approval.centre.authority)
    services.suspend_approval(agent, approval, reason="Plateau technique incomplet")
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.SUSPENDED
    with pytest.raises(Refused, match="approval_not_active"):
        services.suspend_approval(agent, approval, reason="again")
    services.reinstate_approval(agent, approval, reason="Mise en conformité")
    with pytest.raises(Refused, match="approval_not_suspended"):
        services.reinstate_approval(agent, approval, reason="again")
    services.withdraw_approval(
        agent, approval, withdrawn_on=D(2025, 9, 1), banned_until=D(2027, 9, 1), reason="Fraude constatée"
    )
    approval.refresh_from_db()
    assert (approval.status, approval.reapply_banned_until) == (ApprovalStatus.WITHDRAWN, D(2027, 9, 1))
    with pytest.raises(Refused, match="approval_not_open"):
        services.withdraw_approval(agent, approval, withdrawn_on=D(2025, 9, 2), reason="again")
    assert actions(approval) == ["approval.suspended", "approval.reinstated", "approval.withdrawn"]


def test_withdraw_with_a_ban_longer_than_two_years_is_refused(title):
    approval = ApprovalFactory.create()
    with pytest.raises(Refused) as refused:
        services.withdraw_approval(
            agent_of(approval.centre.authority),
            approval,
            withdrawn_on=D(2025, 9, 1),
            banned_until=D(2027, 9, 2),
            reason="x",
        )
    assert refused.value.code == "approval_ban_too_long"
    approval.refresh_from_db()
    assert approval.status == ApprovalStatus.ACTIVE
    assert history(approval).count() == 0


def test_a_banned_centre_may_not_apply_again_until_the_ban_ends(v2025):
    approval = ApprovalFactory.create()
    agent = agent_of(approval.centre.authority)
    services.withdraw_approval(agent, approval, withdrawn_on=D(2025, 9, 1), banned_until=D(2026, 9, 1), reason="x")
    kwargs = {"centre": approval.centre, "version": v2025, "site_address": approval.site_address}
    with pytest.raises(Refused) as refused:
        services.grant_approval(agent, granted_on=D(2026, 9, 1), **kwargs)
    assert refused.value.code == "approval_reapply_banned"
    assert services.grant_approval(agent, granted_on=D(2026, 9, 2), **kwargs).pk


def test_other_authority_cannot_change_an_approval(title):
    approval = ApprovalFactory.create()
    with pytest.raises(Http404):
        services.suspend_approval(agent_of(AuthorityFactory.create()), approval, reason="x")


def test_approval_database_constraint(title):
    approval = ApprovalFactory.create()
    approval.valid_until = D(2020, 1, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        approval.save()


# Habilitations (R-61, R-62) -------------------------------------------------------------------


def test_grant_habilitation_runs_the_rule_and_caps_at_the_version_end(title):
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=title, start=D(2018, 1, 1), end=None)
    agent = agent_of(member.authority)
    habilitation = services.grant_habilitation(
        agent, member=member, title=title, granted_on=D(2025, 3, 1), valid_until=D(2031, 1, 1), reason="Session info"
    )
    assert habilitation.valid_until == V2_END
    (entry,) = history(habilitation)
    assert entry.action == "habilitation.granted"
    assert entry.data["version"] == "2025"


def test_habilitation_refused_with_two_years_in_the_job(title):
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=title, start=D(2023, 3, 1), end=None)
    with pytest.raises(Refused) as refused:
        services.grant_habilitation(agent_of(member.authority), member=member, title=title, granted_on=D(2025, 3, 1))
    assert refused.value.code == "habilitation_experience_too_short"
    assert "R-61" in refused.value.message
    assert not Habilitation.objects.exists()


def test_habilitation_refused_seven_years_out_of_the_job(title):
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=title, start=D(2008, 1, 1), end=D(2018, 2, 28))
    with pytest.raises(Refused) as refused:
        services.grant_habilitation(agent_of(member.authority), member=member, title=title, granted_on=D(2025, 3, 1))
    assert refused.value.reasons == ("habilitation_out_of_job_too_long",)
    assert "28" in refused.value.message


def test_experience_in_another_job_does_not_count(title):
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=None, start=D(2010, 1, 1), end=None)
    with pytest.raises(Refused, match="habilitation_experience_too_short"):
        services.grant_habilitation(agent_of(member.authority), member=member, title=title, granted_on=D(2025, 3, 1))


def test_habilitation_cannot_outlive_its_version(title):
    """Granted under the 2020 version (ends 31 December 2024), it ends with it (R-62)."""
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=title, start=D(2010, 1, 1), end=None)
    habilitation = services.grant_habilitation(
        agent_of(member.authority), member=member, title=title, granted_on=D(2024, 6, 1), valid_until=D(2026, 6, 1)
    )
    assert habilitation.valid_until == D(2024, 12, 31)


def test_habilitation_twice_and_end(title):
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=title, start=D(2010, 1, 1), end=None)
    agent = agent_of(member.authority)
    habilitation = services.grant_habilitation(agent, member=member, title=title, granted_on=D(2025, 3, 1))
    with pytest.raises(Refused, match="habilitation_already_held"):
        services.grant_habilitation(agent, member=member, title=title, granted_on=D(2025, 4, 1))
    with pytest.raises(Refused, match="habilitation_end_before_grant"):
        services.end_habilitation(agent, habilitation, ended_on=D(2025, 1, 1), reason="x")
    services.end_habilitation(agent, habilitation, ended_on=D(2025, 6, 1), reason="À sa demande")
    with pytest.raises(Refused, match="habilitation_already_ended"):
        services.end_habilitation(agent, habilitation, ended_on=D(2025, 6, 2), reason="x")
    assert actions(habilitation) == ["habilitation.granted", "habilitation.ended"]
    # Once ended, a new habilitation may be granted.
    assert services.grant_habilitation(agent, member=member, title=title, granted_on=D(2025, 7, 1)).pk


def test_habilitation_scope(title):
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=title, start=D(2010, 1, 1), end=None)
    kwargs = {"member": member, "title": title, "granted_on": D(2025, 3, 1)}
    with pytest.raises(Http404):
        services.grant_habilitation(agent_of(AuthorityFactory.create()), **kwargs)
    with pytest.raises(PermissionDenied):
        services.grant_habilitation(member_user(member), **kwargs)
    habilitation = HabilitationFactory.create(member=member, title=Title.objects.get(code="TP-99901"))
    with pytest.raises(Http404):
        services.end_habilitation(agent_of(AuthorityFactory.create()), habilitation, ended_on=D(2025, 6, 1), reason="x")


def test_builtin_tssr_habilitation_ends_with_its_version(builtin_catalogue):
    tssr = Title.objects.get(code="TP-01351")
    member = JuryMemberFactory.create()
    ExperienceFactory.create(member=member, title=tssr, start=D(2010, 1, 1), end=None)
    habilitation = services.grant_habilitation(
        national_admin(), member=member, title=tssr, granted_on=D(2025, 3, 1), valid_until=D(2099, 1, 1)
    )
    ends = [v.valid_until for v in tssr.versions.all() if v.valid_from and v.valid_from <= D(2025, 3, 1)]
    assert habilitation.valid_until == max(end for end in ends if end and end >= D(2025, 3, 1))


# The jury member's own profile ----------------------------------------------------------------


def test_member_edits_own_profile_experiences_and_links(title):
    member = JuryMemberFactory.create()
    user = member_user(member)
    services.update_jury_profile(user, member, services.ProfileChange(phone="01 02 03 04 05"))
    member.refresh_from_db()
    assert member.phone == "01 02 03 04 05"
    services.add_experience(user, member, job="Technicien", employer="ACME", start=D(2015, 1, 1), title=title)
    with pytest.raises(Refused, match="period_end_before_start"):
        services.add_experience(user, member, job="x", employer="y", start=D(2015, 1, 1), end=D(2014, 1, 1))
    provider = ProviderFactory.create()
    with pytest.raises(Refused, match="link_needs_provider"):
        services.add_declared_link(user, member, kind="training_provider", label="Formation")
    link = services.add_declared_link(user, member, kind="training_provider", label="Formation", provider=provider)
    services.remove_declared_link(user, link)
    assert not DeclaredLink.objects.exists()
    assert actions(member) == [
        "jury_member.profile_updated",
        "jury_member.experience_added",
        "declared_link.added",
        "declared_link.removed",
    ]


def test_member_cannot_touch_another_member(db):
    member = JuryMemberFactory.create()
    other = JuryMemberFactory.create()
    link = LinkFactory.create(member=other)
    user = member_user(member)
    with pytest.raises(Http404):
        services.remove_declared_link(user, link)
    with pytest.raises(Http404):
        services.add_declared_link(user, other, kind="personal", label="x")
    with pytest.raises(PermissionDenied):
        services.update_jury_profile(agent_of(member.authority), member, services.ProfileChange(phone="1"))
    assert DeclaredLink.objects.filter(pk=link.pk).exists()
