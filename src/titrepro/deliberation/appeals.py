"""A candidate's gracious appeal against the jury's decision (R-82), and the authority's answer. One transaction
per service, audited through the appeal's lifecycle (``APPEAL``).

    (new) --file--> filed --uphold--> upheld       (the authority: a corrective PV, the result changed)
                    filed --dismiss--> dismissed   (the authority, with its answer)

    deadline         the last day to appeal a decision: two months from its notification (``rules.appeals``)
    can_file         whether the candidate may appeal now, and if not why (for the page's button)
    file_appeal      the candidate appeals their own validated and notified result, in time, one appeal at a time
    decide_appeal    the authority dismisses it, or upholds it with the new decision: the validated PV is
                     superseded by a corrective PV (validated: the authority decides it), the candidate's
                     holdings, failures and documents follow the new decision; nothing is deleted

The deadline is counted from ``Decision.notified_on`` (the day the result notice went out) as a délai franc,
moved past weekends and the public holidays of the session centre's département
(``rules.appeals.appeal_last_day``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titrepro.accounts.permissions import ensure_in
from titrepro.candidates.models import ExamOutcome, Holding, HoldingKind, OutcomeKind
from titrepro.catalogue.models import CCP, SessionKind
from titrepro.core import dating
from titrepro.core.lifecycle import NEW, Answer, Lifecycle, Move
from titrepro.core.refusals import Refused
from titrepro.core.templatetags.french_dates import french_date
from titrepro.deliberation import facts, fraud, services, signals
from titrepro.deliberation import minutes as content
from titrepro.deliberation.lifecycles import MINUTES
from titrepro.deliberation.messages import refused
from titrepro.deliberation.models import Appeal, AppealStatus, Decision, Minutes, MinutesStatus
from titrepro.rules import appeals as rules
from titrepro.rules import deliberation
from titrepro.sessions import queries
from titrepro.sessions.models import ExamSession, Registration

# Reading -----------------------------------------------------------------------------------------------------


def departement_of(session: ExamSession) -> str:
    """Whose public holidays move the last day: the département of the session centre's authority."""
    return str(session.centre.authority.departement)


def deadline(decision: Decision) -> date | None:
    """The last day to appeal ``decision`` (R-82); None before its notification."""
    if decision.notified_on is None:
        return None
    return rules.appeal_last_day(decision.notified_on, departement_of(decision.registration.session))


def _current_minutes(session: ExamSession) -> Minutes | None:
    """The session's current PV, if any (never opens one)."""
    return Minutes.objects.filter(session=session).exclude(status=MinutesStatus.SUPERSEDED).first()


def _decision(registration: Registration) -> Decision | None:
    return Decision.objects.filter(registration=registration).exclude(result="").first()


class AppealTooLate(Refused):
    """``appeal_too_late``, with the computed last day (``last_day``) for the page and the API."""

    def __init__(self, last_day: date) -> None:
        super().__init__(
            rules.APPEAL_TOO_LATE,
            _("The two months to appeal this decision ended on %(day)s (R-82): this appeal is too late.")
            % {"day": french_date(last_day)},
        )
        self.last_day = last_day


# The lifecycle ----------------------------------------------------------------------------------------------------


def the_candidate(user: Any, appeal: Appeal) -> None:
    """The candidate themself, on their own registration: 403 for another role, 404 for another's."""
    ensure_in(queries.own_registrations(user), appeal.registration)


def the_authority(user: Any, appeal: Appeal) -> None:
    """An agent of the authority of the session's centre (or a national administrator); another département's
    appeal is as missing (404)."""
    ensure_in(queries.authority_sessions(user), appeal.registration.session)


def result_validated(user: Any, appeal: Appeal, on: date) -> Refused | None:
    """Only a decision of a validated PV is appealed (R-72, R-82)."""
    current = _current_minutes(appeal.registration.session)
    if current is None or current.status != MinutesStatus.VALIDATED or _decision(appeal.registration) is None:
        return Refused(
            "appeal_result_not_validated",
            _("The jury's decision is not validated yet: only a validated decision can be appealed (R-82)."),
        )
    return None


def _not_notified() -> Refused:
    return Refused(
        rules.APPEAL_BEFORE_NOTIFICATION,
        _("Your result is not notified yet: the appeal runs from its notification (R-82)."),
    )


def _notified_on(registration: Registration) -> date | None:
    decision = _decision(registration)
    return decision.notified_on if decision is not None else None


def in_time(user: Any, appeal: Appeal, on: date) -> Refused | None:
    """From the notification of the result to the last day of ``rules.appeals.appeal_last_day``, both included."""
    notified_on = _notified_on(appeal.registration)
    if notified_on is None:
        return _not_notified()
    refusal = rules.appeal_refusal(notified_on, on, departement_of(appeal.registration.session))
    if refusal is None:
        return None
    if refusal.code == rules.APPEAL_TOO_LATE and refusal.last_day is not None:
        return AppealTooLate(refusal.last_day)
    return _not_notified()


