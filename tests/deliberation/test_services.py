"""The deliberation's services on a real TSSR 2023 title session: decisions refused as the rules say, the PV
signed and submitted, signatures voided by a change, validation writing the holdings the standing engine reads."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.http import Http404
from tests.deliberation.world import held_session
from tests.session_world import TSSR_FIRST_DAY

from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import ExamOutcome, Holding
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.deliberation import minutes as content
from titrepro.deliberation import services
from titrepro.deliberation.models import MinutesStatus
from titrepro.rules import standing
from titrepro.sessions import facts
from titrepro.sessions import services as session_services

pytestmark = pytest.mark.django_db

ALL = [1, 2]  # TSSR 2023 has two CCPs


def test_a_title_needs_the_final_interview_and_refusals_need_reasons(builtin_catalogue: Any) -> None:
    held = held_session()
    first, second = held.registrations
    juror = held.member_user(0)
    with dating.replaying(TSSR_FIRST_DAY):
        with pytest.raises(Refused) as refused:
            services.decide(juror, first, result="title_awarded", ccps=ALL)
        assert refused.value.code == "decision_final_interview_missing"
        assert "entretien final" in refused.value.message
        decision = services.decide(juror, first, result="title_awarded", ccps=ALL, final_interview_held=True)
        assert decision.result == "title_awarded"

        with pytest.raises(Refused) as refused:
            services.decide(juror, second, result="partial_success", ccps=[1])
        assert refused.value.code == "decision_reason_missing"
        assert "R-65" in refused.value.message
        services.decide(juror, second, result="partial_success", ccps=[1], reason="CCP 2 : procédures absentes.")


def test_a_candidate_marked_absent_is_decided_absent_only(builtin_catalogue: Any) -> None:
    held = held_session()
    first = held.registrations[0]
    with dating.replaying(TSSR_FIRST_DAY):
        session_services.record_attendance(
            held.world.staff, first, attendance="absent", arrived_at=None, note="", portfolio_handed_in=False
        )
        with pytest.raises(Refused, match="decision_candidate_absent"):
            services.decide(held.member_user(0), first, result="failure", reason="Absent")
        services.decide(held.member_user(0), first, result="absent")


def test_a_member_in_conflict_with_a_candidate_cannot_decide_for_them(builtin_catalogue: Any) -> None:
    held = held_session(members=3)
    first = held.registrations[0]
    with dating.replaying(TSSR_FIRST_DAY):
        session_services.declare_conflict(held.world.staff, held.jury[2], first, note="Ancien collègue")
        with pytest.raises(Http404):
            services.decide(held.member_user(2), first, result="absent")
        services.decide(held.member_user(0), held.registrations[1], result="failure", reason="Aucun CCP acquis.")


def _deliberated(held: Any) -> None:
    first, second = held.registrations
    juror = held.member_user(0)
    services.decide(juror, first, result="title_awarded", ccps=ALL, final_interview_held=True)
    services.decide(juror, second, result="partial_success", ccps=[1], reason="CCP 2 : sauvegarde non maîtrisée.")


def test_the_pv_is_signed_submitted_and_validated_and_the_holdings_follow(builtin_catalogue: Any) -> None:
    held = held_session()
    session = held.session
    with dating.replaying(TSSR_FIRST_DAY):
        _deliberated(held)
        minutes = services.current_minutes(session)
        with pytest.raises(Refused, match="minutes_signatures_missing"):
            services.submit(held.world.staff, minutes)
        for index in (0, 1):
            signature = services.sign(held.member_user(index), minutes)
            assert signature.sha256 == content.digest(content.content(minutes))
        minutes = services.submit(held.world.staff, minutes)
        assert minutes.status == MinutesStatus.SUBMITTED
        with pytest.raises(Refused, match="minutes_not_deliberating"):
            services.decide(held.member_user(0), held.registrations[1], result="failure", reason="Non")
        minutes = services.validate(held.world.agent, minutes)
    assert minutes.status == MinutesStatus.VALIDATED
    first, second = held.registrations
    assert sorted(
        (h.kind, h.ccp.number if h.ccp else None) for h in Holding.objects.filter(candidate=first.candidate)
    ) == [("ccp", 1), ("ccp", 2), ("title", None)]
    assert list(Holding.objects.filter(candidate=second.candidate).values_list("ccp__number", flat=True)) == [1]
    assert ExamOutcome.objects.filter(candidate=second.candidate, kind="failure").count() == 1
    # The standing engine reads them: the second candidate now holds CCP 1 and misses CCP 2.
    situation = facts.situation(second.candidate, "TP-01351", TSSR_FIRST_DAY)
    assert {h.ccp for h in situation.holdings if isinstance(h, standing.CcpHolding)} == {1}
    assert AuditEntry.objects.filter(action="minutes.holdings_written").get().data["holdings"] == 4

    with pytest.raises(Refused, match="minutes_not_submitted"):
        services.validate(held.world.agent, minutes)
    assert Holding.objects.count() == 4


def test_a_decision_changed_after_a_signature_voids_every_signature(builtin_catalogue: Any) -> None:
    held = held_session()
    with dating.replaying(TSSR_FIRST_DAY):
        _deliberated(held)
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        services.decide(held.member_user(1), held.registrations[1], result="failure", reason="Aucun CCP acquis.")
        assert minutes.signatures.filter(voided_at=None).count() == 0
        voided = AuditEntry.objects.filter(action="minutes.signatures_voided").get()
        assert voided.data["signatures"] == [held.jury[0].pk, held.jury[1].pk]
        with pytest.raises(Refused, match="minutes_signatures_missing"):
            services.submit(held.world.staff, minutes)


def test_the_authority_returns_a_pv_with_a_reason(builtin_catalogue: Any) -> None:
    held = held_session()
    with dating.replaying(TSSR_FIRST_DAY):
        _deliberated(held)
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        minutes = services.submit(held.world.staff, minutes)
        with pytest.raises(Refused, match="minutes_return_reason_missing"):
            services.return_minutes(held.world.agent, minutes, reason=" ")
        minutes = services.return_minutes(held.world.agent, minutes, reason="Motif du CCP 2 à préciser.")
    assert minutes.status == MinutesStatus.DELIBERATING
    assert minutes.return_reason == "Motif du CCP 2 à préciser."
    assert minutes.signatures.filter(voided_at=None).count() == 0
    assert not Holding.objects.exists()


def test_titrepro_record_shows_the_ccps_the_validated_pv_awarded(builtin_catalogue: Any) -> None:
    """After validation the candidate's record is what the standing engine reads: ``titrepro record`` prints
    the holdings with their source and the standing computed from them (CCP 2 still missing)."""
    held = held_session()
    with dating.replaying(TSSR_FIRST_DAY):
        _deliberated(held)
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        services.validate(held.world.agent, services.submit(held.world.staff, minutes))
    second = held.registrations[1]
    out = io.StringIO()
    call_command("record", str(second.candidate.pk), "--title", "TP-01351", "--on", "2026-06-01", stdout=out)
    answer = json.loads(out.getvalue())
    assert [(h["kind"], h["ccp"]) for h in answer["holdings"]] == [("ccp", 1)]
    assert minutes.number in answer["holdings"][0]["source"]
    assert [o["kind"] for o in answer["outcomes"]] == ["failure"]
    option = next(o for o in answer["standing"]["options"] if o["version"] == "2023")
    assert (option["held"], option["missing"]) == ([1], [2])
