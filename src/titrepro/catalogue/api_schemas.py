"""Response schemas of the catalogue API (/api/v1/titles).

These schemas are the API contract: the OpenAPI snapshot test
(tests/snapshots/openapi.json) fails when one changes, so that it changes only
on purpose. Field names are English and stable; values are the stored ones
(codes, not translated labels). Dates are ISO 8601.

Every catalogue item carries its provenance: ``confidence`` (how sure the
catalogue is) and ``sources`` (keys such as ``"S12"``), which resolve through
the ``source_list`` of the title (also given with each version).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Literal

from ninja import Field, Schema

from titrepro.catalogue.models import Equivalence, EvaluationModality, Title, TitleVersion
from titrepro.catalogue.schema import ConfidenceName, ModalityKindName

VersionStatusName = Literal["in_force", "revised", "extended", "closed"]
SessionKindName = Literal["title", "ccp", "ccs"]
EquivalenceScopeName = Literal["total", "partial"]

_SESSION_ORDER = {"title": 0, "ccp": 1, "ccs": 2}


def duration_minutes(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds()) // 60


def duration_iso(value: timedelta | None) -> str | None:
    """An ISO 8601 duration in hours and minutes: ``PT2H30M``, ``PT45M``, ``PT0M``."""
    if value is None:
        return None
    total = int(value.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    text = "PT"
    if hours:
        text += f"{hours}H"
    if minutes or not (hours or seconds):
        text += f"{minutes}M"
    if seconds:
        text += f"{seconds}S"
    return text


class ErrorOut(Schema):
    """An error: a message for people (English) and a stable code for programs."""

    detail: str = Field(..., examples=["No title with code TP-99999."])
    code: str = Field(..., examples=["title_not_found"])


class Provenance(Schema):
    confidence: ConfidenceName
    sources: list[str] = Field(..., description="Keys of the title's source_list.")
    notes: str


class SourceOut(Schema):
    key: str
    label: str
    url: str


class RomeCodeOut(Schema):
    code: str
    label: str


# --- list ---------------------------------------------------------------------


class VersionRef(Schema):
    label: str
    rncp_code: str


class TitleSummaryOut(Schema):
    code: str
    label: str
    short_label: str
    level: int
    current_version: VersionRef | None = Field(
        ..., description="The version in force today (by validity dates), if any."
    )

    @staticmethod
    def resolve_current_version(obj: Title) -> TitleVersion | None:
        # Set by the endpoint from prefetched versions (no query per title).
        return getattr(obj, "current", None)


# --- one title ----------------------------------------------------------------


class VersionSummaryOut(Provenance):
    label: str
    millesime: str
    rncp_code: str
    arrete_date: date | None
    jo_date: date | None
    valid_from: date | None
    valid_until: date | None
    status: VersionStatusName
    predecessor: str | None = Field(..., description="Label of the version this one revises.")

    @staticmethod
    def resolve_predecessor(obj: TitleVersion) -> str | None:
        return obj.predecessor.label if obj.predecessor is not None else None


class TitleOut(Provenance):
    code: str
    label: str
    short_label: str
    level: int
    nsf_codes: list[str]
    rome_codes: list[RomeCodeOut]
    description: str
    source_list: list[SourceOut]
    versions: list[VersionSummaryOut] = Field(..., description="Ordered by validity (oldest first).")


# --- one version --------------------------------------------------------------


class TitleRef(Schema):
    code: str
    label: str
    short_label: str
    level: int


class CompetenceOut(Provenance):
    code: str
    label: str
    criteria: list[str]


class CcpOut(Provenance):
    number: int
    label: str
    rncp_block_code: str
    competences: list[CompetenceOut]


class CcsOut(Provenance):
    code: str
    label: str
    rncp_block_code: str
    competences: list[CompetenceOut]


class TransversalCompetenceOut(Provenance):
    label: str


class TimedOut(Schema):
    duration_minutes: int | None
    duration_iso: str | None = Field(..., examples=["PT2H30M"], description="ISO 8601 duration.")

    @staticmethod
    def resolve_duration_minutes(obj: EvaluationModality) -> int | None:
        return duration_minutes(obj.duration)

    @staticmethod
    def resolve_duration_iso(obj: EvaluationModality) -> str | None:
        return duration_iso(obj.duration)


class ModalityPartOut(TimedOut, Provenance):
    label: str


class ModalityOut(TimedOut, Provenance):
    kind: ModalityKindName
    description: str
    parts: list[ModalityPartOut]


class SessionModalitiesOut(Schema):
    """The tests of one kind of session: the title session, one CCP's or one CCS's."""

    session_kind: SessionKindName
    ccp_number: int | None
    ccs_code: str | None
    modalities: list[ModalityOut]


class CorrespondenceOut(Provenance):
    """A line of the revision table: these CCPs of an older version give this CCP."""

    ccp_number: int = Field(..., description="The CCP of this version.")
    from_version: str = Field(..., description="Label of the older version.")
    from_ccps: list[int] = Field(..., description="Numbers of the CCPs of the older version.")


class EquivalenceOut(Provenance):
    rncp_code: str
    certification_label: str
    scope: EquivalenceScopeName
    ccps: list[int] = Field(..., description="Numbers of the CCPs granted.")

    @staticmethod
    def resolve_ccps(obj: Equivalence) -> list[int]:
        return sorted(ccp.number for ccp in obj.ccps.all())


def group_modalities(modalities: Iterable[EvaluationModality]) -> list[dict[str, object]]:
    """Modalities grouped per session: the title session, then CCPs by number, then CCS by code."""
    groups: dict[tuple[str, int | None, str | None], list[EvaluationModality]] = {}
    for modality in modalities:
        key = (
            modality.session_kind,
            modality.ccp.number if modality.ccp is not None else None,
            modality.ccs.code if modality.ccs is not None else None,
        )
        groups.setdefault(key, []).append(modality)
    ordered = sorted(groups.items(), key=lambda item: (_SESSION_ORDER[item[0][0]], item[0][1] or 0, item[0][2] or ""))
    return [
        {
            "session_kind": kind,
            "ccp_number": number,
            "ccs_code": code,
            "modalities": sorted(rows, key=lambda m: m.position),
        }
        for (kind, number, code), rows in ordered
    ]


def version_correspondences(version: TitleVersion) -> list[dict[str, object]]:
    """The lines of the table that lead to this version's CCPs (from prefetched rows)."""
    lines: list[dict[str, object]] = []
    for ccp in version.ccps.all():
        for line in ccp.correspondences_in.all():
            lines.append(
                {
                    "ccp_number": ccp.number,
                    "from_version": line.from_version.label,
                    "from_ccps": sorted(old.number for old in line.from_ccps.all()),
                    "confidence": line.confidence,
                    "sources": line.sources,
                    "notes": line.notes,
                }
            )
    return lines


