"""What /api/v1/deliberation answers, on a real TSSR 2023 title session held on its first day: the whole chain
(sheets and decisions by a jury member, two signatures, the submission by the centre, the validation by the
authority, the candidate's result and appeal), a member in conflict kept away from a candidate (R-64), the
refusals with the rules' codes.

The task worker never runs here (each test's transaction is rolled back): the result notices are not sent, so
``notified_on`` is set by hand where a test needs it.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from tests.deliberation.world import Held, held_session
from tests.factories import user_with_role
from tests.session_world import TSSR_FIRST_DAY, TSSR_REPLAYED_DAY
from tests.sessions.test_api import Api

from titrepro.accounts.models import RoleKind, TokenScope
from titrepro.candidates.models import Holding
from titrepro.core import dating
from titrepro.deliberation import minutes as content
from titrepro.deliberation import queries, services
from titrepro.deliberation.models import Decision, EvaluationSheet, Minutes, MinutesStatus
from titrepro.sessions import services as session_services
from titrepro.sessions.models import Incident, Registration

pytestmark = pytest.mark.django_db

ALL = [1, 2]  # TSSR 2023 has two CCPs
NOTIFIED = datetime.date(2026, 5, 6)


def candidate_api(client: Client, registration: Registration) -> Api:
    return Api(client, user_with_role(RoleKind.CANDIDATE, candidate=registration.candidate))


def moves(answer: dict[str, Any]) -> dict[str, tuple[bool, str]]:
    return {move["move"]: (move["allowed"], move["code"]) for move in answer["moves"]}


def listed(answer: dict[str, Any]) -> list[int]:
    """The registrations the PV's content lists."""
    return [c["registration"] for c in answer["content"]["candidates"]]


def deliberated(held: Held) -> Minutes:
    """Both candidates decided, the PV signed by both members and submitted (through the services)."""
    first, second = held.registrations
    juror = held.member_user(0)
    services.decide(juror, first, result="title_awarded", ccps=ALL, final_interview_held=True)
    services.decide(juror, second, result="partial_success", ccps=[1], reason="CCP 2 : sauvegarde non maîtrisée.")
    minutes = services.current_minutes(held.session)
    for index in (0, 1):
        services.sign(held.member_user(index), minutes)
    return services.submit(held.world.staff, minutes)


# The whole chain --------------------------------------------------------------------------------


