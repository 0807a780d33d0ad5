"""VAE admissibility (two months, tacit acceptance, one year, yearly limits), accommodations, portfolio."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils.translation import gettext
from tests.factories import (
    make_accommodation,
    make_candidate,
    make_centre,
    make_vae_application,
    user_with_role,
)

from titrepro.accounts.models import RoleKind
from titrepro.audit.models import AuditEntry
from titrepro.candidates import queries, services
from titrepro.candidates.models import PORTFOLIO_MAX_BYTES, Candidate, identity_key
from titrepro.catalogue.models import Title
from titrepro.catalogue.services import LoadReport
from titrepro.core.dating import replaying
from titrepro.core.refusals import Refused

pytestmark = pytest.mark.django_db

FILED = date(2026, 1, 15)
DUE = date(2026, 3, 15)  # two months after the complete file


@pytest.fixture
def tssr(builtin_catalogue: LoadReport) -> Title:
    return Title.objects.get(code="TP-01351")


def agent_for(candidate: Candidate) -> object:
    return user_with_role(RoleKind.AUTHORITY_AGENT, authority=candidate.centre.authority)


def test_identity_key_folds_accents_case_and_later_given_names() -> None:
    assert identity_key("  Lefèvre-D'Arc ", "Zoé Marie", date(2000, 2, 1)) == "lefevre d arc|zoe|2000-02-01"
    assert identity_key("LEFEVRE D ARC", "zoe", date(2000, 2, 1)) == "lefevre d arc|zoe|2000-02-01"


def test_duplicate_entry_in_the_same_centre_is_refused() -> None:
    existing = make_candidate(birth_name="Éluard", given_names="Paul", birth_date=date(1990, 1, 1))
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=existing.centre)
    identity = {"birth_name": "ELUARD", "given_names": "paul", "birth_date": date(1990, 1, 1), "birth_place": "Paris"}
    with pytest.raises(Refused):
        services.create_candidate(staff, existing.centre, **identity)
    other = make_centre()
    _candidate, warnings = services.create_candidate(
        user_with_role(RoleKind.CENTRE_STAFF, centre=other), other, **identity
    )
    assert warnings
    assert existing.centre.name in warnings[0]


@pytest.mark.parametrize(("on", "allowed"), [(DUE, True), (date(2026, 3, 16), False)])
def test_vae_decision_within_two_months_only(tssr: Title, on: date, allowed: bool) -> None:
    application = make_vae_application(title=tssr, filed_on=FILED)
    agent = agent_for(application.candidate)
    if allowed:
        with replaying(on):
            services.decide_vae(agent, application, admissible=False, on=on, reason="Expérience insuffisante")
        application.refresh_from_db()
        assert application.status == "refused"
        assert AuditEntry.objects.filter(action="vae.decided", object_id=str(application.pk)).exists()
    else:
        with pytest.raises(Refused, match="vae_accepted_by_silence"), replaying(on):
            services.decide_vae(agent, application, admissible=False, on=on, reason="Trop tard")
        application.refresh_from_db()
        assert application.status == "pending"


def test_silence_is_acceptance_after_two_months_valid_one_year(tssr: Title) -> None:
    application = make_vae_application(title=tssr, filed_on=FILED)
    on_due = queries.vae_status(application, DUE)
    assert not on_due.valid
    assert not on_due.tacit
    assert on_due.decision_due == DUE
    after = queries.vae_status(application, date(2026, 3, 16))
    assert after.tacit
    assert after.valid
    assert after.valid_until == date(2027, 3, 15)
    assert queries.vae_status(application, date(2027, 3, 15)).valid
    assert not queries.vae_status(application, date(2027, 3, 16)).valid


def test_admissibility_is_valid_one_year_from_the_decision(tssr: Title) -> None:
    application = make_vae_application(title=tssr, filed_on=FILED)
    with replaying(date(2026, 2, 10)):
        services.decide_vae(agent_for(application.candidate), application, admissible=True, on=date(2026, 2, 10))
    application.refresh_from_db()
    assert queries.vae_status(application, date(2027, 2, 10)).valid
    assert not queries.vae_status(application, date(2027, 2, 11)).valid
    with pytest.raises(Refused), replaying(date(2026, 2, 11)):  # decided once
        services.decide_vae(agent_for(application.candidate), application, admissible=False, on=date(2026, 2, 11))


def test_refusal_needs_a_reason_and_a_decision_cannot_precede_the_file(tssr: Title) -> None:
    application = make_vae_application(title=tssr, filed_on=FILED)
    agent = agent_for(application.candidate)
    with pytest.raises(Refused), replaying(FILED):
        services.decide_vae(agent, application, admissible=False, on=FILED)
    with pytest.raises(Refused), replaying(date(2026, 1, 14)):
        services.decide_vae(agent, application, admissible=True, on=date(2026, 1, 14))


def test_vae_decision_scope(tssr: Title) -> None:
    application = make_vae_application(title=tssr, filed_on=FILED)
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=application.candidate.centre)
    with pytest.raises(PermissionDenied), replaying(FILED):
        services.decide_vae(staff, application, admissible=True, on=FILED)
    other_agent = user_with_role(RoleKind.AUTHORITY_AGENT, authority=make_centre().authority)
    with pytest.raises(Http404), replaying(FILED):
        services.decide_vae(other_agent, application, admissible=True, on=FILED)


def test_yearly_limits_of_vae_applications(tssr: Title) -> None:
    candidate = make_candidate()
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre)
    with replaying(date(2026, 1, 15)):
        services.file_vae_application(staff, candidate, tssr, date(2026, 1, 15))
    with pytest.raises(Refused), replaying(date(2026, 12, 31)):
        services.file_vae_application(staff, candidate, tssr, date(2026, 12, 31))
    with replaying(date(2027, 1, 1)):
        services.file_vae_application(staff, candidate, tssr, date(2027, 1, 1))
    others = [Title.objects.create(code=f"TP-9999{i}", label=f"Autre {i}", level=4) for i in range(3)]
    with replaying(date(2027, 2, 1)):
        services.file_vae_application(staff, candidate, others[0], date(2027, 2, 1))
    with replaying(date(2027, 3, 1)):
        services.file_vae_application(staff, candidate, others[1], date(2027, 3, 1))
    with pytest.raises(Refused), replaying(date(2027, 4, 1)):  # a fourth certification in 2027
        services.file_vae_application(staff, candidate, others[2], date(2027, 4, 1))


def test_accommodation_decision_by_the_authority() -> None:
    accommodation = make_accommodation()
    agent = agent_for(accommodation.candidate)
    with pytest.raises(Refused), replaying(date(2026, 1, 31)):
        services.decide_accommodation(agent, accommodation, granted=True, on=date(2026, 1, 31))
    with replaying(date(2026, 2, 10)):
        services.decide_accommodation(agent, accommodation, granted=True, on=date(2026, 2, 10))
    accommodation.refresh_from_db()
    assert accommodation.status == "granted"
    assert accommodation.decided_by == accommodation.candidate.centre.authority
    assert AuditEntry.objects.filter(action="accommodation.decided").count() == 1
    with pytest.raises(PermissionDenied):
        services.decide_accommodation(
            user_with_role(RoleKind.CENTRE_STAFF, centre=accommodation.candidate.centre),
            make_accommodation(),
            granted=False,
            on=date(2026, 2, 10),
            reason="x",
        )


def test_accommodation_without_medical_opinion_cannot_be_granted() -> None:
    accommodation = make_accommodation(medical_opinion_on=None)
    with pytest.raises(Refused):
        services.decide_accommodation(
            agent_for(accommodation.candidate), accommodation, granted=True, on=date(2026, 2, 10)
        )


@pytest.fixture
def media(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]


def test_portfolio_refuses_a_non_pdf_and_a_too_large_file_in_french(tssr: Title, media: None) -> None:
    candidate = make_candidate()
    me = user_with_role(RoleKind.CANDIDATE, candidate=candidate)
    fake = SimpleUploadedFile("dossier.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    with pytest.raises(Refused) as not_pdf:
        services.upload_portfolio(me, candidate, title=tssr, file=fake, declaration=True, signed_on=date(2026, 5, 1))
    assert not_pdf.value.message == gettext("The file is not a PDF document.")  # French once translated
    big = SimpleUploadedFile("dossier.pdf", b"%PDF-1.7\n" + b"0" * PORTFOLIO_MAX_BYTES, content_type="application/pdf")
    with pytest.raises(Refused) as too_large:
        services.upload_portfolio(me, candidate, title=tssr, file=big, declaration=True, signed_on=date(2026, 5, 1))
    assert too_large.value.message == gettext("The file is too large: 10 MB at most.")
    good = SimpleUploadedFile("dossier.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    with pytest.raises(Refused):  # no declaration on honour
        services.upload_portfolio(me, candidate, title=tssr, file=good, declaration=False, signed_on=None)
    portfolio = services.upload_portfolio(
        me, candidate, title=tssr, file=good, declaration=True, signed_on=date(2026, 5, 1)
    )
    with portfolio.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"


def test_a_portfolio_is_stored_under_a_random_pdf_name_and_served_as_an_attachment(
    tssr: Title, media: None, settings: Any
) -> None:
    """Issue 11, item 11: never the client's name (``../../etc/passwd.html``), always application/pdf."""
    from titrepro.candidates.files import portfolio_response

    candidate = make_candidate()
    me = user_with_role(RoleKind.CANDIDATE, candidate=candidate)
    upload = SimpleUploadedFile("../../Jean Dupont — dossier.html", b"%PDF-1.7\n%%EOF\n", content_type="text/html")
    portfolio = services.upload_portfolio(
        me, candidate, title=tssr, file=upload, declaration=True, signed_on=date(2026, 5, 1)
    )
    assert re.fullmatch(r"portfolios/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", str(portfolio.file.name)), portfolio.file.name
    response = portfolio_response(portfolio)
    try:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[arg-type]
    finally:
        response.close()
