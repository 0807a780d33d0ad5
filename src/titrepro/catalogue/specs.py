"""The catalogue as the rules see it, straight from a YAML document (no database).

``queries.spec_from_database`` builds the same ``TitleSpec`` from the database."""

from __future__ import annotations

from titrepro.catalogue.schema import TitleDoc
from titrepro.rules.catalogue import CorrespondenceSpec, EquivalenceSpec, TitleSpec, VersionSpec, chronological


def spec_from_document(doc: TitleDoc) -> TitleSpec:
    versions = [
        VersionSpec(
            label=v.label,
            valid_from=v.valid_from,
            valid_until=v.valid_until,
            status=v.status,
            predecessor=v.predecessor,
            ccps=frozenset(c.number for c in v.ccps),
            ccs=frozenset(c.code for c in v.ccs),
            correspondences=tuple(
                CorrespondenceSpec(c.ccp, c.from_version or v.predecessor or "", frozenset(c.from_ccps))
                for c in v.correspondences
            ),
            equivalences=tuple(EquivalenceSpec(e.rncp, e.scope == "total", frozenset(e.ccps)) for e in v.equivalences),
        )
        for v in doc.versions
    ]
    return TitleSpec(doc.code, chronological(versions))
