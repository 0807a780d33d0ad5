"""Import of candidates: whole file checked first, all or nothing, no duplicates on re-import."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from tests.factories import make_candidate, make_centre, user_with_role

from titrepro.accounts.models import RoleKind
from titrepro.audit.models import AuditEntry
from titrepro.candidates import imports, services
from titrepro.candidates.models import Candidate, Pathway
from titrepro.catalogue.services import LoadReport
from titrepro.directory.models import ApprovedCentre

pytestmark = pytest.mark.django_db

HEADER = (
    "nom_naissance;nom_usage;prenoms;date_naissance;lieu_naissance;courriel;telephone;titre;parcours;debut_formation"
)


def rows(count: int, bad_line: int | None = None) -> bytes:
    """A CSV of ``count`` candidates; the data row on file line ``bad_line`` has an impossible date."""
    lines = [HEADER]
    for i in range(count):
        line = i + 2
        born = "31/02/1990" if line == bad_line else f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1970 + i % 30}"
        lines.append(
            f"Dupré{i};;Élise Anne;{born};Nantes;elise{i}@example.org;06 12 34 56 78;TP-01351;formation;05/01/2026"
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def centre_and_staff() -> tuple[ApprovedCentre, Any]:
    centre = make_centre()
    return centre, user_with_role(RoleKind.CENTRE_STAFF, centre=centre)


def test_one_bad_row_among_a_thousand_writes_nothing_and_is_reported(
    builtin_catalogue: LoadReport, centre_and_staff: tuple[ApprovedCentre, Any]
) -> None:
    centre, staff = centre_and_staff
    report = services.check_and_import(staff, centre, "candidats.csv", rows(1000, bad_line=502))
    assert not report.ok
    assert report.rows == 1000
    assert report.bad_lines == [502]
    assert report.errors[0].column == "date_naissance"
    assert "31/02/1990" in report.errors[0].message
    assert Candidate.objects.count() == 0
    assert Pathway.objects.count() == 0
    assert not AuditEntry.objects.exists()


def test_fixed_file_writes_a_thousand_and_reimport_writes_none(
    builtin_catalogue: LoadReport, centre_and_staff: tuple[ApprovedCentre, Any]
) -> None:
    centre, staff = centre_and_staff
    report = services.check_and_import(staff, centre, "candidats.csv", rows(1000))
    assert report.ok
    assert report.committed
    assert (report.created, report.pathways_created) == (1000, 1000)
    assert Candidate.objects.filter(centre=centre).count() == 1000
    assert Pathway.objects.count() == 1000
    entry = AuditEntry.objects.get(action="candidates.imported")  # one entry per batch, on the centre
    assert entry.object_type == "directory.approvedcentre"
    assert entry.data["created"] == 1000

    again = services.check_and_import(staff, centre, "candidats.csv", rows(1000))
    assert again.ok
    assert (again.created, again.already_present, again.pathways_created) == (0, 1000, 0)
    assert Candidate.objects.count() == 1000
    assert Pathway.objects.count() == 1000


def test_every_bad_row_is_listed_with_a_french_reason(builtin_catalogue: LoadReport) -> None:
    centre = make_centre()
    content = "\n".join(
        [
            HEADER,
            "Durand;;Paul;12/05/1990;Lille;pas-un-courriel;;TP-01351;formation;",
            ";;Paul;12/05/1990;Lille;;;;;",
            "Durand;;Jean;1990-05-12;Lille;;abc;TP-99999;marche;",
            "Durand;;Paul;12/05/1990;Lille;;;TP-01351;formation;",
            "DURAND;;paul;12/05/1990;Lille;;;TP-01351;formation;",
        ]
    ).encode("utf-8-sig")
    report = imports.check(centre, "f.csv", content)
    found = {(e.line, e.column) for e in report.errors}
    assert found == {
        (2, "courriel"),
        (3, "nom_naissance"),
        (4, "telephone"),
        (4, "titre"),
        (4, "parcours"),
        (6, ""),
    }
    assert "ligne 2" in report.as_text().lower() or "line 2" in report.as_text().lower()


def test_comma_separator_bom_and_xlsx_are_read(builtin_catalogue: LoadReport) -> None:
    centre = make_centre()
    csv_comma = "\ufeffnom_naissance,prenoms,date_naissance,lieu_naissance\nBéranger,Zoé,01/02/2000,Brest\n"
    assert imports.check(centre, "a.csv", csv_comma.encode()).ok

    from openpyxl import Workbook  # type: ignore[import-untyped]

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["nom_naissance", "prenoms", "date_naissance", "lieu_naissance", "titre", "parcours"])
    sheet.append(["Béranger", "Zoé", date(2000, 2, 1), "Brest", "TP-01351", "VAE"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = imports.check(centre, "a.xlsx", buffer.getvalue())
    assert report.ok, report.as_text()
    assert report.valid_rows[0].birth_date == date(2000, 2, 1)
    assert report.valid_rows[0].route == "vae"


def test_missing_columns_and_bad_encoding_are_file_errors() -> None:
    centre = make_centre()
    assert imports.check(centre, "a.csv", b"nom;prenom\nA;B\n").file_errors
    assert imports.check(
        centre, "a.csv", "nom_naissance;prenoms;date_naissance;lieu_naissance\nRenée".encode("latin-1")
    ).file_errors


def test_same_person_in_another_centre_is_a_warning(builtin_catalogue: LoadReport) -> None:
    other = make_candidate(birth_name="Lefèvre", given_names="Zoé", birth_date=date(2000, 2, 1))
    centre = make_centre()
    content = b"nom_naissance;prenoms;date_naissance;lieu_naissance\nLEFEVRE;zoe Marie;01/02/2000;Brest\n"
    report = imports.check(centre, "a.csv", content)
    assert report.ok
    assert report.warnings
    assert other.centre.name in report.warnings[0].message


def test_export_round_trips(builtin_catalogue: LoadReport, centre_and_staff: tuple[ApprovedCentre, Any]) -> None:
    centre, staff = centre_and_staff
    services.check_and_import(staff, centre, "candidats.csv", rows(20))
    exported = imports.export_csv(centre)
    assert exported.startswith("\ufeff".encode())
    again = services.check_and_import(staff, centre, "export.csv", exported)
    assert again.ok
    assert again.created == 0
    assert again.already_present == 20
    assert again.pathways_created == 0
    other = make_centre()
    copy = services.check_and_import(user_with_role(RoleKind.NATIONAL_ADMIN), other, "export.csv", exported)
    assert copy.created == 20
    assert copy.pathways_created == 20
    assert imports.export_csv(other).split(b"\r\n")[1:] == exported.split(b"\r\n")[1:]
    xlsx = imports.export_xlsx(other)
    assert imports.check(other, "x.xlsx", xlsx).already_present == 20


def test_command_imports_and_exits_1_with_the_report(
    builtin_catalogue: LoadReport, tmp_path: object, capsys: pytest.CaptureFixture[str]
) -> None:
    from pathlib import Path

    folder = Path(str(tmp_path))
    centre = make_centre(code="CTR1")
    bad = folder / "bad.csv"
    bad.write_bytes(rows(10, bad_line=5))
    with pytest.raises(SystemExit) as exit_info:
        call_command("candidates", "import", str(bad), "--centre", "CTR1")
    assert exit_info.value.code == 1
    assert "5" in capsys.readouterr().err
    good = folder / "good.csv"
    good.write_bytes(rows(10))
    call_command("candidates", "import", str(good), "--centre", "CTR1")
    assert Candidate.objects.filter(centre=centre).count() == 10
    out = folder / "out.csv"
    call_command("candidates", "export", "--centre", "CTR1", "-o", str(out))
    assert out.read_bytes() == imports.export_csv(centre)
    with pytest.raises(CommandError):
        call_command("candidates", "import", str(good), "--centre", "NOPE")
