"""Build the catalogue from an RNCP export (issue 10): plan what changes, write the YAML, load it, keep the report.

One RNCP fiche of the ministry is one title version; its blocks are the version's CCPs (a block whose label says
"spécialisation" is a CCS); the ancienne/nouvelle pairs chain the versions of one title. The ministry's TP code is
not in the RNCP: a chain is matched to a title of the catalogue by the RNCP codes of its versions, or by an
optional mapping file (RNCP code -> TP code); otherwise the title is created with the RNCP code of its oldest
version as its code, which says "TP code unknown" (``Title.code_known``), until a mapping file gives it.

What the export gives is ``corroborated`` and cites the source ``RNCP`` (the export, its name and date). The
import owns what it wrote (rows citing only that source) and rows a person wrote below ``corroborated``; it
updates those. A row a person wrote at ``corroborated`` or above is never changed: where the export says
otherwise, the report lists the difference. Rows that disappeared from the export are not deleted: a version
is closed, a block that something refers to (a holding, a registration) or that a correspondence or modality
cites is kept; an unreferenced block of an owned version goes.

``plan`` reads nothing but the database and the export and writes nothing; ``apply`` writes the plan in one
transaction through the catalogue loader (the YAML files are parsed and checked first, as ``catalogue load``
does) and keeps the report (``CatalogueImport``).
"""

from __future__ import annotations

import copy
import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.db import models, transaction
from django.db.models.deletion import get_candidate_relations_to_delete
from django.utils.translation import gettext as _

from titrepro.catalogue import loader, services
from titrepro.catalogue.loader import CatalogueFileError, Problem
from titrepro.catalogue.models import CCP, CCS, CatalogueImport, Source, Title, TitleVersion, VersionStatus
from titrepro.catalogue.rncp import Block, Export, Fiche, read_export
from titrepro.catalogue.schema import FORMAT, TitleDoc
from titrepro.core import dating
from titrepro.core.values import fold

SOURCE_KEY = "RNCP"
IMPORTED = "corroborated"
RANK = {"unconfirmed": 0, "reported": 1, "corroborated": 2, "confirmed": 3}
DATASET_URL = (
    "https://www.data.gouv.fr/datasets/repertoire-national-des-certifications-professionnelles-et-repertoire-specifique"
)
TP_CODE = re.compile(r"^TP-\d{5}$")
ROME_CODE = re.compile(r"^[A-N]\d{4}$")
VERSION_FIELDS = ("valid_from", "valid_until", "jo_date", "status")


