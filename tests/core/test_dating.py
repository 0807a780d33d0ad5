"""Decisions are dated by the server (issue 11, item 2; ``titrepro.core.dating``).

Worked examples, each naming its rule: a date never after today; a date before the recording
day only within the transcription window (15 days); R-21's two months counted to the day the
decision is recorded, so a backdated decision cannot undo an acceptance by silence.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.factories import (
    ApprovalFactory,
    agent_of,
    make_accommodation,
    make_candidate,
    make_vae_application,
    user_with_role,
)

from titrepro.accounts.models import RoleKind
from titrepro.candidates import services
from titrepro.candidates.models import VaeApplication
from titrepro.core.dating import decision_date, plausible, replaying, transcription_days
from titrepro.core.refusals import Refused
from titrepro.directory import services as directory_services

pytestmark = pytest.mark.django_db


def agent_for(candidate: Any) -> Any:
    return user_with_role(RoleKind.AUTHORITY_AGENT, authority=candidate.centre.authority)


def test_the_window_is_fifteen_days_by_default_and_a_setting(settings) -> None:
    assert transcription_days() == 15
    today = timezone.localdate()
    assert decision_date(today - timedelta(days=15), "decided_on") == today - timedelta(days=15)
    with pytest.raises(Refused, match="date_backdated"):
        decision_date(today - timedelta(days=16), "decided_on")
    settings.TITREPRO_TRANSCRIPTION_DAYS = 0
    with pytest.raises(Refused, match="date_backdated"):
        decision_date(today - timedelta(days=1), "decided_on")


def test_replaying_moves_the_servers_day_for_code_that_writes_history() -> None:
    with replaying(date(2025, 3, 1)):
        assert decision_date(date(2025, 2, 20), "decided_on") == date(2025, 2, 20)
        with pytest.raises(Refused, match="date_in_future"):
            decision_date(date(2025, 3, 2), "decided_on")


def test_no_person_means_year_one_or_9999() -> None:
    with pytest.raises(Refused, match="date_implausible"):
        plausible(date(1, 1, 1), "granted_on")
    with pytest.raises(Refused, match="date_implausible"):
        plausible(date(9999, 12, 31), "valid_until")
    assert plausible(None, "valid_until") is None


def test_r21_a_backdated_decision_cannot_undo_an_acceptance_by_silence() -> None:
    """Filed three months ago: accepted by silence after two months. A refusal dated within the two
    months, typed today, comes too late (the issue's attack)."""
    application = make_vae_application(accepted_by_silence=True)
    within_the_two_months = application.filed_on + timedelta(days=30)
    with pytest.raises(Refused) as refused:
        services.decide_vae(
            agent_for(application.candidate), application, admissible=False, on=within_the_two_months, reason="x"
        )
    # Dated 30 days after the file (> 15 days ago), so it is also out of the window; with a longer
    # window the silence still wins, because the two months run to the recording day.
    assert refused.value.code in {"date_backdated", "vae_accepted_by_silence"}
    application.refresh_from_db()
    assert application.status == "pending"


def test_r21_the_two_months_run_to_the_recording_day_even_with_a_long_window(settings) -> None:
    settings.TITREPRO_TRANSCRIPTION_DAYS = 1000
    application = make_vae_application(accepted_by_silence=True)
    with pytest.raises(Refused, match="vae_accepted_by_silence"):
        services.decide_vae(
            agent_for(application.candidate),
            application,
            admissible=False,
            on=application.filed_on + timedelta(days=30),
            reason="Dossier incomplet",
        )


def test_a_decision_dated_tomorrow_is_refused_vae_and_accommodation() -> None:
    tomorrow = timezone.localdate() + timedelta(days=1)
    application = make_vae_application(filed_on=timezone.localdate() - timedelta(days=5))
    with pytest.raises(Refused, match="date_in_future") as refused:
        services.decide_vae(agent_for(application.candidate), application, admissible=True, on=tomorrow)
    assert refused.value.field == "decided_on"
    accommodation = make_accommodation(requested_on=timezone.localdate() - timedelta(days=3))
    with pytest.raises(Refused, match="date_in_future"):
        services.decide_accommodation(agent_for(accommodation.candidate), accommodation, granted=True, on=tomorrow)


def test_a_paper_decision_typed_within_the_window_keeps_both_dates() -> None:
    today = timezone.localdate()
    application = make_vae_application(filed_on=today - timedelta(days=20))
    services.decide_vae(agent_for(application.candidate), application, admissible=True, on=today - timedelta(days=10))
    application.refresh_from_db()
    assert (application.decided_on, application.recorded_on) == (today - timedelta(days=10), today)


def test_the_decision_list_shows_both_dates_when_they_differ(client) -> None:
    from tests.helpers import login_as

    today = timezone.localdate()
    application = make_vae_application(filed_on=today - timedelta(days=20))
    agent = agent_for(application.candidate)
    services.decide_vae(agent, application, admissible=True, on=today - timedelta(days=10))
    page = login_as(client, agent).get("/espace/dreets/vae/").content.decode()
    assert (today - timedelta(days=10)).strftime("%d/%m/%Y") in page
    assert today.strftime("%d/%m/%Y") in page


def test_a_vae_file_cannot_be_backdated_into_an_acceptance_by_silence() -> None:
    """A file 'received' three months ago, entered today, would be accepted by silence at once."""
    candidate = make_candidate()
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre)
    from titrepro.catalogue.models import Title

    title = Title.objects.create(code="TP-99990", label="Titre fictif", level=4)
    with pytest.raises(Refused, match="date_backdated"):
        services.file_vae_application(staff, candidate, title, timezone.localdate() - timedelta(days=90))
    assert not VaeApplication.objects.filter(candidate=candidate).exists()


def test_approvals_and_habilitations_are_dated_by_the_server() -> None:
    approval = ApprovalFactory.create()
    agent = agent_of(approval.centre.authority)
    with pytest.raises(Refused, match="date_in_future"):
        directory_services.withdraw_approval(
            agent, approval, withdrawn_on=timezone.localdate() + timedelta(days=1), reason="Fraude"
        )
    with pytest.raises(Refused, match="date_backdated"):
        directory_services.withdraw_approval(agent, approval, withdrawn_on=date(2001, 1, 1), reason="Fraude")
    approval.refresh_from_db()
    assert approval.status == "active"


def test_a_portfolio_signed_in_2030_is_refused(settings, tmp_path) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = str(tmp_path)
    candidate = make_candidate()
    user = user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre)
    from titrepro.catalogue.models import Title

    title = Title.objects.create(code="TP-99991", label="Titre fictif", level=4)
    pdf = SimpleUploadedFile("dp.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj<<>>endobj\n%%EOF\n", "application/pdf")
    with pytest.raises(Refused, match="date_in_future"):
        services.upload_portfolio(user, candidate, title=title, file=pdf, declaration=True, signed_on=date(2030, 1, 1))
