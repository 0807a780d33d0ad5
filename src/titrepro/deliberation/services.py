"""Every write of the deliberation: one transaction each, checked by ``rules.deliberation`` and the PV's
lifecycle (``deliberation.lifecycles.MINUTES``), audited.

    record_sheet       a jury member's observations and proposal on one competence of one candidate (R-65)
    record_presence    the members present at the deliberation (the centre; R-63)
    decide             the jury's decision for one candidate, refused when the texts forbid it (R-50 ... R-70)
    sign               a member present signs the PV's current content (its SHA-256), after their second factor
    submit             the centre submits the signed PV to the authority (R-71)
    validate           the authority validates it: holdings written, results visible, notices sent (R-72)
    return_minutes     the authority returns it to the centre with a reason, back to deliberation

Any change to what the PV says after a signature voids every signature (``void_signatures``): each member
signs again what it now says.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.accounts import otp
from titrepro.audit.services import record
from titrepro.candidates.models import ExamOutcome, Holding, HoldingKind, OutcomeKind
from titrepro.catalogue.models import CCP, Competence, SessionKind
from titrepro.core import dating
from titrepro.core.refusals import Forbidden, Refused
from titrepro.deliberation import facts, queries, signals
from titrepro.deliberation import minutes as content
from titrepro.deliberation.lifecycles import MINUTES
from titrepro.deliberation.messages import refused
from titrepro.deliberation.models import (
    Decision,
    DocumentKind,
    DocumentToIssue,
    EvaluationSheet,
    Minutes,
    MinutesStatus,
    Proposal,
    Signature,
)
from titrepro.rules import deliberation as rules
from titrepro.sessions.lifecycles import jury_check_of, staff_of
from titrepro.sessions.models import (
    ExamSession,
    JuryAssignment,
    JuryStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)

OPEN_SESSIONS = (SessionStatus.CONVENED, SessionStatus.HELD)


# Shared checks --------------------------------------------------------------------------------------------


def _deliberation_open(session: ExamSession, on: date) -> None:
    """The jury evaluates and decides from the first day of a convened or held session (R-45), not after its
    annulment (R-81)."""
    if session.status not in OPEN_SESSIONS or on < session.first_day:
        raise Refused(
            "deliberation_not_open",
            _("The jury evaluates and decides from the first day of a convened or held session."),
        )


def _editable(minutes: Minutes) -> None:
    if minutes.status != MinutesStatus.DELIBERATING:
        raise Refused(
            "minutes_not_deliberating",
            _("The PV was submitted: what it says can no longer change (the authority may return it to the centre)."),
        )


def _locked_minutes(session: ExamSession) -> Minutes:
    minutes = current_minutes(session)
    return Minutes.objects.select_for_update().select_related("session__centre").get(pk=minutes.pk)


def _sitting(user: Any, registration: Registration) -> JuryAssignment:
    """The user's accepted assignment to the registration's session, free of any link with the candidate
    (R-64): a member in conflict neither evaluates nor decides for them (nor sees their sheets: 404)."""
    assignment = queries.own_sittings(user).filter(session=registration.session_id, status=JuryStatus.ACCEPTED).first()
    if assignment is None:
        raise Forbidden("deliberation_not_on_the_jury", _("You do not sit on this session's jury."))
    free = jury_check_of(registration.session).free_members.get(registration.candidate_id, ())
    if assignment.member_id not in free:
        raise Http404
    return assignment


def current_minutes(session: ExamSession) -> Minutes:
    """The session's current PV, opened on first need (the system's move ``open``)."""
    found = Minutes.objects.filter(session=session).exclude(status=MinutesStatus.SUPERSEDED).first()
    if found is not None:
        return found
    with transaction.atomic():
        locked = ExamSession.objects.select_for_update().get(pk=session.pk)
        found = Minutes.objects.filter(session=locked).exclude(status=MinutesStatus.SUPERSEDED).first()
        if found is not None:
            return found
        revision = Minutes.objects.filter(session=locked).count() + 1
        number = f"PV-{locked.number}" + (f"-R{revision}" if revision > 1 else "")
        return MINUTES.create("open", None, Minutes(session=locked, revision=revision, number=number))


def void_signatures(user: Any, minutes: Minutes, why: str) -> int:
    """Every signature of the PV made before this change is void, with the reason; says how many."""
    active = list(minutes.signatures.filter(voided_at=None).select_related("assignment__member"))
    if not active:
        return 0
    now = timezone.now()
    Signature.objects.filter(pk__in=[s.pk for s in active]).update(voided_at=now, void_reason=why)
    record(
        actor=user,
        action="minutes.signatures_voided",
        target=minutes,
        reason=why,
        data={"signatures": [s.assignment_id for s in active]},
    )
    return len(active)


# Evaluation -------------------------------------------------------------------------------------------------


def record_sheet(
    user: Any,
    registration: Registration,
    competence: Competence,
    *,
    observations: str,
    proposal: str,
    criteria_met: Sequence[int] = (),
) -> EvaluationSheet:
    """A jury member's sheet for one competence of the session (R-65): their observations against the RE's
    criteria and their proposal. Another member's sheet is theirs alone."""
    session = registration.session
    assignment = _sitting(user, registration)
    with transaction.atomic():
        _deliberation_open(session, dating.today())
        _editable(_locked_minutes(session))
        if competence not in queries.competences_of(registration):
            raise Refused("sheet_competence_not_evaluated", _("This competence is not evaluated at this session."))
        if proposal not in ("", *Proposal.values):
            raise Refused("sheet_proposal_invalid", _("Choose acquired or not acquired."), "proposal")
        count = len(competence.criteria or [])
        if any(not 0 <= index < count for index in criteria_met):
            raise Refused("sheet_criterion_unknown", _("This criterion is not one of the competence's."), "criteria")
        sheet, created = EvaluationSheet.objects.select_for_update().get_or_create(
            registration=registration, assignment=assignment, competence=competence
        )
        before = {"observations": sheet.observations, "proposal": sheet.proposal, "criteria": sheet.criteria_met}
        sheet.observations = observations
        sheet.proposal = proposal
        sheet.criteria_met = sorted(set(criteria_met))
        sheet.updated_at = timezone.now()
        sheet.save()
        record(
            actor=user,
            action="deliberation.sheet_recorded",
            target=sheet,
            data={
                "competence": competence.code,
                "before": None if created else before,
                "after": {"observations": observations, "proposal": proposal, "criteria": sheet.criteria_met},
            },
        )
    return sheet


