"""Reads of the catalogue shared by the pages and the API.

Every function here returns rows with what a page needs already fetched
(``select_related`` / ``prefetch_related``), so a page runs a fixed number of
SQL queries whatever the size of a title. The helpers that take a title or a
version (``current_version``, ``modality_sessions``...) only walk prefetched
data and run no query of their own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from titrepro.accounts.permissions import scoped
from titrepro.catalogue.models import (
    CCP,
    CCS,
    CatalogueImport,
    Correspondence,
    Equivalence,
    EvaluationModality,
    SessionKind,
    Source,
    Title,
    TitleVersion,
)
from titrepro.core.values import fold
from titrepro.rules.catalogue import CorrespondenceSpec, EquivalenceSpec, TitleSpec, VersionSpec, chronological

_TITLE_CODE = re.compile(r"^tp[\s-]*(\d{5})$", re.IGNORECASE)
_RNCP_CODE = re.compile(r"^rncp\s*(\d{3,6})$", re.IGNORECASE)


def normalise_query(q: str) -> str:
    """Tidy a search: collapse spaces, and write codes the way they are stored.

    "tp 01351" becomes "TP-01351", "rncp 37682" becomes "RNCP37682".
    """
    q = " ".join(q.split())
    if match := _TITLE_CODE.match(q):
        return f"TP-{match.group(1)}"
    if match := _RNCP_CODE.match(q):
        return f"RNCP{match.group(1)}"
    return q


def search_words(q: str) -> list[str]:
    """The folded words of a search that must all be found: "d’un technicien RÉSEAUX" -> technicien, reseaux.

    Words of one or two letters (elided articles l’ d’, "un", "et") are dropped unless the
    search has nothing else.
    """
    words = fold(q).split()
    return [word for word in words if len(word) > 2] or words


def search_titles(q: str = "") -> QuerySet[Title]:
    """Titles matching ``q`` on their code, label, short label or the RNCP code of any version.

    Accents, case, punctuation and apostrophes do not count: every folded word of the
    search must be in the title's ``search_text`` (same on SQLite and PostgreSQL).
    An empty ``q`` gives every title. Versions come prefetched (in the model's
    order) so ``current_version`` costs no query.
    """
    titles = Title.objects.prefetch_related("versions")
    q = normalise_query(q)
    words = search_words(q)
    if words:
        rncp_match = TitleVersion.objects.filter(title=OuterRef("pk"), rncp_code__icontains=q)
        in_text = Q()
        for word in words:
            in_text &= Q(search_text__contains=word)
        titles = titles.filter(in_text | Exists(rncp_match))
    return titles.order_by("code")


def version_queryset() -> QuerySet[TitleVersion]:
    """Versions with everything a version page shows, fetched in a fixed number of queries."""
    return TitleVersion.objects.select_related("title", "predecessor", "successor").prefetch_related(
        Prefetch(
            "ccps",
            queryset=CCP.objects.prefetch_related(
                "competences",
                Prefetch(
                    "correspondences_in",
                    queryset=Correspondence.objects.select_related("from_version").prefetch_related(
                        Prefetch("from_ccps", queryset=CCP.objects.order_by("number"))
                    ),
                ),
            ),
        ),
        Prefetch("ccs_list", queryset=CCS.objects.prefetch_related("competences")),
        "transversal_competences",
        Prefetch(
            "modalities",
            queryset=EvaluationModality.objects.select_related("ccp", "ccs").prefetch_related("parts"),
        ),
        Prefetch(
            "equivalences",
            queryset=Equivalence.objects.prefetch_related(Prefetch("ccps", queryset=CCP.objects.order_by("number"))),
        ),
        Prefetch(
            "correspondences_out",
            queryset=Correspondence.objects.select_related("to_ccp__version").prefetch_related(
                Prefetch("from_ccps", queryset=CCP.objects.order_by("number"))
            ),
        ),
    )


def get_title(code: str) -> Title:
    """One title with its sources and all its versions in full; 404 if the code is unknown."""
    title = (
        Title.objects.prefetch_related(
            Prefetch("source_list", queryset=Source.objects.order_by("position", "key")),
            Prefetch("versions", queryset=version_queryset()),
        )
        .filter(code=code)
        .first()
    )
    if title is None:
        raise Http404("unknown title code")
    return title


def get_version(code: str, label: str) -> TitleVersion:
    """One version of a title in full (with its title's sources); 404 if unknown."""
    version = (
        version_queryset()
        .prefetch_related(Prefetch("title__source_list", queryset=Source.objects.order_by("position", "key")))
        .filter(title__code=code, label=label)
        .first()
    )
    if version is None:
        raise Http404("unknown title version")
    return version


def is_valid_on(version: TitleVersion, on: date) -> bool:
    """Whether ``on`` falls within the version's validity; an unknown start or end is open."""
    if version.valid_from is not None and version.valid_from > on:
        return False
    return version.valid_until is None or version.valid_until >= on


def _latest_key(version: TitleVersion) -> tuple[date, str]:
    return (version.valid_from or date.min, version.label)


def current_version(title: Title, on: date | None = None) -> TitleVersion | None:
    """The version in force on ``on`` (today by default), else the latest one.

    Uses ``title.versions.all()``: prefetch the versions to avoid a query.
    """
    if on is None:
        on = timezone.localdate()
    versions = list(title.versions.all())
    if not versions:
        return None
    in_force = [v for v in versions if is_valid_on(v, on)]
    return max(in_force or versions, key=_latest_key)


def successor(version: TitleVersion) -> TitleVersion | None:
    """The version that replaced this one, if any (reverse one-to-one, never raises)."""
    return getattr(version, "successor", None)


@dataclass
class Session:
    """The tests of one kind of session: the title session, one CCP's or one CCS's."""

    kind: str
    ccp: CCP | None = None
    ccs: CCS | None = None
    modalities: list[EvaluationModality] = field(default_factory=list)

    @property
    def total_duration(self) -> timedelta | None:
        """Sum of the durations that are known; None when none is."""
        known = [m.duration for m in self.modalities if m.duration is not None]
        return sum(known, timedelta()) if known else None

    @property
    def all_durations_known(self) -> bool:
        return all(m.duration is not None for m in self.modalities)


def modality_sessions(version: TitleVersion) -> list[Session]:
    """The version's modalities grouped by session: title first, then each CCP, then each CCS."""
    title_session = Session(kind=SessionKind.TITLE)
    by_ccp: dict[int, Session] = {}
    by_ccs: dict[int, Session] = {}
    for modality in version.modalities.all():
        if modality.session_kind == SessionKind.TITLE:
            title_session.modalities.append(modality)
        elif modality.session_kind == SessionKind.CCP and modality.ccp is not None:
            by_ccp.setdefault(modality.ccp.pk, Session(kind=SessionKind.CCP, ccp=modality.ccp)).modalities.append(
                modality
            )
        elif modality.session_kind == SessionKind.CCS and modality.ccs is not None:
            by_ccs.setdefault(modality.ccs.pk, Session(kind=SessionKind.CCS, ccs=modality.ccs)).modalities.append(
                modality
            )
    sessions = [title_session] if title_session.modalities else []
    sessions += sorted(by_ccp.values(), key=lambda s: s.ccp.number if s.ccp else 0)
    sessions += sorted(by_ccs.values(), key=lambda s: s.ccs.code if s.ccs else "")
    for session in sessions:
        session.modalities.sort(key=lambda m: m.position)
    return sessions


@dataclass
class CorrespondenceTable:
    """The lines of a revision's table between one old version and one new version."""

    from_version: TitleVersion
    to_version: TitleVersion
    lines: list[Correspondence] = field(default_factory=list)


def correspondences_in(version: TitleVersion) -> list[CorrespondenceTable]:
    """How CCPs of earlier versions give the CCPs of this version, one table per earlier version."""
    tables: dict[int, CorrespondenceTable] = {}
    for ccp in version.ccps.all():
        for line in ccp.correspondences_in.all():
            line.to_ccp = ccp
            table = tables.setdefault(
                line.from_version_id, CorrespondenceTable(from_version=line.from_version, to_version=version)
            )
            table.lines.append(line)
    return sorted(tables.values(), key=lambda t: _latest_key(t.from_version))


def correspondences_out(version: TitleVersion) -> list[CorrespondenceTable]:
    """How the CCPs of this version give CCPs of later versions, one table per later version."""
    tables: dict[int, CorrespondenceTable] = {}
    for line in version.correspondences_out.all():
        to_version = line.to_ccp.version
        table = tables.setdefault(to_version.pk, CorrespondenceTable(from_version=version, to_version=to_version))
        table.lines.append(line)
    for table in tables.values():
        table.lines.sort(key=lambda line: line.to_ccp.number)
    return sorted(tables.values(), key=lambda t: _latest_key(t.to_version))


def sources_by_key(title: Title) -> dict[str, Source]:
    """The title's sources by key, from the prefetched ``source_list``."""
    return {source.key: source for source in title.source_list.all()}


def spec_from_database(code: str) -> TitleSpec:
    """``Title.DoesNotExist`` when the code is unknown."""
    title = Title.objects.get(code=code)
    versions = title.versions.select_related("predecessor").prefetch_related("ccps", "ccs_list", "equivalences__ccps")
    lines = (
        Correspondence.objects.filter(to_ccp__version__title=title)
        .select_related("to_ccp__version", "from_version")
        .prefetch_related("from_ccps")
    )
    by_version: dict[int, list[CorrespondenceSpec]] = {}
    for line in lines:
        by_version.setdefault(line.to_ccp.version_id, []).append(
            CorrespondenceSpec(
                line.to_ccp.number, line.from_version.label, frozenset(c.number for c in line.from_ccps.all())
            )
        )
    specs = [
        VersionSpec(
            label=v.label,
            valid_from=v.valid_from,
            valid_until=v.valid_until,
            status=v.status,
            predecessor=v.predecessor.label if v.predecessor else None,
            ccps=frozenset(c.number for c in v.ccps.all()),
            ccs=frozenset(c.code for c in v.ccs_list.all()),
            correspondences=tuple(by_version.get(v.pk, [])),
            equivalences=tuple(
                EquivalenceSpec(e.rncp_code, e.scope == "total", frozenset(c.number for c in e.ccps.all()))
                for e in v.equivalences.all()
            ),
        )
        for v in versions
    ]
    return TitleSpec(title.code, chronological(specs))


def visible_imports(user: Any) -> QuerySet[CatalogueImport]:
    """The catalogue's updates (the RNCP imports): national administrators only, any other role 403."""
    return scoped(user, CatalogueImport.objects.all())