@dataclass
class Plan:
    """What an import would do: the title documents to load, the codes to rename, the report."""

    export: Export
    documents: list[dict[str, Any]] = field(default_factory=list)
    renames: list[tuple[str, str]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def titles(self) -> list[dict[str, Any]]:
        return list(self.report["titles"])

    @property
    def changed(self) -> bool:
        return any(t["changes"] for t in self.report["titles"])


def read_codes(path: Path) -> dict[str, str]:
    """The mapping file: one ``RNCP code;TP code`` pair per line (a header line, commas, blank lines allowed)."""
    problems: list[Problem] = []
    codes: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogueFileError(
            [Problem(str(path), None, "", _("cannot read the file (%(reason)s)") % {"reason": exc})]
        ) from None
    dialect = ";" if text.count(";") >= text.count(",") else ","
    for number, row in enumerate(csv.reader(text.splitlines(), delimiter=dialect), start=1):
        cells = [c.strip() for c in row]
        if not any(cells) or (number == 1 and not re.match(r"^RNCP\d", cells[0])):
            continue
        if len(cells) < 2 or not re.match(r"^RNCP\d{3,6}$", cells[0]) or not TP_CODE.match(cells[1]):
            problems.append(
                Problem(str(path), number, "", _("expected an RNCP code and a TP code, such as RNCP37682;TP-01351"))
            )
            continue
        if codes.get(cells[0], cells[1]) != cells[1]:
            problems.append(Problem(str(path), number, "", _("%(rncp)s is given two TP codes") % {"rncp": cells[0]}))
        codes[cells[0]] = cells[1]
    if problems:
        raise CatalogueFileError(problems)
    return codes


# Chains of versions -----------------------------------------------------------------------------------------------


def chains(export: Export) -> list[list[Fiche]]:
    """The ministry's fiches grouped by title, each chain from its oldest version to its newest."""
    fiches = export.fiches
    successor: dict[str, tuple[str, Any]] = {}
    predecessor: dict[str, tuple[str, Any]] = {}
    problems: list[Problem] = []
    for link in export.links:
        if link.older not in fiches or link.newer not in fiches or link.older == link.newer:
            continue  # a link to another certifier's fiche (or to one the ministry does not certify) says nothing here
        for table, key, value, message in (
            (successor, link.older, link.newer, _("fiche %(fiche)s has two successors: %(one)s and %(other)s")),
            (predecessor, link.newer, link.older, _("fiche %(fiche)s has two predecessors: %(one)s and %(other)s")),
        ):
            known = table.get(key)
            if known is None:
                table[key] = (value, link)
            elif known[0] != value:
                problems.append(
                    Problem(link.file, link.line, "", message % {"fiche": key, "one": known[0], "other": value})
                )
    for number in sorted(fiches):
        seen = {number}
        current = predecessor.get(number)
        while current is not None:
            if current[0] in seen:
                link = current[1]
                problems.append(
                    Problem(
                        link.file,
                        link.line,
                        "",
                        _("the versions of fiche %(fiche)s form a loop (%(fiches)s)")
                        % {"fiche": number, "fiches": ", ".join(sorted(seen))},
                    )
                )
                break
            seen.add(current[0])
            current = predecessor.get(current[0])
    if problems:
        raise CatalogueFileError(_unique(problems))
    result = []
    for number in sorted(fiches):
        if number in predecessor:
            continue
        chain = [fiches[number]]
        while chain[-1].number in successor:
            chain.append(fiches[successor[chain[-1].number][0]])
        result.append(chain)
    return result


def _unique(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))


# Provenance -------------------------------------------------------------------------------------------------------


def _entities(doc: dict[str, Any]) -> Iterable[tuple[dict[str, Any], dict[str, Any] | None]]:
    """Every entity of a title document with its parent (None for the title), parents first."""
    yield doc, None
    for version in doc["versions"]:
        yield version, doc
        for key in ("ccps", "ccs"):
            for unit in version.get(key, []):
                yield unit, version
                for competence in unit.get("competences", []):
                    yield competence, unit
        for key in ("transversal_competences", "correspondences", "equivalences"):
            for item in version.get(key, []):
                yield item, version
        modalities = version.get("modalities", {})
        groups = [modalities.get("title", [])]
        groups += list(modalities.get("ccp", {}).values()) + list(modalities.get("ccs", {}).values())
        for group in groups:
            for modality in group:
                yield modality, version
                for part in modality.get("parts", []):
                    yield part, modality


def materialise(doc: dict[str, Any]) -> dict[str, Any]:
    """Write ``source`` and ``confidence`` on every entity (the file format lets children inherit them): an entity
    the import changes can then take the export's provenance without changing its children's."""
    for entity, parent in _entities(doc):
        if parent is None:
            entity["source"] = list(entity.get("source") or [])
            entity.setdefault("confidence", "unconfirmed")
        else:
            if entity.get("source") is None:
                entity["source"] = list(parent["source"])
            entity.setdefault("confidence", parent["confidence"])
    return doc


def owned(entity: dict[str, Any]) -> bool:
    """The import may change this entity: it wrote it, or a person wrote it below ``corroborated``."""
    if RANK[entity.get("confidence", "unconfirmed")] < RANK[IMPORTED]:
        return True
    return set(entity.get("source") or []) <= {SOURCE_KEY} and RANK[entity["confidence"]] <= RANK[IMPORTED]


def _take(entity: dict[str, Any]) -> None:
    entity["source"] = [SOURCE_KEY]
    entity["confidence"] = IMPORTED


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(_text(v) for v in value)
    if isinstance(value, dict) and "code" in value:  # a ROME code with its label
        return str(value["code"])
    return str(value)


