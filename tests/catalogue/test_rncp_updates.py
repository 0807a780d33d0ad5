"""The next export (issue 10): what changed is reported title by title and kept for national administrators; rows
that candidates refer to are closed, never deleted; hand-written, confirmed data is never overwritten."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.catalogue.rncp_exports import csv_export, fiche, xml_export
from tests.catalogue.test_rncp_import import TODAY, first_export
from tests.factories import make_candidate, user_with_role
from tests.helpers import login_as
from titrepro.accounts.models import RoleKind
from titrepro.candidates.models import Holding
from titrepro.catalogue import rncp, rncp_import, services
from titrepro.catalogue.loader import CatalogueFileError
from titrepro.catalogue.models import CCP, CatalogueImport, Title, TitleVersion


def _folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder


def _changes(report: dict[str, Any], code: str) -> list[str]:
    [entry] = [entry for entry in report["titles"] if entry["code"] == code]
    return [rncp_import.describe(change) for change in entry["changes"]]


def second_export() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """Three years on: the cleaning title revised (RNCP10003), its 2020 version inactive with a renamed block and
    a block gone; the welding title's fiche ended (INACTIVE, no successor); a new title of the ministry."""
    fiches, links = first_export()
    by_number = {f["number"]: f for f in fiches}
    by_number["RNCP10002"].update(
        active=False,
        end="31/08/2026",
        blocks=[("RNCP10002BC01", "Réaliser un nettoyage manuel des locaux")],
    )
    by_number["RNCP20001"].update(active=False, end="30/06/2026")
    fiches.append(
        fiche(
            "RNCP10003",
            "Agent de propreté et d'hygiène",
            [("RNCP10003BC01", "Réaliser un nettoyage"), ("RNCP10003BC02", "Remettre en état les surfaces")],
            effect="01/09/2026",
            decision="15/06/2026",
            end="31/08/2031",
            level="NIV3",
        )
    )
    fiches.append(fiche("RNCP30001", "Serveur en restauration", [("RNCP30001BC01", "Servir en salle")]))
    return fiches, [*links, ("RNCP10002", "RNCP10003")]


@pytest.mark.django_db
def test_a_second_export_reports_new_and_closed_versions_renamed_and_removed_blocks(
    tmp_path: Path, client: Client
) -> None:
    fiches, links = first_export()
    rncp_import.import_export(csv_export(_folder(tmp_path, "one"), fiches, links), today=TODAY)
    fiches, links = second_export()
    plan, kept = rncp_import.import_export(
        csv_export(_folder(tmp_path, "two"), fiches, links, day="2026-12-01"), today=TODAY
    )

    assert plan.report["counts"] | {"fiches": 0} == {
        "fiches": 0,
        "ministry": 5,
        "titles": 3,
        "created": 1,
        "changed": 2,
        "differences": 0,
    }
    assert _changes(plan.report, "RNCP10001") == [
        "Version 2020 (RNCP10002), fin de validité : « 31/08/2030 » devient « 31/08/2026 ».",
        "Version 2020 (RNCP10002) révisée : le RNCP la marque inactive, une version plus récente lui succède.",
        "Version RNCP10002 : bloc RNCP10002BC01 renommé, « Réaliser un nettoyage manuel » devient « Réaliser un "
        "nettoyage manuel des locaux ».",
        "Version RNCP10002 : bloc RNCP10002BC02 retiré, « Réaliser un nettoyage mécanisé ».",
        "Nouvelle version 2026 (RNCP10003).",
        "Version RNCP10003 : bloc RNCP10003BC01 ajouté, « Réaliser un nettoyage ».",
        "Version RNCP10003 : bloc RNCP10003BC02 ajouté, « Remettre en état les surfaces ».",
    ]
    assert _changes(plan.report, "RNCP20001") == [
        "Version 2020 (RNCP20001), fin de validité : « 31/08/2030 » devient « 30/06/2026 ».",
        "Version 2020 (RNCP20001) close : le RNCP la marque inactive.",
    ]
    assert _changes(plan.report, "RNCP30001") == [
        "Titre créé.",
        "Nouvelle version 2020 (RNCP30001).",
        "Version RNCP30001 : bloc RNCP30001BC01 ajouté, « Servir en salle ».",
    ]
    # The catalogue after it.
    old, new = TitleVersion.objects.get(rncp_code="RNCP10002"), TitleVersion.objects.get(rncp_code="RNCP10003")
    assert (old.status, old.valid_until, new.predecessor, new.status) == (
        "revised",
        datetime.date(2026, 8, 31),
        old,
        "in_force",
    )
    assert [(c.number, c.label) for c in old.ccps.all()] == [(1, "Réaliser un nettoyage manuel des locaux")]
    assert TitleVersion.objects.get(rncp_code="RNCP20001").status == "closed"

    # The page of national administrators: both imports, the latest first, and the second one's report.
    login_as(client, user_with_role(RoleKind.NATIONAL_ADMIN))
    listing = client.get(reverse("catalogue_spaces:catalogue_updates")).content.decode()
    assert listing.index("export-fiches-csv-2026-12-01.zip") < listing.index("export-fiches-csv-2024-02-22.zip")
    assert "2 mises à jour du catalogue" in listing
    page = client.get(reverse("catalogue_spaces:catalogue_update_detail", args=[kept.pk])).content.decode()
    assert "Jour de l’export : 01/12/2026." in page
    assert "Version RNCP10002 : bloc RNCP10002BC02 retiré, « Réaliser un nettoyage mécanisé »." in page
    assert f'href="{reverse("catalogue:title_detail", args=["RNCP30001"])}"' in page
    assert "Version 2020 (RNCP20001) close : le RNCP la marque inactive." in page


