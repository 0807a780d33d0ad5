"""The deliberation's PDF documents (``deliberation.documents``), read back with pypdf: the PV as submitted and
validated (R-71, R-72) with its candidates, results, signatures and SHA-256; the candidate's provisional result
statement, only once the PV is validated."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from tests.core.test_pdf import pypdf_text
from tests.deliberation.test_pages_authority import submitted
from tests.deliberation.world import held_session
from tests.session_world import TSSR_FIRST_DAY

from titrepro.catalogue.models import CCP
from titrepro.core import dating
from titrepro.deliberation import documents, services
from titrepro.deliberation.models import Result
from titrepro.sessions import services as session_services

pytestmark = pytest.mark.django_db


def test_the_pv_pdf_lists_every_candidate_with_the_result_and_the_hash(
    builtin_catalogue: Any, caplog: pytest.LogCaptureFixture
) -> None:
    held = held_session()
    first, second = held.registrations
    with dating.replaying(TSSR_FIRST_DAY):
        session_services.record_incident(
            held.world.staff, held.session, kind="fraud", text="Antisèche trouvée", registration=second
        )
        minutes = services.validate(held.world.agent, submitted(held))
    with caplog.at_level(logging.WARNING, logger="titrepro.core.pdf"):
        document = documents.render_minutes(minutes)
    assert caplog.records == []
    assert document.startswith(b"%PDF")
    text = pypdf_text(document)
    assert minutes.number in text
    assert minutes.sha256 in text
    for registration in (first, second):
        assert registration.candidate.birth_name.upper() in text
    assert str(Result.TITLE_AWARDED.label) in text
    assert str(Result.PARTIAL_SUCCESS.label) in text
    assert "CCP 1, CCP 2" in text
    assert "Antisèche trouvée" in text
    assert held.session.number in text

    data = documents.minutes_pdf_data(minutes)
    assert [row["matches"] for row in data["signatures"]] == [True, True]
    assert data["validation"] != ""
    assert data["absences"] == []
    assert len(data["fraud_reports"]) == 1


def test_a_never_submitted_pv_has_no_pdf(builtin_catalogue: Any) -> None:
    held = held_session()
    with pytest.raises(ValueError, match="never submitted"):
        documents.minutes_pdf_data(services.current_minutes(held.session))


def test_the_result_statement_comes_with_the_validation(builtin_catalogue: Any) -> None:
    held = held_session()
    first, second = held.registrations
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
        with pytest.raises(documents.NoStatement):
            documents.result_statement_data(second)
        minutes = services.validate(held.world.agent, minutes)
    text = pypdf_text(documents.render_result_statement(second))
    assert second.candidate.birth_name.upper() in text
    assert first.candidate.birth_name.upper() not in text
    assert str(Result.PARTIAL_SUCCESS.label) in text
    ccp1 = CCP.objects.get(version=held.session.version, number=1)
    assert f"CCP 1 — {ccp1.label}" in text
    assert "CCP 2 —" not in text
    assert "CCP 2 : sauvegarde non maîtrisée." in text
    assert minutes.number in text

    data = documents.result_statement_data(first)
    assert data["ccps"] == [
        f"CCP {c.number} — {c.label}" for c in CCP.objects.filter(version=held.session.version).order_by("number")
    ]
    assert data["minutes"] == minutes.number


def test_a_withdrawn_or_undecided_registration_has_no_statement(builtin_catalogue: Any) -> None:
    held = held_session()
    with pytest.raises(documents.NoStatement) as raised:
        documents.result_statement_data(held.registrations[0])
    assert isinstance(raised.value, ValueError)


def test_the_pv_pdf_lists_the_absences(builtin_catalogue: Any) -> None:
    held = held_session()
    first, second = held.registrations
    with dating.replaying(TSSR_FIRST_DAY):
        session_services.record_attendance(
            held.world.staff, first, attendance="absent", arrived_at=None, note="", portfolio_handed_in=False
        )
        juror = held.member_user(0)
        services.decide(juror, first, result="absent_excused", reason="Hospitalisation justifiée")
        services.decide(juror, second, result="failure", reason="Aucun CCP acquis.")
        minutes = services.current_minutes(held.session)
        services.sign(held.member_user(0), minutes)
        services.sign(held.member_user(1), minutes)
        minutes = services.submit(held.world.staff, minutes)
    data = documents.minutes_pdf_data(minutes)
    assert len(data["absences"]) == 1
    assert data["validation"] == ""
    text = pypdf_text(documents.render_minutes(minutes))
    assert "Hospitalisation justifiée" in text
    assert str(Result.ABSENT_EXCUSED.label) in text
    assert str(Result.FAILURE.label) in text
    with pytest.raises(documents.NoStatement):
        documents.render_result_statement(first)
