"""The authority takes back what a session gave (R-80, R-81) on a real TSSR 2023 title session: a fraud decision
(a ban of ``fraud_ban_years``, the withdrawal of a title found obtained by fraud) and the voiding of the results of
an annulled session. Nothing is deleted: holdings withdrawn, outcomes voided, documents cancelled."""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from tests.deliberation.test_appeals import held_kinds
from tests.deliberation.world import held_session, validated
from tests.factories import agent_of, make_authority
from tests.session_world import TSSR_FIRST_DAY

from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import ExamOutcome, Holding
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.deliberation import fraud
from titrepro.deliberation.models import DocumentToIssue, FraudDecision, Minutes, MinutesStatus
from titrepro.rules.parameters import DEFAULT
from titrepro.sessions import services as session_services
from titrepro.sessions.models import Incident, SessionStatus

pytestmark = pytest.mark.django_db

DAY = datetime.date


def test_r80_a_ban_runs_for_the_parameter_s_years_from_the_decision(
    builtin_catalogue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """U-04: the length of a ban is the parameter ``fraud_ban_years`` (1 year by default), or the one decided."""
    held = held_session()
    first, second = held.registrations
    agent = held.world.agent
    incident = Incident.objects.create(
        session=held.session,
        kind="fraud",
        registration=first,
        occurred_on=TSSR_FIRST_DAY,
        text="Notes cachées dans la calculatrice.",
        recorded_by=held.world.staff,
    )
    with dating.replaying(DAY(2026, 6, 10)):
        ban = fraud.decide_fraud(agent, first, sanction="ban", reason="Fraude avérée.", incident=incident)
        assert (ban.ban_until, ban.decided_on, ban.decided_by, ban.withdraws) == (
            DAY(2026 + DEFAULT.fraud_ban_years, 6, 10),
            DAY(2026, 6, 10),
            agent,
            False,
        )
        assert fraud.decide_fraud(agent, first, sanction="ban", reason="Récidive.", ban_years=3).ban_until == DAY(
            2029, 6, 10
        )
        monkeypatch.setattr(fraud, "DEFAULT", dataclasses.replace(DEFAULT, fraud_ban_years=2))
        assert fraud.decide_fraud(agent, second, sanction="ban", reason="Complicité.").ban_until == DAY(2028, 6, 10)
        excluded = fraud.decide_fraud(agent, second, sanction="exclusion", reason="Exclu de l’épreuve.")
        assert excluded.ban_until is None
        # The candidate is banned until the latest of their bans (sessions.services.register refuses them).
        first.candidate.refresh_from_db()
        assert first.candidate.banned_until == DAY(2029, 6, 10)
    with dating.replaying(DAY(2028, 2, 29)):
        assert fraud.decide_fraud(agent, first, sanction="ban", reason="Bissextile.").ban_until == DAY(2030, 2, 28)
    first.candidate.refresh_from_db()
    assert first.candidate.banned_until == DAY(2030, 2, 28)
    entry = AuditEntry.objects.filter(action="fraud.decided", object_id=str(ban.pk)).get()
    assert (entry.data["sanction"], entry.data["ban_until"], entry.data["incident"]) == (
        "ban",
        "2027-06-10",
        incident.pk,
    )
    assert entry.reason == "Fraude avérée."


def test_r80_a_fraud_decision_is_reasoned_and_the_authority_s(builtin_catalogue: Any) -> None:
    held = held_session()
    first, second = held.registrations
    other = Incident.objects.create(
        session=held.session,
        kind="fraud",
        registration=second,
        occurred_on=TSSR_FIRST_DAY,
        text="Téléphone.",
        recorded_by=held.world.staff,
    )
    agent = held.world.agent
    with dating.replaying(DAY(2026, 6, 10)):
        with pytest.raises(Refused) as refused:
            fraud.decide_fraud(agent, first, sanction="ban", reason="  ")
        assert (refused.value.code, refused.value.field) == ("fraud_reason_missing", "reason")
        with pytest.raises(Refused, match="fraud_sanction_invalid"):
            fraud.decide_fraud(agent, first, sanction="prison", reason="Fraude.")
        with pytest.raises(Refused, match="fraud_ban_years_invalid"):
            fraud.decide_fraud(agent, first, sanction="ban", reason="Fraude.", ban_years=0)
        with pytest.raises(Refused, match="fraud_incident_other"):
            fraud.decide_fraud(agent, first, sanction="ban", reason="Fraude.", incident=other)
        with pytest.raises(Http404):
            fraud.decide_fraud(agent_of(make_authority()), first, sanction="ban", reason="Fraude.")
        with pytest.raises(PermissionDenied):
            fraud.decide_fraud(held.world.staff, first, sanction="ban", reason="Fraude.")
    assert not FraudDecision.objects.exists()


def test_r80_a_title_found_obtained_by_fraud_after_the_results_is_withdrawn_not_deleted(
    builtin_catalogue: Any,
) -> None:
    """A withdrawn title disappears from the candidate's holdings and stays in the history."""
    held = held_session()
    minutes = validated(held)
    first, second = held.registrations
    assert held_kinds(first) == {("ccp", 1), ("ccp", 2), ("title", None)}
    reason = "Fraude découverte après les résultats : dossier professionnel copié."
    with dating.replaying(DAY(2026, 9, 15)):
        decision = fraud.decide_fraud(held.world.agent, first, sanction="ban", reason=reason, withdraws=True)
    assert decision.withdraws
    rows = Holding.objects.filter(candidate=first.candidate)
    assert rows.count() == 3
    assert {(h.withdrawn_on, h.withdraw_reason) for h in rows} == {(DAY(2026, 9, 15), reason)}
    assert held_kinds(first) == set()
    attestation, parchemin = DocumentToIssue.objects.filter(registration=first).order_by("pk")
    assert (parchemin.kind, parchemin.status, parchemin.cancel_reason) == ("parchemin", "cancelled", reason)
    assert (attestation.kind, attestation.status, attestation.cancel_reason) == ("attestation", "cancelled", reason)
    # The other candidate, the PV and the jury's decision are untouched.
    assert held_kinds(second) == {("ccp", 1)}
    assert set(DocumentToIssue.objects.filter(registration=second).values_list("status", flat=True)) == {"to_issue"}
    assert Minutes.objects.get() == minutes
    assert Minutes.objects.get().status == MinutesStatus.VALIDATED
    entry = AuditEntry.objects.filter(action="fraud.decided").get()
    assert sorted(entry.data["holdings_withdrawn"]) == sorted(h.pk for h in rows)
    assert sorted(entry.data["documents_cancelled"]) == [attestation.pk, parchemin.pk]

    with dating.replaying(DAY(2026, 9, 16)), pytest.raises(Refused, match="fraud_nothing_to_withdraw"):
        fraud.decide_fraud(held.world.agent, first, sanction="none", reason=reason, withdraws=True)


def test_r80_nothing_awarded_nothing_to_withdraw(builtin_catalogue: Any) -> None:
    held = held_session()
    first = held.registrations[0]
    with dating.replaying(TSSR_FIRST_DAY), pytest.raises(Refused) as refused:
        fraud.decide_fraud(held.world.agent, first, sanction="exclusion", reason="Fraude.", withdraws=True)
    assert (refused.value.code, refused.value.field) == ("fraud_nothing_to_withdraw", "withdraws")
    assert not FraudDecision.objects.exists()


def test_r81_an_annulled_session_s_results_are_voided(builtin_catalogue: Any) -> None:
    """R-81: the annulment of a session after its PV was validated voids its results: every holding withdrawn,
    every failure voided, every document not issued cancelled; an issued one stays issued, listed."""
    held = held_session()
    minutes = validated(held)
    first, second = held.registrations
    issued = sorted(DocumentToIssue.objects.filter(registration=second).values_list("pk", flat=True))
    DocumentToIssue.objects.filter(pk__in=issued).update(status="issued")
    reason = "Sujets diffusés la veille de la session."
    with dating.replaying(DAY(2026, 6, 2)), pytest.raises(Refused, match="results_session_not_annulled"):
        fraud.void_results(held.world.agent, held.session, reason)
    assert Holding.objects.filter(withdrawn_on=None).count() == 4

    with dating.replaying(DAY(2026, 6, 2)):
        session = fraud.annul_session(held.world.agent, held.session, reason=reason)
    assert session.status == SessionStatus.ANNULLED
    assert Holding.objects.count() == 4
    assert set(Holding.objects.values_list("withdrawn_on", "withdraw_reason")) == {(DAY(2026, 6, 2), reason)}
    assert held_kinds(first) == held_kinds(second) == set()
    failure = ExamOutcome.objects.get(candidate=second.candidate)
    assert (failure.voided_on, failure.void_reason) == (DAY(2026, 6, 2), reason)
    assert set(DocumentToIssue.objects.values_list("registration", "status")) == {
        (first.pk, "cancelled"),
        (second.pk, "issued"),
    }
    # The PV stays the record of what the jury decided.
    assert Minutes.objects.get(pk=minutes.pk).status == MinutesStatus.VALIDATED
    entry = AuditEntry.objects.filter(action="session.results_voided").get()
    assert len(entry.data["holdings_withdrawn"]) == 4
    assert entry.data["outcomes_voided"] == [failure.pk]
    assert sorted(entry.data["documents_already_issued"]) == issued
    assert AuditEntry.objects.filter(action="session.annulled").count() == 1

    with dating.replaying(DAY(2026, 6, 3)):
        again = fraud.void_results(held.world.agent, session, reason)
        with pytest.raises(Refused, match="results_reason_missing"):
            fraud.void_results(held.world.agent, session, " ")
        with pytest.raises(Http404):
            fraud.void_results(agent_of(make_authority()), session, reason)
    assert sorted(again.issued) == issued


def test_r81_the_sessions_own_annulment_voids_the_results_in_its_transaction(builtin_catalogue: Any) -> None:
    """Annulled through ``sessions.services.annul_session`` (a convened session with a validated PV may be): the
    deliberation, told by ``sessions.signals.session_annulled``, voids what the PV gave in the same transaction;
    a later ``void_results`` voids nothing more."""
    held = held_session()
    validated(held)
    with dating.replaying(DAY(2026, 6, 2)):
        session = session_services.annul_session(held.world.agent, held.session, reason="Irrégularité.")
        assert not Holding.objects.filter(withdrawn_on=None).exists()
        assert Holding.objects.filter(withdraw_reason="Irrégularité.").count() == 4
        again = fraud.void_results(held.world.agent, session, "Irrégularité.")
    assert (again.holdings, again.outcomes, again.documents) == ((), (), ())
