"""May this candidate register for this session? Every refusal carries a reason code."""

from __future__ import annotations

from dataclasses import dataclass

from titrepro.rules.parameters import DEFAULT, Parameters
from titrepro.rules.standing import (
    CcsHolding,
    Reason,
    SessionKind,
    Situation,
    Step,
    TitleIndex,
    compute_standing,
)


@dataclass(frozen=True, slots=True)
class Eligibility:
    allowed: bool
    reasons: tuple[Reason, ...] = ()
    final_interview_due: bool = False  # this CCP session completes the title: the final interview ends it


def registration_eligibility(
    title: TitleIndex,
    situation: Situation,
    session_kind: SessionKind,
    version: str,
    ccps: tuple[int, ...] = (),
    ccs: str | None = None,
    parameters: Parameters = DEFAULT,
) -> Eligibility:
    """Eligibility of a registration on ``situation.on`` (R-02, R-03, R-07 to R-14, R-20).

    - A CCS session needs the title (R-03) and, outside training, one year of
      experience in the job (R-12).
    - A title session or CCP session needs a version the candidate can still
      complete (R-07 to R-09) and the step to be open for their route (a title
      session for a candidate who holds none of the version; the missing CCPs
      for one who holds part of it; re-sit window R-13/R-14; VAE admissibility R-20).
    - A CCP session is for CCPs of that version the candidate still misses.
      When it covers every missing CCP, the final interview is due at its end
      (official description §3: "un entretien final se déroule en fin de session
      du dernier CCP, et au vu du livret de certification").
    """
    standing = compute_standing(title, situation, parameters)
    spec = title.spec.version(version)
    if spec is None:
        return Eligibility(False, (Reason("unknown_version", version),))
    if session_kind is SessionKind.CCS:
        if ccs is None or ccs not in spec.ccs:
            return Eligibility(False, (Reason("unknown_ccs", version),))
        if not standing.holds_title:
            return Eligibility(False, (Reason("ccs_needs_title", version),))
        held = any(isinstance(h, CcsHolding) and h.title == title.code and h.ccs == ccs for h in situation.holdings)
        if held:
            return Eligibility(False, (Reason("ccs_already_held", version),))
        if ccs not in standing.ccs_next_steps:
            return Eligibility(False, (Reason("ccs_needs_training_or_experience", version),))
        return Eligibility(True)
    if standing.holds_title:
        return Eligibility(False, (Reason("title_held"),))
    option = next((o for o in standing.options if o.version == version), None)
    if option is None:
        lost = tuple(r for r in standing.reasons if r.version == version)
        return Eligibility(False, lost or (Reason("version_closed", version, spec.valid_until),))
    if option.opens_on is not None:
        return Eligibility(False, option.reasons)
    if session_kind is SessionKind.TITLE:
        if Step.TITLE_SESSION in option.next_steps:
            return Eligibility(True)
        if option.reasons:
            return Eligibility(False, option.reasons)
        if option.held:
            return Eligibility(False, (Reason("partial_success_sit_missing_ccps", version),))
        return Eligibility(False, (Reason("route_sits_ccp_sessions", version),))
    if not ccps:
        return Eligibility(False, (Reason("no_ccp_chosen", version),))
    unknown = [n for n in ccps if n not in spec.ccps]
    if unknown:
        return Eligibility(False, (Reason("unknown_ccp", version),))
    if any(n in option.held for n in ccps):
        return Eligibility(False, (Reason("ccp_already_held", version),))
    if Step.CCP_SESSION not in option.next_steps:
        return Eligibility(False, option.reasons or (Reason("route_sits_title_session", version),))
    return Eligibility(True, final_interview_due=set(option.missing) <= set(ccps))
