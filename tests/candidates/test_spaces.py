"""The role spaces as a user drives them: import with preview and confirmation, decisions, portfolio."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from tests.factories import make_candidate, make_centre, make_vae_application, user_with_role
from tests.helpers import login_as

from titrepro.accounts.models import RoleKind
from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import Candidate, ProfessionalPortfolio, VaeApplication
from titrepro.catalogue.models import Title
from titrepro.catalogue.services import LoadReport

pytestmark = pytest.mark.django_db

HEADER = "nom_naissance;prenoms;date_naissance;lieu_naissance;titre;parcours"


def csv_file(*lines: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("candidats.csv", "\n".join([HEADER, *lines]).encode(), content_type="text/csv")


def test_import_page_reports_then_confirms(client: Client, builtin_catalogue: LoadReport) -> None:
    centre = make_centre()
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=centre)
    login_as(client, staff)
    url = reverse("spaces:centre_import")
    sent = client.post(url, {"centre": centre.pk, "file": csv_file("Lune;Paul;30/02/1990;Nice;TP-01351;formation")})
    assert sent.status_code == 302
    bad = client.get(sent["Location"])
    assert bad.context["report"]["bad_line_count"] == 1
    assert bad.context["report"]["errors"][0]["line"] == 2
    assert 'name="confirm"' not in bad.content.decode()
    assert Candidate.objects.count() == 0

    sent = client.post(url, {"centre": centre.pk, "file": csv_file("Lune;Paul;28/02/1990;Nice;TP-01351;formation")})
    good = client.get(sent["Location"])
    assert good.context["report"]["valid"]
    assert 'name="confirm"' in good.content.decode()
    assert Candidate.objects.count() == 0  # nothing before confirmation
    done = client.post(sent["Location"], {"confirm": "1"})
    assert done.status_code == 302
    assert Candidate.objects.filter(centre=centre).count() == 1
    again = client.post(sent["Location"], {"confirm": "1"})  # the pending file is used once
    assert again.status_code == 302
    assert Candidate.objects.count() == 1


def test_list_search_and_detail(client: Client, builtin_catalogue: LoadReport) -> None:
    candidate = make_candidate(birth_name="Énergie", given_names="Zoé")
    make_candidate(centre=candidate.centre, birth_name="Autre")
    login_as(client, user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre))
    page = client.get(reverse("spaces:centre_candidate_list"), {"q": "energie"})
    assert list(page.context["page"]) == [candidate]
    detail = client.get(reverse("spaces:centre_candidate_detail", args=[candidate.pk]))
    assert detail.status_code == 200
    assert "Énergie" in detail.content.decode()


def test_export_downloads_the_template(client: Client) -> None:
    candidate = make_candidate()
    login_as(client, user_with_role(RoleKind.CENTRE_STAFF, centre=candidate.centre))
    response = client.get(reverse("spaces:centre_export"))
    assert response["Content-Type"].startswith("text/csv")
    assert candidate.birth_name in response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("spaces:centre_export"), {"format": "xlsx"})
    assert xlsx.content[:4] == b"PK\x03\x04"


def test_agent_decides_a_vae_application(client: Client, builtin_catalogue: LoadReport) -> None:
    application = make_vae_application(title=Title.objects.get(code="TP-01351"), filed_on=timezone.localdate())
    login_as(client, user_with_role(RoleKind.AUTHORITY_AGENT, authority=application.candidate.centre.authority))
    url = reverse("spaces:authority_vae_decide", args=[application.pk])
    refused_without_reason = client.post(url, {"decision": "refused", "decided_on": timezone.localdate().isoformat()})
    assert refused_without_reason.status_code == 200
    assert refused_without_reason.context["errors"]
    response = client.post(url, {"decision": "admissible", "decided_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "admissible"
    assert AuditEntry.objects.filter(action="vae.decided").count() == 1
    assert client.get(reverse("spaces:authority_vae_list")).status_code == 200
    assert VaeApplication.objects.filter(status="pending").count() == 0


def test_candidate_uploads_the_portfolio(
    client: Client, builtin_catalogue: LoadReport, settings: object, tmp_path: object
) -> None:
    settings.MEDIA_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    candidate = make_candidate()
    login_as(client, user_with_role(RoleKind.CANDIDATE, candidate=candidate))
    url = reverse("spaces:candidate_portfolio")
    data = {"title": "TP-01351", "declaration": "on", "signed_on": "2026-05-01"}
    not_pdf = client.post(
        url, data | {"file": SimpleUploadedFile("dp.pdf", b"GIF89a...", content_type="application/pdf")}
    )
    assert not_pdf.status_code == 200
    assert gettext("The file is not a PDF document.") in not_pdf.content.decode().replace("&#x27;", "'").replace(
        "&rsquo;", "’"
    )
    ok = client.post(
        url, data | {"file": SimpleUploadedFile("dp.pdf", b"%PDF-1.4\n%%EOF", content_type="application/pdf")}
    )
    assert ok.status_code == 302
    assert ProfessionalPortfolio.objects.filter(candidate=candidate).count() == 1
    home = client.get(reverse("spaces:candidate_home"))
    assert candidate.birth_name in home.content.decode()


def test_entering_a_candidate_by_hand_detects_duplicates(client: Client) -> None:
    here, there = make_centre(code="HERE"), make_centre(code="THERE")
    make_candidate(centre=there, birth_name="Durand", given_names="Léa Marie", birth_date=date(1990, 5, 4))
    staff = user_with_role(RoleKind.CENTRE_STAFF, centre=here)
    login_as(client, staff)
    url = reverse("spaces:centre_candidate_new")
    assert client.get(url).status_code == 200
    form = {
        "centre": here.pk,
        "birth_name": "DURAND",
        "given_names": "Léa",
        "birth_date": "1990-05-04",
        "birth_place": "Lyon",
    }
    response = client.post(url, form, follow=True)
    created = Candidate.objects.get(centre=here)
    assert response.redirect_chain[-1][0] == reverse("spaces:centre_candidate_detail", args=[created.pk])
    page = response.content.decode()
    assert "THERE" in page or there.name in page  # warned: the same person is a candidate elsewhere
    assert AuditEntry.objects.filter(action="candidate.created", object_id=str(created.pk)).exists()
    # The same person again in the same centre: refused, in French, nothing written.
    again = client.post(url, {**form, "birth_name": "Durand"})
    assert again.status_code == 200
    assert gettext("Error:") in again.content.decode()
    assert Candidate.objects.filter(centre=here).count() == 1
    # Another centre's id: not a choice for this user.
    other = client.post(url, {**form, "centre": there.pk, "given_names": "Paul"})
    assert other.status_code == 200
    assert not Candidate.objects.filter(given_names="Paul").exists()
