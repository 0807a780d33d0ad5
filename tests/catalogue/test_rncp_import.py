"""Importing France Compétences' RNCP export (issue 10): the ministry's fiches become titles, versions and CCPs."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.catalogue.rncp_exports import UNIVERSITY, csv_export, fiche, xml_export
from titrepro.catalogue import rncp, rncp_import, services
from titrepro.catalogue.loader import CatalogueFileError
from titrepro.catalogue.models import CatalogueImport, Title, TitleVersion

TODAY = datetime.date(2026, 12, 4)


def first_export() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    fiches = [
        fiche(
            "RNCP10001",
            "Agent de propreté et d'hygiène",
            [("RNCP10001BC01", "Nettoyer des locaux")],
            active=False,
            effect="01/09/2015",
            end="31/08/2020",
            level="NIV3",
        ),
        fiche(
            "RNCP10002",
            "Agent de propreté et d'hygiène",
            [
                ("RNCP10002BC01", "Réaliser un nettoyage manuel"),
                ("RNCP10002BC02", "Réaliser un nettoyage mécanisé"),
            ],
            effect="01/09/2020",
            end="31/08/2030",
            level="NIV3",
        ),
        fiche(
            "RNCP20001",
            "Soudeur assembleur industriel",
            [
                ("RNCP20001BC01", "Souder à plat"),
                ("RNCP20001BC02", "Certificat complémentaire de spécialisation soudage TIG"),
            ],
            level="NIV3",
        ),
        fiche(
            "RNCP40001",
            "BTS Services informatiques",
            [("RNCP40001BC01", "Support")],
            certifier=UNIVERSITY,
            abbreviation="BTS",
            effect="n'importe quoi",
        ),
    ]
    return fiches, [("RNCP10001", "RNCP10002")]


@pytest.mark.django_db
def test_a_first_import_creates_the_ministrys_titles_and_ignores_the_other_certifiers(
    tmp_path: Path, builtin_catalogue: Any
) -> None:
    tssr_before = services.export_title("TP-01351")
    fiches, links = first_export()
    export = rncp.read_export(csv_export(tmp_path, fiches, links))
    assert export.total == 4
    assert sorted(export.fiches) == ["RNCP10001", "RNCP10002", "RNCP20001"]
    plan, kept = rncp_import.import_export(csv_export(tmp_path, fiches, links), today=TODAY)

    cleaning = Title.objects.get(versions__rncp_code="RNCP10002")
    assert cleaning.code == "RNCP10001"
    assert not cleaning.code_known
    assert (cleaning.level, cleaning.confidence, cleaning.sources) == (3, "corroborated", ["RNCP"])
    old, new = TitleVersion.objects.get(rncp_code="RNCP10001"), TitleVersion.objects.get(rncp_code="RNCP10002")
    assert (old.label, old.status, old.valid_until) == ("2015", "revised", datetime.date(2020, 8, 31))
    assert (new.label, new.status, new.predecessor) == ("2020", "in_force", old)
    assert [(c.number, c.rncp_block_code) for c in new.ccps.all()] == [(1, "RNCP10002BC01"), (2, "RNCP10002BC02")]
    welding = TitleVersion.objects.get(rncp_code="RNCP20001")
    assert [c.number for c in welding.ccps.all()] == [1]
    assert [(s.code, s.rncp_block_code) for s in welding.ccs_list.all()] == [("BC02", "RNCP20001BC02")]
    assert not TitleVersion.objects.filter(rncp_code="RNCP40001").exists()
    # TSSR's hand-written data is untouched.
    assert services.export_title("TP-01351") == tssr_before
    assert kept.report == plan.report
    assert CatalogueImport.objects.count() == 1
    assert plan.report["counts"]["created"] == 2

    # The same export again changes nothing.
    again, second = rncp_import.import_export(csv_export(tmp_path, fiches, links), today=TODAY)
    assert (second.created, second.updated, second.deleted) == (0, 0, 0)
    assert not again.changed


@pytest.mark.django_db
def test_the_xml_export_gives_the_competences_of_each_block(tmp_path: Path) -> None:
    fiches = [
        fiche(
            "RNCP50001",
            "Cuisinier",
            [("RNCP50001BC01", "Préparer les entrées", ["Préparer les légumes", "Dresser"])],
            summary="Le cuisinier prépare les plats.",
        ),
    ]
    rncp_import.import_export(xml_export(tmp_path, fiches), today=TODAY)
    version = TitleVersion.objects.get(rncp_code="RNCP50001")
    assert version.summary == "Le cuisinier prépare les plats."
    assert [(c.code, c.label) for c in version.ccps.get().competences.all()] == [
        ("CP1", "Préparer les légumes"),
        ("CP2", "Dresser"),
    ]


@pytest.mark.django_db
def test_bad_exports_are_refused_whole_naming_the_file_line_and_column(tmp_path: Path) -> None:
    fiches, links = first_export()
    with pytest.raises(CatalogueFileError) as missing:
        rncp.read_export(csv_export(tmp_path, fiches, links, drop_column=("Standard", "Actif")))
    assert missing.value.problems[0].field == "Actif"
    fiches[1]["end"] = "31/13/2030"
    with pytest.raises(CatalogueFileError) as wrong:
        rncp.read_export(csv_export(tmp_path, fiches, links))
    [problem] = wrong.value.problems
    assert (problem.line, problem.field) == (3, "Date_Fin_Enregistrement")
    fiches[1]["end"] = "31/08/2030"
    fiches[0]["blocks"] = [("RNCP99999BC01", "Ailleurs")]
    with pytest.raises(CatalogueFileError):
        rncp.read_export(csv_export(tmp_path, fiches, links))
    fiches, _links = first_export()
    loop = rncp.read_export(csv_export(tmp_path, fiches, [("RNCP10001", "RNCP10002"), ("RNCP10002", "RNCP10001")]))
    with pytest.raises(CatalogueFileError):
        rncp_import.plan(loop, today=TODAY)
    with pytest.raises(CommandError):
        call_command("catalogue", "import-rncp", str(csv_export(tmp_path, fiches, links, drop_file="Standard")))
    assert not Title.objects.exists()
    assert not CatalogueImport.objects.exists()


@pytest.mark.django_db
def test_dry_run_and_out_write_nothing_in_the_catalogue(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fiches, links = first_export()
    export = str(csv_export(tmp_path, fiches, links))
    call_command("catalogue", "import-rncp", export, "--dry-run")
    out = capsys.readouterr().out
    assert "Simulation : rien n’a été enregistré." in out
    assert "Nouvelle version 2020 (RNCP10002)." in out
    assert not Title.objects.exists()
    call_command("catalogue", "import-rncp", export, "--out", str(tmp_path / "titles"))
    written = sorted(p.name for p in (tmp_path / "titles").iterdir())
    assert written == ["rncp10001.yaml", "rncp20001.yaml"]
    assert not Title.objects.exists()
    # The files written are catalogue files: `catalogue load` takes them as they are.
    services.load_files(sorted((tmp_path / "titles").iterdir()))
    assert Title.objects.get(code="RNCP10001").versions.count() == 2


@pytest.mark.django_db
def test_a_mapping_file_gives_the_tp_code_and_the_title_keeps_its_rows(tmp_path: Path) -> None:
    fiches, links = first_export()
    rncp_import.import_export(csv_export(tmp_path, fiches, links), today=TODAY)
    version = TitleVersion.objects.get(rncp_code="RNCP10002")
    codes = tmp_path / "codes.csv"
    codes.write_text("rncp;code\nRNCP10002;TP-00123\n", encoding="utf-8")
    plan, _kept = rncp_import.import_export(csv_export(tmp_path, fiches, links), codes=codes, today=TODAY)
    assert TitleVersion.objects.get(pk=version.pk).title.code == "TP-00123"
    assert not Title.objects.filter(code="RNCP10001").exists()
    [entry] = [t for t in plan.report["titles"] if t["code"] == "TP-00123"]
    assert entry["changes"][0] == {"kind": "code_filled", "before": "RNCP10001", "after": "TP-00123"}
