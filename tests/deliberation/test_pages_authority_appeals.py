"""The authority's appeal and fraud pages on a real TSSR 2023 session: an appeal upheld through the page gives a
corrective PV and the new holdings (R-82); an answer without words is refused and changes nothing; a ban decided
on a fraud report runs for the parameter's years (R-80, U-04)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.deliberation.world import file, held_session, validated
from tests.helpers import login_as

from titrepro.candidates.models import Holding
from titrepro.core import dating
from titrepro.deliberation.models import Appeal, FraudDecision, Minutes

pytestmark = pytest.mark.django_db


def test_an_appeal_upheld_on_the_page_gives_a_corrective_pv(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    validated(held)
    second = held.registrations[1]
    appeal = file(second, datetime.date(2026, 5, 20))
    agent = login_as(client, held.world.agent)
    url = reverse("deliberation:authority_appeal_detail", args=[appeal.pk])
    with dating.replaying(datetime.date(2026, 6, 1)):
        listed = agent.get(reverse("deliberation:authority_appeal_list"))
        assert f'data-appeal="{appeal.pk}" data-status="filed"' in listed.content.decode()
        empty = agent.post(url, {"upheld": "1", "answer": " ", "result": "title_awarded", "ccps": ["1", "2"]})
        assert empty.status_code == 400
        assert Appeal.objects.get(pk=appeal.pk).status == "filed"
        upheld = agent.post(
            url,
            {"upheld": "1", "answer": "Le CCP 2 était acquis.", "result": "title_awarded", "ccps": ["1", "2"]},
        )
    assert upheld.status_code == 302
    assert Appeal.objects.get(pk=appeal.pk).status == "upheld"
    assert list(
        Minutes.objects.filter(session=held.session).order_by("revision").values_list("revision", "status")
    ) == [
        (1, "superseded"),
        (2, "validated"),
    ]
    kinds = set(Holding.objects.filter(candidate=second.candidate, withdrawn_on=None).values_list("kind", flat=True))
    assert kinds == {"ccp", "title"}


def test_a_ban_decided_on_a_fraud_report_runs_for_the_parameters_years(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    validated(held)
    first = held.registrations[0]
    agent = login_as(client, held.world.agent)
    with dating.replaying(datetime.date(2026, 6, 1)):
        decided = agent.post(
            reverse("deliberation:authority_fraud_decision", args=[first.pk]),
            {"sanction": "ban", "reason": "Échange de réponses avec un autre candidat."},
        )
    assert decided.status_code == 302
    decision = FraudDecision.objects.get(registration=first)
    assert decision.ban_until == datetime.date(2027, 6, 1)
    assert not decision.withdraws