def _day(value: Any) -> date | None:
    """A day of a catalogue document, written as a date or as its ISO text."""
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _compared(name: str, value: Any) -> Any:
    """What is compared of a title's field: the codes of ROME and NSF lists, in any order (a ROME code's wording
    is the nomenclature's, not the title's, and varies from one copy to the next)."""
    if name in ("rome_codes", "nsf_codes") and isinstance(value, list):
        return sorted(str(item.get("code", "")) if isinstance(item, dict) else str(item) for item in value)
    return value


def _same(one: Any, other: Any) -> bool:
    if isinstance(one, str) and isinstance(other, str):
        return fold(one) == fold(other)  # "l’infrastructure" and "l'infrastructure" are the same words
    return bool(one == other)


# The plan ----------------------------------------------------------------------------------------------------------


class _TitleReport:
    def __init__(self, code: str, label: str, created: bool) -> None:
        self.entry: dict[str, Any] = {
            "code": code,
            "label": label,
            "created": created,
            "changes": [],
            "differences": [],
        }

    def change(self, kind: str, **values: Any) -> None:
        self.entry["changes"].append({"kind": kind, **{k: _text(v) for k, v in values.items()}})

    def difference(self, where: str, name: str, catalogue: Any, export: Any) -> None:
        self.entry["differences"].append(
            {"where": where, "field": name, "catalogue": _text(catalogue), "export": _text(export)}
        )


def _referenced(instance: models.Model | None) -> bool:
    """Something outside the catalogue refers to this row (a holding, a registration...): it must not go."""
    if instance is None:
        return False
    for relation in get_candidate_relations_to_delete(instance._meta):
        related: Any = relation.related_model
        if related is None or related._meta.app_label == "catalogue":
            continue
        if related._base_manager.filter(**{relation.field.name: instance}).exists():  # type: ignore[attr-defined]
            return True
    return False


