"""The authority's decisions that take back what a session gave: a fraud decision (R-80) and the voiding of the
results of an annulled session (R-81). One transaction each, audited; nothing is deleted.

    decide_fraud     the authority's reasoned decision on a fraud: a sanction (exclusion, a ban of
                     ``fraud_ban_years``, U-04) and, when the fraud is found after the results, the withdrawal of
                     what the session awarded (R-80)
    void_results     the results of a session annulled after its PV was validated no longer stand (R-81)
    annul_session    the annulment (``sessions.services.annul_session``) and the voiding, in one transaction: the
                     call for the pages and the API (``sessions`` may not import ``deliberation``)

What a session gave a candidate (``holdings_from``): their holdings of the session's title version obtained on
its last day (the day ``services.write_holdings`` writes) whose ``source`` names one of the session's PVs
("PV-<session number>", corrective revisions "PV-<number>-R<n>" included), not withdrawn yet. The day alone
could meet a holding from another origin (an import, a correspondence) obtained the same day; the number alone
is text: both together name the session. A withdrawal keeps the row, with its day and reason (``withdrawn_on``,
``withdraw_reason``): the standing engine no longer reads it (``sessions.facts.holdings_of``), the history
still shows it. The same for the failures and absences it recorded (``ExamOutcome.voided_on``) and the documents
not issued yet (cancelled, with the reason); a document already issued stays issued, listed in the audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from titrepro.accounts.permissions import ensure_in
from titrepro.audit.services import record
from titrepro.candidates.models import Candidate, ExamOutcome, Holding
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.deliberation import signals
from titrepro.deliberation.models import (
    DocumentToIssue,
    FraudDecision,
    IssuanceStatus,
    Minutes,
    MinutesStatus,
    Sanction,
)
from titrepro.rules.dates import add_years
from titrepro.rules.parameters import DEFAULT
from titrepro.sessions import queries
from titrepro.sessions import services as session_services
from titrepro.sessions.models import ExamSession, Incident, Registration, SessionStatus

# What a session gave -------------------------------------------------------------------------------------------


def minutes_mark(session: ExamSession) -> str:
    """What the ``source`` of every holding and outcome written from one of the session's PVs contains."""
    return f"PV-{session.number}"


def holdings_from(session: ExamSession, candidate: Candidate | None = None) -> QuerySet[Holding]:
    """The holdings the session's validated PVs gave (not withdrawn), of one candidate or of all."""
    rows = Holding.objects.filter(
        version=session.version_id,
        obtained_on=session.last_day,
        source__contains=minutes_mark(session),
        withdrawn_on=None,
    )
    if candidate is not None:
        return rows.filter(candidate=candidate)
    return rows.filter(candidate__in=session.registrations.values("candidate"))


def outcomes_from(session: ExamSession, candidate: Candidate | None = None) -> QuerySet[ExamOutcome]:
    """The failures and absences the session's validated PVs recorded (not voided), of one candidate or of all."""
    rows = ExamOutcome.objects.filter(
        version=session.version_id,
        on=session.last_day,
        session_kind=session.kind,
        source__contains=minutes_mark(session),
        voided_on=None,
    )
    if candidate is not None:
        return rows.filter(candidate=candidate)
    return rows.filter(candidate__in=session.registrations.values("candidate"))


def pending_documents(session: ExamSession, registration: Registration | None = None) -> QuerySet[DocumentToIssue]:
    """The documents of the session's PVs still to be issued, of one registration or of all."""
    rows = DocumentToIssue.objects.filter(minutes__session=session, status=IssuanceStatus.TO_ISSUE)
    return rows.filter(registration=registration) if registration is not None else rows


def issued_documents(session: ExamSession, registration: Registration | None = None) -> list[int]:
    """The documents of the session's PVs already issued (they stay issued: the audit entry lists them)."""
    rows = DocumentToIssue.objects.filter(minutes__session=session, status=IssuanceStatus.ISSUED)
    rows = rows.filter(registration=registration) if registration is not None else rows
    return list(rows.order_by("pk").values_list("pk", flat=True))


