"""A candidate's standing for a title: what they hold, what is missing, until when, what next.

The entry point is ``compute_standing(title, situation, parameters)``. It is a
pure function of its inputs, written to be fast (the benchmark computes a
million standings): the title is compiled once into ``TitleIndex``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from titrepro.rules.catalogue import TitleSpec, VersionSpec
from titrepro.rules.dates import add_months, add_years
from titrepro.rules.parameters import DEFAULT, Parameters


class Route(StrEnum):
    """Routes to a title (R-10, R-11): training (parcours continu), apprenticeship, VAE, accumulation."""

    TRAINING = "training"
    APPRENTICESHIP = "apprenticeship"
    VAE = "vae"
    ACCUMULATION = "accumulation"


class SessionKind(StrEnum):
    TITLE = "title"
    CCP = "ccp"
    CCS = "ccs"


class Step(StrEnum):
    """What a candidate may do next."""

    TITLE_SESSION = "title_session"
    CCP_SESSION = "ccp_session"
    CCS_SESSION = "ccs_session"
    FINAL_INTERVIEW = "final_interview"
    EQUIVALENCE_REQUEST = "equivalence_request"


# --- input --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CcpHolding:
    title: str
    version: str
    ccp: int
    obtained_on: date


@dataclass(frozen=True, slots=True)
class TitleHolding:
    title: str
    version: str | None
    obtained_on: date


@dataclass(frozen=True, slots=True)
class CcsHolding:
    title: str
    version: str
    ccs: str
    obtained_on: date


@dataclass(frozen=True, slots=True)
class EquivalenceHolding:
    """Another certification the candidate holds, by its RNCP code."""

    rncp: str
    obtained_on: date | None = None


Holding = CcpHolding | TitleHolding | CcsHolding | EquivalenceHolding


@dataclass(frozen=True, slots=True)
class SessionOutcome:
    """A failure or an absence at a session of the title."""

    kind: str  # "failure" or "absence"
    session_kind: SessionKind
    title: str
    version: str | None
    on: date


@dataclass(frozen=True, slots=True)
class VaeApplication:
    """A complete VAE admissibility file received by the authority."""

    title: str
    filed_on: date


@dataclass(frozen=True, slots=True)
class VaeAdmissibility:
    title: str
    notified_on: date


@dataclass(frozen=True, slots=True)
class VaeRefusal:
    title: str
    notified_on: date


Event = SessionOutcome | VaeApplication | VaeAdmissibility | VaeRefusal


@dataclass(frozen=True, slots=True)
class Situation:
    """Everything the rules know of one candidate, for one title, on one date."""

    title: str
    on: date
    route: Route | None = None
    training_started_on: date | None = None
    holdings: tuple[Holding, ...] = ()
    events: tuple[Event, ...] = ()
    experience_months: int | None = None


# --- output -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mapped:
    """A CCP of an older version that counts, through a correspondence line, for a newer one (R-06)."""

    holding: CcpHolding


Through = CcpHolding | EquivalenceHolding | Mapped
"""What a CCP is held through: the candidate's own holding of it, an equivalence, or an older CCP mapped."""


@dataclass(frozen=True, slots=True)
class Reason:
    """Why something is not possible: a stable code, and the values its message needs."""

    code: str
    version: str | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class Option:
    """A version the candidate can still complete."""

    version: str
    held: tuple[int, ...]
    missing: tuple[int, ...]
    held_through: tuple[tuple[int, tuple[Through, ...]], ...]
    deadline: date | None
    extended: bool  # the deadline is the one-year extension after the end of validity
    opens_on: date | None
    next_steps: tuple[Step, ...]
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True, slots=True)
class Resit:
    """The re-sit window after a failure or absence at a title session (R-13, R-14)."""

    allowed_until: date
    open: bool
    sessions_left: int
    blocking: bool = True  # false when a training started after the failures


@dataclass(frozen=True, slots=True)
class VaeStatus:
    """The candidate's VAE admissibility for the title (R-20, R-21)."""

    valid_until: date | None
    valid: bool
    decision_due: date | None = None
    tacit: bool = False
    refused: bool = False


@dataclass(frozen=True, slots=True)
class Standing:
    title: str
    on: date
    holds_title: bool
    options: tuple[Option, ...]
    resit: Resit | None
    vae: VaeStatus | None
    reasons: tuple[Reason, ...]
    ccs_next_steps: tuple[str, ...] = field(default=())


# --- the title, compiled once ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CompiledVersion:
    spec: VersionSpec
    ccps: frozenset[int]
    sorted_ccps: tuple[int, ...]
    grace_until: date | None
    lines: tuple[tuple[int, str, frozenset[int]], ...]
    equivalences: dict[str, tuple[bool, frozenset[int]]]


