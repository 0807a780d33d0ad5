"""Appeals against the jury's decision (R-82) on a real TSSR 2023 title session whose PV is validated: the two
months counted from the notification as a délai franc moved past weekends and public holidays, the candidate
files their own appeal, the authority dismisses it or upholds it with a corrective PV, the history kept."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from tests.deliberation.world import candidate_user, file, held_session, refusal_of, validated
from tests.factories import agent_of, make_authority
from tests.session_world import TSSR_FIRST_DAY

from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import ExamOutcome, Holding
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.deliberation import appeals, services
from titrepro.deliberation import minutes as content
from titrepro.deliberation.lifecycles import MINUTES
from titrepro.deliberation.models import Appeal, Decision, DocumentToIssue, Minutes, MinutesStatus
from titrepro.rules import standing
from titrepro.sessions import facts
from titrepro.sessions.models import Registration

pytestmark = pytest.mark.django_db

ALL = [1, 2]  # TSSR 2023 has two CCPs
TSSR = "TP-01351"
DAY = datetime.date


def held_kinds(registration: Registration) -> set[tuple[str, int | None]]:
    """What the standing engine reads of the candidate's TSSR holdings (withdrawn ones are not there)."""
    situation = facts.situation(registration.candidate, TSSR, DAY(2026, 9, 1))
    kinds: set[tuple[str, int | None]] = set()
    for holding in situation.holdings:
        if isinstance(holding, standing.CcpHolding):
            kinds.add(("ccp", holding.ccp))
        elif isinstance(holding, standing.TitleHolding):
            kinds.add(("title", None))
    return kinds


# The deadline -----------------------------------------------------------------------------------------------------


def test_r82_an_appeal_on_the_last_day_is_in_time_the_day_after_too_late(builtin_catalogue: Any) -> None:
    """R-82: notified Wednesday 6 May 2026, two months later 6 July, délai franc: the last day is Tuesday 7 July."""
    held = held_session()
    validated(held, notified_on=DAY(2026, 5, 6))
    first, second = held.registrations
    assert appeals.deadline(Decision.objects.get(registration=first)) == DAY(2026, 7, 7)

    appeal = file(first, DAY(2026, 7, 7))
    assert (appeal.status, appeal.filed_on, appeal.notified_on, appeal.last_day) == (
        "filed",
        DAY(2026, 7, 7),
        DAY(2026, 5, 6),
        DAY(2026, 7, 7),
    )
    entry = AuditEntry.objects.filter(action="appeal.filed").get()
    assert entry.data["last_day"] == "2026-07-07"

    late = refusal_of(second, DAY(2026, 7, 8))
    assert late.code == "appeal_too_late"
    assert isinstance(late, appeals.AppealTooLate)
    assert late.last_day == DAY(2026, 7, 7)
    assert "7 juillet 2026" in late.message
    assert not Appeal.objects.filter(registration=second).exists()


def test_r82_a_last_day_on_a_sunday_moves_to_the_monday(builtin_catalogue: Any) -> None:
    """R-82: notified Monday 4 May 2026 -> 4 July + the franc day = Sunday 5 July -> Monday 6 July."""
    held = held_session()
    validated(held, notified_on=DAY(2026, 5, 4))
    first, second = held.registrations
    assert appeals.deadline(Decision.objects.get(registration=first)) == DAY(2026, 7, 6)
    assert file(first, DAY(2026, 7, 6)).last_day == DAY(2026, 7, 6)
    late = refusal_of(second, DAY(2026, 7, 7))
    assert (late.code, getattr(late, "last_day", None)) == ("appeal_too_late", DAY(2026, 7, 6))
    assert "6 juillet 2026" in late.message


def test_r82_a_last_day_on_a_public_holiday_moves_to_the_next_working_day(builtin_catalogue: Any) -> None:
    """R-82: notified 13 May 2026 -> 13 July + the franc day = Tuesday 14 July (fête nationale) -> 15 July."""
    held = held_session()
    validated(held, notified_on=DAY(2026, 5, 13))
    first, second = held.registrations
    assert appeals.deadline(Decision.objects.get(registration=first)) == DAY(2026, 7, 15)
    assert file(first, DAY(2026, 7, 15)).last_day == DAY(2026, 7, 15)
    assert refusal_of(second, DAY(2026, 7, 16)).code == "appeal_too_late"


