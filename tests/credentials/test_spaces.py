"""The documents in the workspaces, on a real TSSR 2023 session whose documents were issued: the candidate lists
theirs with how often they were verified and downloads the signed PDF; the centre follows the issuance and takes
the ZIP of the session's documents."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.credentials.conftest import issue_all
from tests.deliberation.world import candidate_user, held_session, validated
from tests.helpers import login_as

from titrepro.credentials import services
from titrepro.credentials.models import Consultation, IssuedDocument, Kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(builtin_catalogue: Any) -> Any:
    held = held_session()
    validated(held)
    return held


def test_the_candidate_lists_their_documents_and_downloads_the_signed_pdf(client: Client, held: Any) -> None:
    second = held.registrations[1]
    learner = login_as(client, candidate_user(second))
    empty = learner.get(reverse("credentials_spaces:candidate_documents")).content.decode()
    assert 'id="no-document"' in empty
    issue_all()
    livret = IssuedDocument.objects.get(holder=second.candidate, kind=Kind.LIVRET)
    attestation = IssuedDocument.objects.get(holder=second.candidate, kind=Kind.ATTESTATION)
    Consultation.objects.create(document=livret, channel="code")
    Consultation.objects.create(document=livret, channel="upload")
    html = learner.get(reverse("credentials_spaces:candidate_documents")).content.decode()
    assert f'id="document-{livret.pk}" data-status="valid"' in html
    assert 'data-verified="2"' in html
    assert "Vérifié 2 fois." in html
    assert livret.printed_code in html
    # The attestation stood for the livret until it was issued: listed, superseded, no duplicate of it.
    assert f'id="document-{attestation.pk}" data-status="superseded"' in html
    assert f'id="duplicate-{livret.pk}"' in html
    assert f'id="duplicate-{attestation.pk}"' not in html
    other = IssuedDocument.objects.get(holder=held.registrations[0].candidate, kind=Kind.PARCHEMIN)
    assert f'id="document-{other.pk}"' not in html
    pdf = learner.get(reverse("credentials_spaces:candidate_document_file", args=[livret.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.getvalue().startswith(b"%PDF-1.7")
    assert learner.get(reverse("credentials_spaces:candidate_document_file", args=[other.pk])).status_code == 404


def test_the_centre_follows_the_issuance_and_takes_the_zip(client: Client, held: Any) -> None:
    staff = login_as(client, held.world.staff)
    url = reverse("credentials_spaces:centre_session_documents", args=[held.session.pk])
    before = staff.get(url).content.decode()
    assert 'data-issued="0" data-total="4"' in before  # two attestations, a parchemin, a livret
    assert 'hx-trigger="every 2s"' in before
    fragment = staff.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="documents-progress"' in fragment
    assert "<html" not in fragment
    documents = issue_all()
    after = staff.get(url).content.decode()
    assert 'data-issued="4" data-total="4"' in after
    assert 'hx-trigger="every 2s"' not in after
    zipped = staff.get(reverse("credentials_spaces:centre_session_documents_zip", args=[held.session.pk]))
    archive = zipfile.ZipFile(io.BytesIO(zipped.content))
    names = archive.namelist()
    assert sorted(next(kind for kind in Kind.values if kind in name) for name in names) == sorted(
        d.kind for d in documents
    )
    assert {archive.read(name)[:8] for name in names} == {b"%PDF-1.7"}


def test_the_candidate_gets_a_duplicate_that_stands_or_falls_with_the_original(client: Client, held: Any) -> None:
    from tests.credentials.test_issuance import text_of

    first = held.registrations[0]
    issue_all()
    original = IssuedDocument.objects.get(holder=first.candidate, kind=Kind.PARCHEMIN)
    learner = login_as(client, candidate_user(first))
    attestation = IssuedDocument.objects.get(holder=first.candidate, kind=Kind.ATTESTATION)
    refused = learner.post(reverse("credentials_spaces:candidate_duplicate", args=[attestation.pk]), follow=True)
    assert "Une attestation de réussite est provisoire et n’a pas de duplicata" in refused.content.decode()
    assert not IssuedDocument.objects.filter(duplicate_of=attestation).exists()
    answer = learner.post(reverse("credentials_spaces:candidate_duplicate", args=[original.pk]))
    assert answer.status_code == 302
    copy = IssuedDocument.objects.get(duplicate_of=original)
    assert (copy.kind, copy.holder_id, copy.source_id, copy.status) == (
        original.kind,
        original.holder_id,
        None,
        "valid",
    )
    assert copy.code != original.code
    assert copy.data["number"] == copy.printed_code
    path = Path(copy.pdf.path)
    assert f"DUPLICATA DU DOCUMENT N° {original.printed_code}" in text_of(path)
    page = client.get(reverse("credentials:verify_code", args=[copy.printed_code])).content.decode()
    assert 'id="duplicate"' in page
    assert original.printed_code in page
    # A duplicate of a duplicate is one of the original; a withdrawn original takes its duplicates along.
    learner.post(reverse("credentials_spaces:candidate_duplicate", args=[copy.pk]))
    assert IssuedDocument.objects.filter(duplicate_of=original).count() == 2
    assert original.source_id is not None
    services.revoke([original.source_id], "withdrawn", "Fraude avérée.", original.issued_at.date(), None)
    withdrawn = IssuedDocument.objects.filter(holder=first.candidate).exclude(kind=Kind.ATTESTATION)
    assert set(withdrawn.values_list("status", flat=True)) == {"withdrawn"}
    refused = learner.post(reverse("credentials_spaces:candidate_duplicate", args=[original.pk]), follow=True)
    assert "Seul un document valide a un duplicata" in refused.content.decode()
    assert IssuedDocument.objects.filter(duplicate_of=original).count() == 2


def test_the_session_page_shows_the_issuance_and_links_to_the_documents(client: Client, held: Any) -> None:
    from titrepro.sessions.models import ExamSession

    ExamSession.objects.filter(pk=held.session.pk).update(status="held")
    staff = login_as(client, held.world.staff)
    html = staff.get(reverse("sessions:centre_session_detail", args=[held.session.pk])).content.decode()
    documents = reverse("credentials_spaces:centre_session_documents", args=[held.session.pk])
    assert f'href="{documents}" id="documents-link"' in html
    assert f'hx-get="{documents}" hx-trigger="load"' in html