def revoke(entries: Iterable[int], status: str, reason: str, on: date, user: Any) -> None:
    """The documents already issued for these entries no longer stand (``signals.issued_documents_revoked``: the
    register, above this app, changes their status in the same transaction)."""
    entries = list(entries)
    if entries:
        signals.issued_documents_revoked.send(
            sender=DocumentToIssue, entries=entries, status=status, reason=reason, on=on, user=user
        )


def withdraw(holdings: Iterable[Holding], on: date, reason: str) -> list[int]:
    """Withdrawn on ``on`` with ``reason``, the rows kept; the ids withdrawn."""
    ids = [h.pk for h in holdings]
    Holding.objects.filter(pk__in=ids, withdrawn_on=None).update(withdrawn_on=on, withdraw_reason=reason)
    return ids


def void_outcomes(outcomes: Iterable[ExamOutcome], on: date, reason: str) -> list[int]:
    ids = [o.pk for o in outcomes]
    ExamOutcome.objects.filter(pk__in=ids, voided_on=None).update(voided_on=on, void_reason=reason)
    return ids


def cancel_documents(documents: Iterable[DocumentToIssue], reason: str) -> list[int]:
    ids = [d.pk for d in documents]
    DocumentToIssue.objects.filter(pk__in=ids, status=IssuanceStatus.TO_ISSUE).update(
        status=IssuanceStatus.CANCELLED, cancel_reason=reason
    )
    return ids


def _the_authority(user: Any, session: ExamSession) -> None:
    """An agent of the authority of the session's centre (or a national administrator): 403 for another role,
    404 for another département's session."""
    ensure_in(queries.authority_sessions(user), session)


# Fraud (R-80) ------------------------------------------------------------------------------------------------------


def decide_fraud(
    user: Any,
    registration: Registration,
    *,
    sanction: str,
    reason: str,
    withdraws: bool = False,
    incident: Incident | None = None,
    ban_years: int | None = None,
) -> FraudDecision:
    """The authority's reasoned decision on a fraud or an attempted fraud (R-80).

    A ban runs from the day of the decision for ``ban_years`` years, the parameter ``fraud_ban_years`` by default
    (U-04): ``ban_until`` is that day ``add_years`` later (29 February gives 28 February). ``ban_years`` is read
    only for a ban. With ``withdraws`` (the fraud found after the results), everything the session gave the
    candidate is withdrawn with the decision's reasons and their documents not issued yet are cancelled;
    refused when the session gave them nothing (``fraud_nothing_to_withdraw``). The jury's decision and the PV
    stay as they were: the fraud decision says what no longer stands."""
    session = registration.session
    _the_authority(user, session)
    reason = reason.strip()
    if not reason:
        raise Refused(
            "fraud_reason_missing", _("Write the reasons of the decision: it is a reasoned decision (R-80)."), "reason"
        )
    if sanction not in Sanction.values:
        raise Refused("fraud_sanction_invalid", _("Choose a sanction."), "sanction")
    years = ban_years if ban_years is not None else DEFAULT.fraud_ban_years
    if sanction == Sanction.BAN and years < 1:
        raise Refused("fraud_ban_years_invalid", _("A ban lasts at least one whole year."), "ban_years")
    if incident is not None and (
        incident.session_id != session.pk or incident.registration_id not in (None, registration.pk)
    ):
        raise Refused(
            "fraud_incident_other",
            _("This report was not recorded at this candidate's session."),
            "incident",
        )
    today = dating.today()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().select_related("candidate").get(pk=registration.pk)
        withdrawn: list[int] = []
        cancelled: list[int] = []
        issued: list[int] = []
        if withdraws:
            holdings = list(holdings_from(session, registration.candidate).select_for_update())
            if not holdings:
                raise Refused(
                    "fraud_nothing_to_withdraw",
                    _(
                        "This session awarded nothing to this candidate (or it was already withdrawn): there is nothing to withdraw (R-80)."
                    ),
                    "withdraws",
                )
            withdrawn = withdraw(holdings, today, reason)
            cancelled = cancel_documents(
                pending_documents(session, registration).select_for_update(of=("self",)), reason
            )
            issued = issued_documents(session, registration)
            revoke(issued, "withdrawn", reason, today, user)
        decision = FraudDecision.objects.create(
            registration=registration,
            incident=incident,
            sanction=sanction,
            ban_until=add_years(today, years) if sanction == Sanction.BAN else None,
            withdraws=withdraws,
            reason=reason,
            decided_on=today,
            decided_by=user,
        )
        if decision.ban_until is not None:
            _ban(registration, decision.ban_until)
        record(
            actor=user,
            action="fraud.decided",
            target=decision,
            reason=reason,
            data={
                "registration": registration.pk,
                "session": session.number,
                "incident": incident.pk if incident is not None else None,
                "sanction": sanction,
                "ban_years": years if sanction == Sanction.BAN else None,
                "ban_until": decision.ban_until.isoformat() if decision.ban_until else None,
                "withdraws": withdraws,
                "holdings_withdrawn": withdrawn,
                "documents_cancelled": cancelled,
                "documents_already_issued": issued,
            },
        )
    return decision