def test_r82_a_last_day_on_the_first_of_a_month_is_written_1er(builtin_catalogue: Any) -> None:
    """Notified 31 July 2026 -> 30 September (no 31st) + the franc day = Thursday 1 October: "1er octobre 2026"."""
    held = held_session()
    validated(held, notified_on=DAY(2026, 7, 31))
    late = refusal_of(held.registrations[0], DAY(2026, 10, 2))
    assert (late.code, getattr(late, "last_day", None)) == ("appeal_too_late", DAY(2026, 10, 1))
    assert "1er octobre 2026" in late.message


def test_r82_no_appeal_before_the_notification_nor_before_the_validation(builtin_catalogue: Any) -> None:
    held = held_session()
    first = held.registrations[0]
    with dating.replaying(TSSR_FIRST_DAY):
        services.decide(held.member_user(0), first, result="title_awarded", ccps=ALL, final_interview_held=True)
    assert refusal_of(first, TSSR_FIRST_DAY).code == "appeal_result_not_validated"

    validated_held = held_session()
    validated(validated_held, notified_on=None)
    first = validated_held.registrations[0]
    assert appeals.deadline(Decision.objects.get(registration=first)) is None
    assert refusal_of(first, DAY(2026, 5, 5)).code == "appeal_before_notification"
    Decision.objects.filter(registration=first).update(notified_on=DAY(2026, 5, 6))
    assert refusal_of(first, DAY(2026, 5, 5)).code == "appeal_before_notification"
    with dating.replaying(DAY(2026, 5, 6)):
        answer = appeals.can_file(candidate_user(first), first)
    assert answer.allowed
    assert file(first, DAY(2026, 5, 6)).filed_on == DAY(2026, 5, 6)


def test_the_candidate_files_their_own_appeal_with_grounds_one_at_a_time(builtin_catalogue: Any) -> None:
    held = held_session()
    validated(held)
    first, second = held.registrations
    day = DAY(2026, 5, 20)
    with dating.replaying(day), pytest.raises(Refused) as refused:
        appeals.file_appeal(candidate_user(first), first, text="  ")
    assert (refused.value.code, refused.value.field) == ("appeal_text_missing", "text")
    with dating.replaying(day), pytest.raises(Http404):
        appeals.file_appeal(candidate_user(second), first, text="Pas le mien.")
    with dating.replaying(day), pytest.raises(Http404):
        appeals.file_appeal(candidate_user(second), first, text=" ")
    with dating.replaying(day), pytest.raises(PermissionDenied):
        appeals.file_appeal(held.world.staff, first, text="Le centre n’appelle pas.")
    with dating.replaying(day), pytest.raises(Refused, match="date_backdated"):
        appeals.file_appeal(candidate_user(first), first, text="Motif.", on=DAY(2026, 5, 19))

    appeal = file(first, day)
    assert appeal.filed_by.roles.get().candidate_id == first.candidate_id
    assert refusal_of(first, DAY(2026, 5, 21)).code == "appeal_already_filed"
    with dating.replaying(DAY(2026, 5, 21)):
        assert appeals.can_file(candidate_user(first), first).code == "appeal_already_filed"
        appeals.decide_appeal(held.world.agent, appeal, upheld=False, answer="Le jury a lu le dossier.")
    assert file(first, DAY(2026, 5, 22)).status == "filed"  # the first one decided, a new one may be filed


# The authority's answer ----------------------------------------------------------------------------------------


def test_a_dismissed_appeal_changes_nothing(builtin_catalogue: Any) -> None:
    held = held_session()
    minutes = validated(held)
    second = held.registrations[1]
    appeal = file(second, DAY(2026, 5, 20))
    holdings = list(Holding.objects.order_by("pk").values_list("pk", "withdrawn_on"))
    documents = list(DocumentToIssue.objects.order_by("pk").values_list("pk", "status"))
    with dating.replaying(DAY(2026, 6, 1)):
        with pytest.raises(Refused) as refused:
            appeals.decide_appeal(held.world.agent, appeal, upheld=False, answer=" ")
        assert refused.value.code == "appeal_answer_missing"
        appeal = appeals.decide_appeal(held.world.agent, appeal, upheld=False, answer="Décision motivée, maintenue.")
        with pytest.raises(Refused, match="appeal_already_decided"):
            appeals.decide_appeal(held.world.agent, appeal, upheld=False, answer="Encore.")
    assert (appeal.status, appeal.decided_on, appeal.decided_by, appeal.corrective) == (
        "dismissed",
        DAY(2026, 6, 1),
        held.world.agent,
        None,
    )
    assert appeal.answer == "Décision motivée, maintenue."
    assert list(Minutes.objects.values_list("pk", "status")) == [(minutes.pk, MinutesStatus.VALIDATED)]
    assert list(Holding.objects.order_by("pk").values_list("pk", "withdrawn_on")) == holdings
    assert list(DocumentToIssue.objects.order_by("pk").values_list("pk", "status")) == documents
    assert Decision.objects.get(registration=second).result == "partial_success"
    assert AuditEntry.objects.filter(action="appeal.dismissed").get().reason == "Décision motivée, maintenue."


