"""Writes to the catalogue: load titles from YAML documents, export them back.

Loading is one transaction for all the files given: every file is parsed and
checked first, and if one is wrong nothing is written. Rows are matched by
their natural keys (title code, version label, CCP number, competence code...)
so that loading twice changes nothing and loading a corrected file updates
rows in place, keeping their ids.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from django.db import models, transaction
from django.db.models import F

from titrepro.catalogue import loader
from titrepro.catalogue.conduct import Conduct, conduct_keys, default_conduct, resolve_conduct
from titrepro.catalogue.models import (
    CCP,
    CCS,
    Competence,
    Correspondence,
    Equivalence,
    EvaluationModality,
    ModalityPart,
    Source,
    Title,
    TitleVersion,
    TransversalCompetence,
)
from titrepro.catalogue.schema import (
    FORMAT,
    CompetenceDoc,
    ModalityDoc,
    Provenance,
    TitleDoc,
    VersionDoc,
    format_duration,
)

M = TypeVar("M", bound=models.Model)


@dataclass
class LoadReport:
    """What a load did, per title code."""

    titles: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


def builtin_files() -> list[Path]:
    """The title files shipped inside the package (catalogue/titles/*.yaml)."""
    folder = resources.files("titrepro.catalogue") / "titles"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".yaml"))


def check_files(paths: Sequence[Path]) -> list[TitleDoc]:
    """Parse and validate files without writing; raise CatalogueFileError with every problem."""
    documents: list[TitleDoc] = []
    problems: list[loader.Problem] = []
    seen: dict[str, Path] = {}
    for path in paths:
        try:
            document = loader.parse_file(path)
        except loader.CatalogueFileError as exc:
            problems.extend(exc.problems)
            continue
        if document.code in seen:
            problems.append(loader.Problem(str(path), None, "code", f"{document.code}: {seen[document.code]}"))
        seen[document.code] = path
        documents.append(document)
    if problems:
        raise loader.CatalogueFileError(problems)
    return documents


def load_files(paths: Sequence[Path]) -> LoadReport:
    """Load title files in one transaction; nothing is written if any file is wrong."""
    documents = check_files(paths)
    return load_documents(documents)


def load_builtin() -> LoadReport:
    return load_files(builtin_files())


@transaction.atomic
def load_documents(documents: Iterable[TitleDoc]) -> LoadReport:
    report = LoadReport()
    for document in documents:
        _Writer(report).title(document)
        report.titles.append(document.code)
    return report


class _Writer:
    """Upsert one document's rows by natural key, counting what really changed."""

    def __init__(self, report: LoadReport) -> None:
        self.report = report

    def upsert(self, model: type[M], keys: dict[str, Any], values: dict[str, Any]) -> M:
        instance = model._default_manager.filter(**keys).first()
        if instance is None:
            instance = model(**keys, **values)
            instance.full_clean(validate_unique=False, validate_constraints=False)
            instance.save()
            self.report.created += 1
            return instance
        changed = [name for name, value in values.items() if getattr(instance, name) != value]
        if changed:
            for name in changed:
                setattr(instance, name, values[name])
            instance.save(update_fields=changed)
            self.report.updated += 1
        return instance

    def prune(self, queryset: models.QuerySet[Any], keep: Iterable[int]) -> None:
        deleted, _ = queryset.exclude(pk__in=list(keep)).delete()
        self.report.deleted += deleted

    def set_m2m(self, manager: Any, targets: list[Any]) -> None:
        current = {obj.pk for obj in manager.all()}
        wanted = {obj.pk for obj in targets}
        if current != wanted:
            manager.set(targets)
            self.report.updated += 1

    @staticmethod
    def provenance(doc: Provenance, parent: dict[str, Any]) -> dict[str, Any]:
        return {
            "sources": list(doc.source) if doc.source is not None else parent["sources"],
            "confidence": doc.confidence or parent["confidence"],
            "notes": doc.notes,
        }

    def title(self, doc: TitleDoc) -> None:
        root = self.provenance(doc, {"sources": [], "confidence": "unconfirmed"})
        title = self.upsert(
            Title,
            {"code": doc.code},
            {
                "label": doc.label,
                "short_label": doc.short_label,
                "level": doc.level,
                "nsf_codes": list(doc.nsf_codes),
                "rome_codes": [{"code": r.code, "label": r.label} for r in doc.rome_codes],
                "description": doc.description,
                **root,
            },
        )
        kept = [
            self.upsert(Source, {"title": title, "key": s.key}, {"label": s.label, "url": s.url, "position": i}).pk
            for i, s in enumerate(doc.sources)
        ]
        self.prune(title.source_list.all(), kept)
        by_label = {vdoc.label: self.version_row(title, vdoc, root) for vdoc in doc.versions}
        # The one-to-one predecessor link may move between versions: clear the links
        # that change before setting them, so the unique constraint never sees two.
        wanted = {by_label[v.label].pk: (by_label[v.predecessor] if v.predecessor else None) for v in doc.versions}
        moving = [
            version
            for version in by_label.values()
            if version.predecessor_id != getattr(wanted[version.pk], "pk", None)
        ]
        TitleVersion.objects.filter(pk__in=[v.pk for v in moving]).update(predecessor=None)
        for version in moving:
            version.predecessor = wanted[version.pk]
            version.save(update_fields=["predecessor"])
            self.report.updated += 1
        ccps_by_version = {
            vdoc.label: self.version_children(by_label[vdoc.label], vdoc, self.provenance(vdoc, root))
            for vdoc in doc.versions
        }
        for vdoc in doc.versions:
            self.correspondences(by_label[vdoc.label], vdoc, self.provenance(vdoc, root), by_label, ccps_by_version)
        stale = title.versions.exclude(pk__in=[v.pk for v in by_label.values()])
        stale.update(predecessor=None)
        self.prune(stale, [])

    def version_row(self, title: Title, doc: VersionDoc, parent: dict[str, Any]) -> TitleVersion:
        return self.upsert(
            TitleVersion,
            {"title": title, "label": doc.label},
            {
                "millesime": doc.millesime,
                "rncp_code": doc.rncp,
                "arrete_date": doc.arrete_date,
                "jo_date": doc.jo_date,
                "valid_from": doc.valid_from,
                "valid_until": doc.valid_until,
                "status": doc.status,
                "summary": doc.summary,
                **self.provenance(doc, parent),
            },
        )

    def competences(self, owner: dict[str, Any], docs: list[CompetenceDoc], parent: dict[str, Any]) -> None:
        kept = [
            self.upsert(
                Competence,
                {**owner, "code": c.code},
                {"label": c.label, "criteria": list(c.criteria), "position": i, **self.provenance(c, parent)},
            ).pk
            for i, c in enumerate(docs)
        ]
        self.prune(Competence.objects.filter(**owner), kept)

    def version_children(self, version: TitleVersion, doc: VersionDoc, here: dict[str, Any]) -> dict[int, CCP]:
        ccps: dict[int, CCP] = {}
        for cdoc in doc.ccps:
            prov = self.provenance(cdoc, here)
            ccp = self.upsert(
                CCP,
                {"version": version, "number": cdoc.number},
                {"label": cdoc.label, "rncp_block_code": cdoc.rncp_block, **prov},
            )
            self.competences({"ccp": ccp}, cdoc.competences, prov)
            ccps[cdoc.number] = ccp
        ccs_rows: dict[str, CCS] = {}
        for sdoc in doc.ccs:
            prov = self.provenance(sdoc, here)
            ccs = self.upsert(
                CCS,
                {"version": version, "code": sdoc.code},
                {"label": sdoc.label, "rncp_block_code": sdoc.rncp_block, **prov},
            )
            self.competences({"ccs": ccs}, sdoc.competences, prov)
            ccs_rows[sdoc.code] = ccs
        kept = [
            self.upsert(
                TransversalCompetence,
                {"version": version, "label": t.label},
                {"position": i, **self.provenance(t, here)},
            ).pk
            for i, t in enumerate(doc.transversal_competences)
        ]
        self.prune(version.transversal_competences.all(), kept)

        groups: list[tuple[str, CCP | None, CCS | None, list[ModalityDoc]]] = [
            ("title", None, None, doc.modalities.title)
        ]
        groups += [("ccp", ccps[n], None, mods) for n, mods in doc.modalities.ccp.items()]
        groups += [("ccs", None, ccs_rows[c], mods) for c, mods in doc.modalities.ccs.items()]
        kept = []
        for session_kind, target_ccp, target_ccs, mods in groups:
            for i, mdoc in enumerate(mods):
                prov = self.provenance(mdoc, here)
                conduct = resolve_conduct(default_conduct(mdoc.kind), mdoc.jury, mdoc.workstation)
                modality = self.upsert(
                    EvaluationModality,
                    {
                        "version": version,
                        "session_kind": session_kind,
                        "ccp": target_ccp,
                        "ccs": target_ccs,
                        "position": i,
                    },
                    {
                        "kind": mdoc.kind,
                        "duration": mdoc.duration,
                        "description": mdoc.description,
                        **asdict(conduct),
                        **prov,
                    },
                )
                kept.append(modality.pk)
                parts = [
                    self.upsert(
                        ModalityPart,
                        {"modality": modality, "position": pi},
                        {
                            "label": p.label,
                            "duration": p.duration,
                            **asdict(resolve_conduct(conduct, p.jury, p.workstation)),
                            **self.provenance(p, prov),
                        },
                    ).pk
                    for pi, p in enumerate(mdoc.parts)
                ]
                self.prune(modality.parts.all(), parts)
        self.prune(version.modalities.all(), kept)
        # Anything that no longer exists in the file goes, children first.
        self.prune(CCS.objects.filter(version=version), [c.pk for c in ccs_rows.values()])

        kept = []
        for edoc in doc.equivalences:
            row = self.upsert(
                Equivalence,
                {"version": version, "rncp_code": edoc.rncp},
                {"certification_label": edoc.label, "scope": edoc.scope, **self.provenance(edoc, here)},
            )
            self.set_m2m(row.ccps, [ccps[n] for n in edoc.ccps])
            kept.append(row.pk)
        self.prune(version.equivalences.all(), kept)
        self.prune(version.ccps.all(), [c.pk for c in ccps.values()])
        return ccps

    def correspondences(
        self,
        version: TitleVersion,
        doc: VersionDoc,
        here: dict[str, Any],
        versions: dict[str, TitleVersion],
        ccps: dict[str, dict[int, CCP]],
    ) -> None:
        kept = []
        for line in doc.correspondences:
            origin_label = line.from_version or doc.predecessor or ""
            row = self.upsert(
                Correspondence,
                {"to_ccp": ccps[doc.label][line.ccp]},
                {"from_version": versions[origin_label], **self.provenance(line, here)},
            )
            self.set_m2m(row.from_ccps, [ccps[origin_label][n] for n in line.from_ccps])
            kept.append(row.pk)
        self.prune(Correspondence.objects.filter(to_ccp__version=version), kept)


# --- export -------------------------------------------------------------------


def _provenance_out(row: Any, parent: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The provenance fields a row writes (only where they differ from its parent's)."""
    out: dict[str, Any] = {}
    if row.sources != parent["sources"]:
        out["source"] = list(row.sources)
    if row.confidence != parent["confidence"]:
        out["confidence"] = row.confidence
    if row.notes:
        out["notes"] = row.notes
    return out, {"sources": row.sources, "confidence": row.confidence}


def _competences_out(rows: Iterable[Competence], parent: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for c in rows:
        prov, _ = _provenance_out(c, parent)
        item: dict[str, Any] = {"code": c.code, "label": c.label}
        if c.criteria:
            item["criteria"] = list(c.criteria)
        result.append({**item, **prov})
    return result


def _conduct_of(row: EvaluationModality | ModalityPart) -> Conduct:
    return Conduct(jury_present=row.jury_present, uses_workstation=row.uses_workstation)


def _modalities_out(rows: Iterable[EvaluationModality], parent: dict[str, Any]) -> list[dict[str, Any]]:
    result = []
    for m in rows:
        prov, inherited = _provenance_out(m, parent)
        item: dict[str, Any] = {"kind": m.kind}
        if m.duration is not None:
            item["duration"] = format_duration(m.duration)
        if m.description:
            item["description"] = m.description
        conduct = _conduct_of(m)
        item.update(conduct_keys(conduct, default_conduct(m.kind)))
        item.update(prov)
        parts = []
        for p in m.parts.all():
            part: dict[str, Any] = {"label": p.label}
            if p.duration is not None:
                part["duration"] = format_duration(p.duration)
            part.update(conduct_keys(_conduct_of(p), conduct))
            part.update(_provenance_out(p, inherited)[0])
            parts.append(part)
        if parts:
            item["parts"] = parts
        result.append(item)
    return result


def export_title(code: str) -> dict[str, Any]:
    """The document of one title, in the file format; ``Title.DoesNotExist`` if unknown."""
    title = Title.objects.get(code=code)
    root_prov, root = _provenance_out(title, {"sources": [], "confidence": "unconfirmed"})
    doc: dict[str, Any] = {"format": FORMAT, "code": title.code, "label": title.label}
    if title.short_label:
        doc["short_label"] = title.short_label
    doc["level"] = title.level
    if title.nsf_codes:
        doc["nsf_codes"] = list(title.nsf_codes)
    if title.rome_codes:
        doc["rome_codes"] = [dict(r) for r in title.rome_codes]
    if title.description:
        doc["description"] = title.description
    doc.update(root_prov)
    if title.source_list.exists():
        doc["sources"] = [
            {"key": s.key, "label": s.label, **({"url": s.url} if s.url else {})} for s in title.source_list.all()
        ]
    versions = []
    for v in title.versions.select_related("predecessor").order_by(F("valid_from").asc(nulls_first=True), "label"):
        prov, here = _provenance_out(v, root)
        item: dict[str, Any] = {"label": v.label}
        if v.millesime:
            item["millesime"] = v.millesime
        item["rncp"] = v.rncp_code
        for name in ("arrete_date", "jo_date", "valid_from", "valid_until"):
            if getattr(v, name) is not None:
                item[name] = getattr(v, name)
        item["status"] = v.status
        if v.predecessor:
            item["predecessor"] = v.predecessor.label
        if v.summary:
            item["summary"] = v.summary
        item.update(prov)
        ccps = []
        for c in v.ccps.prefetch_related("competences"):
            cprov, cparent = _provenance_out(c, here)
            ccp: dict[str, Any] = {"number": c.number, "label": c.label}
            if c.rncp_block_code:
                ccp["rncp_block"] = c.rncp_block_code
            ccp.update(cprov)
            if competences := _competences_out(c.competences.all(), cparent):
                ccp["competences"] = competences
            ccps.append(ccp)
        item["ccps"] = ccps
        ccs_list = []
        for s in v.ccs_list.prefetch_related("competences"):
            sprov, sparent = _provenance_out(s, here)
            ccs: dict[str, Any] = {"code": s.code, "label": s.label}
            if s.rncp_block_code:
                ccs["rncp_block"] = s.rncp_block_code
            ccs.update(sprov)
            if competences := _competences_out(s.competences.all(), sparent):
                ccs["competences"] = competences
            ccs_list.append(ccs)
        if ccs_list:
            item["ccs"] = ccs_list
        transversal = [{"label": t.label, **_provenance_out(t, here)[0]} for t in v.transversal_competences.all()]
        if transversal:
            item["transversal_competences"] = transversal
        modalities = (
            v.modalities.select_related("ccp", "ccs")
            .prefetch_related("parts")
            .order_by("session_kind", "ccp__number", "ccs__code", "position")
        )
        grouped: dict[str, Any] = {}
        title_mods = [m for m in modalities if m.session_kind == "title"]
        if title_mods:
            grouped["title"] = _modalities_out(title_mods, here)
        per_ccp: dict[int, list[EvaluationModality]] = {}
        per_ccs: dict[str, list[EvaluationModality]] = {}
        for m in modalities:
            if m.ccp is not None:
                per_ccp.setdefault(m.ccp.number, []).append(m)
            elif m.ccs is not None:
                per_ccs.setdefault(m.ccs.code, []).append(m)
        if per_ccp:
            grouped["ccp"] = {n: _modalities_out(ms, here) for n, ms in sorted(per_ccp.items())}
        if per_ccs:
            grouped["ccs"] = {c: _modalities_out(ms, here) for c, ms in sorted(per_ccs.items())}
        if grouped:
            item["modalities"] = grouped
        lines = []
        for line in (
            Correspondence.objects.filter(to_ccp__version=v)
            .select_related("from_version", "to_ccp")
            .order_by("to_ccp__number")
        ):
            entry: dict[str, Any] = {
                "ccp": line.to_ccp.number,
                "from_ccps": sorted(c.number for c in line.from_ccps.all()),
            }
            if v.predecessor is None or line.from_version_id != v.predecessor_id:
                entry["from_version"] = line.from_version.label
            entry.update(_provenance_out(line, here)[0])
            lines.append(entry)
        if lines:
            item["correspondences"] = lines
        equivalences = [
            {
                "rncp": e.rncp_code,
                "label": e.certification_label,
                "scope": e.scope,
                **({"ccps": sorted(c.number for c in e.ccps.all())} if e.scope == "partial" else {}),
                **_provenance_out(e, here)[0],
            }
            for e in v.equivalences.all()
        ]
        if equivalences:
            item["equivalences"] = equivalences
        versions.append(item)
    doc["versions"] = versions
    return doc


class _Dumper(yaml.SafeDumper):
    """Block style, unicode, long lines kept whole, list items indented under their key."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dump_yaml(document: dict[str, Any]) -> str:
    return yaml.dump(document, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False)


def export_title_yaml(code: str) -> str:
    return dump_yaml(export_title(code))