class TitleIndex:
    """A title prepared for the rules: versions in order, grace dates computed once."""

    __slots__ = ("code", "spec", "versions")

    def __init__(self, spec: TitleSpec, parameters: Parameters = DEFAULT) -> None:
        self.code = spec.code
        self.spec = spec
        self.versions = tuple(
            _CompiledVersion(
                spec=v,
                ccps=v.ccps,
                sorted_ccps=tuple(sorted(v.ccps)),
                grace_until=add_years(v.valid_until, parameters.grace_years) if v.valid_until else None,
                lines=tuple((c.ccp, c.from_version, c.from_ccps) for c in v.correspondences),
                equivalences={e.rncp: (e.total, e.ccps) for e in v.equivalences},
            )
            for v in spec.versions
        )


# --- the rules ------------------------------------------------------------------------


def resit_window(situation: Situation, parameters: Parameters = DEFAULT) -> Resit | None:
    """R-13, R-14 (arrêté du 22/12/2015; règlement général, arrêté du 15/09/2016).

    A candidate from a training route who failed, or was absent at, a title
    session may sit again without new training within one year of that
    session, for at most ``resit_max_title_sessions`` title sessions in that
    year. The window runs from the first failure or absence since the training
    started; failures before a training that started later are history: the
    window is still reported, but ``blocking`` is false (the new training opens
    a new route).
    """
    outcomes = sorted(
        e.on
        for e in situation.events
        if isinstance(e, SessionOutcome)
        and e.session_kind is SessionKind.TITLE
        and e.title == situation.title
        and e.on <= situation.on
    )
    if not outcomes:
        return None
    start = situation.training_started_on
    current = [day for day in outcomes if start is None or day >= start]
    window = current or outcomes
    first = window[0]
    allowed_until = add_years(first, parameters.resit_years)
    used = sum(1 for day in window[1:] if day <= allowed_until)
    left = max(parameters.resit_max_title_sessions - used, 0)
    return Resit(
        allowed_until=allowed_until,
        open=situation.on <= allowed_until and left > 0,
        sessions_left=left,
        blocking=bool(current),
    )


def vae_status(situation: Situation, parameters: Parameters = DEFAULT) -> VaeStatus | None:
    """R-20, R-21 (arrêté du 22/12/2015; Code de l'éducation R.335-7).

    An admissibility is valid ``vae_admissibility_years`` from its notification.
    A complete file with no answer ``vae_decision_months`` after it was received
    is accepted by silence, from that date. The latest event decides.
    """
    latest: VaeApplication | VaeAdmissibility | VaeRefusal | None = None
    latest_day = date.min
    for event in situation.events:
        if isinstance(event, SessionOutcome) or event.title != situation.title:
            continue
        day = event.filed_on if isinstance(event, VaeApplication) else event.notified_on
        if day > situation.on or (latest is not None and day < latest_day):
            continue
        # Same day: a decision settles the file, whatever the order of the events;
        # between two decisions of the same day, the refusal is kept (the cautious answer).
        if (
            latest is not None
            and day == latest_day
            and (isinstance(event, VaeApplication) or isinstance(latest, VaeRefusal))
        ):
            continue
        latest, latest_day = event, day
    if latest is None:
        return None
    on = situation.on
    if isinstance(latest, VaeAdmissibility):
        until = add_years(latest.notified_on, parameters.vae_admissibility_years)
        return VaeStatus(valid_until=until, valid=on <= until)
    if isinstance(latest, VaeRefusal):
        return VaeStatus(valid_until=None, valid=False, refused=True)
    due = add_months(latest.filed_on, parameters.vae_decision_months)
    if on <= due:
        return VaeStatus(valid_until=None, valid=False, decision_due=due)
    until = add_years(due, parameters.vae_admissibility_years)
    return VaeStatus(valid_until=until, valid=on <= until, decision_due=due, tacit=True)


def vae_application_allowed(
    applications: tuple[VaeApplication, ...], new: VaeApplication, parameters: Parameters = DEFAULT
) -> Reason | None:
    """R-22 (Code du travail R.6412-3): per calendar year, at most one application for the
    same certification and three for different certifications. ``None`` when allowed.
    """
    same_year = [a for a in applications if a.filed_on.year == new.filed_on.year]
    if sum(1 for a in same_year if a.title == new.title) >= parameters.vae_max_same_certification_per_year:
        return Reason("vae_same_certification_this_year", on=new.filed_on)
    titles = {a.title for a in same_year} | {new.title}
    if len(titles) > parameters.vae_max_certifications_per_year:
        return Reason("vae_too_many_certifications_this_year", on=new.filed_on)
    return None