def test_r82_an_appeal_upheld_turns_a_partial_success_into_the_title_by_a_corrective_pv(
    builtin_catalogue: Any,
) -> None:
    held = held_session()
    old = validated(held)
    first, second = held.registrations
    ccp1 = Holding.objects.get(candidate=second.candidate)
    appeal = file(second, DAY(2026, 5, 20))
    answer = "Le CCP 2 était acquis : la sauvegarde figure au dossier."
    with dating.replaying(DAY(2026, 6, 1)):
        appeal = appeals.decide_appeal(
            held.world.agent, appeal, upheld=True, answer=answer, result="title_awarded", ccps=ALL
        )

    assert appeal.status == "upheld"
    corrective = appeal.corrective
    assert corrective is not None
    old.refresh_from_db()
    assert old.status == MinutesStatus.SUPERSEDED
    assert (corrective.revision, corrective.number, corrective.status, corrective.reason) == (
        2,
        f"{old.number}-R2",
        MinutesStatus.VALIDATED,
        answer,
    )
    assert corrective.validated_by == held.world.agent
    assert set(corrective.present.all()) == set(old.present.all())
    assert corrective.sha256 == content.digest(content.content(corrective))
    assert [c["result"] for c in corrective.content["candidates"] if c["registration"] == second.pk] == [
        "title_awarded"
    ]
    assert services.current_minutes(held.session) == corrective

    decision = Decision.objects.get(registration=second)
    assert (decision.result, sorted(c.number for c in decision.ccps_awarded.all())) == ("title_awarded", ALL)
    # CCP 1 stays the holding it was (same row, same day); CCP 2 and the title come from the corrective PV.
    rows = Holding.objects.filter(candidate=second.candidate, withdrawn_on=None)
    assert ccp1 in rows
    assert {(h.kind, h.ccp.number if h.ccp else None) for h in rows} == {("ccp", 1), ("ccp", 2), ("title", None)}
    assert all(corrective.number in h.source for h in rows if h.pk != ccp1.pk)
    assert all(h.obtained_on == held.session.last_day for h in rows)
    assert held_kinds(second) == {("ccp", 1), ("ccp", 2), ("title", None)}
    # The failure of a title session not passed no longer counts; voided, not deleted.
    failure = ExamOutcome.objects.get(candidate=second.candidate)
    assert (failure.kind, failure.voided_on, failure.void_reason) == ("failure", DAY(2026, 6, 1), answer)
    # The livret is cancelled with its attestation, the parchemin and its own queued from the corrective PV.
    documents = DocumentToIssue.objects.filter(registration=second)
    assert {(d.minutes_id, d.kind, d.status) for d in documents} == {
        (old.pk, "attestation", "cancelled"),
        (old.pk, "livret", "cancelled"),
        (corrective.pk, "attestation", "to_issue"),
        (corrective.pk, "parchemin", "to_issue"),
    }
    assert documents.get(kind="parchemin").data["minutes"]["number"] == corrective.number
    # The other candidate is untouched.
    assert Holding.objects.filter(candidate=first.candidate, withdrawn_on=None).count() == 3
    entry = AuditEntry.objects.filter(action="appeal.upheld").get()
    assert entry.data["before"]["result"] == "partial_success"
    assert entry.data["after"] == {
        "result": "title_awarded",
        "ccps": ALL,
        "reason": "",
        "decided_by": held.world.agent.pk,
    }
    assert entry.data["minutes"] == {"superseded": old.number, "corrective": corrective.number}
    assert AuditEntry.objects.filter(action="minutes.superseded", object_id=str(old.pk)).exists()
    corrected = AuditEntry.objects.filter(action="minutes.corrected", object_id=str(corrective.pk)).get()
    assert (corrected.data["from"], corrected.data["to"], corrected.data["appeal"]) == (
        "deliberating",
        "validated",
        appeal.pk,
    )


def test_only_a_corrective_revision_is_validated_without_signatures(builtin_catalogue: Any) -> None:
    """The first PV goes through the jury's signatures and the centre's submission (R-71): the authority's own
    validation is for the corrective PV of an appeal (R-82)."""
    held = held_session()
    minutes = services.current_minutes(held.session)
    with pytest.raises(Refused) as refused:
        MINUTES.apply("correct", held.world.agent, minutes)
    assert refused.value.code == "minutes_not_corrective"


