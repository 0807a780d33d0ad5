"""What the validation of a PV sets off (R-72, R-73, R-74): the documents to issue, one per document due, with
what they state; and, by the real task worker after the commit, the result notice to each candidate, whose
sending day starts the appeal's two months (R-82)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from tests.deliberation.world import held_session
from tests.session_world import TSSR_FIRST_DAY
from tests.sessions.test_convocation_delivery import run_worker

from titrepro.core import dating
from titrepro.deliberation import services
from titrepro.deliberation.models import Decision, DocumentToIssue
from titrepro.rules import appeals

pytestmark = pytest.mark.django_db(transaction=True)


def test_validation_queues_the_documents_and_the_worker_notifies_each_candidate(builtin_catalogue: Any) -> None:
    held = held_session()
    first, second = held.registrations
    second.candidate.email = ""
    second.candidate.save()
    run_worker()  # the convocations queued when the session was convened
    with dating.replaying(TSSR_FIRST_DAY):
        juror = held.member_user(0)
        services.decide(juror, first, result="title_awarded", ccps=[1, 2], final_interview_held=True)
        services.decide(juror, second, result="partial_success", ccps=[2], reason="CCP 1 : support non maîtrisé.")
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        minutes = services.submit(held.world.staff, minutes)
        mail.outbox.clear()
        services.validate(held.world.agent, minutes)

        documents = {d.registration_id: d for d in DocumentToIssue.objects.all()}
        assert {r: d.kind for r, d in documents.items()} == {first.pk: "parchemin", second.pk: "livret"}
        parchemin = documents[first.pk].data
        assert parchemin["candidate"]["birth_name"] == first.candidate.birth_name
        assert parchemin["title"]["code"] == "TP-01351"
        assert [c["number"] for c in parchemin["ccps"]] == [1, 2]
        assert parchemin["minutes"]["number"] == minutes.number
        assert parchemin["minutes"]["sha256"] == minutes.sha256
        assert [c["number"] for c in documents[second.pk].data["ccps"]] == [2]

        # One task sends the PV's notices; the documents follow (a batch and its successor issue them, one task
        # sends them: tests/credentials).
        assert run_worker() == 4
    notices = [m for m in mail.outbox if first.candidate.email in m.to and not m.attachments]
    assert len(notices) == 1
    body = notices[0].body
    assert "Titre obtenu" in body
    last_day = appeals.appeal_last_day(TSSR_FIRST_DAY, held.session.centre.authority.departement)
    assert str(last_day.year) in body
    assert "R-82" in body
    assert Decision.objects.get(registration=first).notified_on == TSSR_FIRST_DAY
    # No address: nothing sent, the notification day still recorded (the result is in the candidate's space).
    assert Decision.objects.get(registration=second).notified_on == TSSR_FIRST_DAY
    assert not [m for m in mail.outbox if m.to == [""]]


def test_the_worker_sends_the_candidate_the_authority_s_answer_to_their_appeal(builtin_catalogue: Any) -> None:
    """R-82: dismissed or upheld, the candidate reads the answer by e-mail, with the further recourse."""
    from tests.deliberation.world import ALL, file, validated

    from titrepro.deliberation import appeals as appeal_services

    held = held_session()
    validated(held)
    first, second = held.registrations
    run_worker()
    mail.outbox.clear()
    dismissed = file(first, TSSR_FIRST_DAY + datetime.timedelta(days=10))
    upheld = file(second, TSSR_FIRST_DAY + datetime.timedelta(days=10))
    with dating.replaying(TSSR_FIRST_DAY + datetime.timedelta(days=20)):
        appeal_services.decide_appeal(held.world.agent, dismissed, upheld=False, answer="Décision motivée, maintenue.")
        appeal_services.decide_appeal(
            held.world.agent, upheld, upheld=True, answer="Le CCP 2 était acquis.", result="title_awarded", ccps=ALL
        )
    run_worker()  # the two answers; the corrective PV's parchemin is issued and sent too
    by_address = {m.to[0]: m for m in mail.outbox if "recours" in m.subject}
    rejected = by_address[first.candidate.email]
    assert rejected.subject == f"Réponse à votre recours — session {held.session.number}"
    assert "rejeté" in rejected.body
    assert "Décision motivée, maintenue." in rejected.body
    assert "tribunal administratif" in rejected.body
    accepted = by_address[second.candidate.email].body
    assert "Titre obtenu" in accepted
    assert "Le CCP 2 était acquis." in accepted
    assert upheld.registration.session.minutes.get(revision=2).number in accepted