# Presence and decisions ----------------------------------------------------------------------------------------


def record_presence(user: Any, session: ExamSession, assignments: Sequence[JuryAssignment]) -> Minutes:
    """The jury members present at the deliberation (the responsable de session; R-63: at least two). A change
    voids the signatures made before it."""
    staff_of(user, session.centre_id)
    with transaction.atomic():
        _deliberation_open(session, dating.today())
        minutes = _locked_minutes(session)
        _editable(minutes)
        accepted = {a.pk for a in session.jury.filter(status=JuryStatus.ACCEPTED)}
        chosen = {a.pk for a in assignments}
        if not chosen <= accepted:
            raise Refused("presence_not_on_the_jury", _("Only members who accepted can be present."), "present")
        before = set(minutes.present.values_list("pk", flat=True))
        if before != chosen:
            minutes.present.set(chosen)
            void_signatures(user, minutes, _("The members present changed."))
            record(
                actor=user,
                action="minutes.presence_recorded",
                target=minutes,
                data={"before": sorted(before), "after": sorted(chosen)},
            )
    return minutes


def decide(
    user: Any,
    registration: Registration,
    *,
    result: str,
    ccps: Sequence[int] = (),
    reason: str = "",
    final_interview_held: bool | None = None,
    final_interview_notes: str | None = None,
) -> Decision:
    """The jury's decision for one candidate, checked by ``rules.deliberation.check`` (R-45, R-50 ... R-53,
    R-63 ... R-65, R-70): refused with every reason, nothing saved. A decision changed after a signature voids
    every signature of the PV (and says so in the audit log)."""
    session = registration.session
    _sitting(user, registration)
    if registration.status != RegistrationStatus.REGISTERED:
        raise Refused("decision_registration_withdrawn", _("This registration was withdrawn."))
    try:
        chosen = rules.Result(result)
    except ValueError:
        raise Refused("decision_result_invalid", _("Choose a result."), "result") from None
    with transaction.atomic():
        _deliberation_open(session, dating.today())
        minutes = _locked_minutes(session)
        _editable(minutes)
        registration = (
            Registration.objects.select_for_update(of=("self",))
            .select_related("candidate", "session__version__title")
            .get(pk=registration.pk)
        )
        decision, _created = Decision.objects.select_for_update().get_or_create(registration=registration)
        before = content.digest(content.content(minutes))
        if final_interview_held is not None:
            decision.final_interview_held = final_interview_held
        if final_interview_notes is not None:
            decision.final_interview_notes = final_interview_notes
        pure = rules.Decision(chosen, frozenset(ccps), reason.strip())
        evidence = facts.evidence(registration, decision, minutes.present.all())
        refusals = rules.check(pure, evidence)
        if refusals:
            raise refused(refusals)
        awarded = CCP.objects.filter(version=session.version_id, number__in=ccps)
        decision.result = chosen
        decision.reason = reason.strip()
        decision.decided_at = timezone.now()
        decision.decided_by = user
        decision.save()
        decision.ccps_awarded.set(awarded)
        after = content.digest(content.content(minutes))
        if after != before:
            void_signatures(user, minutes, _("A decision changed after the PV was signed."))
        record(
            actor=user,
            action="deliberation.decided",
            target=decision,
            reason=decision.reason,
            data={
                "registration": registration.pk,
                "result": chosen.value,
                "ccps": sorted(ccps),
                "final_interview": decision.final_interview_held,
            },
        )
    return decision