def compute_standing(title: TitleIndex, situation: Situation, parameters: Parameters = DEFAULT) -> Standing:
    """The candidate's standing: R-02 to R-09, R-12 to R-14, R-20, R-21.

    - R-02, R-04: a title is obtained at a title session, by all its CCPs, by a
      total equivalence, or by partial equivalences plus CCPs.
    - R-03: a title held never expires; a CCS needs the title.
    - R-06: a revised version's correspondence table maps a set of old CCPs to a
      new CCP; the old CCPs still count toward the old version too.
    - R-07 to R-09: CCPs are acquired while the version is valid; after its end,
      a candidate who holds CCPs of it, failed or partly succeeded, or started
      training before its end, has one more year.
    - R-13, R-14: re-sit window after failure or absence (training route).
    - R-20, R-21: VAE admissibility for the title session.
    """
    on = situation.on
    code = title.code
    holds_title = False
    direct: dict[str, dict[int, list[Through]]] = {}
    ccs_held: set[str] = set()
    rncps: list[EquivalenceHolding] = []
    for holding in situation.holdings:
        if isinstance(holding, CcpHolding):
            if holding.title == code and holding.obtained_on <= on:
                direct.setdefault(holding.version, {}).setdefault(holding.ccp, []).append(holding)
        elif isinstance(holding, EquivalenceHolding):
            rncps.append(holding)
        elif isinstance(holding, TitleHolding):
            holds_title = holds_title or (holding.title == code and holding.obtained_on <= on)
        elif holding.title == code and holding.obtained_on <= on:
            ccs_held.add(holding.ccs)

    resit = resit_window(situation, parameters) if situation.events else None
    vae = vae_status(situation, parameters) if situation.events else None
    route = situation.route

    if holds_title:
        ccs_steps = _ccs_steps(title, situation, ccs_held, parameters)
        return Standing(code, on, True, (), resit, vae, (Reason("title_held"),), ccs_steps)

    failed_versions = (
        {e.version for e in situation.events if isinstance(e, SessionOutcome) and e.title == code and e.on <= on}
        if situation.events
        else set()
    )
    training_start = situation.training_started_on if route is not Route.VAE else None
    held_by_version: dict[str, dict[int, list[Through]]] = {}
    options: list[Option] = []
    closed: list[tuple[Reason, bool]] = []  # versions no longer open, and whether the candidate was linked to them
    empty: dict[int, list[Through]] = {}
    for compiled in title.versions:
        spec = compiled.spec
        label = spec.label
        held = direct.get(label, empty)
        sat = bool(held)  # CCPs the candidate sat for this version (own or mapped), not equivalences
        if compiled.lines:
            for target, origin, needed in compiled.lines:
                source = held_by_version.get(origin)
                if source and needed <= source.keys():
                    # Only CCPs the candidate sat (or mapped ones) carry over: an equivalence
                    # is granted per version, by that version's own arrêté.
                    mapped: list[Through] = []
                    for number in sorted(needed):
                        own = [
                            t if isinstance(t, Mapped) else Mapped(t)
                            for t in source[number]
                            if not isinstance(t, EquivalenceHolding)
                        ]
                        if not own:
                            break
                        mapped.extend(own)
                    else:
                        held = {**held, target: [*held.get(target, ()), *mapped]}
                        sat = True
        equivalence_total = False
        if rncps and compiled.equivalences:
            for through in rncps:
                found = compiled.equivalences.get(through.rncp)
                if found is None:
                    continue
                total, granted = found
                held = dict(held)
                for number in compiled.sorted_ccps if total else sorted(granted):
                    held[number] = [*held.get(number, ()), through]
                equivalence_total = equivalence_total or total
        held_by_version[label] = held

        end = spec.valid_until
        extended = False
        if end is None:
            deadline = None
        else:
            # the one-year extension is for candidates linked to this version:
            # CCPs sat for it, a failure or absence at one of its sessions, or a training
            # started while it was valid (a training started before it opened prepared
            # an older version).
            eligible = (
                sat
                or label in failed_versions
                or (
                    training_start is not None
                    and training_start <= end
                    and (spec.valid_from is None or training_start >= spec.valid_from)
                )
            )
            if on <= end:
                deadline = end
                if eligible:
                    deadline, extended = compiled.grace_until, True
            else:
                grace = compiled.grace_until
                assert grace is not None  # noqa: S101 - computed whenever valid_until is set
                if not eligible or on > grace:
                    closed.append(
                        (Reason("grace_expired", label, grace), True)
                        if eligible
                        else (Reason("version_ended", label, end), False)
                    )
                    continue
                deadline, extended = grace, True

        if held:
            numbers = compiled.sorted_ccps
            held_numbers = tuple([n for n in numbers if n in held])
            missing = tuple([n for n in numbers if n not in held])
            held_through = tuple(
                [
                    (n, tuple(held[n]) if len(held[n]) == 1 else tuple(sorted(held[n], key=_through_key)))
                    for n in held_numbers
                ]
            )
        else:
            held_numbers, missing, held_through = (), compiled.sorted_ccps, ()
        valid_from = spec.valid_from
        opens_on = valid_from if valid_from is not None and on < valid_from else None
        if opens_on is not None:
            steps: tuple[Step, ...] = ()
            reasons: tuple[Reason, ...] = (Reason("version_not_open_yet", label, opens_on),)
        elif not missing:
            uses_equivalence = equivalence_total or any(
                isinstance(t, EquivalenceHolding) for ts in held.values() for t in ts
            )
            steps, reasons = (_EQUIVALENCE if uses_equivalence else _FINAL), ()
        else:
            steps, reasons = _session_steps(route, bool(held), resit, vae, label)
        options.append(Option(label, held_numbers, missing, held_through, deadline, extended, opens_on, steps, reasons))
    # A version the candidate was linked to and lost is always worth saying; versions
    # that ended with no link are only said when nothing at all is open.
    if options:
        reasons_out = tuple(reason for reason, linked in closed if linked)
    else:
        reasons_out = tuple(reason for reason, _ in closed) or (Reason("no_version"),)
    return Standing(code, on, False, tuple(options), resit, vae, reasons_out)


