"""The verification of a document in a real browser, as an employer would: the QR code of a signed parchemin
(read off the rendered page by zbarimg) opens its page; the number typed by hand; the PDF uploaded, then a copy
with one byte changed. The holder's and the centre's documents pages, and the certificates page. A digital badge's
page reached from the holder's documents, and its picture uploaded. axe-core runs on every page (no serious or
critical violation)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer
from tests.browser_helpers import log_in
from tests.deliberation.world import candidate_user, held_session, validated

from titrepro.credentials import services
from titrepro.credentials.models import IssuedDocument, Kind
from titrepro.deliberation.models import DocumentToIssue
from titrepro.demo.world import PASSWORD

pytestmark = pytest.mark.browser


def _with_password(user: Any) -> str:
    user.set_password(PASSWORD)
    user.save()
    return str(user.username)


def _qr_url(pdf: Path) -> str:
    image = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(image)], check=True)  # noqa: S603, S607
    scanned = subprocess.run(  # noqa: S603
        ["zbarimg", "--quiet", "--raw", str(image.with_suffix(".png"))],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    )
    return scanned.stdout.strip()


def test_an_employer_verifies_a_parchemin_by_its_qr_code_its_number_and_its_file(
    live_server: LiveServer,
    page: Page,
    assert_accessible: Callable[[Page], None],
    builtin_catalogue: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    settings.TITREPRO_PUBLIC_URL = live_server.url
    held = held_session()
    validated(held)
    for entry in DocumentToIssue.objects.order_by("pk"):
        services.issue(entry.pk)
    parchemin = IssuedDocument.objects.get(kind=Kind.PARCHEMIN)
    pdf = tmp_path / "parchemin.pdf"
    with parchemin.pdf.open("rb") as file:
        pdf.write_bytes(file.read())

    # The QR code, scanned.
    url = _qr_url(pdf)
    assert url.startswith(live_server.url + "/verifier/")
    page.goto(url)
    expect(page.locator("#verdict")).to_have_attribute("data-status", "valid")
    expect(page.locator("#verdict")).to_contain_text("Authentique et valide.")
    expect(page.locator("#holder")).to_contain_text(parchemin.data["holder"]["name"])
    expect(page.locator("#sha256")).to_have_text(parchemin.sha256)
    assert_accessible(page)

    # The number, typed with spaces and in lower case; then a typo.
    page.goto(f"{live_server.url}/verifier/")
    assert_accessible(page)
    page.get_by_label("Numéro du document").fill(parchemin.printed_code.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.locator("#verdict")).to_have_attribute("data-status", "valid")
    page.goto(f"{live_server.url}/verifier/")
    code = parchemin.printed_code
    typo = ("1" if code[0] != "1" else "2") + code[1:]
    page.get_by_label("Numéro du document").fill(typo)
    page.get_by_role("button", name="Vérifier", exact=True).click()
    expect(page.locator("#error-summary")).to_contain_text("erreur de saisie")
    assert_accessible(page)

    # The file, then a copy with one byte changed.
    page.goto(f"{live_server.url}/verifier/fichier/")
    assert_accessible(page)
    page.get_by_label("Le fichier PDF du document").set_input_files(str(pdf))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#file-verdict")).to_have_attribute("data-code", "valid")
    assert_accessible(page)
    data = pdf.read_bytes()
    middle = len(data) // 3
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])
    page.get_by_label("Le fichier PDF du document").set_input_files(str(altered))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#file-verdict")).to_have_attribute("data-code", "altered")
    expect(page.locator("#file-verdict")).to_contain_text("modifié après sa signature")
    assert_accessible(page)

    page.goto(f"{live_server.url}/verifier/certificats/")
    expect(page.locator("#certificates tbody tr").first).to_be_visible()
    assert_accessible(page)

    # The holder sees that it was verified; the centre sees the session's documents.
    log_in(page, live_server.url, _with_password(candidate_user(held.registrations[0])))
    page.goto(f"{live_server.url}/espace/candidat/documents/")
    expect(page.locator(f"#document-{parchemin.pk}")).to_contain_text("Vérifié 3 fois.")
    assert_accessible(page)
    page.context.clear_cookies()
    log_in(page, live_server.url, _with_password(held.world.staff))
    page.goto(f"{live_server.url}/espace/centre/sessions/{held.session.pk}/documents/")
    expect(page.locator("#documents-progress")).to_have_attribute("data-issued", "4")
    assert_accessible(page)


def test_a_holder_shares_a_badge_and_an_employer_checks_its_picture(
    live_server: LiveServer,
    page: Page,
    assert_accessible: Callable[[Page], None],
    builtin_catalogue: Any,
    settings: Any,
    tmp_path: Path,
) -> None:
    """The holder opens a digital badge's verification page from their documents and downloads the badge baked
    into a PNG; anyone uploading that picture is told it is authentic and valid."""
    from titrepro.credentials.models import Badge

    settings.TITREPRO_PUBLIC_URL = live_server.url
    held = held_session()
    validated(held)
    for entry in DocumentToIssue.objects.order_by("pk"):
        services.issue(entry.pk)
    badge = Badge.objects.get(kind="title")
    log_in(page, live_server.url, _with_password(candidate_user(held.registrations[0])))
    page.goto(f"{live_server.url}/espace/candidat/documents/")
    item = page.locator(f"#badge-{badge.pk}")
    expect(item).to_have_attribute("data-revoked", "false")
    with page.expect_download() as download:
        item.get_by_role("link", name="PNG").click()
    picture = tmp_path / "badge.png"
    download.value.save_as(picture)
    assert picture.read_bytes().startswith(b"\x89PNG")
    item.get_by_role("link", name="sa page de vérification").click()
    expect(page.locator("#verdict")).to_have_attribute("data-revoked", "false")
    expect(page.locator("#verdict")).to_contain_text("Authentique et valide.")
    expect(page.locator("#achievement")).to_contain_text("Technicien supérieur systèmes et réseaux")
    assert_accessible(page)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verifier/fichier/")
    page.get_by_label("Le fichier PDF du document").set_input_files(str(picture))
    page.get_by_role("button", name="Vérifier le fichier").click()
    expect(page.locator("#file-verdict")).to_have_attribute("data-code", "valid")
    page.locator("#badge-link").click()
    expect(page.locator("#badge-facts")).to_be_visible()
    assert_accessible(page)
