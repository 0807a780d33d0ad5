"""The factories' traits yield what their names say, by the same rules the application applies."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import (
    PASSWORD,
    make_accommodation,
    make_approval,
    make_habilitation,
    make_title,
    make_user,
    make_vae_application,
    today,
    user_with_role,
)
from titrepro.accounts.models import Role, RoleKind
from titrepro.candidates import queries
from titrepro.candidates.models import DecisionStatus, VaeStatusChoice
from titrepro.directory.models import ApprovalStatus
from titrepro.rules.dates import add_months

pytestmark = pytest.mark.django_db


def test_a_plain_approval_is_active_and_valid_today() -> None:
    approval = make_approval()
    approval.full_clean()
    assert approval.status == ApprovalStatus.ACTIVE
    assert approval.granted_on <= today() <= approval.valid_until


def test_an_expired_approval_ended_before_today() -> None:
    approval = make_approval(expired=True)
    approval.full_clean()
    assert approval.granted_on <= approval.valid_until < today()


def test_a_suspended_approval() -> None:
    approval = make_approval(suspended=True)
    approval.full_clean()
    assert approval.status == ApprovalStatus.SUSPENDED
    assert approval.withdrawn_on is None


def test_a_withdrawn_approval_has_its_date_and_ban() -> None:
    approval = make_approval(withdrawn=True)
    approval.full_clean()
    assert approval.status == ApprovalStatus.WITHDRAWN
    assert approval.withdrawn_on is not None
    assert approval.reapply_banned_until is not None
    assert approval.withdrawn_on < today() < approval.reapply_banned_until


def test_a_habilitation_ending_next_month() -> None:
    habilitation = make_habilitation(ending_next_month=True)
    habilitation.full_clean()  # within the title version's validity
    assert habilitation.ended_on is None
    assert today() < habilitation.valid_until == add_months(today(), 1)


def test_an_ended_habilitation() -> None:
    habilitation = make_habilitation(ended=True)
    habilitation.full_clean()
    assert habilitation.ended_on is not None
    assert habilitation.end_reason


def test_a_vae_application_accepted_by_silence() -> None:
    """R-21: no answer two months after the complete file is an acceptance."""
    application = make_vae_application(accepted_by_silence=True)
    status = queries.vae_status(application, today())
    assert application.status == VaeStatusChoice.PENDING
    assert application.filed_on < add_months(today(), -2)
    assert status.tacit
    assert status.valid
    assert status.decision_due is not None
    assert status.decision_due < today()


def test_a_vae_application_filed_today_awaits_its_decision() -> None:
    status = queries.vae_status(make_vae_application(filed_on=today()), today())
    assert not status.tacit
    assert not status.valid
    assert status.decision_due == add_months(today(), 2)


def test_decided_vae_applications() -> None:
    on = today()
    admissible = make_vae_application(admissible=True, filed_on=on - datetime.timedelta(days=30))
    refused = make_vae_application(refused=True, filed_on=on - datetime.timedelta(days=30))
    for application in (admissible, refused):
        application.full_clean()
        assert application.decided_on is not None
        assert application.decided_by == application.candidate.centre.authority
    assert queries.vae_status(admissible, on).valid
    assert not queries.vae_status(admissible, on).tacit
    assert queries.vae_status(refused, on).refused
    assert refused.reason


def test_granted_and_refused_accommodations() -> None:
    granted, refused = make_accommodation(granted=True), make_accommodation(refused=True)
    for accommodation in (granted, refused):
        accommodation.full_clean()
        assert accommodation.decided_on is not None
        assert accommodation.decided_on >= accommodation.requested_on
        assert accommodation.decided_by == accommodation.candidate.centre.authority
    assert (granted.status, refused.status) == (DecisionStatus.GRANTED, DecisionStatus.REFUSED)
    assert make_accommodation().status == DecisionStatus.REQUESTED


def test_users() -> None:
    plain = make_user()
    assert not plain.has_usable_password()
    assert make_user(with_password=True).check_password(PASSWORD)
    agent = user_with_role(RoleKind.NATIONAL_ADMIN, username="nationale")
    assert agent.username == "nationale"
    assert Role.objects.get(user=agent).kind == RoleKind.NATIONAL_ADMIN


def test_the_fictional_title_is_made_once() -> None:
    assert make_title() == make_title()
    assert [v.label for v in make_title().versions.order_by("valid_from")] == ["2020", "2025"]