class _Planner:
    def __init__(self, export: Export, codes: dict[str, str], today: date) -> None:
        self.export = export
        self.codes = codes
        self.today = today
        self.problems: list[Problem] = []
        self.by_rncp = dict(TitleVersion.objects.values_list("rncp_code", "title__code"))
        self.known_codes = set(Title.objects.values_list("code", flat=True))
        self.source_label = _("RNCP open-data export of France compétences, %(name)s") % {"name": export.name}
        self.skipped: list[dict[str, str]] = []

    def plan(self) -> Plan:
        plan = Plan(self.export)
        titles: list[dict[str, Any]] = []
        seen_codes: set[str] = set()
        for chain in chains(self.export):
            kept = [f for f in chain if self._usable(f)]
            if not kept:
                continue
            code, rename = self._code(kept)
            if code is None or code in seen_codes:
                if code in seen_codes:
                    self._problem(kept[0], _("two chains of fiches are matched to title %(code)s") % {"code": code})
                continue
            seen_codes.add(code)
            existing = rename[0] if rename else code
            if existing in self.known_codes:
                before = materialise(services.export_title(existing))
                doc = copy.deepcopy(before)
                doc["code"] = code
                report = _TitleReport(code, doc["label"], created=False)
                if rename:
                    plan.renames.append(rename)
                    report.change("code_filled", before=rename[0], after=code)
            else:
                doc = self._new_title(code, kept[-1])
                report = _TitleReport(code, doc["label"], created=True)
                report.change("title_created")
            self._merge(doc, kept, report)
            titles.append(report.entry)
            plan.documents.append(doc)
        # Titles the import wrote earlier whose fiches are all gone from this export: their versions close.
        for code in sorted(self._imported_titles() - seen_codes):
            doc = materialise(services.export_title(code))
            report = _TitleReport(code, doc["label"], created=False)
            self._close_missing(doc, set(), report)
            if report.entry["changes"]:
                titles.append(report.entry)
                plan.documents.append(doc)
        if self.problems:
            raise CatalogueFileError(_unique(self.problems))
        for doc in plan.documents:
            self._cite_source(doc)
        plan.report = {
            "export": {"name": self.export.name, "day": _text(self.export.day), "kind": self.export.kind},
            "counts": {
                "fiches": self.export.total,
                "ministry": len(self.export.fiches),
                "titles": len(titles),
                "created": sum(1 for t in titles if t["created"]),
                "changed": sum(1 for t in titles if t["changes"] and not t["created"]),
                "differences": sum(len(t["differences"]) for t in titles),
            },
            "skipped": self.skipped,
            "titles": titles,
        }
        return plan

    def _problem(self, fiche: Fiche, message: str) -> None:
        self.problems.append(Problem(fiche.file, fiche.line, "", message))

    def _usable(self, fiche: Fiche) -> bool:
        if not any(not _is_ccs(b.label) for b in fiche.blocks):
            # A version needs at least one CCP: a fiche without a block (older registrations) is not imported.
            self.skipped.append({"fiche": fiche.number, "label": fiche.label, "reason": "no_block"})
            return False
        start, end = _start(fiche), fiche.end
        if start and end and end < start:
            self._problem(
                fiche, _("fiche %(fiche)s ends (%(end)s) before it starts") % {"fiche": fiche.number, "end": end}
            )
        if fiche.level is None:
            self._problem(fiche, _("fiche %(fiche)s has no level") % {"fiche": fiche.number})
        return True

    def _code(self, chain: list[Fiche]) -> tuple[str | None, tuple[str, str] | None]:
        """The title code of a chain, and (old, new) when a placeholder code becomes the TP code."""
        matched = {self.by_rncp[f.number] for f in chain if f.number in self.by_rncp}
        mapped = {self.codes[f.number] for f in chain if f.number in self.codes}
        if len(matched) > 1:
            self._problem(
                chain[-1],
                _("the fiches of this chain are versions of several titles: %(codes)s")
                % {"codes": ", ".join(sorted(matched))},
            )
            return None, None
        if len(mapped) > 1:
            self._problem(
                chain[-1],
                _("the mapping file gives several TP codes to this chain: %(codes)s")
                % {"codes": ", ".join(sorted(mapped))},
            )
            return None, None
        current = next(iter(matched), None)
        given = next(iter(mapped), None)
        if current and given and current != given:
            if TP_CODE.match(current):
                self._problem(
                    chain[-1],
                    _("the mapping file gives %(given)s to a version of %(code)s") % {"given": given, "code": current},
                )
                return None, None
            if given in self.known_codes:
                self._problem(chain[-1], _("title code %(code)s is already used") % {"code": given})
                return None, None
            return given, (current, given)
        return current or given or chain[0].number, None

    def _imported_titles(self) -> set[str]:
        return set(Source.objects.filter(key=SOURCE_KEY).values_list("title__code", flat=True))

    def _new_title(self, code: str, newest: Fiche) -> dict[str, Any]:
        doc: dict[str, Any] = {
            "format": FORMAT,
            "code": code,
            "label": newest.label,
            "level": newest.level or 1,
            "source": [SOURCE_KEY],
            "confidence": IMPORTED,
            "sources": [],
            "versions": [],
        }
        if not TP_CODE.match(code):
            doc["notes"] = _(
                "TP code unknown: the RNCP does not give it. A mapping file (RNCP code -> TP code) fills it at the "
                "next import."
            )
        return doc

    def _merge(self, doc: dict[str, Any], chain: list[Fiche], report: _TitleReport) -> None:
        newest = chain[-1]
        wanted: dict[str, Any] = {
            "label": newest.label,
            "level": newest.level,
            "rome_codes": [{"code": c, "label": label or c} for c, label in newest.rome if ROME_CODE.match(c)],
            "nsf_codes": [c for c, _label in newest.nsf],
        }
        if owned(doc):
            changed = False
            for name, value in wanted.items():
                if value in (None, []) and name != "label":
                    continue
                before = doc.get(name, [] if name.endswith("codes") else None)
                if not _same(_compared(name, before), _compared(name, value)):
                    if not report.entry["created"]:
                        report.change("title_field", field=name, before=_text(before), after=_text(value))
                    doc[name] = value
                    changed = True
            if changed:
                _take(doc)
                report.entry["label"] = doc["label"]
        else:
            for name, value in wanted.items():
                before = doc.get(name, [] if name.endswith("codes") else None)
                if value not in (None, []) and not _same(_compared(name, before), _compared(name, value)):
                    report.difference("", name, before, value)

        versions = doc["versions"]
        by_rncp = {v["rncp"]: v for v in versions}
        previous: dict[str, Any] | None = None
        for position, fiche in enumerate(chain):
            later = position < len(chain) - 1
            version = by_rncp.get(fiche.number)
            if version is None:
                version = self._new_version(doc, fiche)
                versions.append(version)
                by_rncp[fiche.number] = version
                report.change("version_added", rncp=fiche.number, label=version["label"])
            self._merge_version(doc, version, fiche, previous, later, report)
            previous = version
        self._close_missing(doc, set(by_rncp) & {f.number for f in chain}, report)

    def _new_version(self, doc: dict[str, Any], fiche: Fiche) -> dict[str, Any]:
        taken = {v["label"] for v in doc["versions"]}
        day = _start(fiche) or fiche.last_jo or fiche.end
        label = str(day.year) if day else fiche.number
        base, suffix = label, 2
        while label in taken:
            label, suffix = f"{base}-{suffix}", suffix + 1
        return {
            "label": label,
            "rncp": fiche.number,
            "status": "in_force",
            "source": [SOURCE_KEY],
            "confidence": IMPORTED,
            "ccps": [],
            "_new": True,
        }

    def _merge_version(
        self,
        doc: dict[str, Any],
        version: dict[str, Any],
        fiche: Fiche,
        previous: dict[str, Any] | None,
        later: bool,
        report: _TitleReport,
    ) -> None:
        new = bool(version.pop("_new", False))
        status = "in_force"
        if not fiche.active or (fiche.end is not None and fiche.end < self.today):
            status = "revised" if later else "closed"
        wanted = {"valid_from": _start(fiche), "valid_until": fiche.end, "jo_date": fiche.last_jo, "status": status}
        rncp, label = fiche.number, version["label"]
        mine = owned(version)
        changed = False
        for name, value in wanted.items():
            before = version.get(name)
            if value is None or before == value:
                continue
            if mine:
                version[name] = value
                changed = True
                if new:
                    continue
                if name == "status" and value in ("closed", "revised"):
                    reason = "revised" if value == "revised" else "inactive"
                    report.change("version_closed", rncp=rncp, label=label, reason=reason)
                else:
                    report.change("version_field", rncp=rncp, label=label, field=name, before=before, after=value)
            else:
                report.difference(rncp, name, before, value)
        if fiche.summary and not _same(version.get("summary", ""), fiche.summary):
            if mine:
                version["summary"] = fiche.summary
                changed = True
            elif not version.get("summary"):
                report.difference(rncp, "summary", "", fiche.summary[:80] + "…")
        if previous is not None and version.get("predecessor") != previous["label"]:
            before = version.get("predecessor")
            successors = {v.get("predecessor") for v in doc["versions"] if v is not version}
            if mine and previous["label"] not in successors:
                version["predecessor"] = previous["label"]
                changed = True
                if not new:
                    report.change(
                        "version_field",
                        rncp=rncp,
                        label=label,
                        field="predecessor",
                        before=before,
                        after=previous["label"],
                    )
            else:
                report.difference(rncp, "predecessor", before, previous["label"])
        if mine and changed:
            _take(version)
        self._merge_blocks(version, fiche, mine, report)

    def _merge_blocks(self, version: dict[str, Any], fiche: Fiche, mine: bool, report: _TitleReport) -> None:
        rncp = fiche.number
        ccps: list[dict[str, Any]] = version.setdefault("ccps", [])
        ccs_list: list[dict[str, Any]] = version.get("ccs", [])
        by_block = {u.get("rncp_block"): u for u in [*ccps, *ccs_list] if u.get("rncp_block")}
        seen: set[str] = set()
        for block in fiche.blocks:
            seen.add(block.code)
            unit = by_block.get(block.code) or _unit_by_number(ccps, block, mine)
            if unit is None:
                if not mine:
                    report.difference(rncp, "block", "", f"{block.code} {block.label}")
                    continue
                self._new_unit(version, block)
                report.change("block_added", rncp=rncp, code=block.code, label=block.label)
                continue
            if not _same(unit["label"], block.label):
                if owned(unit) and mine:
                    report.change("block_label", rncp=rncp, code=block.code, before=unit["label"], after=block.label)
                    unit["label"] = block.label
                    _take(unit)
                else:
                    report.difference(block.code, "label", unit["label"], block.label)
            if block.competences and owned(unit) and mine:
                unit["competences"] = [{"code": "", "label": text} for text in block.competences]
        if mine:
            self._drop_missing_blocks(version, fiche, seen, report)
            _number_competences(version)
        if ccs_list and "ccs" not in version:
            version["ccs"] = ccs_list

    def _new_unit(self, version: dict[str, Any], block: Block) -> dict[str, Any]:
        unit: dict[str, Any] = {
            "label": block.label,
            "rncp_block": block.code,
            "source": [SOURCE_KEY],
            "confidence": IMPORTED,
        }
        if block.competences:
            unit["competences"] = [{"code": "", "label": text} for text in block.competences]
        if _is_ccs(block.label):
            codes = {c["code"] for c in version.get("ccs", [])}
            code, suffix = f"BC{block.number:02d}", 2
            while code in codes:
                code, suffix = f"BC{block.number:02d}-{suffix}", suffix + 1
            version.setdefault("ccs", []).append({"code": code, **unit})
        else:
            numbers = {c["number"] for c in version["ccps"]}
            number = block.number
            while number in numbers:
                number += 1
            version["ccps"].append({"number": number, **unit})
            version["ccps"].sort(key=lambda c: c["number"])
        return unit

    def _drop_missing_blocks(self, version: dict[str, Any], fiche: Fiche, seen: set[str], report: _TitleReport) -> None:
        cited = _cited_units(version)
        for key in ("ccps", "ccs"):
            units = version.get(key, [])
            kept = []
            for unit in units:
                block = unit.get("rncp_block", "")
                if not block.startswith(fiche.number) or block in seen or not owned(unit):
                    kept.append(unit)
                    continue
                row = self._unit_row(key, fiche.number, unit)
                if (key, unit.get("number", unit.get("code"))) in cited or _referenced(row):
                    kept.append(unit)
                    report.change("block_kept", rncp=fiche.number, code=block, label=unit["label"])
                else:
                    report.change("block_removed", rncp=fiche.number, code=block, label=unit["label"])
            if key == "ccps" and not kept and units:
                kept = units[:1]  # a version keeps one CCP at least (the schema's rule); the report says it went
            if units:
                version[key] = kept

    @staticmethod
    def _unit_row(key: str, rncp: str, unit: dict[str, Any]) -> models.Model | None:
        if key == "ccps":
            return CCP.objects.filter(version__rncp_code=rncp, number=unit["number"]).first()
        return CCS.objects.filter(version__rncp_code=rncp, code=unit["code"]).first()

    def _close_missing(self, doc: dict[str, Any], present: set[str], report: _TitleReport) -> None:
        """Versions the import wrote that this export no longer has: closed, never deleted."""
        exported = set(self.export.fiches)
        for version in doc["versions"]:
            if version["rncp"] in present or version["rncp"] in exported or not owned(version):
                continue
            if version["status"] != "closed":
                version["status"] = "closed"
                report.change("version_closed", rncp=version["rncp"], label=version["label"], reason="not_in_export")
            # Its registration ended, at the latest, the day before the export that no longer lists it: a version
            # closed but still valid by its dates would stay the one in force (queries.current_version).
            end = (self.export.day or self.today) - timedelta(days=1)
            start, until = _day(version.get("valid_from")), _day(version.get("valid_until"))
            end = max(end, start) if start else end
            if until is None or until > end:
                version["valid_until"] = end
                report.change(
                    "version_field",
                    rncp=version["rncp"],
                    label=version["label"],
                    field="valid_until",
                    before=until,
                    after=end,
                )

    def _cite_source(self, doc: dict[str, Any]) -> None:
        """The title lists the export among its sources when some entity cites it (and only then)."""
        sources = [s for s in doc.get("sources", []) if s["key"] != SOURCE_KEY]
        if any(SOURCE_KEY in (entity.get("source") or []) for entity, _parent in _entities(doc)):
            sources.append({"key": SOURCE_KEY, "label": self.source_label, "url": DATASET_URL})
        doc["sources"] = sources


