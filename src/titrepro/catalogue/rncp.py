"""Read France Compétences' open-data export of the RNCP: the ZIP of CSV files, or the XML export (issue 10).

Only what the catalogue needs is read, and only for the fiches of the ministry in charge of employment (the
titres professionnels): the other certifiers' fiches are counted and skipped, so a malformed date in one of
them does not stop the import. Everything is read by column (or element) name, never by position; extra
columns are ignored; the files of the CSV package are matched by their stem (``export_fiches_CSV_Standard_
2024_02_22.csv`` is the "Standard" file whatever its date). A missing file or column, a malformed date or
level, a block code that does not belong to its fiche: every problem is collected, each naming the file, the
line and the column (``loader.Problem``), and reading fails with all of them (``loader.CatalogueFileError``).

The XML export carries more per fiche (the competences and evaluation modalities of each block, the
activities); it is read with expat, element by element, so that problems name their line too. DTDs and
entities are refused (an export has none; a file with them is not one).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html import unescape
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from django.utils.translation import gettext as _

from titrepro.catalogue.loader import CatalogueFileError, Problem
from titrepro.core.values import fold

# The ministry in charge of employment, certifier of every titre professionnel. Its SIRET is stable; its
# name changes with governments ("MINISTERE DU TRAVAIL DU PLEIN EMPLOI ET DE L' INSERTION" in recent
# exports, with a space after the apostrophe), so a name is recognised by its words (``is_ministry``).
MINISTRY_SIRET = "11000007200014"
TP_ABBREVIATION = "TP"
FICHE_NUMBER = re.compile(r"^RNCP\d{3,6}$")
BLOCK_CODE = re.compile(r"^(RNCP\d{3,6})BC(\d{1,2})$")
LEVEL = re.compile(r"^NIV([1-8])$")
FRENCH_DATE = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")  # the XML may write 2024-02-22 or 2024-02-22T00:00:00
EXPORT_DAY = re.compile(r"(\d{4})[-_](\d{2})[-_](\d{2})")
RNCP_IN_TEXT = re.compile(r"RNCP\d{3,6}\b")


@dataclass
class Block:
    """One bloc de compétences of a fiche: a CCP (or a CCS) of the title version."""

    code: str
    number: int  # the block's rank in its code: RNCP37682BC01 -> 1
    label: str
    competences: list[str] = field(default_factory=list)  # from the XML only
    modalities: str = ""  # from the XML only: the evaluation modalities as the fiche words them
    line: int | None = None


@dataclass
class Fiche:
    """One RNCP fiche of the ministry: one version of a titre professionnel."""

    number: str
    label: str = ""
    abbreviation: str = ""
    level: int | None = None
    last_jo: date | None = None
    decision: date | None = None
    effect: date | None = None
    end: date | None = None
    active: bool = True
    summary: str = ""  # the activities (XML only)
    rome: list[tuple[str, str]] = field(default_factory=list)
    nsf: list[tuple[str, str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    file: str = ""
    line: int | None = None


@dataclass(frozen=True)
class Link:
    """One pair of the ancienne/nouvelle file: ``older`` was revised into ``newer``."""

    older: str
    newer: str
    file: str
    line: int | None


@dataclass
class Export:
    """What an export holds for the catalogue: the ministry's fiches and the links between versions."""

    name: str
    day: date | None
    kind: str  # "csv" or "xml"
    fiches: dict[str, Fiche] = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    total: int = 0  # every fiche of the export, all certifiers


def is_ministry(siret: str, name: str) -> bool:
    """The certifier is the ministry in charge of employment: by its SIRET, or by the words of its name."""
    if siret.strip().replace(" ", "") == MINISTRY_SIRET:
        return True
    words = set(re.findall(r"[a-z]+", fold(name)))
    return "ministere" in words and ("travail" in words or "emploi" in words)


def export_day(name: str) -> date | None:
    match = EXPORT_DAY.search(name)
    if not match:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_export(path: Path) -> Export:
    """The ministry's fiches of the export at ``path`` (a ZIP of CSV files, a ZIP holding the XML, or the XML)."""
    name = path.name
    try:
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [m for m in archive.namelist() if not m.endswith("/")]
                xml_members = [m for m in members if m.lower().endswith(".xml")]
                if xml_members and not any(m.lower().endswith(".csv") for m in members):
                    return _XmlReader(name, "xml").read(archive, xml_members)
                return _CsvReader(name, archive, members).read()
        with path.open("rb") as raw:
            head = raw.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<"):
            return _XmlReader(name, "xml").read_file(path)
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile) as exc:
        raise CatalogueFileError(
            [Problem(name, None, "", _("cannot read the file (%(reason)s)") % {"reason": exc})]
        ) from None
    raise CatalogueFileError(
        [Problem(name, None, "", _("this is not an RNCP export: neither a ZIP of CSV files nor an XML file"))]
    )


