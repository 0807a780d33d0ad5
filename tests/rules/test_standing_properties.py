"""Properties of compute_standing over generated situations (hypothesis).

Situations are drawn on the fictional title (revision with a correspondence
table, closure, equivalences) and on TSSR: holdings of any version dated before
the day of the standing, equivalences, failures and absences, VAE events,
routes, dates between 2014 and 2035.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.rules.fictional import (
    FICTIONAL_CODE,
    INDEXES,
    OLD_PARTIAL_RNCP,
    PARTIAL_RNCP,
    SPECS,
    TOTAL_RNCP,
    TSSR_CODE,
    UNKNOWN_RNCP,
)

from titrepro.rules.catalogue import TitleSpec
from titrepro.rules.standing import (
    CcpHolding,
    CcsHolding,
    EquivalenceHolding,
    Holding,
    Mapped,
    Route,
    SessionKind,
    SessionOutcome,
    Situation,
    Standing,
    TitleHolding,
    VaeAdmissibility,
    VaeApplication,
    VaeRefusal,
    compute_standing,
)

FIRST, LAST = date(2014, 1, 1), date(2035, 12, 31)
SPAN = (LAST - FIRST).days
PROPERTIES = settings(max_examples=200, deadline=None)

# Strategies are built once, at import: hypothesis validates a strategy the first
# time it draws from it, and building them inside @composite made that the main cost.
# Dates before the day of the standing are drawn as offsets, then folded below it.
OFFSETS = st.integers(0, SPAN)
RNCPS = [PARTIAL_RNCP, TOTAL_RNCP, OLD_PARTIAL_RNCP, UNKNOWN_RNCP]


def _ccps(code: str) -> list[tuple[str, str, int]]:
    return [(code, v.label, n) for v in SPECS[code].versions for n in sorted(v.ccps)]


def _holdings(code: str) -> st.SearchStrategy[tuple[Any, ...]]:
    other = TSSR_CODE if code == FICTIONAL_CODE else FICTIONAL_CODE
    own = st.tuples(st.just("ccp"), st.sampled_from(_ccps(code)), OFFSETS)
    return st.one_of(
        own,
        own,
        own,
        st.tuples(st.just("ccp"), st.sampled_from(_ccps(other)), OFFSETS),
        st.tuples(st.just("equivalence"), st.sampled_from(RNCPS), st.none() | OFFSETS),
        st.tuples(st.just("ccs"), st.sampled_from(["2025", "2026"]), OFFSETS),
    )


def _events(code: str) -> st.SearchStrategy[tuple[Any, ...]]:
    labels = [v.label for v in SPECS[code].versions]
    return st.one_of(
        st.tuples(
            st.just("outcome"),
            st.sampled_from(["failure", "absence"]),
            st.sampled_from(list(SessionKind)),
            st.none() | st.sampled_from(labels),
            OFFSETS,
        ),
        st.tuples(st.sampled_from(["application", "admissibility", "refusal"]), OFFSETS),
    )


HOLDINGS = {code: st.lists(_holdings(code), max_size=6) for code in SPECS}
EVENTS = {code: st.lists(_events(code), max_size=5) for code in SPECS}
CCP_CHOICES = {code: st.tuples(st.sampled_from(_ccps(code)), OFFSETS) for code in SPECS}
ROUTES = st.none() | st.sampled_from(list(Route))
MAYBE_OFFSET = st.none() | OFFSETS
EXPERIENCE = st.none() | st.integers(0, 60)


def before(on: date, offset: int) -> date:
    """A day between FIRST and ``on`` (both included)."""
    return FIRST + timedelta(days=offset % ((on - FIRST).days + 1))


def _holding(code: str, on: date, raw: tuple[Any, ...]) -> Holding:
    match raw:
        case ("ccp", (title, version, number), offset):
            return CcpHolding(title, version, number, before(on, offset))
        case ("equivalence", rncp, offset):
            return EquivalenceHolding(rncp, None if offset is None else before(on, offset))
        case ("ccs", version, offset):
            return CcsHolding(code, version, "CCS-A", before(on, offset))
    raise AssertionError(raw)


def _event(code: str, on: date, raw: tuple[Any, ...]) -> Any:
    match raw:
        case ("outcome", kind, session_kind, version, offset):
            return SessionOutcome(kind, session_kind, code, version, before(on, offset))
        case ("application", offset):
            return VaeApplication(code, before(on, offset))
        case ("admissibility", offset):
            return VaeAdmissibility(code, before(on, offset))
        case ("refusal", offset):
            return VaeRefusal(code, before(on, offset))
    raise AssertionError(raw)


@st.composite
def situations(draw: st.DrawFn, title_holding: bool = False) -> Situation:
    code = draw(st.sampled_from([FICTIONAL_CODE, TSSR_CODE]))
    on = FIRST + timedelta(days=draw(OFFSETS))
    held = [_holding(code, on, raw) for raw in draw(HOLDINGS[code])]
    if title_holding:
        held.insert(draw(st.integers(0, len(held))), TitleHolding(code, None, before(on, draw(OFFSETS))))
    training = draw(MAYBE_OFFSET)
    return Situation(
        title=code,
        on=on,
        route=draw(ROUTES),
        training_started_on=None if training is None else before(on, training),
        holdings=tuple(held),
        events=tuple(_event(code, on, raw) for raw in draw(EVENTS[code])),
        experience_months=draw(EXPERIENCE),
    )


def one_more_ccp(situation: Situation, choice: tuple[tuple[str, str, int], int]) -> Situation:
    (title, version, number), offset = choice
    extra = CcpHolding(title, version, number, before(situation.on, offset))
    return Situation(
        situation.title,
        situation.on,
        situation.route,
        situation.training_started_on,
        (*situation.holdings, extra),
        situation.events,
        situation.experience_months,
    )


def standing_of(situation: Situation) -> Standing:
    return compute_standing(INDEXES[situation.title], situation)


def sat(spec: TitleSpec, situation: Situation, label: str) -> set[int]:
    """CCPs of a version the candidate sat, or that a correspondence gives from sat ones (the R-06 oracle)."""
    version = spec.version(label)
    assert version is not None
    numbers = {
        h.ccp
        for h in situation.holdings
        if isinstance(h, CcpHolding) and h.title == spec.code and h.version == label and h.ccp in version.ccps
    }
    for line in version.correspondences:
        if line.from_version != label and line.from_ccps <= sat(spec, situation, line.from_version):
            numbers.add(line.ccp)
    return numbers


# --- (a) one more CCP never closes an option --------------------------------------------------------


@PROPERTIES
@given(st.data())
def test_one_more_ccp_never_closes_an_option(data):
    situation = data.draw(situations())
    more = one_more_ccp(situation, data.draw(CCP_CHOICES[situation.title]))
    earlier = {o.version for o in standing_of(situation).options}
    later = {o.version for o in standing_of(more).options}
    assert earlier <= later


# --- (b) correspondences give exactly what the table gives -------------------------------------------


@PROPERTIES
@given(situations())
def test_mapping_only_yields_what_the_correspondence_table_gives(situation):
    spec = SPECS[situation.title]
    own = {h for h in situation.holdings if isinstance(h, CcpHolding) and h.title == situation.title}
    for option in standing_of(situation).options:
        version = spec.version(option.version)
        assert version is not None
        for number, throughs in option.held_through:
            for through in throughs:
                if not isinstance(through, Mapped):
                    continue
                assert through.holding in own
                lines = [
                    line
                    for line in version.correspondences
                    if line.ccp == number
                    and through.holding.version == line.from_version
                    and through.holding.ccp in line.from_ccps
                    and line.from_ccps <= sat(spec, situation, line.from_version)
                ]
                assert lines, f"{option.version} CCP {number} mapped from {through.holding} without a table line"


@PROPERTIES
@given(situations())
def test_every_applicable_correspondence_line_is_applied(situation):
    spec = SPECS[situation.title]
    for option in standing_of(situation).options:
        version = spec.version(option.version)
        assert version is not None
        for line in version.correspondences:
            if line.from_ccps <= sat(spec, situation, line.from_version):
                assert line.ccp in option.held


# --- (c) the deadline is never before the end of validity ---------------------------------------------


@PROPERTIES
@given(situations())
def test_deadline_never_before_end_of_validity(situation):
    spec = SPECS[situation.title]
    for option in standing_of(situation).options:
        version = spec.version(option.version)
        assert version is not None
        if version.valid_until is None:
            assert option.deadline is None
            assert not option.extended
        else:
            assert option.deadline is not None
            assert option.deadline >= version.valid_until
            assert option.deadline >= situation.on
            assert option.extended == (option.deadline > version.valid_until)


# --- (d) held and missing partition the version's CCPs ---------------------------------------------------


@PROPERTIES
@given(situations())
def test_held_and_missing_partition_the_ccps(situation):
    spec = SPECS[situation.title]
    for option in standing_of(situation).options:
        version = spec.version(option.version)
        assert version is not None
        assert not set(option.held) & set(option.missing)
        assert set(option.held) | set(option.missing) == set(version.ccps)
        assert list(option.held) == sorted(option.held)
        assert list(option.missing) == sorted(option.missing)
        assert tuple(number for number, _ in option.held_through) == option.held
        assert all(throughs for _, throughs in option.held_through), "a CCP held through nothing"


# --- (e) a title held: no options ----------------------------------------------------------------------------


@PROPERTIES
@given(situations(title_holding=True))
def test_title_held_means_no_options(situation):
    standing = standing_of(situation)
    assert standing.holds_title
    assert standing.options == ()
    assert [r.code for r in standing.reasons] == ["title_held"]


# --- (f) deterministic, independent of the order of holdings and events ---------------------------------


def _substance(standing: Standing) -> Any:
    """The standing without the order of the holdings listed in held_through."""
    return (
        standing.holds_title,
        standing.reasons,
        standing.resit,
        standing.vae,
        standing.ccs_next_steps,
        [
            (
                o.version,
                o.held,
                o.missing,
                [(n, sorted(map(repr, ts))) for n, ts in o.held_through],
                o.deadline,
                o.extended,
                o.opens_on,
                o.next_steps,
                o.reasons,
            )
            for o in standing.options
        ],
    )


@PROPERTIES
@given(st.data())
def test_deterministic_and_independent_of_order(data):
    situation = data.draw(situations())
    shuffled = Situation(
        situation.title,
        situation.on,
        situation.route,
        situation.training_started_on,
        tuple(data.draw(st.permutations(situation.holdings))),
        tuple(data.draw(st.permutations(situation.events))),
        situation.experience_months,
    )
    first = standing_of(situation)
    assert standing_of(situation) == first
    assert _substance(standing_of(shuffled)) == _substance(first)


@PROPERTIES
@given(st.data())
def test_held_through_order_is_independent_of_holding_order(data):
    """Stricter than the above: the same held_through tuples, in the same order (stable API output)."""
    situation = data.draw(situations())
    shuffled = Situation(
        situation.title,
        situation.on,
        situation.route,
        situation.training_started_on,
        tuple(data.draw(st.permutations(situation.holdings))),
        situation.events,
        situation.experience_months,
    )
    assert standing_of(shuffled) == standing_of(situation)


# --- (g) no next step without a reason --------------------------------------------------------------------


@PROPERTIES
@given(situations())
def test_every_option_without_a_next_step_has_a_reason(situation):
    standing = standing_of(situation)
    for option in standing.options:
        assert option.next_steps or option.reasons, option
    # With nothing open, the standing says why; with options, it may still name a version
    # the candidate was linked to and lost (grace_expired).
    assert standing.options or standing.reasons
    if standing.options:
        assert all(r.code == "grace_expired" for r in standing.reasons)


# --- (h) re-sit window ---------------------------------------------------------------------------------------


@PROPERTIES
@given(situations())
def test_resit_open_only_within_the_window(situation):
    resit = standing_of(situation).resit
    if resit is None:
        return
    assert 0 <= resit.sessions_left <= 3
    if resit.open:
        assert situation.on <= resit.allowed_until
        assert resit.sessions_left > 0