# The PV -----------------------------------------------------------------------------------------------------------


def sign(user: Any, minutes: Minutes, *, code: str | None = None) -> Signature:
    """A jury member present signs what the PV now says: their signature records them, the time and the
    SHA-256 of the content. A member with a second factor enters a fresh code first."""
    assignment = queries.own_sittings(user).filter(session=minutes.session_id, status=JuryStatus.ACCEPTED).first()
    if assignment is None:
        raise Forbidden("deliberation_not_on_the_jury", _("You do not sit on this session's jury."))
    device = otp.confirmed_device(user)
    if device is not None and not otp.verify(device, (code or "").strip()):
        raise Refused("signature_second_factor", _("Enter the code of your authentication app to sign."), "code")
    with transaction.atomic():
        locked = _locked_minutes(minutes.session)
        _editable(locked)
        if not locked.present.filter(pk=assignment.pk).exists():
            raise Refused("signature_not_present", _("Only the members present at the deliberation sign the PV."))
        refusal = MINUTES.refusal("submit", user, locked)
        if refusal is not None and refusal.code == "minutes_decisions_missing":
            raise refusal
        for registration in content.registrations_of(locked):
            decision = Decision.objects.filter(registration=registration).prefetch_related("ccps_awarded").first()
            if decision is None:
                continue
            pure = rules.Decision(
                rules.Result(decision.result),
                frozenset(c.number for c in decision.ccps_awarded.all()),
                decision.reason,
            )
            refusals = rules.check(pure, facts.evidence(registration, decision, locked.present.all()))
            if refusals:
                problem = refused(refusals)
                raise Refused(
                    problem.code,
                    _("%(person)s: %(problem)s") % {"person": registration.candidate, "problem": problem.message},
                    reasons=problem.reasons,
                )
        sha = content.digest(content.content(locked))
        if locked.signatures.filter(voided_at=None, assignment=assignment, sha256=sha).exists():
            raise Refused("signature_already", _("You already signed this PV as it stands."))
        locked.signatures.filter(voided_at=None, assignment=assignment).update(
            voided_at=timezone.now(), void_reason=_("Signed again.")
        )
        signature = Signature.objects.create(
            minutes=locked, assignment=assignment, sha256=sha, second_factor=device is not None
        )
        record(
            actor=user,
            action="minutes.signed",
            target=locked,
            data={"assignment": assignment.pk, "sha256": sha, "second_factor": device is not None},
        )
    return signature


def submit(user: Any, minutes: Minutes) -> Minutes:
    """The centre submits the PV once every member present signed its current content (R-71); the content and
    its hash are frozen with it."""
    with transaction.atomic():
        locked = _locked_minutes(minutes.session)
        MINUTES.require("submit", user, locked)
        document = content.content(locked)
        return MINUTES.apply(
            "submit",
            user,
            locked,
            changes={
                "content": document,
                "sha256": content.digest(document),
                "submitted_at": timezone.now(),
                "submitted_by": user,
                "return_reason": "",
            },
            data={"sha256": content.digest(document)},
        )


