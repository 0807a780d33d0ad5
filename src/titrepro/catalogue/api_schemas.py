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

from datetime import date, timedelta
from typing import Annotated, Literal

from ninja import Field, Schema

from titrepro.catalogue import queries
from titrepro.catalogue.models import (
    CCS,
    Correspondence,
    Equivalence,
    EvaluationModality,
    ModalityPart,
    Source,
    Title,
    TitleVersion,
)
from titrepro.catalogue.schema import ConfidenceName, ModalityKindName

VersionStatusName = Literal["in_force", "revised", "extended", "closed"]
SessionKindName = Literal["title", "ccp", "ccs"]
EquivalenceScopeName = Literal["total", "partial"]


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


# Every catalogue item ends with its provenance: confidence, sources, notes
# (declared last in each schema, so that the item's own fields come first).
SourceKeys = Annotated[list[str], Field(description="Keys of the title's source_list.")]


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
        ..., description="The version in force today (by validity dates), else the latest one."
    )

    @staticmethod
    def resolve_current_version(obj: Title) -> TitleVersion | None:
        return queries.current_version(obj)


# --- one title ----------------------------------------------------------------


class VersionSummaryOut(Schema):
    label: str
    millesime: str
    rncp_code: str
    arrete_date: date | None
    jo_date: date | None
    valid_from: date | None
    valid_until: date | None
    status: VersionStatusName
    predecessor: str | None = Field(..., description="Label of the version this one revises.")
    successor: str | None = Field(..., description="Label of the version that revises this one.")
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str

    @staticmethod
    def resolve_predecessor(obj: TitleVersion) -> str | None:
        return obj.predecessor.label if obj.predecessor is not None else None

    @staticmethod
    def resolve_successor(obj: TitleVersion) -> str | None:
        following = queries.successor(obj)
        return following.label if following is not None else None


class TitleOut(Schema):
    code: str
    label: str
    short_label: str
    level: int
    nsf_codes: list[str]
    rome_codes: list[RomeCodeOut]
    description: str
    source_list: list[SourceOut]
    versions: list[VersionSummaryOut] = Field(..., description="Ordered by validity (oldest first).")
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


# --- one version --------------------------------------------------------------


class TitleRef(Schema):
    code: str
    label: str
    short_label: str
    level: int


class CompetenceOut(Schema):
    code: str
    label: str
    criteria: list[str]
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


class CcpOut(Schema):
    number: int
    label: str
    rncp_block_code: str
    competences: list[CompetenceOut]
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


class CcsOut(Schema):
    code: str
    label: str
    rncp_block_code: str
    competences: list[CompetenceOut]
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


class TransversalCompetenceOut(Schema):
    label: str
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


MinutesField = Annotated[int | None, Field(description="Duration in minutes; null when unknown.")]
IsoDurationField = Annotated[str | None, Field(examples=["PT2H30M"], description="ISO 8601 duration.")]
JuryPresentField = Annotated[
    bool, Field(description="Whether the jury is in the room (an interview: yes; an unsupervised preparation: no).")
]
UsesWorkstationField = Annotated[
    bool, Field(description="Whether the candidate sits at a workstation (a computer post) during it.")
]


class Timed(Schema):
    """Resolves ``duration_minutes`` and ``duration_iso`` from a ``duration`` (timedelta)."""

    @staticmethod
    def resolve_duration_minutes(obj: EvaluationModality | ModalityPart) -> int | None:
        return duration_minutes(obj.duration)

    @staticmethod
    def resolve_duration_iso(obj: EvaluationModality | ModalityPart) -> str | None:
        return duration_iso(obj.duration)


class ModalityPartOut(Timed):
    label: str
    duration_minutes: MinutesField
    duration_iso: IsoDurationField
    jury_present: JuryPresentField
    uses_workstation: UsesWorkstationField
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


class ModalityOut(Timed):
    """One test of a session; when it has parts, a timetable reads each part's jury_present and uses_workstation."""

    kind: ModalityKindName
    duration_minutes: MinutesField
    duration_iso: IsoDurationField
    jury_present: JuryPresentField
    uses_workstation: UsesWorkstationField
    description: str
    parts: list[ModalityPartOut]
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str


class SessionModalitiesOut(Schema):
    """The tests of one kind of session: the title session, one CCP's or one CCS's."""

    session_kind: SessionKindName
    ccp_number: int | None
    ccs_code: str | None
    total_duration_minutes: int | None = Field(..., description="Sum of the known durations.")
    total_duration_iso: str | None = Field(..., examples=["PT5H35M"])
    all_durations_known: bool = Field(..., description="False when some modality has no known duration.")
    modalities: list[ModalityOut]

    @staticmethod
    def resolve_session_kind(obj: queries.Session) -> str:
        return obj.kind

    @staticmethod
    def resolve_ccp_number(obj: queries.Session) -> int | None:
        return obj.ccp.number if obj.ccp is not None else None

    @staticmethod
    def resolve_ccs_code(obj: queries.Session) -> str | None:
        return obj.ccs.code if obj.ccs is not None else None

    @staticmethod
    def resolve_total_duration_minutes(obj: queries.Session) -> int | None:
        return duration_minutes(obj.total_duration)

    @staticmethod
    def resolve_total_duration_iso(obj: queries.Session) -> str | None:
        return duration_iso(obj.total_duration)


class CorrespondenceOut(Schema):
    """A line of a revision table: these CCPs of an older version give this CCP."""

    ccp_number: int = Field(..., description="The CCP of this version.")
    from_version: str = Field(..., description="Label of the older version.")
    from_ccps: list[int] = Field(..., description="Numbers of the CCPs of the older version.")
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str

    @staticmethod
    def resolve_ccp_number(obj: Correspondence) -> int:
        return obj.to_ccp.number

    @staticmethod
    def resolve_from_version(obj: Correspondence) -> str:
        return obj.from_version.label

    @staticmethod
    def resolve_from_ccps(obj: Correspondence) -> list[int]:
        return sorted(ccp.number for ccp in obj.from_ccps.all())


class EquivalenceOut(Schema):
    rncp_code: str
    certification_label: str
    scope: EquivalenceScopeName
    ccps: list[int] = Field(..., description="Numbers of the CCPs granted.")
    confidence: ConfidenceName
    sources: SourceKeys
    notes: str

    @staticmethod
    def resolve_ccps(obj: Equivalence) -> list[int]:
        return sorted(ccp.number for ccp in obj.ccps.all())


class VersionOut(VersionSummaryOut):
    title: TitleRef
    summary: str
    ccps: list[CcpOut]
    ccs: list[CcsOut]
    transversal_competences: list[TransversalCompetenceOut]
    modalities_by_session: list[SessionModalitiesOut]
    correspondences: list[CorrespondenceOut]
    equivalences: list[EquivalenceOut]
    source_list: list[SourceOut] = Field(..., description="The title's sources, to resolve the keys in sources.")

    @staticmethod
    def resolve_ccs(obj: TitleVersion) -> list[CCS]:
        return list(obj.ccs_list.all())

    @staticmethod
    def resolve_modalities_by_session(obj: TitleVersion) -> list[queries.Session]:
        return queries.modality_sessions(obj)

    @staticmethod
    def resolve_correspondences(obj: TitleVersion) -> list[Correspondence]:
        return [line for table in queries.correspondences_in(obj) for line in table.lines]

    @staticmethod
    def resolve_source_list(obj: TitleVersion) -> list[Source]:
        return list(obj.title.source_list.all())