@pytest.mark.django_db
def test_a_fiche_gone_from_the_export_is_closed_and_the_ccps_candidates_hold_are_kept(tmp_path: Path) -> None:
    fiches, links = first_export()
    rncp_import.import_export(csv_export(_folder(tmp_path, "one"), fiches, links), today=TODAY)
    welding = TitleVersion.objects.get(rncp_code="RNCP20001")
    cleaning = TitleVersion.objects.get(rncp_code="RNCP10002")
    held = [welding.ccps.get(number=1), cleaning.ccps.get(number=2)]
    for ccp in held:
        Holding.objects.create(
            candidate=make_candidate(),
            kind="ccp",
            version=ccp.version,
            ccp=ccp,
            obtained_on=datetime.date(2024, 6, 14),
            source="PV-2024-069-0001",
        )
    # The next export no longer has the welding fiche, and the cleaning one lost its second block.
    fiches = [f for f in fiches if f["number"] != "RNCP20001"]
    fiches[1]["blocks"] = fiches[1]["blocks"][:1]
    plan, _kept = rncp_import.import_export(
        csv_export(_folder(tmp_path, "two"), fiches, links, day="2026-12-01"), today=TODAY
    )

    assert _changes(plan.report, "RNCP20001") == [
        "Version 2020 (RNCP20001) close : elle n’est plus dans l’export.",
        "Version 2020 (RNCP20001), fin de validité : « 31/08/2030 » devient « 30/11/2026 ».",
    ]
    assert _changes(plan.report, "RNCP10001") == [
        "Version RNCP10002 : le bloc RNCP10002BC02 n’est plus dans l’export ; conservé, car des candidats ou le "
        "catalogue s’y réfèrent."
    ]
    welding.refresh_from_db()
    assert (welding.status, welding.valid_until) == ("closed", datetime.date(2026, 11, 30))
    # The version, its CCP and its CCS are all kept; the holdings read as before.
    assert [c.label for c in welding.ccps.all()] == ["Souder à plat"]
    assert welding.ccs_list.count() == 1
    assert [(h.ccp.label if h.ccp else "", h.version.rncp_code) for h in Holding.objects.order_by("pk")] == [
        ("Souder à plat", "RNCP20001"),
        ("Réaliser un nettoyage mécanisé", "RNCP10002"),
    ]
    assert CCP.objects.filter(version=cleaning, number=2).exists()


def tssr_fiches() -> tuple[list[dict[str, Any]], list[tuple[str, str]]]:
    """TSSR as the RNCP lists it: the three fiches of its versions, with what the catalogue already has."""
    rome = [("I1401", "Maintenance informatique et bureautique"), ("M1810", "Production et exploitation de SI")]
    nsf = [("326p", "Informatique"), ("326r", "Informatique, traitement de l'information"), ("326u", "Réseaux")]
    label = "Technicien supérieur systèmes et réseaux"
    common = {"rome": rome, "nsf": nsf, "level": "NIV5"}
    fiches = [
        fiche(
            "RNCP31115",
            label,
            [
                ("RNCP31115BC01", "Assister les utilisateurs en centre de services"),
                ("RNCP31115BC02", "Maintenir, exploiter et sécuriser une infrastructure centralisée"),
                (
                    "RNCP31115BC03",
                    "Maintenir et exploiter une infrastructure distribuée et contribuer à sa sécurisation",
                ),
                ("RNCP31115BC04", "Administrer les serveurs Linux"),
            ],
            active=False,
            effect="",
            decision="",
            end="31/08/2023",
            **common,
        ),
        fiche(
            "RNCP37682",
            label,
            [
                (
                    "RNCP37682BC01",
                    "Exploiter les éléments de l'infrastructure et assurer le support aux utilisateurs",
                ),
                ("RNCP37682BC02", "Maintenir l'infrastructure et contribuer à son évolution et à sa sécurisation"),
            ],
            active=False,
            effect="01/09/2023",
            decision="26/04/2023",
            jo="13/05/2023",
            end="31/08/2026",
            **common,
        ),
        fiche(
            "RNCP42463",
            label,
            [
                ("RNCP42463BC01", "Assurer le support aux utilisateurs"),
                ("RNCP42463BC02", "Exploiter les éléments de l'infrastructure"),
                ("RNCP42463BC03", "Maintenir en conditions opérationnelles l'infrastructure"),
            ],
            effect="01/09/2026",
            decision="19/06/2026",
            end="31/08/2031",
            **common,
        ),
    ]
    return fiches, [("RNCP31115", "RNCP37682"), ("RNCP37682", "RNCP42463")]