def return_minutes(user: Any, minutes: Minutes, *, reason: str) -> Minutes:
    """The authority returns the PV to the centre, with its reason: back to deliberation, history kept."""
    if not reason.strip():
        raise Refused("minutes_return_reason_missing", _("Write why the PV goes back to the centre."), "reason")
    with transaction.atomic():
        MINUTES.require("return", user, minutes)
        returned = MINUTES.apply(
            "return", user, minutes, reason=reason.strip(), changes={"return_reason": reason.strip()}
        )
        void_signatures(user, returned, _("The PV was returned to the centre."))
    return returned


def validate(user: Any, minutes: Minutes) -> Minutes:
    """The authority validates the PV (R-72). In one transaction: each candidate's holdings are written (CCPs
    with the day and the session, the title, the CCS), failures and absences recorded for the resit rules,
    the results become visible; the notices go out after the commit. Two agents at once: one validates, the
    other is told it was validated meanwhile; the holdings are written once (the PV's row is locked)."""
    with transaction.atomic():
        validated = MINUTES.apply(
            "validate", user, minutes, changes={"validated_at": timezone.now(), "validated_by": user}
        )
        # What the holdings and the documents state of the session, read once.
        validated.session = ExamSession.objects.select_related("version__title", "centre__authority", "ccs").get(
            pk=validated.session_id
        )
        decisions = _decisions_of(validated)
        written = write_holdings(validated, decisions)
        documents = queue_documents(validated, decisions=decisions)
        record(
            actor=user,
            action="minutes.holdings_written",
            target=validated,
            data={"holdings": written, "documents": documents},
        )
        transaction.on_commit(lambda: _send_notices(validated.pk))
        signals.documents_queued.send(sender=Minutes, minutes=validated)
    return validated


def _send_notices(minutes_id: int) -> None:
    """Queue the PV's result notices after the validation's commit: one task for the PV."""
    from titrepro.deliberation import tasks

    tasks.send_result_notices.enqueue(minutes_id)


def _decisions_of(minutes: Minutes, registrations: Sequence[Registration] | None = None) -> list[Decision]:
    """The decisions of the PV's candidates (or of some of them), each with its CCPs, in one read."""
    listed = registrations if registrations is not None else content.registrations_of(minutes)
    by_registration = {
        d.registration_id: d
        for d in Decision.objects.filter(registration__in=listed)
        .exclude(result="")
        .order_by()
        .prefetch_related("ccps_awarded")
    }
    decisions = []
    for registration in listed:
        decision = by_registration.get(registration.pk)
        if decision is not None:
            decision.registration = registration
            decisions.append(decision)
    return decisions


def _numbers(decision: Decision) -> frozenset[int]:
    return frozenset(c.number for c in decision.ccps_awarded.all())


def write_holdings(minutes: Minutes, decisions: Sequence[Decision] | None = None) -> int:
    """What each decision of the validated PV gives the candidate (``rules.deliberation.awards``): its holdings
    (a CCP already held is not written twice) and, for the resit rules, its failure or absence; a few queries
    for the whole PV."""
    session = minutes.session
    version = session.version
    obtained_on = session.last_day
    source = _("PV %(number)s, session %(session)s") % {"number": minutes.number, "session": session.number}
    ccps = {c.number: c for c in CCP.objects.filter(version=version)}
    decisions = list(decisions) if decisions is not None else _decisions_of(minutes)
    candidates = [d.registration.candidate_id for d in decisions]
    already = set(
        Holding.objects.filter(candidate__in=candidates, ccp__in=ccps.values(), withdrawn_on=None).values_list(
            "candidate_id", "ccp_id"
        )
    )
    evidence = facts.awards_evidence(session)
    holdings: list[Holding] = []
    outcomes: list[ExamOutcome] = []
    for decision in decisions:
        candidate = decision.registration.candidate
        result = rules.Result(decision.result)
        awarded = rules.awards(rules.Decision(result, _numbers(decision)), evidence)
        written = {
            "candidate": candidate,
            "version": version,
            "obtained_on": obtained_on,
            "source": source,
        }
        holdings += [
            Holding(kind=HoldingKind.CCP, ccp=ccps[number], **written)
            for number in sorted(awarded.ccps)
            if (candidate.pk, ccps[number].pk) not in already
        ]
        if awarded.title:
            holdings.append(Holding(kind=HoldingKind.TITLE, **written))
        if awarded.ccs and session.ccs is not None:
            holdings.append(Holding(kind=HoldingKind.CCS, ccs=session.ccs, **written))
        # What the resit rules count: an absence; a failure, or a title session not passed.
        outcome = None
        if result in rules.ABSENT_RESULTS:
            outcome = OutcomeKind.ABSENCE
        elif result is rules.Result.FAILURE or (
            result is rules.Result.PARTIAL_SUCCESS and session.kind == SessionKind.TITLE
        ):
            outcome = OutcomeKind.FAILURE
        if outcome is not None:
            outcomes.append(
                ExamOutcome(
                    candidate=candidate,
                    kind=outcome,
                    session_kind=session.kind,
                    version=version,
                    on=obtained_on,
                    source=source,
                )
            )
    Holding.objects.bulk_create(holdings)
    ExamOutcome.objects.bulk_create(outcomes)
    return len(holdings)


