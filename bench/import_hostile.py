"""Timings of the hostile workbooks of issue 11, item 6, read as an import reads them.

    uv run python bench/import_hostile.py

Each line: the file, its size, how long reading it took and what the import says. Before the
guards, the first took 22 s of CPU and the second more than five minutes; both must now take
a fraction of a second. No database is needed: the file-level checks come before any query.
"""

from __future__ import annotations

import io
import os
import random
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "titrepro.settings")

import django

django.setup()

from titrepro.candidates import imports  # noqa: E402
from titrepro.core.spreadsheets import xlsx_bytes  # noqa: E402

SHEET = "xl/worksheets/sheet1.xml"


def rewrite(content: bytes, change: Callable[[bytes], bytes]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for member in source.infolist():
            data = source.read(member.filename)
            target.writestr(member.filename, change(data) if member.filename == SHEET else data)
    return out.getvalue()


def main() -> None:
    base = xlsx_bytes(
        "candidats",
        ("nom_naissance", "prenoms", "date_naissance", "lieu_naissance"),
        [("Dupré", "Élise", "14/03/1994", "Nantes")],
    )
    noise = random.Random(0).randbytes(5_000_000).hex().encode()
    files = {
        "declared dimension A1:XFD1048576": rewrite(
            base, lambda s: s.replace(b"<sheetViews>", b'<dimension ref="A1:XFD1048576"/><sheetViews>')
        ),
        "200 MB comment": rewrite(
            base, lambda s: s.replace(b"<sheetData>", b"<!--" + b"x" * 200_000_000 + b"--><sheetData>")
        ),
        "10 MB incompressible comment": rewrite(
            base, lambda s: s.replace(b"<sheetData>", b"<!--" + noise + b"--><sheetData>")
        ),
        "10 MB attribute": rewrite(base, lambda s: s.replace(b"<sheetData>", b'<sheetData x="' + noise + b'">')),
        "row 1,048,576": rewrite(
            base,
            lambda s: s.replace(b"</sheetData>", b'<row r="1048576"><c r="A1048576"><v>1</v></c></row></sheetData>'),
        ),
    }
    for label, content in files.items():
        started = time.process_time()
        try:
            _header, rows = imports.read_table("candidats.xlsx", content)
            count = sum(1 for _ in rows)
            outcome = f"read: {count} rows"
        except ValueError as exc:
            outcome = f"refused: {exc}"
        print(f"{label:36} {len(content) / 1024:8.1f} KB {time.process_time() - started:7.3f} s CPU  {outcome}")


if __name__ == "__main__":
    main()