def parse_date(value: str) -> date | None:
    """A date of the export, ``dd/mm/yyyy`` (or ISO in the XML); empty is None; ValueError otherwise."""
    value = value.strip()
    if not value:
        return None
    match = FRENCH_DATE.match(value)
    if match:
        return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
    match = ISO_DATE.match(value)
    if match:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    raise ValueError(value)


def parse_level(value: str) -> int | None:
    value = value.strip().upper()
    if not value:
        return None
    match = LEVEL.match(value)
    if not match:
        raise ValueError(value)
    return int(match.group(1))


def competence_items(text: str) -> list[str]:
    """The competences of a block as the XML words them: one per paragraph, list item or line, bullets dropped."""
    text = re.sub(r"(?i)<\s*(br|/p|/li|/div)\s*/?\s*>", "\n", text)
    text = unescape(re.sub(r"<[^>]+>", "", text))
    items = []
    for line in text.splitlines():
        line = re.sub(r"^[\s\-–—•·*]+", "", line).strip()
        if line:
            items.append(line[:500])
    return items


def plain_text(text: str) -> str:
    text = re.sub(r"(?i)<\s*(br|/p|/li|/div)\s*/?\s*>", "\n", text)
    return re.sub(r"[ \t]+", " ", unescape(re.sub(r"<[^>]+>", "", text))).strip()


class _Collector:
    """The fiches being read, and every problem found on the way."""

    def __init__(self, export: Export) -> None:
        self.export = export
        self.problems: list[Problem] = []

    def problem(self, file: str, line: int | None, column: str, message: str) -> None:
        self.problems.append(Problem(file, line, column, message))

    def date(self, file: str, line: int | None, column: str, value: str) -> date | None:
        try:
            return parse_date(value)
        except ValueError:
            self.problem(
                file, line, column, _("expected a date written DD/MM/YYYY, found “%(value)s”") % {"value": value}
            )
            return None

    def level(self, file: str, line: int | None, column: str, value: str) -> int | None:
        try:
            return parse_level(value)
        except ValueError:
            self.problem(file, line, column, _("expected a level NIV3 to NIV8, found “%(value)s”") % {"value": value})
            return None

    def block(self, fiche: Fiche, code: str, label: str, file: str, line: int | None, column: str) -> Block | None:
        code = code.strip()
        match = BLOCK_CODE.match(code)
        if not match or match.group(1) != fiche.number:
            self.problem(
                file,
                line,
                column,
                _("block %(code)s does not belong to fiche %(fiche)s (expected %(fiche)sBC01, BC02…)")
                % {"code": code or "-", "fiche": fiche.number},
            )
            return None
        if any(b.code == code for b in fiche.blocks):
            self.problem(file, line, column, _("block %(code)s is listed twice") % {"code": code})
            return None
        block = Block(code=code, number=int(match.group(2)), label=" ".join(label.split()), line=line)
        if not block.label:
            self.problem(file, line, column, _("block %(code)s has no label") % {"code": code})
        fiche.blocks.append(block)
        return block

    def finish(self) -> Export:
        if self.problems:
            raise CatalogueFileError(self.problems)
        for fiche in self.export.fiches.values():
            fiche.blocks.sort(key=lambda b: b.number)
        return self.export


# The CSV package ------------------------------------------------------------------------------------------------

# Each file the import reads: its stem (folded, without the export's prefix and date) and the columns it needs.
CSV_FILES: dict[str, tuple[str, tuple[str, ...]]] = {
    "standard": (
        "Standard",
        (
            "Numero_Fiche",
            "Intitule",
            "Abrege_Libelle",
            "Nomenclature_Europe_Niveau",
            "Date_dernier_jo",
            "Date_Decision",
            "Date_Fin_Enregistrement",
            "Date_Effet",
            "Actif",
        ),
    ),
    "certificateurs": ("Certificateurs", ("Numero_Fiche", "Siret_Certificateur", "Nom_Certificateur")),
    "blocsdecompetences": (
        "Blocs_De_Compétences",
        ("Numero_Fiche", "Bloc_Competences_Code", "Bloc_Competences_Libelle"),
    ),
    "rome": ("Rome", ("Numero_Fiche", "Codes_Rome_Code", "Codes_Rome_Libelle")),
    "nsf": ("Nsf", ("Numero_Fiche", "Nsf_Code", "Nsf_Intitule")),
    "anciennenouvellecertification": (
        "Ancienne_Nouvelle_Certification",
        ("Numero_Fiche", "Ancienne_Certification", "Nouvelle_Certification"),
    ),
}


