"""The authority's PV pages on a real TSSR 2023 session: an agent validates a submitted PV (the holdings follow) or
returns it to the centre with a reason (R-72); a refusal changes nothing and says why (400); another
département's PV is as missing (404); the detail checks each signature's SHA-256 against the PV's (R-71)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.core.test_pdf import pypdf_text
from tests.deliberation.world import Held, held_session
from tests.factories import agent_of, make_authority, national_admin
from tests.helpers import login_as
from tests.session_world import TSSR_FIRST_DAY

from titrepro.candidates.models import Holding
from titrepro.core import dating
from titrepro.deliberation import services
from titrepro.deliberation.models import Minutes, MinutesStatus, Signature

pytestmark = pytest.mark.django_db


def submitted(held: Held) -> Minutes:
    """Both candidates decided (the first awarded the title, the second CCP 1), signed by both members, submitted."""
    first, second = held.registrations
    juror = held.member_user(0)
    services.decide(juror, first, result="title_awarded", ccps=[1, 2], final_interview_held=True)
    services.decide(juror, second, result="partial_success", ccps=[1], reason="CCP 2 : sauvegarde non maîtrisée.")
    minutes = services.current_minutes(held.session)
    services.sign(held.member_user(0), minutes)
    services.sign(held.member_user(1), minutes)
    return services.submit(held.world.staff, minutes)


def detail(minutes: Minutes) -> str:
    return reverse("deliberation:authority_minutes_detail", args=[minutes.pk])


def html(response: Any) -> str:
    return str(response.content.decode())


def states(response: Any) -> list[tuple[str, str]]:
    return re.findall(r'data-minutes="([^"]+)" data-state="([^"]+)"', html(response))


def test_an_agent_validates_a_submitted_pv_and_the_holdings_follow(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    agent = login_as(client, held.world.agent)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
        listed = agent.get(reverse("deliberation:authority_minutes_list"))
        assert listed.status_code == 200
        assert states(listed) == [(minutes.number, "submitted")]

        page = agent.get(detail(minutes))
        assert page.status_code == 200
        text = html(page)
        assert 'id="validate-form"' in text
        assert 'id="return-form"' in text
        assert f'<code id="minutes-sha256">{minutes.sha256}</code>' in text
        assert 'data-intact="1"' in text
        registrations = [str(r.pk) for r in held.registrations]
        assert re.findall(r'data-registration="(\d+)" data-result="(\w+)"', text) == [
            (registrations[0], "title_awarded"),
            (registrations[1], "partial_success"),
        ]

        validated = agent.post(detail(minutes), {"action": "validate"})
        assert validated.status_code == 302
        assert validated["Location"] == detail(minutes)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.VALIDATED
    assert minutes.validated_by == held.world.agent
    first, second = held.registrations
    assert sorted(
        (h.kind, h.ccp.number if h.ccp else None) for h in Holding.objects.filter(candidate=first.candidate)
    ) == [("ccp", 1), ("ccp", 2), ("title", None)]
    assert list(Holding.objects.filter(candidate=second.candidate).values_list("ccp__number", flat=True)) == [1]

    page = agent.get(detail(minutes))
    assert 'data-state="validated"' in html(page)
    assert 'id="validate-form"' not in html(page)
    assert 'data-action="minutes.validated"' in html(page)


def test_the_detail_checks_each_signature_against_the_pv_hash(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
    signatures = list(minutes.signatures.order_by("pk"))
    assert [s.sha256 for s in signatures] == [minutes.sha256, minutes.sha256]
    Signature.objects.filter(pk=signatures[1].pk).update(sha256="0" * 64)  # as if signed on another content
    page = login_as(client, held.world.agent).get(detail(minutes))
    assert page.status_code == 200
    found = re.findall(r'data-signature="(\d+)" data-assignment="\d+" data-matches="([01])"', html(page))
    assert found == [(str(signatures[0].pk), "1"), (str(signatures[1].pk), "0")]
    assert 'data-second-factor="0"' in html(page)


def test_an_agent_returns_a_pv_to_the_centre_with_a_reason(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    agent = login_as(client, held.world.agent)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
        returned = agent.post(detail(minutes), {"action": "return", "reason": "Motif du CCP 2 à préciser."})
        assert returned.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.DELIBERATING
    assert minutes.return_reason == "Motif du CCP 2 à préciser."
    assert minutes.signatures.filter(voided_at=None).count() == 0
    assert not Holding.objects.exists()

    listed = agent.get(reverse("deliberation:authority_minutes_list"), {"statut": "returned"})
    assert states(listed) == [(minutes.number, "returned")]
    assert states(agent.get(reverse("deliberation:authority_minutes_list"), {"statut": "submitted"})) == []
    page = agent.get(detail(minutes))
    assert page.status_code == 200
    assert 'id="return-reason"' in html(page)
    assert 'data-action="minutes.returned"' in html(page)
    assert 'id="validate-form"' not in html(page)
    assert 'data-void="1"' in html(page)
    # Back with the centre, it has no PDF until it is submitted again.
    assert agent.get(reverse("deliberation:authority_minutes_pdf", args=[minutes.pk])).status_code == 404


def test_a_return_without_a_reason_is_refused_and_changes_nothing(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    agent = login_as(client, held.world.agent)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
        refused = agent.post(detail(minutes), {"action": "return", "reason": "  "})
    assert refused.status_code == 400
    assert 'id="error-summary"' in html(refused)
    assert 'id="id_reason_error"' in html(refused)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SUBMITTED
    assert minutes.return_reason == ""
    assert minutes.signatures.filter(voided_at=None).count() == 2


def test_the_second_of_two_agents_is_told_the_pv_was_validated_meanwhile(
    builtin_catalogue: Any, client: Client
) -> None:
    held = held_session()
    colleague = agent_of(held.world.centre.authority)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
        services.validate(held.world.agent, minutes)
        written = Holding.objects.count()
        late = login_as(client, colleague).post(detail(minutes), {"action": "validate"})
        assert late.status_code == 400
        assert 'id="refused"' in html(late)
        assert 'data-code="minutes_not_submitted"' in html(late)
        assert 'data-state="validated"' in html(late)
        again = client.post(detail(minutes), {"action": "return", "reason": "Trop tard"})
        assert again.status_code == 400
        assert 'data-code="minutes_not_submitted"' in html(again)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.VALIDATED
    assert minutes.validated_by == held.world.agent
    assert Holding.objects.count() == written == 4


def test_another_departement_agent_finds_nothing(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    elsewhere = agent_of(make_authority())
    assert elsewhere.roles.get().authority != held.world.centre.authority
    other = login_as(client, elsewhere)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
        assert states(other.get(reverse("deliberation:authority_minutes_list"))) == []
        assert other.get(detail(minutes)).status_code == 404
        assert other.post(detail(minutes), {"action": "validate"}).status_code == 404
        assert other.post(detail(minutes), {"action": "return", "reason": "Non"}).status_code == 404
        assert other.get(reverse("deliberation:authority_minutes_pdf", args=[minutes.pk])).status_code == 404
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.SUBMITTED
    assert not Holding.objects.exists()


def test_a_pv_never_submitted_is_not_the_authority_s(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    minutes = services.current_minutes(held.session)
    agent = login_as(client, held.world.agent)
    assert states(agent.get(reverse("deliberation:authority_minutes_list"))) == []
    assert agent.get(detail(minutes)).status_code == 404
    assert agent.get(reverse("deliberation:authority_minutes_pdf", args=[minutes.pk])).status_code == 404


def test_the_pv_pdf_and_the_list_filter(builtin_catalogue: Any, client: Client) -> None:
    held = held_session()
    agent = login_as(client, held.world.agent)
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = submitted(held)
    response = agent.get(reverse("deliberation:authority_minutes_pdf", args=[minutes.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f'filename="{minutes.number}.pdf"' in response["Content-Disposition"]
    text = pypdf_text(response.content)
    assert minutes.number in text
    assert minutes.sha256 in text
    url = reverse("deliberation:authority_minutes_list")
    assert states(agent.get(url, {"statut": "validated"})) == []
    assert states(agent.get(url, {"statut": "nonsense"})) == [(minutes.number, "submitted")]


def test_the_list_puts_the_pvs_to_validate_first(builtin_catalogue: Any, client: Client) -> None:
    done, waiting = held_session(), held_session()
    with dating.replaying(TSSR_FIRST_DAY):
        validated = services.validate(done.world.agent, submitted(done))
        to_validate = submitted(waiting)
    listed = login_as(client, national_admin()).get(reverse("deliberation:authority_minutes_list"))
    assert states(listed) == [(to_validate.number, "submitted"), (validated.number, "validated")]
