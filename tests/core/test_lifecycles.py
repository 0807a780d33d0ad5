"""Every lifecycle table, walked: each move not in the table is refused with a reason and writes
nothing; each allowed move writes exactly one audit entry with its from and to (STYLE.md, habit 4)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from tests.factories import (
    ApprovalFactory,
    agent_of,
    make_accommodation,
    make_candidate,
    make_title,
    make_vae_application,
    user_with_role,
)

from titrepro.accounts.models import RoleKind
from titrepro.audit.models import AuditEntry
from titrepro.candidates.lifecycles import ACCOMMODATION, VAE
from titrepro.candidates.models import Accommodation, VaeApplication
from titrepro.catalogue.models import Title
from titrepro.core.lifecycle import NEW, Lifecycle
from titrepro.core.refusals import Refused
from titrepro.directory.lifecycles import APPROVAL
from titrepro.directory.models import Approval

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def audit_entries(obj: Any) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))


# One object in a given state, with every precondition of the moves from it met; and who acts.


def approval_in(state: str) -> tuple[Approval, Any]:
    make_title()
    if state == NEW:
        approval = ApprovalFactory.build()
        approval.centre.authority.save()
        approval.centre.save()
        approval.centre_id = approval.centre.pk
        approval.authority = approval.centre.authority
        approval.pk = None
    else:
        extra: dict[str, Any] = {"withdrawn_on": TODAY} if state == "withdrawn" else {}
        approval = ApprovalFactory.create(status=state, **extra)
    return approval, agent_of(approval.centre.authority)


def vae_in(state: str, *, filed_on: datetime.date = TODAY, centre: Any = None) -> tuple[VaeApplication, Any]:
    title = Title.objects.get(code="TP-01351")
    candidate = make_candidate(centre=centre) if centre is not None else make_candidate()
    if state == NEW:
        application = VaeApplication(candidate=candidate, title=title, filed_on=filed_on)
    else:
        decided: dict[str, Any] = {} if state == "pending" else {"decided_on": filed_on, "decided_by": None}
        application = make_vae_application(candidate=candidate, title=title, filed_on=filed_on, status=state, **decided)
    return application, user_with_role(RoleKind.AUTHORITY_AGENT, authority=candidate.centre.authority)


def accommodation_in(state: str) -> tuple[Accommodation, Any]:
    if state == NEW:
        candidate = make_candidate()
        accommodation = Accommodation(candidate=candidate, requested_on=TODAY, kinds=["extra_time"])
    else:
        candidate = make_candidate()
        decided: dict[str, Any] = (
            {} if state == "requested" else {"decided_on": TODAY, "decided_by": candidate.centre.authority}
        )
        accommodation = make_accommodation(candidate=candidate, requested_on=TODAY, status=state, **decided)
    return accommodation, user_with_role(RoleKind.AUTHORITY_AGENT, authority=candidate.centre.authority)


def filer_of(obj: Any) -> Any:
    return user_with_role(RoleKind.CENTRE_STAFF, centre=obj.candidate.centre)


# (lifecycle, make an object in a state, the user who makes a given move: None for the system)
TABLES: dict[str, tuple[Lifecycle[Any], Callable[[str], tuple[Any, Any]]]] = {
    "approval": (APPROVAL, approval_in),
    "vae": (VAE, vae_in),
    "accommodation": (ACCOMMODATION, accommodation_in),
}
SYSTEM_MOVES = {("approval", "expire"), ("vae", "accept_by_silence")}
FILING_MOVES = {("vae", "file"), ("accommodation", "request")}


def actor(key: str, move: str, obj: Any, agent: Any) -> Any:
    """Who makes the move: the system, the centre (filing), or the authority's agent."""
    if (key, move) in SYSTEM_MOVES:
        return None
    return filer_of(obj) if (key, move) in FILING_MOVES else agent


def changes(key: str, move: str, obj: Any) -> dict[str, Any]:
    """What the services write with the move (the database's constraints hold them too)."""
    if (key, move) == ("approval", "withdraw"):
        return {"withdrawn_on": TODAY}
    if key == "vae" and move in {"accept", "refuse"}:
        return {"decided_on": TODAY}
    if (key, move) == ("vae", "accept_by_silence"):
        return {"decided_on": TODAY, "tacit": True}
    if key == "accommodation" and move in {"grant", "refuse"}:
        return {"decided_on": TODAY, "decided_by_id": obj.candidate.centre.authority_id}
    return {}


def cases(allowed: bool) -> list[tuple[str, str, str]]:
    out = []
    for key, (lifecycle, _make) in TABLES.items():
        for state in [NEW, *lifecycle.states]:
            for move in lifecycle.moves:
                if (state in move.sources) == allowed:
                    out.append((key, state or "new", move.name))
    return out