def none_open(user: Any, appeal: Appeal, on: date) -> Refused | None:
    """One appeal at a time per registration: a new one once the last is decided."""
    if Appeal.objects.filter(registration=appeal.registration, status=AppealStatus.FILED).exists():
        return Refused(
            "appeal_already_filed",
            _("An appeal against this result is already awaiting the authority's answer."),
        )
    return None


DECIDED = gettext_lazy("This appeal was already decided.")

APPEAL: Lifecycle[Appeal] = Lifecycle(
    name="appeal",
    model=Appeal,
    states=dict(AppealStatus.choices),
    authorise=the_authority,
    moves=[
        Move(
            "file",
            (NEW,),
            AppealStatus.FILED,
            "appeal.filed",
            label=gettext_lazy("Appeal against the decision"),
            checks=(result_validated, in_time, none_open),
            authorise=the_candidate,
        ),
        Move(
            "uphold",
            (AppealStatus.FILED,),
            AppealStatus.UPHELD,
            "appeal.upheld",
            label=gettext_lazy("Uphold the appeal"),
            wrong_state_code="appeal_already_decided",
            wrong_state_message=DECIDED,
        ),
        Move(
            "dismiss",
            (AppealStatus.FILED,),
            AppealStatus.DISMISSED,
            "appeal.dismissed",
            label=gettext_lazy("Dismiss the appeal"),
            wrong_state_code="appeal_already_decided",
            wrong_state_message=DECIDED,
        ),
    ],
)


def can_file(user: Any, registration: Registration) -> Answer:
    """May the candidate appeal now? For the page: the button, or why there is none."""
    return APPEAL.can("file", user, Appeal(registration=registration), on=dating.today())


# Filing ------------------------------------------------------------------------------------------------------------


def file_appeal(user: Any, registration: Registration, *, text: str, on: date | None = None) -> Appeal:
    """The candidate appeals their own result (R-82): validated, notified, in time, none of theirs pending.

    The appeal is dated by the server: ``on``, when given, must be today (``date_backdated`` otherwise), so that
    no one files within the delay on a day already past. It keeps the day of notification and the last day."""
    APPEAL.check_actor("file", user, Appeal(registration=registration))
    filed_on = dating.decision_date(on, "filed_on", allow_backdating=False) if on is not None else dating.today()
    text = text.strip()
    if not text:
        raise Refused("appeal_text_missing", _("Write the grounds of your appeal."), "text")
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("session__centre__authority", "candidate")
            .get(pk=registration.pk)
        )
        appeal = Appeal(registration=registration, filed_by=user, filed_on=filed_on, text=text)
        APPEAL.require("file", user, appeal, on=filed_on)
        notified_on = _notified_on(registration)
        if notified_on is None:  # the checks said otherwise: only a concurrent change could get here
            raise _not_notified()
        appeal.notified_on = notified_on
        appeal.last_day = rules.appeal_last_day(notified_on, departement_of(registration.session))
        return APPEAL.create(
            "file",
            user,
            appeal,
            on=filed_on,
            data={
                "registration": registration.pk,
                "notified_on": appeal.notified_on.isoformat(),
                "last_day": appeal.last_day.isoformat(),
            },
        )


# Deciding ----------------------------------------------------------------------------------------------------------


