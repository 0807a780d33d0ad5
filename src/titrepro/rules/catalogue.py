"""What the rules need to know of a title: versions, CCPs, CCS, correspondences, equivalences."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class CorrespondenceSpec:
    """A line of a revising arrêté: holding all of ``from_ccps`` of ``from_version`` gives ``ccp`` (R-06)."""

    ccp: int
    from_version: str
    from_ccps: frozenset[int]


@dataclass(frozen=True, slots=True)
class EquivalenceSpec:
    """An equivalence of the arrêté de spécialité with another certification (R-04)."""

    rncp: str
    total: bool
    ccps: frozenset[int]


@dataclass(frozen=True, slots=True)
class VersionSpec:
    label: str
    valid_from: date | None
    valid_until: date | None
    status: str
    predecessor: str | None
    ccps: frozenset[int]
    ccs: frozenset[str] = frozenset()
    correspondences: tuple[CorrespondenceSpec, ...] = ()
    equivalences: tuple[EquivalenceSpec, ...] = ()


@dataclass(frozen=True, slots=True)
class TitleSpec:
    """A title and its versions, oldest first (a predecessor always before its successor)."""

    code: str
    versions: tuple[VersionSpec, ...]

    def version(self, label: str) -> VersionSpec | None:
        for version in self.versions:
            if version.label == label:
                return version
        return None


def chronological(versions: list[VersionSpec]) -> tuple[VersionSpec, ...]:
    """Order versions so that every predecessor (and every correspondence source) comes first."""
    by_label = {v.label: v for v in versions}
    ordered: list[VersionSpec] = []
    placed: set[str] = set()

    def sources(version: VersionSpec) -> list[str]:
        labels = [c.from_version for c in version.correspondences]
        if version.predecessor:
            labels.append(version.predecessor)
        return [label for label in labels if label in by_label and label != version.label]

    def place(version: VersionSpec, path: frozenset[str]) -> None:
        if version.label in placed or version.label in path:
            return
        for label in sources(version):
            place(by_label[label], path | {version.label})
        placed.add(version.label)
        ordered.append(version)

    for version in sorted(versions, key=lambda v: (v.valid_from or date.min, v.label)):
        place(version, frozenset())
    return tuple(ordered)