@pytest.mark.parametrize(("key", "state", "move"), cases(allowed=False), ids=["-".join(c) for c in cases(False)])
def test_a_move_not_in_the_table_is_refused_with_a_reason(builtin_catalogue: Any, key: str, state: str, move: str):
    lifecycle, make = TABLES[key]
    obj, agent = make(NEW if state == "new" else state)
    user = actor(key, move, obj, agent)
    answer = lifecycle.can(move, user, obj)
    assert not answer.allowed
    assert answer.code
    assert answer.message
    # Refused by the table, not by scope (an object that does not exist yet is nobody's to decide).
    assert answer.code not in {"forbidden", "not_found"} or (obj.pk is None and answer.code == "not_found")
    before = AuditEntry.objects.count()
    if obj.pk is None:
        with pytest.raises(ValueError, match="does not create"):
            lifecycle.create(move, user, obj)
        assert AuditEntry.objects.count() == before
        return
    with pytest.raises(Refused) as refused:
        lifecycle.apply(move, user, obj, reason="essai")
    assert refused.value.code == answer.code
    assert AuditEntry.objects.count() == before
    obj.refresh_from_db()
    assert lifecycle.state_of(obj) == state


def prepare_system_move(key: str, obj: Any) -> Any:
    """Past its end, two months and more after the file: what time does before the system moves."""
    if key == "approval":
        Approval.objects.filter(pk=obj.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
    else:
        VaeApplication.objects.filter(pk=obj.pk).update(filed_on=TODAY - datetime.timedelta(days=100))
    obj.refresh_from_db()
    return obj


@pytest.mark.parametrize(("key", "state", "move"), cases(allowed=True), ids=["-".join(c) for c in cases(True)])
def test_an_allowed_move_writes_one_audit_entry_with_from_and_to(
    builtin_catalogue: Any, key: str, state: str, move: str
):
    lifecycle, make = TABLES[key]
    obj, agent = make(NEW if state == "new" else state)
    target = lifecycle.move(move).target
    if (key, move) in SYSTEM_MOVES:
        obj = prepare_system_move(key, obj)
        assert not lifecycle.can(move, agent, obj).allowed  # no person makes it
    user = actor(key, move, obj, agent)
    if state == "new":
        assert lifecycle.can(move, user, obj).allowed
        done = lifecycle.create(move, user, obj, reason="essai")
        expected_from = None
    else:
        if key == "accommodation" and move == "grant":
            Accommodation.objects.filter(pk=obj.pk).update(medical_opinion_on=TODAY)
            obj.refresh_from_db()
        assert lifecycle.can(move, user, obj).allowed
        done = lifecycle.apply(move, user, obj, reason="essai", changes=changes(key, move, obj))
        expected_from = state
    entries = audit_entries(done)
    assert len(entries) == 1
    assert entries[0].action == lifecycle.move(move).action
    assert entries[0].data["from"] == expected_from
    assert entries[0].data["to"] == target
    assert entries[0].reason == "essai"
    done.refresh_from_db()
    assert lifecycle.state_of(done) == target


def test_the_wrong_organisation_may_not_move(builtin_catalogue: Any):
    approval, _agent = approval_in("active")
    other = agent_of(ApprovalFactory.create().centre.authority)
    answer = APPROVAL.can("suspend", other, approval)
    assert (answer.allowed, answer.code) == (False, "not_found")
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=approval.centre)
    assert tuple(APPROVAL.can("suspend", staff, approval)) == (False, "forbidden")


def test_settle_expires_approvals_and_records_acceptances_by_silence(builtin_catalogue: Any):
    approval, _agent = approval_in("active")
    Approval.objects.filter(pk=approval.pk).update(valid_until=TODAY - datetime.timedelta(days=1))
    # One organisation for both (the two test factories' authorities would share a département).
    application, _agent = vae_in("pending", filed_on=TODAY - datetime.timedelta(days=70), centre=approval.centre)
    recent, _agent = vae_in("pending", filed_on=TODAY - datetime.timedelta(days=10), centre=approval.centre)
    call_command("settle")
    approval.refresh_from_db()
    application.refresh_from_db()
    recent.refresh_from_db()
    assert approval.status == "expired"
    assert (application.status, application.tacit, application.decided_by) == ("admissible", True, None)
    assert recent.status == "pending"
    assert [e.actor_label for e in audit_entries(application)][-1] == "system"
    before = AuditEntry.objects.count()
    call_command("settle")
    assert AuditEntry.objects.count() == before  # idempotent


def test_settle_refuses_a_day_that_is_not_a_date_in_french() -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="n’est pas une date"):
        call_command("settle", "--on", "2026-13-01")