class VersionOut(Provenance):
    title: TitleRef
    label: str
    millesime: str
    rncp_code: str
    arrete_date: date | None
    jo_date: date | None
    valid_from: date | None
    valid_until: date | None
    status: VersionStatusName
    predecessor: str | None = Field(..., description="Label of the version this one revises.")
    summary: str
    ccps: list[CcpOut]
    ccs: list[CcsOut]
    transversal_competences: list[TransversalCompetenceOut]
    modalities_by_session: list[SessionModalitiesOut]
    correspondences: list[CorrespondenceOut]
    equivalences: list[EquivalenceOut]
    source_list: list[SourceOut] = Field(..., description="The title's sources, to resolve the keys in sources.")

    @staticmethod
    def resolve_predecessor(obj: TitleVersion) -> str | None:
        return obj.predecessor.label if obj.predecessor is not None else None

    @staticmethod
    def resolve_ccs(obj: TitleVersion) -> list[object]:
        return list(obj.ccs_list.all())

    @staticmethod
    def resolve_modalities_by_session(obj: TitleVersion) -> list[dict[str, object]]:
        return group_modalities(obj.modalities.all())

    @staticmethod
    def resolve_correspondences(obj: TitleVersion) -> list[dict[str, object]]:
        return version_correspondences(obj)

    @staticmethod
    def resolve_source_list(obj: TitleVersion) -> list[object]:
        return list(obj.title.source_list.all())
