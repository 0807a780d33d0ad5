"""The YAML format of one title with all its versions (docs/catalogue-format.md).

These pydantic models describe the file as written; ``loader.py`` turns YAML
into plain data with line numbers and validates it against them, and
``services.py`` writes it. Every entity may carry ``source`` (keys of the
title's ``sources``), ``confidence`` and ``notes``; ``source`` and
``confidence`` default to the enclosing entity's.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, StringConstraints

FORMAT = "titrepro-catalogue/1"

ConfidenceName = Literal["confirmed", "corroborated", "reported", "unconfirmed"]
ModalityKindName = Literal[
    "practical_assessment",
    "upstream_project",
    "technical_interview",
    "professional_questionnaire",
    "outputs_questioning",
    "final_interview",
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# The TP code, or for a title imported from the RNCP without it, the RNCP code of its oldest version.
TitleCode = Annotated[str, StringConstraints(pattern=r"^(TP-\d{5}|RNCP\d{3,6})$")]
RncpCode = Annotated[str, StringConstraints(pattern=r"^RNCP\d{3,6}$")]

_DURATION = re.compile(r"^(\d{1,2}):([0-5]\d)$")


def parse_duration(value: object) -> object:
    """Read "HH:MM" into a timedelta; anything else is left for pydantic to refuse."""
    if isinstance(value, str):
        match = _DURATION.match(value.strip())
        if not match:
            raise ValueError("duration_format")
        return timedelta(hours=int(match.group(1)), minutes=int(match.group(2)))
    return value


def format_duration(value: timedelta) -> str:
    minutes = int(value.total_seconds()) // 60
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


Duration = Annotated[timedelta, BeforeValidator(parse_duration), PlainSerializer(format_duration)]


def parse_flag(value: object) -> object:
    """Read ``true`` or ``false`` (in any case, as YAML writes them); refuse anything else, even yes, no, 0 or 1."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise ValueError("flag_format")


Flag = Annotated[bool, BeforeValidator(parse_flag)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Strict):
    source: list[Text] | None = None
    confidence: ConfidenceName | None = None
    notes: str = ""


class SourceDoc(Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_-]{0,15}$")]
    label: Text
    url: str = ""


class RomeCode(Strict):
    code: Annotated[str, StringConstraints(pattern=r"^[A-N]\d{4}$")]
    label: Text


class CompetenceDoc(Provenance):
    code: Text
    label: Text
    criteria: list[Text] = Field(default_factory=list)


class CcpDoc(Provenance):
    number: Annotated[int, Field(ge=1, le=99)]
    label: Text
    rncp_block: str = ""
    competences: list[CompetenceDoc] = Field(default_factory=list)


class CcsDoc(Provenance):
    code: Text
    label: Text
    rncp_block: str = ""
    competences: list[CompetenceDoc] = Field(default_factory=list)


class Conducted(Provenance):
    """``jury`` and ``workstation``: absent, the kind's default or the modality's (catalogue.conduct)."""

    jury: Flag | None = None
    workstation: Flag | None = None


class PartDoc(Conducted):
    label: Text
    duration: Duration | None = None


class ModalityDoc(Conducted):
    kind: ModalityKindName
    duration: Duration | None = None
    description: str = ""
    parts: list[PartDoc] = Field(default_factory=list)


class ModalitiesDoc(Strict):
    title: list[ModalityDoc] = Field(default_factory=list)
    ccp: dict[Annotated[int, Field(ge=1, le=99)], list[ModalityDoc]] = Field(default_factory=dict)
    ccs: dict[Text, list[ModalityDoc]] = Field(default_factory=dict)


class TransversalDoc(Provenance):
    label: Text


class CorrespondenceDoc(Provenance):
    ccp: Annotated[int, Field(ge=1, le=99)]
    from_ccps: Annotated[list[Annotated[int, Field(ge=1, le=99)]], Field(min_length=1)]
    from_version: str | None = None


class EquivalenceDoc(Provenance):
    rncp: RncpCode
    label: Text
    scope: Literal["total", "partial"]
    ccps: list[Annotated[int, Field(ge=1, le=99)]] = Field(default_factory=list)


class VersionDoc(Provenance):
    label: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=16)]
    millesime: str = ""
    rncp: RncpCode
    arrete_date: date | None = None
    jo_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    status: Literal["in_force", "revised", "extended", "closed"]
    predecessor: str | None = None
    summary: str = ""
    ccps: Annotated[list[CcpDoc], Field(min_length=1)]
    ccs: list[CcsDoc] = Field(default_factory=list)
    transversal_competences: list[TransversalDoc] = Field(default_factory=list)
    modalities: ModalitiesDoc = Field(default_factory=ModalitiesDoc)
    correspondences: list[CorrespondenceDoc] = Field(default_factory=list)
    equivalences: list[EquivalenceDoc] = Field(default_factory=list)


class TitleDoc(Provenance):
    format: Literal["titrepro-catalogue/1"]
    code: TitleCode
    label: Text
    short_label: str = ""
    level: Annotated[int, Field(ge=1, le=8)]
    nsf_codes: list[Text] = Field(default_factory=list)
    rome_codes: list[RomeCode] = Field(default_factory=list)
    description: str = ""
    sources: list[SourceDoc] = Field(default_factory=list)
    versions: Annotated[list[VersionDoc], Field(min_length=1)]