def _unit_by_number(ccps: list[dict[str, Any]], block: Block, mine: bool) -> dict[str, Any] | None:
    """A CCP a person wrote without its block code, of the block's number: the same CCP (it takes the code)."""
    if _is_ccs(block.label):
        return None
    for unit in ccps:
        if unit["number"] == block.number and not unit.get("rncp_block"):
            if mine and owned(unit):
                unit["rncp_block"] = block.code
            return unit
    return None


def _start(fiche: Fiche) -> date | None:
    return fiche.effect or fiche.decision


def _is_ccs(label: str) -> bool:
    words = fold(label)
    return "specialisation" in words or words.startswith("ccs ")


def _cited_units(version: dict[str, Any]) -> set[tuple[str, Any]]:
    """The CCPs and CCS a modality, a correspondence or an equivalence of this version cites."""
    cited: set[tuple[str, Any]] = set()
    modalities = version.get("modalities", {})
    cited |= {("ccps", n) for n in modalities.get("ccp", {})}
    cited |= {("ccs", c) for c in modalities.get("ccs", {})}
    for line in version.get("correspondences", []):
        cited.add(("ccps", line["ccp"]))
    for equivalence in version.get("equivalences", []):
        cited |= {("ccps", n) for n in equivalence.get("ccps", [])}
    return cited


