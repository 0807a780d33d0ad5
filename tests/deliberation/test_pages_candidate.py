"""The candidate's results page and appeal (R-72, R-82) on a real TSSR 2023 session: nothing shows before the PV
is validated; then the result, its reasons and the last day to appeal; an appeal filed through the page, a late
one refused with the computed last day."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.core.test_pdf import pypdf_text
from tests.deliberation.world import candidate_user, held_session, validated
from tests.helpers import login_as
from tests.session_world import TSSR_FIRST_DAY

from titrepro.core import dating
from titrepro.deliberation import services
from titrepro.deliberation.models import Appeal

pytestmark = pytest.mark.django_db


def test_the_result_shows_once_validated_with_its_last_day_to_appeal(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    second = held.registrations[1]
    user = candidate_user(second)
    with dating.replaying(TSSR_FIRST_DAY):
        services.decide(held.member_user(0), second, result="failure", reason="Aucune compétence démontrée.")
        page = login_as(client, user).get(reverse("deliberation:candidate_results"))
    assert 'id="no-result"' in page.content.decode()
    assert client.get(reverse("deliberation:candidate_result_statement", args=[second.pk])).status_code == 404

    held = held_session()
    validated(held, notified_on=datetime.date(2026, 5, 6))
    second = held.registrations[1]
    user = candidate_user(second)
    with dating.replaying(datetime.date(2026, 5, 20)):
        page = login_as(client, user).get(reverse("deliberation:candidate_results"))
        html = page.content.decode()
        assert f'id="result-{second.pk}" data-result="partial_success"' in html
        assert "sauvegarde non maîtrisée" in html
        assert 'data-last-day="2026-07-07"' in html
        statement = client.get(reverse("deliberation:candidate_result_statement", args=[second.pk]))
        assert statement.status_code == 200
        assert statement["Content-Type"] == "application/pdf"
        assert second.candidate.birth_name.upper() in " ".join(pypdf_text(statement.content).split()).upper()
        link = re.search(r'id="simulate-TP-01351" href="([^"]+)"', html)
        assert link is not None
        simulated = client.get(link.group(1).replace("&amp;", "&"))
        assert simulated.status_code == 200
        # The record is in the form: CCP 1 held since the session; the result says CCP 2 is missing.
        simulation = simulated.content.decode()
        assert 'name="v2023_ccp1" id="id_v2023_ccp1" checked' in simulation
        assert 'id="result"' in simulation
        assert "Il vous manque le CCP 2 – Maintenir l’infrastructure" in simulation
        filed = client.post(
            reverse("deliberation:candidate_appeal", args=[second.pk]), {"text": "Le CCP 2 figure dans mon dossier."}
        )
    assert filed.status_code == 302
    assert Appeal.objects.get(registration=second).last_day == datetime.date(2026, 7, 7)


def test_an_appeal_after_the_last_day_is_refused_with_that_day(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    validated(held, notified_on=datetime.date(2026, 5, 6))
    first = held.registrations[0]
    with dating.replaying(datetime.date(2026, 7, 8)):
        late = login_as(client, candidate_user(first)).post(
            reverse("deliberation:candidate_appeal", args=[first.pk]), {"text": "Trop tard ?"}
        )
    assert late.status_code == 400
    assert "7 juillet 2026" in late.content.decode()
    assert not Appeal.objects.exists()
