"""Small RNCP exports in the documented format (issue 10), built by the tests: the ZIP of CSV files and the XML.

A fiche is a dict: number, label, level ("NIV5"), active (bool), effect/decision/end/jo ("dd/mm/yyyy" or ""),
abbreviation ("TP"), certifier ((siret, name)), blocks ([(code, label, [competences])]), rome ([(code, label)]),
nsf ([(code, label)]), summary (XML only). Links are (older, newer) pairs. The CSV files carry the columns the
real export has (extra ones included, which the import ignores), a byte-order mark, semicolons, dd/mm/yyyy dates.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MINISTRY = ("11000007200014", "MINISTERE DU TRAVAIL DU PLEIN EMPLOI ET DE L' INSERTION")
UNIVERSITY = ("19751717800019", "UNIVERSITE PARIS CITE")

STANDARD = [
    "Id_Fiche",
    "Numero_Fiche",
    "Intitule",
    "Abrege_Libelle",
    "Abrege_Intitule",
    "Nomenclature_Europe_Niveau",
    "Nomenclature_Europe_Intitule",
    "Accessible_Nouvelle_Caledonie",
    "Accessible_Polynesie_Francaise",
    "Date_dernier_jo",
    "Date_Decision",
    "Date_Fin_Enregistrement",
    "Date_Effet",
    "Type_Enregistrement",
    "Validation_Partielle",
    "Actif",
]


def fiche(number: str, label: str, blocks: list[Any], **fields: Any) -> dict[str, Any]:
    return {
        "number": number,
        "label": label,
        "level": "NIV5",
        "active": True,
        "effect": "01/09/2020",
        "decision": "15/06/2020",
        "end": "31/08/2030",
        "jo": "",
        "abbreviation": "TP",
        "certifier": MINISTRY,
        "blocks": blocks,
        "rome": [("M1810", "Production et exploitation de systèmes d'information")],
        "nsf": [("326r", "Informatique, traitement de l'information")],
        **fields,
    }


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def csv_export(
    folder: Path,
    fiches: list[dict[str, Any]],
    links: Sequence[tuple[str, str]] = (),
    *,
    day: str = "2024-02-22",
    drop_file: str | None = None,
    drop_column: tuple[str, str] | None = None,
) -> Path:
    """The ZIP of CSV files; ``drop_file`` leaves out a file (by its stem), ``drop_column`` a (stem, column)."""
    stamp = day.replace("-", "_")
    files: dict[str, tuple[list[str], list[list[str]]]] = {
        "Standard": (
            STANDARD,
            [
                [
                    str(i),
                    f["number"],
                    f["label"],
                    f["abbreviation"],
                    "Titre professionnel" if f["abbreviation"] == "TP" else "Autre",
                    f["level"],
                    f"Niveau {f['level'][-1:]}",
                    "Non",
                    "Non",
                    f["jo"],
                    f["decision"],
                    f["end"],
                    f["effect"],
                    "Enregistrement de droit",
                    "Oui",
                    "ACTIVE" if f["active"] else "INACTIVE",
                ]
                for i, f in enumerate(fiches, start=1)
            ],
        ),
        "Certificateurs": (
            ["Numero_Fiche", "Siret_Certificateur", "Nom_Certificateur"],
            [[f["number"], *f["certifier"]] for f in fiches],
        ),
        "Blocs_De_Compétences": (
            ["Numero_Fiche", "Bloc_Competences_Code", "Bloc_Competences_Libelle"],
            [[f["number"], b[0], b[1]] for f in fiches for b in f["blocks"]],
        ),
        "Rome": (
            ["Numero_Fiche", "Codes_Rome_Code", "Codes_Rome_Libelle"],
            [[f["number"], *r] for f in fiches for r in f["rome"]],
        ),
        "Nsf": (["Numero_Fiche", "Nsf_Code", "Nsf_Intitule"], [[f["number"], *n] for f in fiches for n in f["nsf"]]),
        "Ancienne_Nouvelle_Certification": (
            ["Numero_Fiche", "Ancienne_Certification", "Nouvelle_Certification"],
            [[new, old, ""] for old, new in links] + [[old, "", new] for old, new in links],
        ),
        "Formacode": (
            ["Numero_Fiche", "Formacode_Code", "Formacode_Libelle"],
            [[f["number"], "31008", "x"] for f in fiches],
        ),
    }
    path = folder / f"export-fiches-csv-{day}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for stem, (header, rows) in files.items():
            if stem == drop_file:
                continue
            if drop_column and drop_column[0] == stem:
                index = header.index(drop_column[1])
                header = header[:index] + header[index + 1 :]
                rows = [r[:index] + r[index + 1 :] for r in rows]
            archive.writestr(f"export_fiches_CSV_{stem}_{stamp}.csv", _csv(header, rows))
    return path


def xml_export(
    folder: Path, fiches: list[dict[str, Any]], links: Sequence[tuple[str, str]] = (), *, day: str = "2024-02-22"
) -> Path:
    """The XML export (zipped, as France Compétences publishes it), with competences and modalities per block."""
    older = {new: old for old, new in links}
    newer = dict(links)

    def element(tag: str, text: str) -> str:
        return f"<{tag}>{escape(text)}</{tag}>"

    parts = ['<?xml version="1.0" encoding="UTF-8"?>', "<FICHES>"]
    for f in fiches:
        blocks = "".join(
            "<BLOC_COMPETENCES>"
            + element("CODE", b[0])
            + element("LIBELLE", b[1])
            + element("LISTE_COMPETENCES", "".join(f"<p>{c}</p>" for c in (b[2] if len(b) > 2 else [])))
            + element("MODALITES_EVALUATION", "Mise en situation professionnelle")
            + "</BLOC_COMPETENCES>"
            for b in f["blocks"]
        )
        parts.append(
            "<FICHE>"
            + element("ID_FICHE", "1")
            + element("NUMERO_FICHE", f["number"])
            + element("INTITULE", f["label"])
            + "<ABREGE>"
            + element("CODE", f["abbreviation"])
            + element("LIBELLE", "Titre professionnel")
            + "</ABREGE>"
            + "<NOMENCLATURE_EUROPE>"
            + element("NIVEAU", f["level"])
            + element("INTITULE", "Niveau")
            + "</NOMENCLATURE_EUROPE>"
            + element("ACTIF", "Oui" if f["active"] else "Non")
            + element("DATE_DERNIER_JO", f["jo"])
            + element("DATE_DECISION", f["decision"])
            + element("DATE_EFFET", f["effect"])
            + element("DATE_FIN_ENREGISTREMENT", f["end"])
            + "<CERTIFICATEURS><CERTIFICATEUR>"
            + element("SIRET_CERTIFICATEUR", f["certifier"][0])
            + element("NOM_CERTIFICATEUR", f["certifier"][1])
            + "</CERTIFICATEUR></CERTIFICATEURS>"
            + "<CODES_ROME>"
            + "".join(f"<ROME>{element('CODE', c)}{element('LIBELLE', label)}</ROME>" for c, label in f["rome"])
            + "</CODES_ROME>"
            + "<CODES_NSF>"
            + "".join(f"<NSF>{element('CODE', c)}{element('INTITULE', label)}</NSF>" for c, label in f["nsf"])
            + "</CODES_NSF>"
            + f"<BLOCS_COMPETENCES>{blocks}</BLOCS_COMPETENCES>"
            + element("ACTIVITES_VISEES", f.get("summary", ""))
            + (element("ANCIENNE_CERTIFICATION", older[f["number"]]) if f["number"] in older else "")
            + (element("NOUVELLE_CERTIFICATION", newer[f["number"]]) if f["number"] in newer else "")
            + "</FICHE>"
        )
    parts.append("</FICHES>")
    path = folder / f"export-fiches-rncp-v4-1-{day}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"export-fiches-rncp-v4-1-{day}.xml", "\n".join(parts))
    return path