def decide_appeal(
    user: Any,
    appeal: Appeal,
    *,
    upheld: bool,
    answer: str,
    result: str | None = None,
    ccps: Sequence[int] = (),
    reason: str = "",
) -> Appeal:
    """The authority's answer to an appeal (R-82), written for the candidate.

    Dismissed: nothing else changes. Upheld: ``result``, ``ccps`` and ``reason`` are the new decision, checked by
    ``rules.deliberation.check`` like the jury's (the members present are the PV's); it must differ from the
    decision appealed (an appeal that changes nothing is dismissed). In one transaction: the validated PV is
    superseded; a corrective PV (next revision, its reason the answer) is validated by the authority with the
    same members present; the decision is rewritten; what the session gave the candidate follows it (holdings
    no longer given withdrawn with the answer as reason, new ones written from the corrective PV; the failure or
    absence recorded voided or written; documents not issued cancelled, the new ones queued). The old PV, the
    withdrawn holdings, the voided outcomes and the cancelled documents stay in the history."""
    APPEAL.check_actor("uphold" if upheld else "dismiss", user, appeal)
    answer = answer.strip()
    if not answer:
        raise Refused(
            "appeal_answer_missing", _("Write the authority's answer: the candidate reads it (R-82)."), "answer"
        )
    today = dating.today()
    if not upheld:
        with transaction.atomic():
            dismissed = APPEAL.apply(
                "dismiss",
                user,
                appeal,
                on=today,
                reason=answer,
                changes={"decided_on": today, "decided_by": user, "answer": answer},
            )
            transaction.on_commit(lambda: _send_answer(dismissed.pk))
        return dismissed
    if not result:
        raise Refused("appeal_result_missing", _("An appeal upheld changes the result: choose the new one."), "result")
    try:
        chosen = deliberation.Result(result)
    except ValueError:
        raise Refused("appeal_result_invalid", _("Choose a result."), "result") from None
    with transaction.atomic():
        locked = Appeal.objects.select_for_update().select_related("registration__session__centre").get(pk=appeal.pk)
        APPEAL.require("uphold", user, locked, on=today)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("candidate", "session__version__title", "session__centre__authority")
            .get(pk=locked.registration_id)
        )
        session = registration.session
        old = _current_minutes(session)
        decision = Decision.objects.select_for_update().filter(registration=registration).first()
        if old is None or old.status != MinutesStatus.VALIDATED or decision is None:
            raise Refused(
                "appeal_result_not_validated",
                _("The jury's decision is not validated: there is no PV to correct (R-82)."),
            )
        old = Minutes.objects.select_for_update().get(pk=old.pk)
        present = list(old.present.all())
        before = _summary(decision)
        pure = deliberation.Decision(chosen, frozenset(ccps), reason.strip())
        if (chosen.value, sorted(pure.ccps_awarded)) == (before["result"], before["ccps"]):
            raise Refused(
                "appeal_result_unchanged",
                _("This is the decision appealed: an appeal that changes nothing is dismissed."),
                "result",
            )
        refusals = deliberation.check(pure, facts.evidence(registration, decision, present))
        if refusals:
            raise refused(refusals)

        MINUTES.apply("supersede", user, old, reason=answer, data={"appeal": locked.pk})
        corrective = _corrective(user, old, present, answer, locked)
        decision.result = chosen
        decision.reason = pure.reason
        decision.decided_at = timezone.now()
        decision.decided_by = user
        decision.save(update_fields=["result", "reason", "decided_at", "decided_by"])
        decision.ccps_awarded.set(CCP.objects.filter(version=session.version_id, number__in=pure.ccps_awarded))
        document = content.content(corrective)
        corrective.content = document
        corrective.sha256 = content.digest(document)
        corrective.save(update_fields=["content", "sha256"])

        holdings = _follow_holdings(corrective, registration, pure, today, answer)
        outcomes = _follow_outcome(corrective, registration, chosen, today, answer)
        cancelled = fraud.cancel_documents(
            fraud.pending_documents(session, registration).select_for_update(of=("self",)), answer
        )
        issued = fraud.issued_documents(session, registration)
        if _loses(before, chosen, pure.ccps_awarded):
            fraud.revoke(issued, "withdrawn", answer, today, user)  # what they certify no longer stands
        # Otherwise they stay valid: what the corrective PV adds comes as a document that supersedes them.
        queued = services.queue_documents(corrective, [registration])
        signals.documents_queued.send(sender=Minutes, minutes=corrective)
        transaction.on_commit(lambda: _send_answer(locked.pk))
        return APPEAL.apply(
            "uphold",
            user,
            locked,
            on=today,
            reason=answer,
            changes={"decided_on": today, "decided_by": user, "answer": answer, "corrective": corrective},
            data={
                "registration": registration.pk,
                "before": before,
                "after": _summary(decision),
                "minutes": {"superseded": old.number, "corrective": corrective.number},
                "holdings": holdings,
                "outcomes": outcomes,
                "documents": {"cancelled": cancelled, "already_issued": issued, "queued": queued},
            },
        )


def _loses(before: dict[str, Any], result: deliberation.Result, ccps: frozenset[int]) -> bool:
    """Whether the new decision takes back something the one appealed gave: a CCP, or the title."""
    if set(before["ccps"]) - set(ccps):
        return True
    return before["result"] == deliberation.Result.TITLE_AWARDED and result is not deliberation.Result.TITLE_AWARDED


def _send_answer(appeal_id: int) -> None:
    from titrepro.deliberation import tasks

    tasks.send_appeal_answer.enqueue(appeal_id)


def _summary(decision: Decision) -> dict[str, Any]:
    return {
        "result": str(decision.result),
        "ccps": sorted(c.number for c in decision.ccps_awarded.all()),
        "reason": decision.reason,
        "decided_by": decision.decided_by_id,
    }