def _ban(registration: Registration, until: date) -> None:
    """The candidate may not be registered for a session starting on or before ``until`` (a later ban of the same
    person keeps the later day)."""
    candidate = registration.candidate
    Candidate.objects.filter(pk=candidate.pk).filter(Q(banned_until=None) | Q(banned_until__lt=until)).update(
        banned_until=until
    )


# Annulment (R-81) --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Voided:
    """What ``void_results`` took back: the ids of the holdings withdrawn, outcomes voided, documents cancelled,
    and of the documents already issued (they stay issued)."""

    holdings: tuple[int, ...] = ()
    outcomes: tuple[int, ...] = ()
    documents: tuple[int, ...] = ()
    issued: tuple[int, ...] = ()


def void_results(user: Any, session: ExamSession, reason: str) -> Voided:
    """The results of an annulled session no longer stand (R-81): every holding its PVs gave is withdrawn, every
    failure and absence they recorded voided, every document not issued yet cancelled, each with the
    annulment's reason. The PVs themselves stay as they are (a validated PV is the record of what the jury
    decided; "superseded" means replaced by a corrective PV, which an annulment is not): the session's status,
    annulled, says the results no longer stand. Nothing validated, nothing to void: an empty answer. A second
    call voids nothing more."""
    _the_authority(user, session)
    reason = reason.strip()
    if not reason:
        raise Refused("results_reason_missing", _("Give the reason: the annulment's decision (R-81)."), "reason")
    today = dating.today()
    with transaction.atomic():
        locked = ExamSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.ANNULLED:
            raise Refused(
                "results_session_not_annulled",
                _("Only the results of an annulled session are voided (R-81)."),
            )
        voided = Voided(
            holdings=tuple(withdraw(holdings_from(locked).select_for_update(), today, reason)),
            outcomes=tuple(void_outcomes(outcomes_from(locked).select_for_update(), today, reason)),
            documents=tuple(cancel_documents(pending_documents(locked).select_for_update(of=("self",)), reason)),
            issued=tuple(issued_documents(locked)),
        )
        revoke(voided.issued, "annulled", reason, today, user)
        record(
            actor=user,
            action="session.results_voided",
            target=locked,
            reason=reason,
            data={
                "holdings_withdrawn": list(voided.holdings),
                "outcomes_voided": list(voided.outcomes),
                "documents_cancelled": list(voided.documents),
                "documents_already_issued": list(voided.issued),
            },
        )
    return voided


def annul_session(user: Any, session: ExamSession, *, reason: str) -> ExamSession:
    """The authority annuls the session (``sessions.services.annul_session``, R-81); what its validated PVs gave
    is voided in the same transaction (``voided_on_annulment``, connected to ``sessions.signals``)."""
    return session_services.annul_session(user, session, reason=reason)


def voided_on_annulment(sender: Any, *, session: ExamSession, user: Any, reason: str, **kwargs: Any) -> None:
    """``sessions.signals.session_annulled``: void the results of the annulled session (``void_results``), when
    a PV of it was validated (before that, there are none)."""
    if Minutes.objects.filter(session=session, status__in=(MinutesStatus.VALIDATED, MinutesStatus.SUPERSEDED)).exists():
        void_results(user, session, reason)