def csv_stem(member: str) -> str:
    """``export_fiches_CSV_Blocs_De_Compétences_2024_02_22.csv`` -> ``blocsdecompetences``."""
    stem = Path(member).name.rsplit(".", 1)[0]
    stem = EXPORT_DAY.sub("", stem)
    stem = re.sub(r"(?i)^export[-_]?fiches[-_]?(csv)?[-_]?", "", stem)
    return re.sub(r"[^a-z0-9]", "", fold(stem))


class _CsvReader:
    def __init__(self, name: str, archive: zipfile.ZipFile, members: list[str]) -> None:
        self.archive = archive
        self.collector = _Collector(Export(name=name, day=export_day(name), kind="csv"))
        self.members: dict[str, str] = {}
        for member in members:
            if member.lower().endswith(".csv"):
                self.members.setdefault(csv_stem(member), member)

    def read(self) -> Export:
        missing = [label for stem, (label, _columns) in CSV_FILES.items() if stem not in self.members]
        if missing:
            if "standard" not in self.members:
                message = _("this is not an RNCP export: it has no Standard file")
            else:
                message = _("the export has no %(files)s file") % {"files": ", ".join(missing)}
            raise CatalogueFileError([Problem(self.collector.export.name, None, "", message)])
        ministry = self._certifiers()
        self._standard(ministry)
        self._blocks()
        self._codes("rome", "Codes_Rome_Code", "Codes_Rome_Libelle", "rome")
        self._codes("nsf", "Nsf_Code", "Nsf_Intitule", "nsf")
        self._links()
        return self.collector.finish()

    def rows(self, stem: str) -> Iterator[tuple[int, dict[str, str]]]:
        """The rows of one file with their line numbers; its needed columns checked first."""
        member = self.members[stem]
        needed = CSV_FILES[stem][1]
        with self.archive.open(member) as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="", errors="strict")
            reader = csv.DictReader(text, delimiter=";")
            try:
                header = [h.strip() for h in reader.fieldnames or []]
            except (UnicodeDecodeError, csv.Error) as exc:
                self._unreadable(member, None, exc)
                return
            reader.fieldnames = header
            absent = [c for c in needed if c not in header]
            if absent:
                for column in absent:
                    self.collector.problem(member, 1, column, _("this column is missing"))
                raise CatalogueFileError(self.collector.problems)
            try:
                for row in reader:
                    yield reader.line_num, {k: (v or "") for k, v in row.items() if isinstance(k, str)}
            except (UnicodeDecodeError, csv.Error) as exc:
                self._unreadable(member, reader.line_num, exc)

    def _unreadable(self, member: str, line: int | None, exc: Exception) -> None:
        self.collector.problem(member, line, "", _("cannot read this CSV file (%(reason)s)") % {"reason": exc})
        raise CatalogueFileError(self.collector.problems)

    def _certifiers(self) -> set[str]:
        ministry: set[str] = set()
        for _line, row in self.rows("certificateurs"):
            if is_ministry(row["Siret_Certificateur"], row["Nom_Certificateur"]):
                ministry.add(row["Numero_Fiche"].strip())
        return ministry

    def _standard(self, ministry: set[str]) -> None:
        collector = self.collector
        export = collector.export
        member = self.members["standard"]
        for line, row in self.rows("standard"):
            number = row["Numero_Fiche"].strip()
            export.total += 1
            abbreviation = row["Abrege_Libelle"].strip()
            if number not in ministry or abbreviation.upper() not in (TP_ABBREVIATION, ""):
                continue
            if not FICHE_NUMBER.match(number):
                collector.problem(
                    member, line, "Numero_Fiche", _("not an RNCP fiche number: “%(value)s”") % {"value": number}
                )
                continue
            if number in export.fiches:
                collector.problem(
                    member, line, "Numero_Fiche", _("fiche %(fiche)s is listed twice") % {"fiche": number}
                )
                continue
            active = row["Actif"].strip().upper()
            if active not in ("ACTIVE", "INACTIVE"):
                collector.problem(
                    member, line, "Actif", _("expected ACTIVE or INACTIVE, found “%(value)s”") % {"value": active}
                )
            fiche = Fiche(
                number=number,
                label=" ".join(row["Intitule"].split()),
                abbreviation=abbreviation,
                level=collector.level(member, line, "Nomenclature_Europe_Niveau", row["Nomenclature_Europe_Niveau"]),
                last_jo=collector.date(member, line, "Date_dernier_jo", row["Date_dernier_jo"]),
                decision=collector.date(member, line, "Date_Decision", row["Date_Decision"]),
                effect=collector.date(member, line, "Date_Effet", row["Date_Effet"]),
                end=collector.date(member, line, "Date_Fin_Enregistrement", row["Date_Fin_Enregistrement"]),
                active=active != "INACTIVE",
                file=member,
                line=line,
            )
            if not fiche.label:
                collector.problem(member, line, "Intitule", _("fiche %(fiche)s has no label") % {"fiche": number})
            export.fiches[number] = fiche

    def _blocks(self) -> None:
        member = self.members["blocsdecompetences"]
        fiches = self.collector.export.fiches
        for line, row in self.rows("blocsdecompetences"):
            fiche = fiches.get(row["Numero_Fiche"].strip())
            if fiche is not None:
                self.collector.block(
                    fiche,
                    row["Bloc_Competences_Code"],
                    row["Bloc_Competences_Libelle"],
                    member,
                    line,
                    "Bloc_Competences_Code",
                )

    def _codes(self, stem: str, code_column: str, label_column: str, attribute: str) -> None:
        fiches = self.collector.export.fiches
        for _line, row in self.rows(stem):
            fiche = fiches.get(row["Numero_Fiche"].strip())
            code = row[code_column].strip()
            if fiche is not None and code:
                codes: list[tuple[str, str]] = getattr(fiche, attribute)
                if all(c != code for c, _label in codes):
                    codes.append((code, " ".join(row[label_column].split())))

    def _links(self) -> None:
        member = self.members["anciennenouvellecertification"]
        export = self.collector.export
        for line, row in self.rows("anciennenouvellecertification"):
            number = row["Numero_Fiche"].strip()
            older, newer = row["Ancienne_Certification"].strip(), row["Nouvelle_Certification"].strip()
            if older:
                export.links.append(Link(older, number, member, line))
            if newer:
                export.links.append(Link(number, newer, member, line))