def _document_data(minutes: Minutes, registration: Registration, decision: Decision, kind: str) -> dict[str, Any]:
    """Everything a parchemin, a livret, a CCS certificate or an attestation states (R-73), as of the
    validation."""
    session = minutes.session
    version = session.version
    candidate = registration.candidate
    authority = session.centre.authority
    ccps = [
        {"number": c.number, "label": c.label, "rncp_block": c.rncp_block_code}
        for c in sorted(decision.ccps_awarded.all(), key=lambda c: c.number)
    ]
    ccs = session.ccs if session.kind == SessionKind.CCS else None  # the CCS certificate and its attestation
    return {
        "kind": kind,
        "candidate": {
            "id": candidate.pk,
            "birth_name": candidate.birth_name,
            "usual_name": candidate.usual_name,
            "given_names": candidate.given_names,
            "birth_date": candidate.birth_date.isoformat(),
            "birth_place": candidate.birth_place,
        },
        "title": {
            "code": version.title.code,
            "label": version.title.label,
            "level": version.title.level,
            "rncp": version.rncp_code,
            "version": version.label,
        },
        "result": decision.result,
        "ccps": ccps,
        "ccs": {"code": ccs.code, "label": ccs.label} if ccs is not None else None,
        "obtained_on": session.last_day.isoformat(),
        "session": {"number": session.number, "centre": session.centre.name, "kind": session.kind},
        "minutes": {
            "number": minutes.number,
            "sha256": minutes.sha256,
            "validated_on": timezone.localdate(minutes.validated_at).isoformat() if minutes.validated_at else None,
        },
        "authority": {
            "name": authority.name,
            "departement": authority.departement,
            "signatory_name": authority.signatory_name,
            "signatory_title": authority.signatory_title,
        },
    }


def documents_due(session: ExamSession, decision: Decision) -> list[str]:
    """The documents a decision yields (R-73): the parchemin for a title; the livret de certification for CCPs
    awarded without the title; the CCS certificate; each preceded by the provisional attestation de réussite of
    the session's result, which the documents app supersedes by the other once issued."""
    result = rules.Result(decision.result)
    if result is rules.Result.TITLE_AWARDED:
        due = [DocumentKind.PARCHEMIN]
    elif session.kind == SessionKind.CCS:
        due = [DocumentKind.CCS] if result is rules.Result.AWARDED else []
    elif result in (rules.Result.AWARDED, rules.Result.PARTIAL_SUCCESS):
        due = [DocumentKind.LIVRET]
    else:
        due = []
    return [DocumentKind.ATTESTATION, *due] if due else []


def queue_documents(
    minutes: Minutes, registrations: Sequence[Registration] | None = None, decisions: Sequence[Decision] | None = None
) -> int:
    """The "to be issued" entries of a validated PV (or of some of its registrations), one per document due."""
    decisions = list(decisions) if decisions is not None else _decisions_of(minutes, registrations)
    entries = [
        DocumentToIssue(
            minutes=minutes,
            registration=decision.registration,
            kind=kind,
            data=_document_data(minutes, decision.registration, decision, kind),
        )
        for decision in decisions
        for kind in documents_due(minutes.session, decision)
    ]
    # Every attestation first: issued in the order of their ids, they reach the candidates before the batch of
    # parchemins and livrets is through.
    entries.sort(key=lambda entry: entry.kind != DocumentKind.ATTESTATION)
    DocumentToIssue.objects.bulk_create(entries)
    return len(entries)
