"""The standing of a candidate as JSON in, JSON out: shared by the CLI, the API and the simulator page.

``answer(payload)`` validates the request (docs/standing.md), builds the rules'
input, computes the standing with ``titrepro.rules`` and returns plain JSON
data. Bad input raises ``StandingInputError`` with one entry per problem, each
naming its field; nothing is written anywhere.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from titrepro.catalogue.loader import _french, field_name
from titrepro.catalogue.models import Title
from titrepro.catalogue.queries import spec_from_database
from titrepro.catalogue.reasons import reason_message
from titrepro.core.dating import today
from titrepro.core.templatetags.french_dates import french_date
from titrepro.rules import standing as rules
from titrepro.rules.catalogue import TitleSpec


class StandingInputError(Exception):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CcpHoldingIn(_In):
    kind: Literal["ccp"]
    title: str
    version: str
    ccp: Annotated[int, Field(ge=1)]
    obtained_on: date


class TitleHoldingIn(_In):
    kind: Literal["title"]
    title: str
    version: str | None = None
    obtained_on: date


class CcsHoldingIn(_In):
    kind: Literal["ccs"]
    title: str
    version: str
    ccs: str
    obtained_on: date


class EquivalenceHoldingIn(_In):
    kind: Literal["equivalence"]
    rncp: Annotated[str, Field(pattern=r"^RNCP\d{3,6}$")]
    obtained_on: date | None = None


class SessionOutcomeIn(_In):
    kind: Literal["failure", "absence"]
    session_kind: Literal["title", "ccp", "ccs"]
    title: str
    version: str | None = None
    on: date


class VaeApplicationIn(_In):
    kind: Literal["vae_application"]
    title: str
    filed_on: date


class VaeAdmissibilityIn(_In):
    kind: Literal["vae_admissibility"]
    title: str
    notified_on: date


class VaeRefusalIn(_In):
    kind: Literal["vae_refusal"]
    title: str
    notified_on: date


HoldingIn = Annotated[CcpHoldingIn | TitleHoldingIn | CcsHoldingIn | EquivalenceHoldingIn, Field(discriminator="kind")]
EventIn = Annotated[
    SessionOutcomeIn | VaeApplicationIn | VaeAdmissibilityIn | VaeRefusalIn, Field(discriminator="kind")
]


class StandingRequest(_In):
    title: str
    on: date | None = None
    route: Literal["training", "apprenticeship", "vae", "accumulation"] | None = None
    training_started_on: date | None = None
    experience_months: Annotated[int, Field(ge=0, le=900)] | None = None
    holdings: list[HoldingIn] = Field(default_factory=list)
    events: list[EventIn] = Field(default_factory=list)


def parse_request(payload: Any) -> StandingRequest:
    try:
        return StandingRequest.model_validate(payload)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            # pydantic names the union member after a list index (holdings[0].ccp.obtained_on): drop it.
            loc = error["loc"]
            location = tuple(
                part for i, part in enumerate(loc) if not (i and isinstance(loc[i - 1], int) and part in _UNION_TAGS)
            )
            errors.append({"field": field_name(location) or "$", "message": _french(dict(error))})
        raise StandingInputError(errors) from None


_UNION_TAGS = {
    "ccp",
    "title",
    "ccs",
    "equivalence",
    "failure",
    "absence",
    "vae_application",
    "vae_admissibility",
    "vae_refusal",
}


def after_today_message() -> str:
    return _("this date is after today (%(today)s): give the date it happened") % {"today": french_date(today())}


def before_version_message(label: str, valid_from: date | None) -> str:
    return _("version %(label)s came into force on %(on)s: a CCP of it cannot be obtained before") % {
        "label": label,
        "on": french_date(valid_from),
    }


def _check_references(request: StandingRequest, spec: TitleSpec, on: date) -> list[dict[str, str]]:
    """Unknown version or CCP numbers of the title asked about, and impossible dates.

    A date is impossible when it is after the date of the question, when something that
    already happened (a CCP obtained, a session sat, a VAE notice) is dated after today,
    or when a CCP is obtained before its version came into force. One error per field.
    """
    errors: list[dict[str, str]] = []
    server_day = today()

    def future(field: str, day: date | None, *, happened: bool = True) -> bool:
        if day is not None and day > on:
            errors.append(
                {
                    "field": field,
                    "message": _("this date is after the date of the question (%(on)s)") % {"on": french_date(on)},
                }
            )
            return True
        if happened and day is not None and day > server_day:
            errors.append({"field": field, "message": after_today_message()})
            return True
        return False

    for index, holding in enumerate(request.holdings):
        here = f"holdings[{index}]"
        dated_wrong = future(f"{here}.obtained_on", holding.obtained_on)
        if isinstance(holding, EquivalenceHoldingIn) or holding.title != spec.code:
            continue
        version = spec.version(holding.version) if holding.version is not None else None
        if (
            isinstance(holding, CcpHoldingIn)
            and version is not None
            and version.valid_from is not None
            and holding.obtained_on < version.valid_from
            and not dated_wrong
        ):
            errors.append(
                {"field": f"{here}.obtained_on", "message": before_version_message(version.label, version.valid_from)}
            )
        if holding.version is not None and version is None:
            errors.append(
                {"field": f"{here}.version", "message": _("unknown version %(label)s") % {"label": holding.version}}
            )
        elif isinstance(holding, CcpHoldingIn) and version is not None and holding.ccp not in version.ccps:
            errors.append(
                {
                    "field": f"{here}.ccp",
                    "message": _("version %(label)s has no CCP %(number)s")
                    % {"label": version.label, "number": holding.ccp},
                }
            )
        elif isinstance(holding, CcsHoldingIn) and version is not None and holding.ccs not in version.ccs:
            errors.append({"field": f"{here}.ccs", "message": _("unknown CCS %(code)s") % {"code": holding.ccs}})
    for index, event in enumerate(request.events):
        here = f"events[{index}]"
        day = (
            event.on
            if isinstance(event, SessionOutcomeIn)
            else event.filed_on
            if isinstance(event, VaeApplicationIn)
            else event.notified_on
        )
        name = (
            "on"
            if isinstance(event, SessionOutcomeIn)
            else "filed_on"
            if isinstance(event, VaeApplicationIn)
            else "notified_on"
        )
        future(f"{here}.{name}", day)
        if (
            isinstance(event, SessionOutcomeIn)
            and event.title == spec.code
            and event.version is not None
            and spec.version(event.version) is None
        ):
            errors.append(
                {"field": f"{here}.version", "message": _("unknown version %(label)s") % {"label": event.version}}
            )
    future("training_started_on", request.training_started_on, happened=False)
    return errors


def situation_from(request: StandingRequest, on: date) -> rules.Situation:
    holdings: list[rules.Holding] = []
    for h in request.holdings:
        if isinstance(h, CcpHoldingIn):
            holdings.append(rules.CcpHolding(h.title, h.version, h.ccp, h.obtained_on))
        elif isinstance(h, TitleHoldingIn):
            holdings.append(rules.TitleHolding(h.title, h.version, h.obtained_on))
        elif isinstance(h, CcsHoldingIn):
            holdings.append(rules.CcsHolding(h.title, h.version, h.ccs, h.obtained_on))
        else:
            holdings.append(rules.EquivalenceHolding(h.rncp, h.obtained_on))
    events: list[rules.Event] = []
    for e in request.events:
        if isinstance(e, SessionOutcomeIn):
            events.append(rules.SessionOutcome(e.kind, rules.SessionKind(e.session_kind), e.title, e.version, e.on))
        elif isinstance(e, VaeApplicationIn):
            events.append(rules.VaeApplication(e.title, e.filed_on))
        elif isinstance(e, VaeAdmissibilityIn):
            events.append(rules.VaeAdmissibility(e.title, e.notified_on))
        else:
            events.append(rules.VaeRefusal(e.title, e.notified_on))
    return rules.Situation(
        title=request.title,
        on=on,
        route=rules.Route(request.route) if request.route else None,
        training_started_on=request.training_started_on,
        holdings=tuple(holdings),
        events=tuple(events),
        experience_months=request.experience_months,
    )


def _reason(reason: rules.Reason) -> dict[str, Any]:
    out: dict[str, Any] = {"code": reason.code}
    if reason.version is not None:
        out["version"] = reason.version
    if reason.on is not None:
        out["on"] = reason.on.isoformat()
    out["message"] = reason_message(reason)
    return out


def _through(through: rules.Through) -> dict[str, Any]:
    if isinstance(through, rules.EquivalenceHolding):
        return {"kind": "equivalence", "rncp": through.rncp}
    if isinstance(through, rules.Mapped):
        held = through.holding
        return {
            "kind": "ccp",
            "version": held.version,
            "ccp": held.ccp,
            "obtained_on": held.obtained_on.isoformat(),
            "mapped": True,
        }
    return {
        "kind": "ccp",
        "version": through.version,
        "ccp": through.ccp,
        "obtained_on": through.obtained_on.isoformat(),
    }


def to_json(result: rules.Standing, route: str | None) -> dict[str, Any]:
    options = []
    for option in result.options:
        item: dict[str, Any] = {
            "version": option.version,
            "held": list(option.held),
            "missing": list(option.missing),
            "deadline": option.deadline.isoformat() if option.deadline else None,
            "extended": option.extended,
            "held_through": {str(number): [_through(t) for t in through] for number, through in option.held_through},
            "next_steps": [str(step) for step in option.next_steps],
        }
        if option.opens_on:
            item["opens_on"] = option.opens_on.isoformat()
        if option.reasons:
            item["reasons"] = [_reason(r) for r in option.reasons]
        options.append(item)
    out: dict[str, Any] = {
        "title": result.title,
        "on": result.on.isoformat(),
        "route": route,
        "holds_title": result.holds_title,
        "options": options,
    }
    if result.ccs_next_steps:
        out["ccs_sessions"] = list(result.ccs_next_steps)
    if result.resit is not None:
        out["resit"] = {
            "allowed_until": result.resit.allowed_until.isoformat(),
            "open": result.resit.open,
            "sessions_left": result.resit.sessions_left,
        }
    if result.vae is not None:
        vae: dict[str, Any] = {
            "valid_until": result.vae.valid_until.isoformat() if result.vae.valid_until else None,
            "valid": result.vae.valid,
        }
        if result.vae.decision_due:
            vae["decision_due"] = result.vae.decision_due.isoformat()
            vae["tacit"] = result.vae.tacit
        if result.vae.refused:
            vae["refused"] = True
        out["vae_admissibility"] = vae
    out["reasons"] = [_reason(r) for r in result.reasons]
    return out


def answer(payload: Any, spec: TitleSpec | None = None) -> dict[str, Any]:
    """Validate ``payload`` and return the standing as JSON data.

    ``spec`` answers against another catalogue (``--catalogue FILE.yaml``);
    by default the title is read from the database.
    """
    request = parse_request(payload)
    on = request.on or timezone.localdate()
    if spec is None:
        try:
            spec = spec_from_database(request.title)
        except Title.DoesNotExist:
            raise StandingInputError(
                [{"field": "title", "message": _("unknown title %(code)s") % {"code": request.title}}]
            ) from None
    elif spec.code != request.title:
        raise StandingInputError([{"field": "title", "message": _("unknown title %(code)s") % {"code": request.title}}])
    errors = _check_references(request, spec, on)
    if errors:
        raise StandingInputError(errors)
    result = rules.compute_standing(rules.TitleIndex(spec), situation_from(request, on))
    return to_json(result, request.route)
