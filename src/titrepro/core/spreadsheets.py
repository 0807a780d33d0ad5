"""Every spreadsheet titrepro writes: text stays text (issue 11, item 5).

A value typed by a person (a name, a place, a provider) may begin with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return; a spreadsheet would run it as a formula
(``=HYPERLINK(...)``, ``=WEBSERVICE(...)``). In XLSX every string cell is written with
the string type, so it is never a formula; in CSV, where there are no types, such a cell
gets the usual leading apostrophe (OWASP "CSV injection"), which spreadsheets hide.
Every export, now and in later issues, goes through ``csv_bytes`` and ``xlsx_bytes``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """A CSV cell a spreadsheet would evaluate, with a leading apostrophe; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """UTF-8 with a BOM and ``;`` (what a French spreadsheet opens directly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([neutralise(cell) for cell in header])
    for row in rows:
        writer.writerow([neutralise(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet_name: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet; every string written as a string (data type ``s``), never as a formula."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.cell import WriteOnlyCell  # type: ignore[import-untyped]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)

    def cells(values: Sequence[Any]) -> list[Any]:
        out = []
        for value in values:
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            out.append(cell)
        return out

    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def attachment(content: bytes, filename: str) -> HttpResponse:
    """A spreadsheet to download: XLSX when the name ends so, CSV otherwise."""
    xlsx = filename.endswith(".xlsx")
    response = HttpResponse(content, content_type=XLSX_TYPE if xlsx else "text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def download(fmt: str | None, stem: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> HttpResponse:
    """A list's export: ``?format=xlsx`` an XLSX (one sheet named after the file), anything else CSV."""
    if fmt == "xlsx":
        return attachment(xlsx_bytes(stem[:31], header, rows), f"{stem}.xlsx")
    return attachment(csv_bytes(header, rows), f"{stem}.csv")
