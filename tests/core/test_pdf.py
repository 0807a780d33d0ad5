"""PDF documents rendered with Typst (titrepro.core.pdf), read back by two independent readers:
pypdf and poppler's pdftotext (``make test`` installs poppler-utils)."""

from __future__ import annotations

import copy
import io
import json
import logging
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest

from titrepro.core import pdf

EXAMPLES = pdf.TEMPLATES / "examples"
# Every kind of Typst markup: code, strong, emphasis, maths, label, reference, escape, raw, content.
MARKUP = "M. #set text(red) *Gras* _pen_ $x^2$ <fin> @ref \\ `raw` [a] #{1+1} // // /* O’Brien"


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))
    return copy.deepcopy(data)


def pypdf_text(document: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(document))
    return flat("\n".join(page.extract_text() for page in reader.pages))


def pdftotext(document: bytes, tmp_path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext (Debian's poppler-utils) is missing: `make test` installs it"
    path = tmp_path / "document.pdf"
    path.write_bytes(document)
    result = subprocess.run([tool, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True)  # noqa: S603
    return flat(result.stdout)


def flat(text: str) -> str:
    """Every run of white space (line breaks, no-break spaces) as one space. pdftotext reads in the order
    of the content stream (-raw): Typst writes it in reading order, tables row by row."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ").replace("\u202f", " "))


def both_texts(document: bytes, tmp_path: Path) -> list[str]:
    return [pypdf_text(document), pdftotext(document, tmp_path)]


def test_a_convocation_reads_back_in_both_readers(tmp_path) -> None:
    data = example("convocation")
    data["recipient"]["name"] = "Mme Zoë L’HÔPITAL-BŒUF"
    document = pdf.render("convocation", data)
    assert document.startswith(b"%PDF-")
    for text in both_texts(document, tmp_path):
        assert "RÉPUBLIQUE FRANÇAISE" in text
        assert "Liberté Égalité Fraternité" in text
        assert "Ministère chargé de l’emploi" in text
        assert "DREETS Île-de-France — Unité départementale de Paris" in text
        assert "Mme Zoë L’HÔPITAL-BŒUF" in text
        assert "12 rue de la Roquette, 75011 Paris" in text  # the site
        assert "8 h 30 – 12 h 00" in text  # the first test's hours
        assert "Mise en situation professionnelle" in text
        assert "« Technicien supérieur systèmes et réseaux »" in text
        assert "Temps majoré d’un tiers" in text
        assert "CONV-2027-075-0042-0007" in text
        assert "Convocation émise le 2 décembre 2026" in text
        assert "Page 1 sur 1" in text


def test_french_spacing_before_high_punctuation() -> None:
    """The data's plain space before ":" becomes a no-break space, before ";" a narrow one."""
    reader = pypdf.PdfReader(io.BytesIO(pdf.render("convocation", example("convocation"))))
    text = reader.pages[0].extract_text()
    assert "Objet\u00a0: convocation" in text
    assert "suit\u202f; présentez-vous" in text
    assert "«\u00a0Technicien" in text
    assert "réseaux\u00a0»" in text


def test_a_jury_member_gets_the_leave_note_and_no_empty_section(tmp_path) -> None:
    data = example("convocation")
    data["recipient"] = {"name": "M. Karim BENALI", "address": "", "role": "jury"}
    data["accommodations"] = []
    data["jury"] = {"leave_note": "Article R. 338-6 : votre employeur vous accorde une autorisation d’absence."}
    for text in both_texts(pdf.render("convocation", data), tmp_path):
        assert "Autorisation d’absence" in text
        assert "votre employeur vous accorde une autorisation d’absence" in text
        assert "Aménagements d’épreuves accordés" not in text


def test_a_candidate_convocation_has_no_jury_section(tmp_path) -> None:
    text = pypdf_text(pdf.render("convocation", example("convocation")))
    assert "Autorisation d’absence" not in text


def test_markup_in_data_is_printed_as_typed(tmp_path) -> None:
    data = example("convocation")
    data["recipient"]["name"] = MARKUP
    data["tests"][0]["label"] = "Épreuve #1 *écrite* $5 <b>"
    sheet = example("sign_in_sheet")
    sheet["people"][0]["name"] = MARKUP
    for document in (pdf.render("convocation", data), pdf.render("sign_in_sheet", sheet)):
        for text in both_texts(document, tmp_path):
            assert MARKUP in text
    assert "Épreuve #1 *écrite* $5 <b>" in pypdf_text(pdf.render("convocation", data))


def test_fonts_are_the_shipped_ones_and_embedded() -> None:
    document = pdf.render("convocation", example("convocation"))
    reader = pypdf.PdfReader(io.BytesIO(document))
    fonts = {}
    for page in reader.pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            fonts[str(font["/BaseFont"])] = described["/FontDescriptor"].get_object()
    assert {name.split("+", 1)[-1] for name in fonts} == {
        "IBMPlexSans-Regular",
        "IBMPlexSans-Bold",
        "IBMPlexSans-Italic",
    }
    for name, descriptor in fonts.items():
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor, f"{name} is not embedded"


def test_no_system_font_fills_in() -> None:
    """A snowman is in the system's DejaVu Sans, not in IBM Plex Sans: PDF/A refuses the missing glyph
    rather than taking it from a font of this machine."""
    data = example("convocation")
    data["recipient"]["name"] = "M. Bonhomme ☃"
    with pytest.raises(pdf.PdfError, match="could not be displayed with font"):
        pdf.render("convocation", data)


def test_pdf_a_2b_identification() -> None:
    reader = pypdf.PdfReader(io.BytesIO(pdf.render("sign_in_sheet", example("sign_in_sheet"))))
    xmp = reader.xmp_metadata
    assert xmp is not None
    assert str(xmp.pdfaid_part) == "2"
    assert str(xmp.pdfaid_conformance) == "B"
    root: Any = reader.trailer["/Root"]
    intents = root["/OutputIntents"]
    assert [intent.get_object()["/S"] for intent in intents] == ["/GTS_PDFA1"]
    assert reader.metadata is not None
    assert reader.metadata.title == "Feuille d’émargement"


def test_same_data_and_timestamp_same_bytes() -> None:
    stamp = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
    data = example("convocation")
    assert pdf.render("convocation", data, timestamp=stamp) == pdf.render("convocation", data, timestamp=stamp)


def test_the_examples_render_without_typst_warnings(caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="titrepro.core.pdf"):
        pdf.render("convocation", example("convocation"))
        pdf.render("sign_in_sheet", example("sign_in_sheet"))
        pdf.render("leave_request", example("leave_request"))
        pdf.render("planning", example("planning"))
    assert caplog.records == []


def test_a_planning_is_landscape_a_table_per_day_in_time_order(tmp_path) -> None:
    document = pdf.render("planning", example("planning"))
    box = pypdf.PdfReader(io.BytesIO(document)).pages[0].mediabox
    assert box.width > box.height
    for text in both_texts(document, tmp_path):
        assert "PLANNING DE LA SESSION" in text
        tables = text[text.index("lundi 8 mars 2027") :]  # the summary before also names the last day
        assert tables.index("10 h 15") < tables.index("mardi 9 mars 2027") < tables.index("8 h 50")
        assert "Karim BENALI, Sophie RENAUD" in text
        assert "Écart accepté" in text
        assert "Poste 2" in text


def test_a_leave_request_reads_back_and_leaves_a_line_for_an_unknown_employer(tmp_path) -> None:
    data = example("leave_request")
    for text in both_texts(pdf.render("leave_request", data), tmp_path):
        assert "DEMANDE D’AUTORISATION D’ABSENCE" in text
        assert "Karim BENALI" in text
        assert "Réseaux & Services SAS" in text
        assert "au plus tard le 21 février 2027" in text
        assert "Réponse de l’employeur" in text
    data["employer"] = ""
    for text in both_texts(pdf.render("leave_request", data), tmp_path):
        assert "Réseaux & Services SAS" not in text
        assert "À l’attention de" in text


def test_sign_in_sheet_portrait_for_two_days(tmp_path) -> None:
    document = pdf.render("sign_in_sheet", example("sign_in_sheet"))
    reader = pypdf.PdfReader(io.BytesIO(document))
    box = reader.pages[0].mediabox
    assert box.width < box.height
    for text in both_texts(document, tmp_path):
        assert "FEUILLE D’ÉMARGEMENT" in text
        assert "Mme Chloé MOREAU née le 1er avril 1990" in text
        assert "Mme Sophie RENAUD" in text
        assert "Signature lundi 8 mars 2027" in text
        assert "Signature mardi 9 mars 2027" in text
        assert "Session n° 2027-075-0042" in text


def test_sign_in_sheet_landscape_with_the_header_on_every_page(tmp_path) -> None:
    data = example("sign_in_sheet")
    data["days"] = ["lundi 8 mars 2027", "mardi 9 mars 2027", "mercredi 10 mars 2027"]
    data["people"] = [
        {"name": f"Mme Personne NUMÉRO-{index}", "detail": "née le 3 avril 1990", "role": "Candidate"}
        for index in range(40)
    ]
    document = pdf.render("sign_in_sheet", data)
    reader = pypdf.PdfReader(io.BytesIO(document))
    assert len(reader.pages) > 1
    for index, page in enumerate(reader.pages, start=1):
        box = page.mediabox
        assert box.width > box.height
        text = flat(page.extract_text())
        assert "Nom et prénom" in text
        assert "Signature mercredi 10 mars 2027" in text
        assert f"Page {index} sur {len(reader.pages)}" in text
    every = pypdf_text(document)
    assert all(f"NUMÉRO-{index} " in every for index in range(40))


def test_a_template_error_is_a_pdf_error() -> None:
    data = example("convocation")
    del data["session"]
    with pytest.raises(pdf.PdfError, match='does not contain key "session"') as caught:
        pdf.render("convocation", data)
    assert caught.value.template == "convocation"
    assert "convocation.typ" in caught.value.diagnostic


@pytest.mark.parametrize("name", ["missing", "layout", "../settings", "Convocation", ""])
def test_only_templates_render(name: str) -> None:
    with pytest.raises(pdf.PdfError):
        pdf.render(name, example("convocation"))


def test_data_must_be_formatted_first() -> None:
    data = example("convocation")
    data["issued_on"] = date(2026, 12, 2)
    with pytest.raises(pdf.PdfError, match="not JSON"):
        pdf.render("convocation", data)


def test_a_remote_session_says_so() -> None:
    data = example("convocation")
    assert "Session à distance" not in pypdf_text(pdf.render("convocation", data))
    data["session"]["remote"] = True
    assert "Session à distance : le lien de connexion" in pypdf_text(pdf.render("convocation", data))


def test_threads_render_their_own_documents() -> None:
    """Each thread has its own compiler; the fonts are shared."""

    def one(index: int) -> str:
        data = example("convocation")
        data["recipient"]["name"] = f"Mme Personne NUMÉRO-{index}"
        return pypdf_text(pdf.render("convocation", data))

    with ThreadPoolExecutor(max_workers=4) as pool:
        texts = list(pool.map(one, range(8)))
    for index, text in enumerate(texts):
        assert f"Mme Personne NUMÉRO-{index} " in text
        assert all(f"NUMÉRO-{other} " not in text for other in range(8) if other != index)


def test_optional_parts_may_be_empty() -> None:
    data = example("convocation")
    data["session"].update(title_code="", version_label="", site="")
    data["centre"] = None
    data["recipient"]["address"] = ""
    data.update(bring=[], accommodations=[], regulation_note="")
    data["tests"] = [{"day": "lundi 8 mars 2027", "start": "", "end": "", "label": "Entretien final", "detail": ""}]
    data["labels"].update(salutation="", issued="", signatory_name="")
    text = pypdf_text(pdf.render("convocation", data))
    assert "lundi 8 mars 2027 Entretien final" in text
    assert "À apporter" not in text
    assert "Centre de formation" not in text
    sheet = example("sign_in_sheet")
    sheet.update(centre=None, people=[], days=["lundi 8 mars 2027"])
    sheet["labels"]["note"] = ""
    assert "Signature lundi 8 mars 2027" in pypdf_text(pdf.render("sign_in_sheet", sheet))