def _through_key(through: Through) -> tuple[int, str, str, int]:
    """A stable order for the holdings a CCP is held through, whatever the order of the input."""
    if isinstance(through, EquivalenceHolding):
        return (2, through.rncp, through.obtained_on.isoformat() if through.obtained_on else "", 0)
    holding = through.holding if isinstance(through, Mapped) else through
    return (1 if isinstance(through, Mapped) else 0, holding.obtained_on.isoformat(), holding.version, holding.ccp)


_TITLE_AND_CCP = (Step.TITLE_SESSION, Step.CCP_SESSION)
_CCP_ONLY = (Step.CCP_SESSION,)
_FINAL = (Step.FINAL_INTERVIEW,)
_EQUIVALENCE = (Step.EQUIVALENCE_REQUEST,)


def _session_steps(
    route: Route | None, holds_some: bool, resit: Resit | None, vae: VaeStatus | None, version: str
) -> tuple[tuple[Step, ...], tuple[Reason, ...]]:
    """Which sessions a candidate who still misses CCPs of an open version may sit.

    - Partial success (some CCPs held): the missing CCPs, at CCP sessions, until
      the deadline (official description §1-3; R-09). A title session covers the
      whole title, so it is for candidates who hold none of it.
    - Training or apprenticeship route: a title session at the end of training;
      after a failure or absence, only within the re-sit window (R-13, R-14);
      CCP sessions likewise (parcours d'accès progressif, R-11).
    - VAE: a valid admissibility is needed to register (R-20).
    - Accumulation (parcours discontinu): CCP sessions (R-11).
    - Unknown route: what the texts allow in general.
    """
    if holds_some:
        return _CCP_ONLY, ()
    if route is Route.VAE:
        if vae is not None and vae.valid:
            return _TITLE_AND_CCP, ()
        if vae is None:
            return (), (Reason("vae_admissibility_missing", version),)
        if vae.refused:
            return (), (Reason("vae_admissibility_refused", version),)
        if vae.valid_until is None:
            return (), (Reason("vae_decision_pending", version, vae.decision_due),)
        return (), (Reason("vae_admissibility_expired", version, vae.valid_until),)
    if route is Route.ACCUMULATION:
        return _CCP_ONLY, ()
    if resit is not None and resit.blocking and not resit.open:
        return (), (Reason("resit_window_closed", version, resit.allowed_until),)
    return _TITLE_AND_CCP, ()


def _ccs_steps(title: TitleIndex, situation: Situation, held: set[str], parameters: Parameters) -> tuple[str, ...]:
    """R-03, R-12: a CCS session is open to a title holder who trained for it or has one
    year of experience in the job; returns the CCS codes the candidate may sit."""
    if situation.route not in (Route.TRAINING, Route.APPRENTICESHIP) and (
        situation.experience_months is None or situation.experience_months < parameters.ccs_min_experience_months
    ):
        return ()
    on = situation.on
    codes: set[str] = set()
    for compiled in title.versions:
        spec = compiled.spec
        if (spec.valid_from is None or spec.valid_from <= on) and (spec.valid_until is None or on <= spec.valid_until):
            codes |= spec.ccs
    return tuple(sorted(codes - held))
