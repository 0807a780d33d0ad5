"""A centre staff member creates, declares and convenes a session by clicking only, from the dashboard;
axe-core runs on every page on the way (no serious or critical violation)."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in
from tests.factories import today

from titrepro.demo.world import build
from titrepro.sessions import services
from titrepro.sessions.models import Convocation, ExamSession, JuryAssignment

pytestmark = pytest.mark.browser


def test_create_declare_and_convene_a_session(
    live_server: LiveServer, page: Page, assert_accessible: Callable[[Page], None]
) -> None:
    build()
    base = live_server.url
    log_in(page, base, "centre-ca-75-001@demo.titrepro.fr")
    before = set(ExamSession.objects.values_list("pk", flat=True))

    page.goto(f"{base}/espace/")
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sessions d’examen")
    assert_accessible(page)

    page.get_by_role("link", name="Nouvelle session").click()
    assert_accessible(page)
    first = today() + datetime.timedelta(days=75)
    page.get_by_label("Nature de la session").select_option("title")
    page.get_by_label("Version du titre").select_option(index=1)
    page.get_by_role("textbox", name="Site").fill("12 rue de la Session, 75011 Paris")
    page.get_by_label("Premier jour").fill(first.isoformat())
    page.get_by_label("Dernier jour").fill((first + datetime.timedelta(days=1)).isoformat())
    page.get_by_label("Capacité").fill("6")
    page.get_by_role("button", name="Créer la session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Session ")
    assert_accessible(page)
    (session_pk,) = set(ExamSession.objects.values_list("pk", flat=True)) - before

    page.get_by_role("link", name="Déclarer à l’autorité").click()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#session-summary")).to_contain_text("Déclarée à l’autorité")

    page.get_by_role("link", name="Inscrire plusieurs candidats").click()
    assert_accessible(page)
    labels = page.locator("main .fr-checkbox-group label")  # DSFR draws the box on the label
    for index in range(3):
        labels.nth(index).click()
    page.get_by_role("button", name="Inscrire les candidats").click()
    page.wait_for_load_state()
    if "/plusieurs/" in page.url:  # some were refused, with their reason: back to the session
        assert_accessible(page)
        page.get_by_role("link", name="Annuler").click()
    expect(page.locator("#registration-list tbody tr")).not_to_have_count(0)

    for _ in range(2):
        page.get_by_role("link", name="Inviter un membre du jury").click()
        assert_accessible(page)
        page.get_by_label("Membre de jury").select_option(index=1)
        page.get_by_role("button", name="Inviter").click()
        page.wait_for_load_state()
    # The members answer from their own space (their pages have their own tests): here, through the service.
    for assignment in JuryAssignment.objects.filter(session_id=session_pk, status="proposed"):
        services.answer_invitation(assignment.member.user, assignment, accept=True)

    page.reload()
    assert_accessible(page)
    page.get_by_role("link", name="Envoyer les convocations").click()
    assert_accessible(page)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#convocation-list")).to_be_visible()
    assert_accessible(page)
    session = ExamSession.objects.get(pk=session_pk)
    assert session.status == "convened"
    assert Convocation.objects.filter(session=session).count() >= 3  # the candidates and two jury members