def _number_competences(version: dict[str, Any]) -> None:
    """Competences the import wrote are numbered CP1…CPn across the CCPs, after those a person wrote."""
    ccps = version.get("ccps", [])
    taken = {c["code"] for unit in ccps for c in unit.get("competences", []) if c["code"]}
    number = 0
    for unit in ccps:
        for competence in unit.get("competences", []):
            if not competence["code"]:
                number += 1
                while f"CP{number}" in taken:
                    number += 1
                competence["code"] = f"CP{number}"
    for unit in version.get("ccs", []):
        for index, competence in enumerate(unit.get("competences", []), start=1):
            if not competence["code"]:
                competence["code"] = f"{unit['code']}-{index}"


# Planning, writing, applying -----------------------------------------------------------------------------------------


def plan(export: Export, *, codes: dict[str, str] | None = None, today: date | None = None) -> Plan:
    """What importing ``export`` would do; raises CatalogueFileError (every problem) and writes nothing."""
    return _Planner(export, codes or {}, today or dating.today()).plan()


def _clean(doc: dict[str, Any]) -> dict[str, Any]:
    """The document as the file format writes it: no empty lists where the format leaves them out."""
    doc = copy.deepcopy(doc)
    for entity, _parent in _entities(doc):
        for key in ("ccs", "sources", "nsf_codes", "rome_codes", "competences"):
            if key in entity and not entity[key]:
                del entity[key]
    return doc


