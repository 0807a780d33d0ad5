"""The public verification (/verifier/...): anyone types the number printed on a document, or follows its QR code,
and reads what it certifies (only what it prints), its status and its PDF's hash; each look is counted."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from titrepro.core import pdf
from titrepro.credentials import codes, content
from titrepro.credentials.models import Consultation, IssuedDocument, Kind

pytestmark = pytest.mark.django_db


def test_the_number_typed_leads_to_what_the_document_certifies(client: Client, documents: dict[str, Any]) -> None:
    parchemin = documents[Kind.PARCHEMIN]
    typed = parchemin.printed_code.lower().replace("-", " ")
    answer = client.get(reverse("credentials:verify"), {"code": typed})
    url = reverse("credentials:verify_code", args=[parchemin.printed_code])
    assert (answer.status_code, answer["Location"]) == (302, url)
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="valid"' in html
    assert "Authentique et valide." in html
    assert parchemin.sha256 in html
    assert parchemin.data["holder"]["name"] in html
    assert "Technicien supérieur systèmes et réseaux" in html
    # Only what the document prints: neither the e-mail, nor the route, nor the candidate's record.
    holder = parchemin.holder
    assert holder.email not in html
    assert "formation" not in html.lower().replace("informations", "")
    assert Consultation.objects.filter(document=parchemin, channel="code").count() == 1


def test_a_typo_an_unknown_number_and_a_non_number_each_get_their_answer(
    client: Client, documents: dict[str, Any]
) -> None:
    code = documents[Kind.LIVRET].code
    swapped = code[1] + code[0] + code[2:] if code[0] != code[1] else code[:2] + code[3] + code[2] + code[4:]
    typo = client.get(reverse("credentials:verify"), {"code": swapped})
    assert typo.status_code == 400
    assert "erreur de saisie" in typo.content.decode()
    short = client.get(reverse("credentials:verify"), {"code": "ABCD-EFGH"})
    assert short.status_code == 400
    assert "28 lettres et chiffres" in short.content.decode()
    unknown = client.get(reverse("credentials:verify_code", args=[codes.grouped(codes.new_code())]))
    assert unknown.status_code == 404
    assert "Aucun document délivré par titrepro ne porte ce numéro." in unknown.content.decode()
    forged = client.get("/verifier/%3Cscript%3E/")
    assert forged.status_code == 404
    assert "<script>" not in forged.content.decode()
    assert not Consultation.objects.exists()


def test_a_superseded_document_says_so_and_points_to_the_current_one(client: Client, documents: dict[str, Any]) -> None:
    livret = documents[Kind.LIVRET]
    parchemin = documents[Kind.PARCHEMIN]
    IssuedDocument.objects.filter(pk=livret.pk).update(
        status="superseded", superseded_by=parchemin, status_reason="Remplacé par le parchemin."
    )
    html = client.get(reverse("credentials:verify_code", args=[livret.printed_code])).content.decode()
    assert 'data-status="superseded"' in html
    assert "Authentique, mais remplacé" in html
    assert "Remplacé par le parchemin." not in html  # the reason is the authority's, not printed on the document
    assert reverse("credentials:verify_code", args=[parchemin.printed_code]) in html


def test_an_attestation_points_to_the_document_it_stood_for(client: Client, documents: dict[str, Any]) -> None:
    """R-73: the attestation de réussite of the partial success, issued first, is superseded by the livret."""
    attestation = IssuedDocument.objects.get(kind=Kind.ATTESTATION, registration=documents[Kind.LIVRET].registration)
    assert attestation.superseded_by == documents[Kind.LIVRET]
    html = client.get(reverse("credentials:verify_code", args=[attestation.printed_code])).content.decode()
    assert 'data-status="superseded"' in html
    assert "Attestation de réussite" in html
    assert reverse("credentials:verify_code", args=[documents[Kind.LIVRET].printed_code]) in html
    assert [c["number"] for c in attestation.data["ccps"]] == [1]  # this session's CCP


def _upload(client: Client, data: bytes, name: str = "document.pdf") -> Any:
    return client.post(
        reverse("credentials:verify_file"),
        {"file": SimpleUploadedFile(name, data, content_type="application/pdf")},
    )


def _verdict(response: Any) -> tuple[str, str]:
    html = response.content.decode()
    found = re.search(r'id="file-verdict" role="status" data-code="(\w+)" data-outcome="(\d)"', html)
    assert found is not None, html[:2000]
    return found[1], found[2]


def test_an_uploaded_file_is_authentic_altered_or_not_ours(client: Client, documents: dict[str, Any]) -> None:
    parchemin = documents[Kind.PARCHEMIN]
    data = parchemin.pdf.read()
    parchemin.pdf.close()
    valid = _upload(client, data)
    assert _verdict(valid) == ("valid", "0")
    assert "Authentique et valide." in valid.content.decode()
    assert Consultation.objects.filter(document=parchemin, channel="upload").count() == 1

    # One byte changed inside what was signed (the PDF's text stream area, well before the signature).
    middle = len(data) // 3
    altered = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    answer = _upload(client, altered)
    assert _verdict(answer) == ("altered", "3")
    assert "modifié après sa signature" in answer.content.decode()

    unsigned = pdf.render("certificate", content.pdf_data(parchemin.data))
    assert _verdict(_upload(client, unsigned)) == ("unsigned", "2")
    assert _verdict(_upload(client, b"hello, not a PDF")) == ("not_pdf", "4")
    assert _verdict(_upload(client, data[: len(data) // 2])) in {("not_pdf", "4"), ("altered", "3")}


def test_the_upload_form_refuses_a_missing_or_huge_file(client: Client, db: None) -> None:
    empty = client.post(reverse("credentials:verify_file"), {})
    assert empty.status_code == 400
    huge = _upload(client, b"%PDF-1.7\n" + b"0" * (2 * 1024 * 1024))
    assert huge.status_code in (400, 413)


def test_the_public_verification_answers_429_past_its_rate(
    client: Client, documents: dict[str, Any], settings: Any
) -> None:
    settings.TITREPRO_VERIFY_RATE = "3/h"  # an hour-long window does not reset in the middle of the test
    url = reverse("credentials:verify_code", args=[documents[Kind.LIVRET].printed_code])
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    refused = client.get(url)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Trop de vérifications" in refused.content.decode()
    assert Consultation.objects.count() == 3
    # Another address is not refused.
    assert client.get(url, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_titrepro_verify_says_the_same_with_exit_codes(documents: dict[str, Any], tmp_path: Path) -> None:
    livret = documents[Kind.LIVRET]
    data = livret.pdf.read()
    livret.pdf.close()
    good = tmp_path / "livret.pdf"
    good.write_bytes(data)
    bad = tmp_path / "altered.pdf"
    middle = len(data) // 3
    bad.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :])

    def run(path: Path) -> tuple[int, str]:
        out = io.StringIO()
        with pytest.raises(SystemExit) as exit_:
            call_command("verify", str(path), stdout=out, stderr=out)
        return int(exit_.value.code or 0), out.getvalue()

    code, text = run(good)
    assert code == 0
    assert "Authentique et valide." in text
    assert livret.printed_code in text
    code, text = run(bad)
    assert (code, "modifié après sa signature" in text) == (3, True)
    assert run(tmp_path / "missing.pdf")[0] == 4
    IssuedDocument.objects.filter(pk=livret.pk).update(status="withdrawn", status_reason="Fraude avérée.")
    code, text = run(good)
    assert code == 1
    assert "retiré" in text
    assert "Fraude avérée." in text