# The XML export ----------------------------------------------------------------------------------------------------


@dataclass
class _Element:
    tag: str
    line: int
    text: list[str] = field(default_factory=list)
    children: list[_Element] = field(default_factory=list)

    def child(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def all(self, tag: str) -> list[_Element]:
        return [c for c in self.children if c.tag == tag]

    def value(self, tag: str) -> str:
        found = self.child(tag)
        return found.full_text().strip() if found is not None else ""

    def full_text(self) -> str:
        return "".join(self.text) + "".join(c.full_text() for c in self.children)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].upper()


class _XmlReader:
    """The XML export: a FICHES root holding FICHE elements (the V4 export's element names, upper case)."""

    def __init__(self, name: str, kind: str) -> None:
        self.collector = _Collector(Export(name=name, day=export_day(name), kind=kind))
        self.file = name

    def read(self, archive: zipfile.ZipFile, members: list[str]) -> Export:
        for member in members:
            self.file = member
            with archive.open(member) as stream:
                self._parse(stream)
        return self._finish()

    def read_file(self, path: Path) -> Export:
        with path.open("rb") as stream:
            self._parse(stream)
        return self._finish()

    def _parse(self, stream: IO[bytes]) -> None:
        parser = expat.ParserCreate(namespace_separator="}")
        stack: list[_Element] = []

        def start(tag: str, _attributes: dict[str, str]) -> None:
            element = _Element(_local(tag), parser.CurrentLineNumber)
            if stack:
                stack[-1].children.append(element)
            stack.append(element)

        def end(_tag: str) -> None:
            element = stack.pop()
            if element.tag == "FICHE":
                self._fiche(element)
                if stack:
                    stack[-1].children.remove(element)  # one fiche in memory at a time

        def text(data: str) -> None:
            if stack:
                stack[-1].text.append(data)

        def refuse(*_args: Any) -> None:
            raise expat.ExpatError(_("DTDs and entities are not allowed in an RNCP export"))

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        parser.StartDoctypeDeclHandler = refuse
        parser.EntityDeclHandler = refuse
        try:
            parser.ParseFile(stream)
        except expat.ExpatError as exc:
            line = getattr(exc, "lineno", None) or parser.CurrentLineNumber
            self.collector.problem(
                self.file, line, "", _("this is not valid XML (%(reason)s)") % {"reason": str(exc).split(":")[0]}
            )
            raise CatalogueFileError(self.collector.problems) from None

    def _fiche(self, element: _Element) -> None:
        collector = self.collector
        export = collector.export
        export.total += 1
        number = element.value("NUMERO_FICHE")
        certifiers = [
            (c.value("SIRET_CERTIFICATEUR") or c.value("SIRET"), c.value("NOM_CERTIFICATEUR") or c.value("NOM"))
            for group in element.all("CERTIFICATEURS")
            for c in group.children
        ]
        abbreviation_element = element.child("ABREGE")
        abbreviation = ""
        if abbreviation_element is not None:
            abbreviation = abbreviation_element.value("CODE") or abbreviation_element.full_text().strip()
        if not any(is_ministry(s, n) for s, n in certifiers) or abbreviation.upper() not in (TP_ABBREVIATION, ""):
            return
        file, line = self.file, element.line
        if not FICHE_NUMBER.match(number):
            collector.problem(
                file, line, "NUMERO_FICHE", _("not an RNCP fiche number: “%(value)s”") % {"value": number}
            )
            return
        if number in export.fiches:
            collector.problem(file, line, "NUMERO_FICHE", _("fiche %(fiche)s is listed twice") % {"fiche": number})
            return

        def at(tag: str) -> int:
            found = element.child(tag)
            return found.line if found is not None else line

        europe = element.child("NOMENCLATURE_EUROPE")
        level_text = europe.value("NIVEAU") if europe is not None else ""
        active = element.value("ACTIF").upper()
        if active not in ("", "OUI", "NON", "ACTIVE", "INACTIVE"):
            collector.problem(
                file, at("ACTIF"), "ACTIF", _("expected ACTIVE or INACTIVE, found “%(value)s”") % {"value": active}
            )
        fiche = Fiche(
            number=number,
            label=" ".join(element.value("INTITULE").split()),
            abbreviation=abbreviation,
            level=collector.level(file, at("NOMENCLATURE_EUROPE"), "NOMENCLATURE_EUROPE/NIVEAU", level_text),
            last_jo=collector.date(file, at("DATE_DERNIER_JO"), "DATE_DERNIER_JO", element.value("DATE_DERNIER_JO")),
            decision=collector.date(file, at("DATE_DECISION"), "DATE_DECISION", element.value("DATE_DECISION")),
            effect=collector.date(file, at("DATE_EFFET"), "DATE_EFFET", element.value("DATE_EFFET")),
            end=collector.date(
                file, at("DATE_FIN_ENREGISTREMENT"), "DATE_FIN_ENREGISTREMENT", element.value("DATE_FIN_ENREGISTREMENT")
            ),
            active=active not in ("NON", "INACTIVE"),
            summary=plain_text(element.value("ACTIVITES_VISEES"))[:4000],
            file=file,
            line=line,
        )
        if not fiche.label:
            collector.problem(file, line, "INTITULE", _("fiche %(fiche)s has no label") % {"fiche": number})
        for group in element.all("CODES_ROME"):
            for rome in group.children:
                if rome.value("CODE"):
                    fiche.rome.append((rome.value("CODE"), " ".join(rome.value("LIBELLE").split())))
        for group in element.all("CODES_NSF"):
            for nsf in group.children:
                if nsf.value("CODE"):
                    fiche.nsf.append((nsf.value("CODE"), " ".join(nsf.value("INTITULE").split())))
        for group in element.all("BLOCS_COMPETENCES"):
            for item in group.children:
                block = collector.block(
                    fiche, item.value("CODE"), item.value("LIBELLE"), file, item.line, "BLOCS_COMPETENCES/CODE"
                )
                if block is not None:
                    block.competences = competence_items(item.value("LISTE_COMPETENCES"))
                    block.modalities = plain_text(item.value("MODALITES_EVALUATION"))[:4000]
        for tag, older_side in (("ANCIENNE_CERTIFICATION", True), ("NOUVELLE_CERTIFICATION", False)):
            for group in element.all(tag):
                for other in RNCP_IN_TEXT.findall(group.full_text()):
                    pair = (other, number) if older_side else (number, other)
                    export.links.append(Link(pair[0], pair[1], file, group.line))
        export.fiches[number] = fiche

    def _finish(self) -> Export:
        if not self.collector.export.total and not self.collector.problems:
            raise CatalogueFileError(
                [Problem(self.collector.export.name, None, "", _("this is not an RNCP export: it holds no FICHE"))]
            )
        return self.collector.finish()