def yaml_files(plan: Plan) -> dict[str, str]:
    """The YAML text of each title the plan writes, by file name."""
    return {f"{doc['code'].lower()}.yaml": services.dump_yaml(_clean(doc)) for doc in plan.documents}


def parsed(plan: Plan) -> list[TitleDoc]:
    """The plan's documents checked by the catalogue loader, as ``catalogue load`` checks a file."""
    documents, problems = [], []
    for name, text in yaml_files(plan).items():
        try:
            documents.append(loader.parse_text(text, name))
        except CatalogueFileError as exc:
            problems.extend(exc.problems)
    if problems:
        raise CatalogueFileError(problems)
    return documents


def write_files(plan: Plan, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in yaml_files(plan).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


@transaction.atomic
def apply(plan: Plan) -> CatalogueImport:
    """Write the plan in one transaction and keep its report."""
    documents = parsed(plan)
    for old, new in plan.renames:
        title = Title.objects.select_for_update().get(code=old)
        title.code = new
        title.save(update_fields=["code"])
    loaded = services.load_documents(documents)
    return CatalogueImport.objects.create(
        export_name=plan.export.name,
        export_day=plan.export.day,
        kind=plan.export.kind,
        report=plan.report,
        created=loaded.created,
        updated=loaded.updated,
        deleted=loaded.deleted,
    )


def import_export(path: Path, *, codes: Path | None = None, today: date | None = None) -> tuple[Plan, CatalogueImport]:
    """Read, plan and apply an export (the command's default): the plan and the import kept."""
    the_plan = plan(read_export(path), codes=read_codes(codes) if codes else None, today=today)
    return the_plan, apply(the_plan)


# The report in words --------------------------------------------------------------------------------------------------


def _field_name(name: str) -> str:
    """A field of the report in words; an unknown one as it is."""
    names = {
        "label": _("label"),
        "level": _("level"),
        "rome_codes": _("ROME codes"),
        "nsf_codes": _("NSF codes"),
        "valid_from": _("start of validity"),
        "valid_until": _("end of validity"),
        "jo_date": _("date of publication in the JO"),
        "status": _("status"),
        "predecessor": _("predecessor"),
        "summary": _("summary of the job"),
        "block": _("block"),
    }
    return str(names.get(name, name))


def _value_text(name: str, value: str) -> str:
    """A value of the report as a reader writes it: a day dd/mm/yyyy, a status in words."""
    if not value:
        return "—"
    if name in ("valid_from", "valid_until", "jo_date"):
        try:
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if name == "status" and value in VersionStatus.values:
        return str(VersionStatus(value).label)
    return value


def describe(change: dict[str, str]) -> str:
    """One change of the report as a sentence (in the interface language)."""
    kind = change["kind"]
    values = {k: v for k, v in change.items() if k != "kind"}
    if "field" in values:
        for side in ("before", "after"):
            if side in values:
                values[side] = _value_text(values["field"], values[side])
        values["field"] = _field_name(values["field"])
    sentences = {
        "title_created": _("Title created."),
        "code_filled": _("TP code given: %(before)s becomes %(after)s."),
        "title_field": _("Title %(field)s: “%(before)s” becomes “%(after)s”."),
        "version_added": _("New version %(label)s (%(rncp)s)."),
        "version_field": _("Version %(label)s (%(rncp)s), %(field)s: “%(before)s” becomes “%(after)s”."),
        "block_added": _("Version %(rncp)s: block %(code)s added, “%(label)s”."),
        "block_removed": _("Version %(rncp)s: block %(code)s removed, “%(label)s”."),
        "block_kept": _(
            "Version %(rncp)s: block %(code)s is no longer in the export; kept, since candidates or the catalogue "
            "refer to it."
        ),
        "block_label": _("Version %(rncp)s: block %(code)s renamed, “%(before)s” becomes “%(after)s”."),
    }
    if kind == "version_closed":
        if values.get("reason") == "not_in_export":
            return _("Version %(label)s (%(rncp)s) closed: it is no longer in the export.") % values
        if values.get("reason") == "revised":
            return (
                _("Version %(label)s (%(rncp)s) revised: the RNCP marks it inactive, a newer version follows.") % values
            )
        return _("Version %(label)s (%(rncp)s) closed: the RNCP marks it inactive.") % values
    return sentences[kind] % values if kind in sentences else kind


def describe_difference(difference: dict[str, str]) -> str:
    """A difference the import did not apply (the catalogue's data is confirmed by a person)."""
    values = {
        "where": difference["where"] or _("title"),
        "field": _field_name(difference["field"]),
        "catalogue": _value_text(difference["field"], difference["catalogue"]),
        "export": _value_text(difference["field"], difference["export"]),
    }
    return _("%(where)s, %(field)s: the catalogue has “%(catalogue)s”, the export “%(export)s”.") % values


def describe_skip(skip: dict[str, str]) -> str:
    return _("Fiche %(fiche)s (%(label)s) not imported: it has no block of competences.") % skip