def _corrective(user: Any, old: Minutes, present: list[Any], answer: str, appeal: Appeal) -> Minutes:
    """The next revision of the session's PV, validated at once by the authority that decided the appeal (its
    content and hash are written once the decision is)."""
    session = old.session
    revision = max(Minutes.objects.filter(session=session).values_list("revision", flat=True)) + 1
    corrective = MINUTES.create(
        "open",
        None,
        Minutes(session=session, revision=revision, number=f"PV-{session.number}-R{revision}", reason=answer),
        reason=answer,
        data={"appeal": appeal.pk, "replaces": old.number},
    )
    corrective.present.set(present)
    return MINUTES.apply(
        "correct",
        user,
        corrective,
        reason=answer,
        changes={"validated_at": timezone.now(), "validated_by": user},
        data={"appeal": appeal.pk, "replaces": old.number},
    )


def _key(holding: Holding) -> tuple[str, str]:
    if holding.kind == HoldingKind.CCP and holding.ccp is not None:
        return (HoldingKind.CCP, str(holding.ccp.number))
    if holding.kind == HoldingKind.CCS and holding.ccs is not None:
        return (HoldingKind.CCS, holding.ccs.code)
    return (HoldingKind.TITLE, "")


def _follow_holdings(
    corrective: Minutes, registration: Registration, decision: deliberation.Decision, on: date, why: str
) -> dict[str, list[int]]:
    """What the session gives the candidate is what the new decision awards (``rules.deliberation.awards``):
    holdings it no longer gives withdrawn, those it gives now written (a CCP already held from elsewhere is not
    written twice, as in ``services.write_holdings``)."""
    session = corrective.session
    candidate = registration.candidate
    awarded = deliberation.awards(decision, facts.awards_evidence(session))
    wanted: set[tuple[str, str]] = {(HoldingKind.CCP, str(n)) for n in awarded.ccps}
    if awarded.title:
        wanted.add((HoldingKind.TITLE, ""))
    if awarded.ccs and session.ccs is not None:
        wanted.add((HoldingKind.CCS, session.ccs.code))
    current = list(fraud.holdings_from(session, candidate).select_related("ccp", "ccs").select_for_update(of=("self",)))
    withdrawn = fraud.withdraw([h for h in current if _key(h) not in wanted], on, why)
    kept = {_key(h) for h in current if _key(h) in wanted}
    active = Holding.objects.filter(candidate=candidate, withdrawn_on=None)
    source = _("PV %(number)s, session %(session)s") % {"number": corrective.number, "session": session.number}
    common = {"candidate": candidate, "version": session.version, "obtained_on": session.last_day, "source": source}
    ccps = {str(c.number): c for c in CCP.objects.filter(version=session.version_id)}
    new: list[Holding] = []
    for kind, what in sorted(wanted - kept):
        if kind == HoldingKind.CCP and not active.filter(ccp=ccps[what]).exists():
            new.append(Holding(kind=kind, ccp=ccps[what], **common))
        elif kind == HoldingKind.TITLE and not active.filter(kind=kind, version=session.version_id).exists():
            new.append(Holding(kind=kind, **common))
        elif kind == HoldingKind.CCS and not active.filter(kind=kind, ccs=session.ccs).exists():
            new.append(Holding(kind=kind, ccs=session.ccs, **common))
    created = Holding.objects.bulk_create(new)
    return {"withdrawn": withdrawn, "created": [h.pk for h in created]}


def outcome_of(session: ExamSession, result: deliberation.Result) -> str | None:
    """What the resit rules count of a decision (R-13, R-14), as ``services.write_holdings`` records it."""
    if result in deliberation.ABSENT_RESULTS:
        return OutcomeKind.ABSENCE
    if result is deliberation.Result.FAILURE or (
        result is deliberation.Result.PARTIAL_SUCCESS and session.kind == SessionKind.TITLE
    ):
        return OutcomeKind.FAILURE
    return None


def _follow_outcome(
    corrective: Minutes, registration: Registration, result: deliberation.Result, on: date, why: str
) -> dict[str, list[int]]:
    """The failure or absence the session recorded follows the new decision: voided when it no longer is one
    (or another kind), written when it now is."""
    session = corrective.session
    candidate = registration.candidate
    kind = outcome_of(session, result)
    current = list(fraud.outcomes_from(session, candidate).select_for_update())
    voided = fraud.void_outcomes([o for o in current if o.kind != kind], on, why)
    created: list[int] = []
    if kind is not None and not any(o.kind == kind for o in current):
        outcome = ExamOutcome.objects.create(
            candidate=candidate,
            kind=kind,
            session_kind=session.kind,
            version=session.version,
            on=session.last_day,
            source=_("PV %(number)s, session %(session)s") % {"number": corrective.number, "session": session.number},
        )
        created.append(outcome.pk)
    return {"voided": voided, "created": created}