@pytest.mark.django_db
def test_tssr_keeps_its_confirmed_data_and_only_true_differences_are_reported(
    tmp_path: Path, builtin_catalogue: Any
) -> None:
    before = services.export_title("TP-01351")
    fiches, links = tssr_fiches()
    plan, _kept = rncp_import.import_export(csv_export(_folder(tmp_path, "same"), fiches, links), today=TODAY)
    [entry] = plan.report["titles"]
    assert entry["code"] == "TP-01351"
    assert entry["differences"] == []
    after = services.export_title("TP-01351")
    assert [v for v in after["versions"] if v["label"] != "2026"] == [
        v for v in before["versions"] if v["label"] != "2026"
    ]
    assert {k: v for k, v in after.items() if k not in ("versions", "sources")} == {
        k: v for k, v in before.items() if k not in ("versions", "sources")
    }
    # The 2026 version, unconfirmed, is corroborated by the export: its blocks' codes are filled, nothing else.
    [v2026] = [v for v in after["versions"] if v["label"] == "2026"]
    assert [c["rncp_block"] for c in v2026["ccps"]] == ["RNCP42463BC01", "RNCP42463BC02", "RNCP42463BC03"]

    # An export that says otherwise than confirmed data: reported, not applied.
    fiches[2]["level"] = "NIV6"
    fiches[1]["blocks"][1] = ("RNCP37682BC02", "Maintenir l'infrastructure")
    plan, _kept = rncp_import.import_export(csv_export(_folder(tmp_path, "other"), fiches, links), today=TODAY)
    [entry] = plan.report["titles"]
    assert [rncp_import.describe_difference(d) for d in entry["differences"]] == [
        "titre, niveau : le catalogue indique « 5 », l’export « 6 ».",
        "RNCP37682BC02, intitulé : le catalogue indique « Maintenir l’infrastructure et contribuer à son évolution et à "
        "sa sécurisation », l’export « Maintenir l'infrastructure ».",
    ]
    assert services.export_title("TP-01351")["versions"][1] == before["versions"][1]
    assert Title.objects.get(code="TP-01351").level == 5


@pytest.mark.django_db
def test_a_bad_xml_export_names_its_line_and_nothing_is_written(tmp_path: Path) -> None:
    fiches, links = first_export()
    good = xml_export(tmp_path, fiches, links)
    with pytest.raises(CatalogueFileError) as entities:
        rncp.read_export(_xml(tmp_path, '<?xml version="1.0"?><!DOCTYPE FICHES [<!ENTITY a "b">]><FICHES/>'))
    assert "DTD" in str(entities.value.problems[0].message) or entities.value.problems[0].line == 1
    with pytest.raises(CatalogueFileError) as broken:
        rncp.read_export(_xml(tmp_path, "<FICHES>\n<FICHE>\n<NUMERO_FICHE>RNCP1</NUMERO_FICHE>\n</FICHES>"))
    assert broken.value.problems[0].line == 4
    # A ministry fiche's malformed date: its line is the line of the element.
    with zipfile.ZipFile(good) as archive:
        text = archive.read(archive.namelist()[0]).decode("utf-8")
    wrong = text.replace("31/08/2020", "31/02/2020", 1)
    line = wrong[: wrong.index("31/02/2020")].count("\n") + 1
    with pytest.raises(CatalogueFileError) as dates:
        rncp.read_export(_xml(tmp_path, wrong))
    [problem] = dates.value.problems
    assert (problem.file, problem.line, problem.field) == ("export-fiches-rncp.xml", line, "DATE_FIN_ENREGISTREMENT")
    assert "31/02/2020" in problem.message
    assert not Title.objects.exists()
    assert not CatalogueImport.objects.exists()
    assert rncp.read_export(good).kind == "xml"


def _xml(folder: Path, text: str) -> Path:
    path = folder / "export-fiches-rncp.xml"
    path.write_text(text, encoding="utf-8")
    return path
