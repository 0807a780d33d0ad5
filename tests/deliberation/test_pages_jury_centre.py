"""The jury member's and the centre's deliberation pages on a real TSSR 2023 session: the member evaluates, decides
and signs; a member in conflict with a candidate does not see them (R-64); the centre records who is present and
submits the PV once signed (R-63, R-71)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.core.test_pdf import pypdf_text
from tests.deliberation.world import held_session
from tests.helpers import login_as
from tests.session_world import TSSR_FIRST_DAY

from titrepro.candidates.models import ProfessionalPortfolio
from titrepro.core import dating
from titrepro.deliberation import services
from titrepro.deliberation.models import Decision, EvaluationSheet, MinutesStatus
from titrepro.sessions import services as session_services

pytestmark = pytest.mark.django_db


def _candidate_page(held: Any, index: int, registration: Any) -> str:
    return reverse("deliberation:jury_candidate", args=[held.jury[index].pk, registration.pk])


def test_a_member_fills_a_sheet_decides_and_signs(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    first, second = held.registrations
    member = login_as(client, held.member_user(0))
    with dating.replaying(TSSR_FIRST_DAY):
        page = member.get(reverse("deliberation:jury_deliberation", args=[held.jury[0].pk]))
        assert page.status_code == 200
        assert re.findall(r'data-registration="(\d+)"', page.content.decode()) == [str(first.pk), str(second.pk)]

        page = member.get(_candidate_page(held, 0, first))
        html = page.content.decode()
        assert 'id="portfolio"' in html
        competence = re.search(r'name="action" value="sheet-(\d+)"', html)
        assert competence is not None
        pk = int(competence.group(1))
        saved = member.post(
            _candidate_page(held, 0, first),
            {"action": f"sheet-{pk}", f"c{pk}-observations": "Procédure suivie", f"c{pk}-proposal": "acquired"},
        )
        assert saved.status_code == 302
        assert EvaluationSheet.objects.get(registration=first, competence_id=pk).proposal == "acquired"

        refused = member.post(
            _candidate_page(held, 0, first), {"action": "decide", "result": "title_awarded", "ccps": ["1", "2"]}
        )
        assert refused.status_code == 400
        assert "entretien final" in refused.content.decode()
        decided = member.post(
            _candidate_page(held, 0, first),
            {"action": "decide", "result": "title_awarded", "ccps": ["1", "2"], "final_interview_held": "on"},
        )
        assert decided.status_code == 302
        assert Decision.objects.get(registration=first).result == "title_awarded"
        member.post(
            _candidate_page(held, 0, second),
            {"action": "decide", "result": "failure", "reason": "Aucune compétence démontrée."},
        )

        signed = member.post(reverse("deliberation:jury_deliberation", args=[held.jury[0].pk]), {"action": "sign"})
        assert signed.status_code == 302
        page = member.get(reverse("deliberation:jury_deliberation", args=[held.jury[0].pk]))
        assert 'id="signed"' in page.content.decode()


def test_a_member_in_conflict_does_not_see_the_candidate(builtin_catalogue: Any, client: Client) -> None:
    held = held_session(members=3)
    first = held.registrations[0]
    with dating.replaying(TSSR_FIRST_DAY):
        session_services.declare_conflict(held.world.staff, held.jury[2], first, note="Ancienne collègue")
        member = login_as(client, held.member_user(2))
        page = member.get(reverse("deliberation:jury_deliberation", args=[held.jury[2].pk]))
        assert f'data-registration="{first.pk}"' not in page.content.decode()
        assert member.get(_candidate_page(held, 2, first)).status_code == 404
        assert member.post(_candidate_page(held, 2, first), {"action": "decide", "result": "absent"}).status_code == 404
        _upload_portfolio(first)
        dossier = reverse("deliberation:jury_portfolio_file", args=[held.jury[2].pk, first.pk])
        assert member.get(dossier).status_code == 404


def _upload_portfolio(registration: Any) -> ProfessionalPortfolio:
    return ProfessionalPortfolio.objects.create(
        candidate=registration.candidate,
        title=registration.session.version.title,
        file=SimpleUploadedFile("dp.pdf", b"%PDF-1.7\n% DP of the candidate\n%%EOF\n", content_type="application/pdf"),
        declaration_on_honour=True,
        signed_on=TSSR_FIRST_DAY,
    )


def test_a_member_opens_the_uploaded_dossier_professionnel(builtin_catalogue: Any, client: Client) -> None:
    """R-52: the jury reads the DP the candidate uploaded; without one, the file's link is not there and its URL 404."""
    held = held_session()
    first, second = held.registrations
    _upload_portfolio(first)
    member = login_as(client, held.member_user(0))
    with dating.replaying(TSSR_FIRST_DAY):
        html = member.get(_candidate_page(held, 0, first)).content.decode()
        dossier = reverse("deliberation:jury_portfolio_file", args=[held.jury[0].pk, first.pk])
        assert f'href="{dossier}"' in html
        response = member.get(dossier)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.getvalue().startswith(b"%PDF-1.7\n% DP of the candidate")
        assert 'id="portfolio-file"' not in member.get(_candidate_page(held, 0, second)).content.decode()
        assert (
            member.get(reverse("deliberation:jury_portfolio_file", args=[held.jury[0].pk, second.pk])).status_code
            == 404
        )


def test_the_centre_records_who_is_present_and_submits_the_signed_pv(builtin_catalogue: Any, client: Client) -> None:
    held = held_session(present=False)
    first, second = held.registrations
    staff = login_as(client, held.world.staff)
    url = reverse("deliberation:centre_deliberation", args=[held.session.pk])
    with dating.replaying(TSSR_FIRST_DAY):
        recorded = staff.post(url, {"action": "presence", "present": [a.pk for a in held.jury]})
        assert recorded.status_code == 302
        services.decide(held.member_user(0), first, result="title_awarded", ccps=[1, 2], final_interview_held=True)
        services.decide(held.member_user(1), second, result="failure", reason="Aucune compétence démontrée.")
        refused = staff.post(url, {"action": "submit"})
        assert refused.status_code == 400
        assert 'data-code="minutes_signatures_missing"' in refused.content.decode()
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        submitted = staff.post(url, {"action": "submit"})
        assert submitted.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SUBMITTED
    page = client.get(url)
    assert 'data-status="submitted"' in page.content.decode()
    pdf = reverse("deliberation:centre_minutes_pdf", args=[held.session.pk])
    assert f'href="{pdf}"' in page.content.decode()
    response = client.get(pdf)
    assert response.status_code == 200
    text = pypdf_text(response.content)
    assert minutes.number in text
    assert str(first.candidate).split()[0] in text


def test_the_centre_has_no_pv_pdf_before_submission(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    staff = login_as(client, held.world.staff)
    page = staff.get(reverse("deliberation:centre_deliberation", args=[held.session.pk]))
    assert 'id="minutes-pdf"' not in page.content.decode()
    assert staff.get(reverse("deliberation:centre_minutes_pdf", args=[held.session.pk])).status_code == 404