def test_r82_an_appeal_upheld_that_removes_a_ccp_withdraws_the_holdings_and_keeps_them_in_the_history(
    builtin_catalogue: Any,
) -> None:
    """A withdrawn title disappears from the candidate's holdings and stays in the history."""
    held = held_session()
    old = validated(held)
    first = held.registrations[0]
    appeal = file(first, DAY(2026, 5, 20))
    answer = "Le CCP 2 a été attribué par erreur."
    with dating.replaying(DAY(2026, 6, 1)):
        appeal = appeals.decide_appeal(
            held.world.agent,
            appeal,
            upheld=True,
            answer=answer,
            result="partial_success",
            ccps=[1],
            reason="CCP 2 : compétence non démontrée.",
        )
    corrective = appeal.corrective
    assert corrective is not None
    rows = Holding.objects.filter(candidate=first.candidate)
    assert rows.count() == 3  # nothing deleted
    withdrawn = rows.exclude(withdrawn_on=None)
    assert {(h.kind, h.ccp.number if h.ccp else None) for h in withdrawn} == {("ccp", 2), ("title", None)}
    assert {(h.withdrawn_on, h.withdraw_reason) for h in withdrawn} == {(DAY(2026, 6, 1), answer)}
    assert held_kinds(first) == {("ccp", 1)}
    # A title session not passed: now a failure for the resit rules.
    outcome = ExamOutcome.objects.get(candidate=first.candidate)
    assert (outcome.kind, outcome.voided_on, outcome.on) == ("failure", None, held.session.last_day)
    assert corrective.number in outcome.source
    documents = DocumentToIssue.objects.filter(registration=first)
    assert {(d.minutes_id, d.kind, d.status) for d in documents} == {
        (old.pk, "attestation", "cancelled"),
        (old.pk, "parchemin", "cancelled"),
        (corrective.pk, "attestation", "to_issue"),
        (corrective.pk, "livret", "to_issue"),
    }
    assert documents.get(kind="parchemin").cancel_reason == answer
    assert [c["number"] for c in documents.get(kind="livret").data["ccps"]] == [1]
    entry = AuditEntry.objects.filter(action="appeal.upheld").get()
    assert sorted(entry.data["holdings"]["withdrawn"]) == sorted(h.pk for h in withdrawn)
    assert entry.data["holdings"]["created"] == []


def test_an_appeal_upheld_is_checked_as_the_jury_s_decision(builtin_catalogue: Any) -> None:
    held = held_session()
    validated(held)
    second = held.registrations[1]
    appeal = file(second, DAY(2026, 5, 20))
    agent = held.world.agent
    with dating.replaying(DAY(2026, 6, 1)):
        with pytest.raises(Refused, match="appeal_result_missing"):
            appeals.decide_appeal(agent, appeal, upheld=True, answer="Oui.")
        with pytest.raises(Refused, match="appeal_result_invalid"):
            appeals.decide_appeal(agent, appeal, upheld=True, answer="Oui.", result="maybe")
        with pytest.raises(Refused, match="appeal_result_unchanged"):
            appeals.decide_appeal(
                agent, appeal, upheld=True, answer="Oui.", result="partial_success", ccps=[1], reason="Autre motif."
            )
        with pytest.raises(Refused) as refused:
            appeals.decide_appeal(agent, appeal, upheld=True, answer="Oui.", result="partial_success", ccps=[2])
        assert refused.value.code == "decision_reason_missing"
    assert Minutes.objects.count() == 1
    assert Appeal.objects.get().status == "filed"


def test_another_departement_s_agent_cannot_decide_an_appeal(builtin_catalogue: Any) -> None:
    held = held_session()
    validated(held)
    appeal = file(held.registrations[1], DAY(2026, 5, 20))
    stranger = agent_of(make_authority())
    with dating.replaying(DAY(2026, 6, 1)):
        with pytest.raises(Http404):
            appeals.decide_appeal(stranger, appeal, upheld=False, answer="Non.")
        with pytest.raises(Http404):  # who asks is checked first: nothing about the appeal leaks
            appeals.decide_appeal(stranger, appeal, upheld=False, answer=" ")
        with pytest.raises(Http404):
            appeals.decide_appeal(stranger, appeal, upheld=True, answer="Oui.", result="title_awarded", ccps=ALL)
        with pytest.raises(PermissionDenied):
            appeals.decide_appeal(held.world.staff, appeal, upheld=False, answer="Non.")
    assert Appeal.objects.get().status == "filed"
    assert Minutes.objects.get().status == MinutesStatus.VALIDATED
