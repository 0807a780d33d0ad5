"""French messages for the deliberation rules' codes (``rules.deliberation``; the codes stay English: API, logs)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from titrepro.core.refusals import Refused
from titrepro.rules import deliberation as rules


def _numbers(ccps: tuple[int, ...]) -> str:
    return ", ".join(f"CCP {number}" for number in ccps)


def message(refusal: rules.Refusal) -> str:
    """The sentence for one refusal of ``rules.deliberation.check``."""
    values = {"ccps": _numbers(refusal.ccps), "count": refusal.count, "rule": refusal.rule}
    messages = {
        rules.DECISION_ATTENDANCE_MISSING: _(
            "Record the candidate's attendance first: present, late or absent (R-45)."
        ),
        rules.DECISION_CANDIDATE_ABSENT: _(
            "The candidate is recorded absent (or late and not admitted): the only decision is an absence, "
            "excused or not (R-45, R-70)."
        ),
        rules.DECISION_CANDIDATE_PRESENT: _(
            "The candidate is recorded present: an absence cannot be decided. Correct the attendance first if it "
            "is wrong (R-70)."
        ),
        rules.DECISION_EXCUSE_MISSING: _("Write the justification of the absence (R-70)."),
        rules.DECISION_CCPS_FOR_ABSENT: _("An absent candidate is awarded no CCP (R-70)."),
        rules.DECISION_RESULT_NOT_FOR_SESSION: _("This result is not one a session of this kind can decide (R-70)."),
        rules.DECISION_CCP_NOT_SAT: _("%(ccps)s was not evaluated at this session: it cannot be awarded (R-51, R-70)."),
        rules.DECISION_FAILURE_WITH_CCPS: _(
            "A failure awards nothing: choose a partial success to award %(ccps)s (R-70)."
        ),
        rules.DECISION_PARTIAL_EMPTY: _("A partial success awards at least one CCP: choose which (R-70)."),
        rules.DECISION_PARTIAL_COMPLETE: _(
            "With these CCPs the candidate holds every CCP: decide on the title (or award every CCP sat) "
            "rather than a partial success (R-70)."
        ),
        rules.DECISION_AWARDED_INCOMPLETE: _(
            "%(ccps)s is not awarded: the result is then a partial success or a failure (R-70)."
        ),
        rules.DECISION_FINAL_INTERVIEW_MISSING: _(
            "The title is awarded only after the final interview, the last test: record it first (R-50)."
        ),
        rules.DECISION_CCPS_MISSING: _(
            "The title needs every CCP of the version held after this session, own, through a correspondence "
            "table or awarded now; missing: %(ccps)s (R-50, R-06)."
        ),
        rules.DECISION_PORTFOLIO_MISSING: _(
            "The jury decides with the dossier professionnel: it was not handed in, nor uploaded (R-52)."
        ),
        rules.DECISION_ECF_MISSING: _(
            "A candidate from training is decided with the results of their in-training assessments (ECF): "
            "they are missing (%(rule)s)."
        ),
        rules.DECISION_JURY_TOO_SMALL: _(
            "Only %(count)s jury member(s) present and free of any link with the candidate: at least two "
            "deliberate (R-63, R-64)."
        ),
        rules.DECISION_REASON_MISSING: _("Write the reasons of what is not awarded: the candidate reads them (R-65)."),
    }
    return messages.get(refusal.code, refusal.code) % values


def refused(refusals: tuple[rules.Refusal, ...]) -> Refused:
    """One ``Refused`` carrying every reason: the first one's code, every sentence, every code in ``reasons``."""
    first = refusals[0]
    field = {
        rules.DECISION_REASON_MISSING: "reason",
        rules.DECISION_EXCUSE_MISSING: "reason",
        rules.DECISION_FINAL_INTERVIEW_MISSING: "final_interview_held",
        rules.DECISION_CCP_NOT_SAT: "ccps",
        rules.DECISION_PARTIAL_EMPTY: "ccps",
        rules.DECISION_FAILURE_WITH_CCPS: "ccps",
        rules.DECISION_AWARDED_INCOMPLETE: "ccps",
        rules.DECISION_CCPS_MISSING: "ccps",
    }.get(first.code, "result")
    return Refused(
        first.code,
        " ".join(message(r) for r in refusals),
        field,
        reasons=tuple(dict.fromkeys(r.code for r in refusals)),
    )
