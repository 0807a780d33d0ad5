"""Title specs and small builders shared by the rules tests (no Django, no database).

- ``FICTIONAL`` (TP-99901) is made up to exercise every branch: 2015 (CCPs 1-3,
  partial equivalence RNCP33333 -> CCP 3) revised by 2020 (CCPs 1-2; correspondences
  new 1 <- old {1, 2}, new 2 <- old {3}; partial RNCP11111 -> CCP 2, total RNCP22222),
  which is closed; 2025 (CCP 1, CCS-A) open-ended, without a link to 2020.
- ``TSSR`` (TP-01351) follows shared/reference/tssr.md: 2018 (3 CCPs) revised by
  2023 (2 CCPs), revised by 2026 (3 CCPs), without correspondence tables.
"""

from __future__ import annotations

from datetime import date

from titrepro.rules.catalogue import CorrespondenceSpec, EquivalenceSpec, TitleSpec, VersionSpec
from titrepro.rules.standing import (
    CcpHolding,
    EquivalenceHolding,
    Event,
    Holding,
    Route,
    SessionKind,
    SessionOutcome,
    Situation,
    TitleHolding,
    TitleIndex,
)

FICTIONAL_CODE = "TP-99901"
TSSR_CODE = "TP-01351"

PARTIAL_RNCP = "RNCP11111"  # partial equivalence with CCP 2 of the 2020 version
TOTAL_RNCP = "RNCP22222"  # total equivalence with the 2020 version
OLD_PARTIAL_RNCP = "RNCP33333"  # partial equivalence with CCP 3 of the 2015 version
UNKNOWN_RNCP = "RNCP99999"  # listed nowhere

FICTIONAL = TitleSpec(
    FICTIONAL_CODE,
    (
        VersionSpec(
            label="2015",
            valid_from=date(2015, 6, 1),
            valid_until=date(2020, 5, 31),
            status="revised",
            predecessor=None,
            ccps=frozenset({1, 2, 3}),
            equivalences=(EquivalenceSpec(rncp=OLD_PARTIAL_RNCP, total=False, ccps=frozenset({3})),),
        ),
        VersionSpec(
            label="2020",
            valid_from=date(2020, 6, 1),
            valid_until=date(2025, 5, 31),
            status="closed",
            predecessor="2015",
            ccps=frozenset({1, 2}),
            correspondences=(
                CorrespondenceSpec(ccp=1, from_version="2015", from_ccps=frozenset({1, 2})),
                CorrespondenceSpec(ccp=2, from_version="2015", from_ccps=frozenset({3})),
            ),
            equivalences=(
                EquivalenceSpec(rncp=PARTIAL_RNCP, total=False, ccps=frozenset({2})),
                EquivalenceSpec(rncp=TOTAL_RNCP, total=True, ccps=frozenset()),
            ),
        ),
        VersionSpec(
            label="2025",
            valid_from=date(2025, 6, 1),
            valid_until=None,
            status="in_force",
            predecessor=None,
            ccps=frozenset({1}),
            ccs=frozenset({"CCS-A"}),
        ),
    ),
)

TSSR = TitleSpec(
    TSSR_CODE,
    (
        VersionSpec(
            label="2018",
            valid_from=None,
            valid_until=date(2023, 8, 31),
            status="revised",
            predecessor=None,
            ccps=frozenset({1, 2, 3}),
        ),
        VersionSpec(
            label="2023",
            valid_from=date(2023, 9, 1),
            valid_until=date(2026, 8, 31),
            status="revised",
            predecessor="2018",
            ccps=frozenset({1, 2}),
        ),
        VersionSpec(
            label="2026",
            valid_from=date(2026, 9, 1),
            valid_until=date(2031, 8, 31),
            status="in_force",
            predecessor="2023",
            ccps=frozenset({1, 2, 3}),
        ),
    ),
)

SPECS = {FICTIONAL_CODE: FICTIONAL, TSSR_CODE: TSSR}
INDEXES = {code: TitleIndex(spec) for code, spec in SPECS.items()}


def ccp(title: str, version: str, number: int, obtained_on: date) -> CcpHolding:
    return CcpHolding(title, version, number, obtained_on)


def title_held(title: str, version: str | None, obtained_on: date) -> TitleHolding:
    return TitleHolding(title, version, obtained_on)


def equivalence(rncp: str, obtained_on: date | None = None) -> EquivalenceHolding:
    return EquivalenceHolding(rncp, obtained_on)


def failure(title: str, version: str | None, on: date, kind: str = "failure") -> SessionOutcome:
    return SessionOutcome(kind, SessionKind.TITLE, title, version, on)


def situation(
    title: str,
    on: date,
    route: Route | None = None,
    training_started_on: date | None = None,
    holdings: tuple[Holding, ...] = (),
    events: tuple[Event, ...] = (),
    experience_months: int | None = None,
) -> Situation:
    return Situation(title, on, route, training_started_on, holdings, events, experience_months)