def test_from_the_decisions_to_the_candidate_s_result(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    first, second = held.registrations
    session = held.session
    staff, agent = Api(client, held.world.staff), Api(client, held.world.agent)
    juror, other = Api(client, held.member_user(0)), Api(client, held.member_user(1))
    learner = candidate_api(client, second)
    with dating.replaying(TSSR_FIRST_DAY):
        read = staff.get("deliberation_minutes", session.pk)
        assert read.status_code == 200, read.content
        pv = read.json()
        assert (pv["status"], pv["number"], pv["revision"]) == ("deliberating", f"PV-{session.number}", 1)
        assert {m["assignment"] for m in pv["present"]} == {a.pk for a in held.jury}
        assert pv["signatures"] == []
        assert sorted(listed(pv)) == [first.pk, second.pk]
        assert pv["content"]["format"] == "titrepro-pv/1"
        assert moves(pv) == {"submit": (False, "minutes_decisions_missing")}
        assert learner.get("deliberation_minutes", session.pk).status_code == 403

        # A member's sheets: one per competence of the session, theirs alone.
        sheets = juror.get("deliberation_sheet_list", first.pk)
        assert sheets.status_code == 200, sheets.content
        assert [s["competence_id"] for s in sheets.json()] == [c.pk for c in queries.competences_of(first)]
        assert not any(s["recorded"] for s in sheets.json())
        # A competence with criteria when the catalogue gives some (criteria_met are their indexes).
        competence = next((s for s in sheets.json() if s["criteria"]), sheets.json()[0])
        observed = [0] if competence["criteria"] else []
        saved = juror.post(
            "deliberation_sheet_save",
            first.pk,
            competence["competence_id"],
            body={"observations": "Installe et sécurise le poste.", "proposal": "acquired", "criteria_met": observed},
            method="PUT",
        )
        assert saved.status_code == 200, saved.content
        assert (saved.json()["recorded"], saved.json()["proposal"], saved.json()["criteria_met"]) == (
            True,
            "acquired",
            observed,
        )
        assert EvaluationSheet.objects.get(registration=first).observations == "Installe et sécurise le poste."
        assert not any(s["recorded"] for s in other.get("deliberation_sheet_list", first.pk).json())

        # The rules' refusals, then the decisions.
        refused = juror.post("deliberation_decide", first.pk, body={"result": "title_awarded", "ccps": ALL})
        assert refused.status_code == 422
        assert refused.json()["code"] == "decision_final_interview_missing"
        assert not Decision.objects.exclude(result="").exists()
        decided = juror.post(
            "deliberation_decide", first.pk, body={"result": "title_awarded", "ccps": ALL, "final_interview_held": True}
        )
        assert decided.status_code == 200, decided.content
        assert (decided.json()["result"], decided.json()["ccps_awarded"]) == ("title_awarded", ALL)
        reason = "CCP 2 : sauvegarde non maîtrisée."
        decided = juror.post(
            "deliberation_decide", second.pk, body={"result": "partial_success", "ccps": [1], "reason": reason}
        )
        assert decided.status_code == 200, decided.content

        # Two signatures of the same content, then the submission.
        minutes = services.current_minutes(session)
        sha = content.digest(content.content(minutes))
        for api in (juror, other):
            signed = api.post("deliberation_minutes_sign", session.pk)
            assert signed.status_code == 201, signed.content
            assert (signed.json()["sha256"], signed.json()["void"]) == (sha, False)
        again = juror.post("deliberation_minutes_sign", session.pk)
        assert (again.status_code, again.json()["code"]) == (422, "signature_already")
        assert juror.post("deliberation_minutes_submit", session.pk).status_code == 403
        submitted = staff.post("deliberation_minutes_submit", session.pk)
        assert submitted.status_code == 200, submitted.content
        assert (submitted.json()["status"], submitted.json()["sha256"]) == ("submitted", sha)
        assert len(submitted.json()["signatures"]) == 2

        # The result is not published before the validation.
        early = learner.get("deliberation_result", second.pk)
        assert (early.status_code, early.json()["code"]) == (404, "result_not_validated")

        assert staff.post("deliberation_minutes_validate", minutes.pk).status_code == 403
        validated = agent.post("deliberation_minutes_validate", minutes.pk)
        assert validated.status_code == 200, validated.content
        assert validated.json()["status"] == "validated"
        twice = agent.post("deliberation_minutes_validate", minutes.pk)
        assert (twice.status_code, twice.json()["code"]) == (422, "minutes_not_submitted")

    assert Holding.objects.filter(candidate=first.candidate).count() == 3  # CCPs 1 and 2, the title
    result = learner.get("deliberation_result", second.pk)
    assert result.status_code == 200, result.content
    answer = result.json()
    assert (answer["result"], answer["ccps_awarded"], answer["reason"]) == ("partial_success", [1], reason)
    assert (answer["minutes"], answer["title"]) == (minutes.number, "TP-01351")
    assert (answer["notified_on"], answer["appeal_last_day"], answer["appeals"]) == (None, None, [])
    # Their own result only; the centre and the authority read it too.
    assert learner.get("deliberation_result", first.pk).status_code == 404
    assert staff.get("deliberation_result", first.pk).json()["result"] == "title_awarded"
    assert agent.get("deliberation_result", first.pk).json()["result"] == "title_awarded"
    assert juror.get("deliberation_result", first.pk).status_code == 403


def test_the_candidate_appeals_and_the_authority_upholds_it(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    first, second = held.registrations
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = deliberated(held)
        services.validate(held.world.agent, minutes)
    Decision.objects.filter(registration__session=held.session).update(notified_on=NOTIFIED)
    learner, agent = candidate_api(client, second), Api(client, held.world.agent)
    assert learner.get("deliberation_result", second.pk).json()["appeal_last_day"] == "2026-07-07"

    with dating.replaying(datetime.date(2026, 5, 20)):
        blank = learner.post("deliberation_appeal_file", second.pk, body={"text": "  "})
        assert (blank.status_code, blank.json()["code"]) == (422, "appeal_text_missing")
        filed = learner.post("deliberation_appeal_file", second.pk, body={"text": "Le jury n’a pas lu mon dossier."})
        assert filed.status_code == 201, filed.content
        appeal = filed.json()
        assert (appeal["status"], appeal["filed_on"], appeal["last_day"]) == ("filed", "2026-05-20", "2026-07-07")
        twice = learner.post("deliberation_appeal_file", second.pk, body={"text": "Encore."})
        assert (twice.status_code, twice.json()["code"]) == (422, "appeal_already_filed")
        assert agent.post("deliberation_appeal_file", second.pk, body={"text": "Non."}).status_code == 403

        same = agent.post(
            "deliberation_appeal_decide",
            appeal["id"],
            body={"upheld": True, "answer": "Rien ne change.", "result": "partial_success", "ccps": [1], "reason": "R"},
        )
        assert (same.status_code, same.json()["code"]) == (422, "appeal_result_unchanged")
        upheld = agent.post(
            "deliberation_appeal_decide",
            appeal["id"],
            body={
                "upheld": True,
                "answer": "Le CCP 2 est acquis au vu du dossier.",
                "result": "title_awarded",
                "ccps": ALL,
            },
        )
        # The final interview was not held for this candidate: the rules refuse the title.
        assert (upheld.status_code, upheld.json()["code"]) == (422, "decision_final_interview_missing")
        failed = agent.post(
            "deliberation_appeal_decide",
            appeal["id"],
            body={
                "upheld": True,
                "answer": "Le CCP 1 n’était pas acquis.",
                "result": "failure",
                "reason": "Aucun CCP.",
            },
        )
        assert failed.status_code == 200, failed.content
        assert (failed.json()["status"], failed.json()["corrective"]) == ("upheld", f"PV-{held.session.number}-R2")

    result = learner.get("deliberation_result", second.pk).json()
    assert (result["result"], result["ccps_awarded"], result["minutes"]) == ("failure", [], failed.json()["corrective"])
    assert [a["status"] for a in result["appeals"]] == ["upheld"]
    assert not Holding.objects.filter(candidate=second.candidate, withdrawn_on=None).exists()
    # The corrective PV is the session's current one.
    pv = Api(client, held.world.staff).get("deliberation_minutes", held.session.pk).json()
    assert (pv["revision"], pv["status"]) == (2, "validated")
    assert first.pk in listed(pv)


def test_the_authority_dismisses_an_appeal_and_returns_a_pv(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    second = held.registrations[1]
    agent = Api(client, held.world.agent)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = deliberated(held)
        blank = agent.post("deliberation_minutes_return", minutes.pk, body={"reason": " "})
        assert (blank.status_code, blank.json()["code"]) == (422, "minutes_return_reason_missing")
        returned = agent.post("deliberation_minutes_return", minutes.pk, body={"reason": "Motif du CCP 2 à préciser."})
        assert returned.status_code == 200, returned.content
        pv = returned.json()
        assert (pv["status"], pv["return_reason"]) == ("deliberating", "Motif du CCP 2 à préciser.")
        assert [s["void"] for s in pv["signatures"]] == [True, True]
        for index in (0, 1):
            services.sign(held.member_user(index), minutes)
        services.validate(held.world.agent, services.submit(held.world.staff, minutes))
    Decision.objects.filter(registration=second).update(notified_on=NOTIFIED)
    with dating.replaying(datetime.date(2026, 5, 20)):
        appeal = candidate_api(client, second).post("deliberation_appeal_file", second.pk, body={"text": "Revoyez."})
        dismissed = agent.post(
            "deliberation_appeal_decide",
            appeal.json()["id"],
            body={"upheld": False, "answer": "La décision est motivée."},
        )
    assert dismissed.status_code == 200, dismissed.content
    assert (dismissed.json()["status"], dismissed.json()["answer"]) == ("dismissed", "La décision est motivée.")
    assert Minutes.objects.get(session=held.session).status == MinutesStatus.VALIDATED


def test_the_authority_decides_on_a_fraud_report_by_the_api(builtin_catalogue: Any, client: Client) -> None:
    """R-80: a reasoned ban on the report the centre recorded; the withdrawal of a title found obtained by fraud;
    another registration's report is 404."""
    held = held_session()
    first, second = held.registrations
    agent = Api(client, held.world.agent)
    report = Incident.objects.create(
        session=held.session,
        kind="fraud",
        registration=first,
        occurred_on=TSSR_FIRST_DAY,
        text="Notes cachées dans la calculatrice.",
        recorded_by=held.world.staff,
    )
    with dating.replaying(TSSR_FIRST_DAY):
        services.validate(held.world.agent, deliberated(held))
    with dating.replaying(datetime.date(2026, 6, 10)):
        blank = agent.post("deliberation_fraud_decide", first.pk, body={"sanction": "ban", "reason": " "})
        assert (blank.status_code, blank.json()["code"]) == (422, "fraud_reason_missing")
        elsewhere = agent.post(
            "deliberation_fraud_decide",
            second.pk,
            body={"sanction": "none", "reason": "Rien.", "incident_id": report.pk},
        )
        assert (elsewhere.status_code, elsewhere.json()["code"]) == (404, "incident_not_found")
        banned = agent.post(
            "deliberation_fraud_decide",
            first.pk,
            body={"sanction": "ban", "reason": "Fraude avérée.", "withdraws": True, "ban_years": 2},
        )
    assert banned.status_code == 201, banned.content
    decision = banned.json()
    assert (decision["sanction"], decision["ban_until"], decision["incident_id"], decision["withdraws"]) == (
        "ban",
        "2028-06-10",
        report.pk,
        True,
    )
    assert not Holding.objects.filter(candidate=first.candidate, withdrawn_on=None).exists()
    assert Holding.objects.filter(candidate=first.candidate).count() == 3  # withdrawn, kept in the history
    listed_decisions = agent.get("deliberation_fraud_list", first.pk).json()
    assert [d["id"] for d in listed_decisions] == [decision["id"]]
    staff = Api(client, held.world.staff)
    assert staff.get("deliberation_fraud_list", first.pk).status_code == 403


# a member in conflict ---------------------------------------------------------------------


def test_a_member_in_conflict_neither_sees_nor_writes_anything_of_that_candidate(
    builtin_catalogue: Any, client: Client
) -> None:
    held = held_session(members=3)
    first, second = held.registrations
    with dating.replaying(TSSR_FIRST_DAY):
        session_services.declare_conflict(held.world.staff, held.jury[2], first, note="Ancien collègue")
        conflicted, free = Api(client, held.member_user(2)), Api(client, held.member_user(0))
        competence = queries.competences_of(first).first()
        assert competence is not None
        for answer in (
            conflicted.get("deliberation_sheet_list", first.pk),
            conflicted.post("deliberation_sheet_save", first.pk, competence.pk, body={}, method="PUT"),
            conflicted.post("deliberation_decide", first.pk, body={"result": "absent"}),
        ):
            assert (answer.status_code, answer.json()["code"]) == (404, "not_found")
        assert conflicted.get("deliberation_sheet_list", second.pk).status_code == 200
        assert free.get("deliberation_sheet_list", first.pk).status_code == 200

        mine = conflicted.get("deliberation_minutes", held.session.pk).json()
        assert listed(mine) == [second.pk]
        assert mine["sha256"] == content.digest(content.content(services.current_minutes(held.session)))
        assert sorted(listed(free.get("deliberation_minutes", held.session.pk).json())) == [first.pk, second.pk]
        assert sorted(listed(Api(client, held.world.staff).get("deliberation_minutes", held.session.pk).json())) == [
            first.pk,
            second.pk,
        ]


# Edges ------------------------------------------------------------------------------------------


def test_no_pv_before_the_deliberation_and_the_presence_checked(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    staff = Api(client, held.world.staff)
    with dating.replaying(TSSR_REPLAYED_DAY):
        later = session_services.declare_session(held.world.staff, held.world.draft())
        early = staff.get("deliberation_minutes", later.pk)
        assert (early.status_code, early.json()["code"]) == (404, "minutes_not_found")
        assert not Minutes.objects.filter(session=later).exists()
    with dating.replaying(TSSR_FIRST_DAY):
        unknown = staff.post(
            "deliberation_minutes_presence", held.session.pk, body={"present": [held.jury[0].pk, 2**62]}, method="PUT"
        )
        assert (unknown.status_code, unknown.json()["code"], unknown.json()["field"]) == (
            404,
            "jury_assignment_not_found",
            "present.1",
        )
        one = staff.post(
            "deliberation_minutes_presence", held.session.pk, body={"present": [held.jury[0].pk]}, method="PUT"
        )
        assert one.status_code == 200, one.content
        assert [m["assignment"] for m in one.json()["present"]] == [held.jury[0].pk]
        absent = Api(client, held.member_user(1)).post("deliberation_minutes_sign", held.session.pk)
        assert (absent.status_code, absent.json()["code"]) == (422, "signature_not_present")


def test_a_read_only_token_does_not_decide(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    reader = Api(client, held.member_user(0), scope=TokenScope.READ)
    with dating.replaying(TSSR_FIRST_DAY):
        assert reader.get("deliberation_sheet_list", held.registrations[0].pk).status_code == 200
        refused = reader.post("deliberation_decide", held.registrations[0].pk, body={"result": "absent"})
    assert (refused.status_code, refused.json()["code"]) == (403, "token_scope")
    assert not Decision.objects.exists()
