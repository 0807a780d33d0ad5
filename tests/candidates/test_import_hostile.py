"""Hostile files cannot stall an import (issue 11, item 6): each is refused or read in bounded work.

The workbooks are built here from a valid export, with one part rewritten: a sheet that declares
the largest dimension a sheet may have, a huge XML comment or attribute (quadratic in Python's
expat), an entity declaration, a part too large once uncompressed, an absurd compression ratio,
too many parts, rows far below the last. The assertions are on behaviour, never on timing
(bench/import_hostile.py prints the timings). The messages are matched in English, their msgids,
until the French catalogue has them.
"""

from __future__ import annotations

import io
import itertools
import random
import zipfile
from collections.abc import Callable

import pytest
from tests.factories import make_centre

from titrepro.candidates import imports
from titrepro.core.spreadsheets import xlsx_bytes

pytestmark = pytest.mark.django_db

SHEET = "xl/worksheets/sheet1.xml"
HEADER = ("nom_naissance", "prenoms", "date_naissance", "lieu_naissance")
ROW = ("Dupré", "Élise", "14/03/1994", "Nantes")


def workbook(rows: int = 1) -> bytes:
    return xlsx_bytes("candidats", HEADER, [(f"{ROW[0]}{i}", *ROW[1:]) for i in range(rows)])


def rewrite(content: bytes, change: Callable[[bytes], bytes], extra: dict[str, bytes] | None = None) -> bytes:
    """The same workbook with its first sheet passed through ``change`` (and ``extra`` parts added)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            target.writestr(member.filename, change(data) if member.filename == SHEET else data)
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def file_errors(content: bytes) -> list[str]:
    return imports.check(make_centre(), "candidats.xlsx", content).file_errors


def test_the_unchanged_workbook_is_valid() -> None:
    report = imports.check(make_centre(), "candidats.xlsx", workbook())
    assert report.ok, report.file_errors
    assert report.rows == 1


def test_a_declared_huge_dimension_is_ignored() -> None:
    content = rewrite(
        workbook(), lambda sheet: sheet.replace(b"<sheetViews>", b'<dimension ref="A1:XFD1048576"/><sheetViews>')
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(content)).read(SHEET)
    assert len(content) < 8000
    header, rows = imports.read_table("candidats.xlsx", content)
    assert header == list(HEADER)
    first = list(itertools.islice(rows, 5))  # the old reader padded every row to 16,384 cells, 1,048,575 times
    assert [len(values) for _, values in first] == [len(HEADER) + 1]
    report = imports.check(make_centre(), "candidats.xlsx", content)
    assert report.ok, report.file_errors
    assert report.rows == 1


def noise(size: int) -> bytes:
    """Text that does not compress much, so that only the markup check can refuse it."""
    return random.Random(size).randbytes(size // 2).hex().encode()  # noqa: S311 (test data, not a secret)


def test_a_huge_xml_comment_is_refused() -> None:
    # As in the issue: a small file (here 20 KB) whose comment fills megabytes; its ratio gives it away.
    content = rewrite(
        workbook(), lambda sheet: sheet.replace(b"<sheetData>", b"<!--" + b"x" * 3_000_000 + b"--><sheetData>")
    )
    assert len(content) < 20_000
    (error,) = file_errors(content)
    assert "compressé d’une manière" in error
    # The same comment, incompressible: refused for being a comment.
    content = rewrite(
        workbook(), lambda sheet: sheet.replace(b"<sheetData>", b"<!--" + noise(3_000_000) + b"--><sheetData>")
    )
    (error,) = file_errors(content)
    assert "un commentaire" in error


def test_a_huge_attribute_is_refused() -> None:
    content = rewrite(
        workbook(), lambda sheet: sheet.replace(b"<sheetData>", b'<sheetData x="' + noise(3_000_000) + b'">')
    )
    (error,) = file_errors(content)
    assert "bien plus longue qu’une cellule" in error


def test_an_entity_declaration_is_refused() -> None:
    doctype = b'<!DOCTYPE worksheet [<!ENTITY a "Entit\xc3\xa9 d\xc3\xa9velopp\xc3\xa9e">]>'

    def entity(sheet: bytes) -> bytes:
        start = sheet.index(b"<worksheet")
        return sheet[:start] + doctype + sheet[start:].replace(b"Nantes", b"&a;")

    (error,) = file_errors(rewrite(workbook(), entity))
    assert "un type de document" in error


def test_openpyxl_parses_through_defusedxml() -> None:
    import openpyxl  # type: ignore[import-untyped]

    assert openpyxl.DEFUSEDXML is True


def test_a_part_too_large_once_uncompressed_is_refused(settings) -> None:
    settings.TITREPRO_IMPORT_MAX_PART_BYTES = 100_000
    content = workbook(rows=2000)
    assert zipfile.ZipFile(io.BytesIO(content)).getinfo(SHEET).file_size > 100_000
    (error,) = file_errors(content)
    assert "trop volumineuse une fois décompressée" in error


def test_an_absurd_compression_ratio_is_refused() -> None:
    content = rewrite(workbook(), lambda sheet: sheet, extra={"xl/media/padding.bin": b"\0" * 5_000_000})
    (error,) = file_errors(content)
    assert "compressé d’une manière" in error


def test_too_many_parts_are_refused() -> None:
    content = rewrite(workbook(), lambda sheet: sheet, extra={f"xl/media/image{i}.bin": b"x" for i in range(150)})
    (error,) = file_errors(content)
    assert "trop d’éléments" in error


def test_rows_beyond_the_cap_are_refused(settings) -> None:
    settings.TITREPRO_IMPORT_MAX_ROWS = 10
    assert imports.check(make_centre(), "candidats.xlsx", workbook(rows=10)).ok
    (error,) = file_errors(workbook(rows=11))
    assert "plus de 10 lignes" in error
    csv = ("\n".join([";".join(HEADER), *[f"{ROW[0]}{i};" + ";".join(ROW[1:]) for i in range(11)]]) + "\n").encode()
    (error,) = imports.check(make_centre(), "candidats.csv", csv).file_errors
    assert "plus de 10 lignes" in error


def test_a_row_far_below_the_last_is_refused_by_the_row_cap() -> None:
    far = b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    (error,) = file_errors(rewrite(workbook(), lambda sheet: sheet.replace(b"</sheetData>", far)))
    assert "plus de 20000 lignes" in error
