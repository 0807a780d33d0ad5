"""Every write of the sessions app: one transaction each, checked by the rules, audited.

The state moves go through the lifecycles (``sessions.lifecycles``); what a move needs beyond
its table (eligibility of a registration, capacity, overlaps, the convocations to queue) is
checked here, inside the same transaction, and refused with ``Refused`` (a French message).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext as _

from titrepro.accounts.permissions import ensure_in, scope_of
from titrepro.audit.services import record
from titrepro.candidates.models import Candidate, DecisionStatus
from titrepro.candidates.queries import managed_candidates, managed_centres
from titrepro.catalogue.models import CCP, CCS, SessionKind, TitleVersion
from titrepro.catalogue.queries import spec_from_database
from titrepro.catalogue.reasons import reason_message
from titrepro.core import dating
from titrepro.core.dating import document_time
from titrepro.core.refusals import Conflict, Refused
from titrepro.core.templatetags.french_dates import french_date
from titrepro.directory.models import ApprovedCentre, Authority, JuryMember
from titrepro.rules.eligibility import registration_eligibility
from titrepro.rules.standing import SessionKind as RulesKind
from titrepro.rules.standing import TitleIndex
from titrepro.rules.timetable import MIN_LUNCH_MINUTES, NOT_FOUND_IN_TIME, Infeasibility, Slot, check, hard
from titrepro.rules.timetable_solver import FEASIBLE, OPTIMAL, Settings, solve
from titrepro.sessions import facts, queries, signals, timetable
from titrepro.sessions.lifecycles import CONVOCATION, JURY, REGISTRATION, SESSION, coverage_of
from titrepro.sessions.models import (
    BUSY_JURY_STATES,
    Attendance,
    ConflictDeclaration,
    Convocation,
    DeliveryStatus,
    ExamSession,
    Incident,
    JuryAssignment,
    JuryStatus,
    PlannedSession,
    Programme,
    ProgrammeStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
    Timetable,
    TimetableSlot,
    TimetableStatus,
)
from titrepro.sessions.timetable_messages import infeasibility_text, violations_text

# Sessions -----------------------------------------------------------------------------------------


def _next_number(centre: ApprovedCentre, first_day: date) -> str:
    """``YYYY-DDD-NNNN``: the year of the first day, the authority's département, a sequence of that year.

    The authority row is locked while the number is taken, so two sessions never get the same one.
    """
    authority = Authority.objects.select_for_update().get(pk=centre.authority_id)
    prefix = f"{first_day.year}-{authority.departement.zfill(3)}-"
    last = (
        ExamSession.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    ).first()
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def create_session(
    user: Any,
    centre: ApprovedCentre,
    *,
    kind: str,
    version: TitleVersion,
    first_day: date,
    last_day: date,
    site_address: str,
    capacity: int,
    ccps: Sequence[CCP] = (),
    ccs: CCS | None = None,
    opens_at: time | None = None,
    closes_at: time | None = None,
    remote: bool = False,
    workstations: int = 0,
    lunch_starts_at: time | None = None,
    lunch_ends_at: time | None = None,
) -> ExamSession:
    """A session being prepared (R-41): dates, site, capacity; covered by an approval (R-08, R-30, R-33); what the
    timetable plans with (workstations, lunch break)."""
    ensure_in(managed_centres(user), centre)
    if kind == SessionKind.CCP:
        if not ccps:
            raise Refused("session_ccps_missing", _("Choose the CCPs this session covers."), "ccps")
        if any(ccp.version_id != version.pk for ccp in ccps):
            raise Refused("session_ccp_other_version", _("Every CCP must belong to the session's version."), "ccps")
    elif ccps:
        raise Refused("session_ccps_not_allowed", _("Only a CCP session lists CCPs."), "ccps")
    if (opens_at or time(8, 30)) >= (closes_at or time(17, 30)):
        raise Refused("session_hours_reversed", _("The closing time must be after the opening time."), "closes_at")
    lunch_starts_at = lunch_starts_at or time(12, 0)
    lunch_ends_at = lunch_ends_at or time(13, 0)
    refusal = lunch_refusal(opens_at or time(8, 30), closes_at or time(17, 30), lunch_starts_at, lunch_ends_at)
    if refusal is not None:
        raise refusal
    session = ExamSession(
        kind=kind,
        version=version,
        ccs=ccs,
        centre=centre,
        site_address=site_address,
        first_day=first_day,
        last_day=last_day,
        capacity=capacity,
        remote=remote,
        opens_at=opens_at or time(8, 30),
        closes_at=closes_at or time(17, 30),
        workstations=workstations,
        lunch_starts_at=lunch_starts_at,
        lunch_ends_at=lunch_ends_at,
    )
    with transaction.atomic():
        session.number = _next_number(centre, first_day)
        SESSION.create(
            "create",
            user,
            session,
            on=dating.today(),
            data={"number": session.number, "first_day": first_day.isoformat(), "last_day": last_day.isoformat()},
        )
        if ccps:
            session.ccps.set(ccps)
    return session


def lunch_refusal(opens_at: time, closes_at: time, starts: time, ends: time) -> Refused | None:
    """The lunch break lies inside the opening hours and lasts at least ``MIN_LUNCH_MINUTES`` (the constraint
    ``session_lunch_inside_hours`` says the same)."""
    if not opens_at <= starts or not ends <= closes_at:
        return Refused(
            "session_lunch_outside_hours",
            _("The lunch break must lie inside the opening hours, from %(opens)s to %(closes)s.")
            % {"opens": document_time(opens_at), "closes": document_time(closes_at)},
            "lunch_starts_at",
        )
    if timetable.minutes_of(ends) - timetable.minutes_of(starts) < MIN_LUNCH_MINUTES:
        return Refused(
            "session_lunch_too_short",
            _("The lunch break lasts at least %(minutes)d minutes.") % {"minutes": MIN_LUNCH_MINUTES},
            "lunch_ends_at",
        )
    return None


def declare_session(user: Any, session: ExamSession) -> ExamSession:
    """Declared to the authority (R-41): the approval it runs under is fixed now (R-08, R-30)."""
    today = dating.today()
    with transaction.atomic():
        SESSION.require("declare", user, session, on=today)
        coverage = coverage_of(session, today)
        return SESSION.apply(
            "declare",
            user,
            session,
            on=today,
            changes={"declared_on": today, "approval_id": coverage.approval, "extension": coverage.extension},
            data={"approval": coverage.approval, "extension": coverage.extension},
        )


def cancel_session(user: Any, session: ExamSession, *, reason: str) -> ExamSession:
    """Cancelled by the centre before its first day; the people already convened are told."""
    if not reason.strip():
        raise Refused("reason_required", _("Give the reason for the cancellation."), "reason")
    today = dating.today()
    with transaction.atomic():
        was_convened = session.status == SessionStatus.CONVENED
        session = SESSION.apply(
            "cancel", user, session, on=today, reason=reason, changes={"ended_on": today, "end_reason": reason}
        )
        _stop_pending_convocations(session)
        if was_convened:
            _queue_notices(session, "cancelled")
    return session


def annul_session(user: Any, session: ExamSession, *, reason: str) -> ExamSession:
    """Annulled by the authority by a reasoned decision (R-81); the centre, the candidates and the jury are told."""
    if not reason.strip():
        raise Refused("reason_required", _("An annulment is a reasoned decision: give its reason (R-81)."), "reason")
    today = dating.today()
    with transaction.atomic():
        session = SESSION.apply(
            "annul", user, session, on=today, reason=reason, changes={"ended_on": today, "end_reason": reason}
        )
        _stop_pending_convocations(session)
        _queue_notices(session, "annulled")
        # The deliberation voids what the session's validated PVs gave, in this transaction.
        signals.session_annulled.send(sender=ExamSession, session=session, user=user, reason=reason)
    return session


def hold_session(user: Any, session: ExamSession) -> ExamSession:
    """The session took place (R-45); from here the deliberation follows."""
    today = dating.today()
    return SESSION.apply("hold", user, session, on=today, changes={"held_on": today})


# Registrations -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The answer for one candidate of a registration made several at once."""

    candidate: Candidate
    registration: Registration | None = None
    refusal: Refused | None = None


class _Batch:
    """What the registrations of one call share: the locked session, the title's rules index (built once),
    and the number of places taken (counted once, then kept as the batch registers)."""

    def __init__(self, session: ExamSession) -> None:
        self.session = session
        self.index = TitleIndex(spec_from_database(session.version.title.code))
        self.taken = Registration.objects.filter(session=session, status=RegistrationStatus.REGISTERED).count()
        self.session_ccps = list(session.ccps.all()) if session.kind == SessionKind.CCP else []
        self.busy: dict[int, Registration] = {}  # candidate id -> overlapping registration (``_busy_registrations``)
        self.bans: dict[int, date] = {}  # candidate id -> last day of a ban running on the first day (``_bans``)

    def eligibility(self, candidate: Candidate, ccps: tuple[int, ...]) -> tuple[Refused | None, bool]:
        session = self.session
        situation = facts.situation(candidate, session.version.title.code, session.first_day)
        if situation.route is None:
            return (
                Refused(
                    "registration_without_pathway",
                    _("%(person)s has no pathway to this title: add their route first.") % {"person": candidate},
                    "candidate",
                ),
                False,
            )
        answer = registration_eligibility(
            self.index,
            situation,
            RulesKind(session.kind),
            session.version.label,
            ccps=ccps,
            ccs=session.ccs.code if session.ccs else None,
        )
        if answer.allowed:
            return None, answer.final_interview_due
        reason = answer.reasons[0]
        return (
            Refused(
                reason.code,
                _("%(person)s cannot be registered: %(reason)s")
                % {"person": candidate, "reason": reason_message(reason)},
                "candidate",
                reasons=[r.code for r in answer.reasons],
            ),
            False,
        )


# What the eligibility reads of a candidate, fetched once per batch.
CANDIDATE_PREFETCH = ("pathways__title", "vae_applications__title", "accommodations")


def _bans(candidates: Iterable[Candidate], session: ExamSession) -> dict[int, date]:
    """Each candidate banned from the sessions on the session's first day (R-80): the ban's last day. A ban
    follows the person (``identity_key``), whichever centre registered them; one query."""
    keys = {c.identity_key: c.pk for c in candidates if c.identity_key}
    rows = (
        Candidate.objects.filter(identity_key__in=list(keys), banned_until__gte=session.first_day)
        .values_list("identity_key", "banned_until")
        .order_by("banned_until")
    )
    return {keys[key]: until for key, until in rows if until is not None}


def _busy_registrations(candidate_ids: Iterable[int], session: ExamSession) -> dict[int, Registration]:
    """Each candidate's active registration on days that overlap the session's, in one query; this
    session's own registration first when there is one (a duplicate, then, not an overlap)."""
    rows = (
        Registration.objects.filter(
            candidate_id__in=list(candidate_ids),
            status=RegistrationStatus.REGISTERED,
            session__status__in=[SessionStatus.DRAFT, SessionStatus.DECLARED, SessionStatus.CONVENED],
            session__first_day__lte=session.last_day,
            session__last_day__gte=session.first_day,
        )
        .select_related("session")
        .order_by("-session_id")
    )
    busy: dict[int, Registration] = {}
    for row in rows:
        if row.candidate_id not in busy or row.session_id == session.pk:
            busy[row.candidate_id] = row
    return busy


def _register_one(user: Any, candidate: Candidate, ccps: Sequence[CCP], batch: _Batch, today: date) -> Registration:
    session = batch.session
    if candidate.centre_id != session.centre_id:
        raise Refused(
            "registration_other_centre",
            _("%(person)s is a candidate of another centre.") % {"person": candidate},
            "candidate",
        )
    other = batch.busy.get(candidate.pk)
    if other is not None and other.session_id == session.pk:
        raise Conflict(
            "registration_duplicate",
            _("%(person)s is already registered for this session.") % {"person": candidate},
            "candidate",
        )
    banned = batch.bans.get(candidate.pk)
    if banned is not None:
        raise Refused(
            "registration_banned",
            _("%(person)s is banned from the sessions until %(day)s by a fraud decision (R-80).")
            % {"person": candidate, "day": french_date(banned)},
            "candidate",
        )
    if batch.taken >= session.capacity:
        raise Refused(
            "session_full",
            _("The session is full: %(capacity)d places, all taken.") % {"capacity": session.capacity},
            "candidate",
        )
    if other is not None:
        raise Refused(
            "registration_overlap",
            _("%(person)s is already registered for session %(number)s, on overlapping days.")
            % {"person": candidate, "number": other.session.number},
            "candidate",
        )
    chosen = (list(ccps) or batch.session_ccps) if session.kind == SessionKind.CCP else []
    refusal, final_interview_due = batch.eligibility(candidate, tuple(sorted(c.number for c in chosen)))
    if refusal is not None:
        raise refusal
    registration = Registration(
        session=session, candidate=candidate, registered_on=today, final_interview_due=final_interview_due
    )
    REGISTRATION.create(
        "register",
        user,
        registration,
        on=today,
        data={"session": session.number, "candidate": candidate.pk, "ccps": [c.number for c in chosen]},
    )
    if chosen:
        registration.ccps.set(chosen)
    granted = [a for a in candidate.accommodations.all() if a.status == DecisionStatus.GRANTED]
    if granted:
        registration.accommodations.set(granted)
    batch.taken += 1
    batch.busy[candidate.pk] = registration
    return registration


def _locked(session: ExamSession) -> ExamSession:
    return (
        ExamSession.objects.select_for_update(of=("self",)).select_related(*queries.SESSION_RELATED).get(pk=session.pk)
    )


def register(user: Any, session: ExamSession, candidate: Candidate, *, ccps: Sequence[CCP] = ()) -> Registration:
    """Register one candidate: the rules decide on the session's dates (R-02 to R-22); capacity, overlap."""
    ensure_in(queries.managed_sessions(user), session)
    ensure_in(managed_candidates(user), candidate)
    today = dating.today()
    with transaction.atomic():
        batch = _Batch(_locked(session))
        fresh = Candidate.objects.prefetch_related(*CANDIDATE_PREFETCH).get(pk=candidate.pk)
        batch.busy = _busy_registrations([fresh.pk], batch.session)
        batch.bans = _bans([fresh], batch.session)
        return _register_one(user, fresh, ccps, batch, today)


def register_many(user: Any, session: ExamSession, candidates: Iterable[Candidate]) -> list[Outcome]:
    """Register several candidates at once: each is registered or refused with its reason, in one
    transaction; a refusal leaves the others registered and nothing of its own written."""
    ensure_in(queries.managed_sessions(user), session)
    today = dating.today()
    wanted = [candidate.pk for candidate in candidates]
    outcomes: list[Outcome] = []
    with transaction.atomic():
        batch = _Batch(_locked(session))
        found = managed_candidates(user).filter(pk__in=wanted).prefetch_related(*CANDIDATE_PREFETCH).in_bulk()
        if len(found) != len(set(wanted)):
            raise Http404  # a candidate outside the user's scope is as unknown as a missing one
        batch.busy = _busy_registrations(found, batch.session)
        batch.bans = _bans(found.values(), batch.session)
        for pk in wanted:
            candidate = found[pk]
            # No savepoint per candidate: every refusal is raised before anything is written, and the
            # session's row lock keeps other registrations of this session out until the commit.
            try:
                outcomes.append(Outcome(candidate, registration=_register_one(user, candidate, (), batch, today)))
            except Refused as refusal:
                outcomes.append(Outcome(candidate, refusal=refusal))
    return outcomes


def withdraw_registration(user: Any, registration: Registration, *, reason: str) -> Registration:
    """Withdrawn before the session; the registration stays in the history with its reason."""
    if not reason.strip():
        raise Refused("reason_required", _("Give the reason for the withdrawal."), "reason")
    today = dating.today()
    with transaction.atomic():
        registration = REGISTRATION.apply(
            "withdraw",
            user,
            registration,
            on=today,
            reason=reason,
            changes={"withdrawn_on": today, "withdraw_reason": reason},
        )
        Convocation.objects.filter(registration=registration, status=DeliveryStatus.QUEUED).update(
            status=DeliveryStatus.CANCELLED
        )
    return registration


# Jury ---------------------------------------------------------------------------------------------


def _busy_elsewhere(member: JuryMember, session: ExamSession) -> JuryAssignment | None:
    return (
        JuryAssignment.objects.filter(
            member=member,
            status__in=BUSY_JURY_STATES,
            first_day__lte=session.last_day,
            last_day__gte=session.first_day,
            session__status__in=[SessionStatus.DRAFT, SessionStatus.DECLARED, SessionStatus.CONVENED],
        )
        .exclude(session=session)
        .select_related("session")
        .first()
    )


def _overlap_refusal(member: JuryMember, other: JuryAssignment) -> Refused:
    return Refused(
        "jury_overlap",
        _("%(person)s is already invited to session %(number)s, on overlapping days (%(first)s to %(last)s).")
        % {
            "person": member,
            "number": other.session.number,
            "first": french_date(other.first_day),
            "last": french_date(other.last_day),
        },
        "member",
    )


def invite_member(user: Any, session: ExamSession, member: JuryMember) -> JuryAssignment:
    """The centre invites a jury member habilitated on every day of the session (R-62), free that day."""
    ensure_in(queries.managed_sessions(user), session)
    today = dating.today()
    with transaction.atomic():
        locked_member = JuryMember.objects.select_for_update().get(pk=member.pk)
        if JuryAssignment.objects.filter(session=session, member=member, status__in=BUSY_JURY_STATES).exists():
            raise Conflict("jury_duplicate", _("%(person)s is already invited.") % {"person": member}, "member")
        other = _busy_elsewhere(locked_member, session)
        if other is not None:
            raise _overlap_refusal(member, other)
        assignment = JuryAssignment(
            session=session, member=member, first_day=session.first_day, last_day=session.last_day, proposed_on=today
        )
        try:
            with transaction.atomic():
                JURY.create("propose", user, assignment, on=today, data={"member": member.pk})
        except IntegrityError:
            # PostgreSQL's exclusion constraint caught an overlap that appeared meanwhile.
            raise Refused(
                "jury_overlap", _("%(person)s is busy on these days.") % {"person": member}, "member"
            ) from None
    return assignment


def answer_invitation(user: Any, assignment: JuryAssignment, *, accept: bool, note: str = "") -> JuryAssignment:
    """The jury member accepts or declines from their space."""
    today = dating.today()
    return JURY.apply(
        "accept" if accept else "decline",
        user,
        assignment,
        on=today,
        reason=note,
        changes={"answered_on": today, "answer_note": note},
    )


def withdraw_member(user: Any, assignment: JuryAssignment, *, reason: str = "") -> JuryAssignment:
    return JURY.apply("withdraw", user, assignment, on=dating.today(), reason=reason)


def declare_conflict(user: Any, assignment: JuryAssignment, registration: Registration, *, note: str = "") -> None:
    """A personal link of a jury member with one candidate (R-64), declared by the member or the centre:
    the member no longer evaluates that candidate."""
    if registration.session_id != assignment.session_id:
        raise Refused("conflict_other_session", _("This candidate is not registered for this session."))
    if assignment.member_id not in scope_of(user).jury_members:  # not the member: the centre's staff then
        ensure_in(queries.managed_sessions(user), assignment.session)
    with transaction.atomic():
        _declaration, created = ConflictDeclaration.objects.get_or_create(
            assignment=assignment, registration=registration, defaults={"note": note}
        )
        if created:
            record(
                actor=user,
                action="jury.conflict_declared",
                target=assignment,
                reason=note,
                data={"candidate": registration.candidate_id},
            )


# Convocations -------------------------------------------------------------------------------------


def convene(user: Any, session: ExamSession) -> ExamSession:
    """Send the convocations (R-43, R-44, R-66): the jury is complete and free of conflict (R-63, R-64),
    it is not too late; one convocation per registered candidate and accepted jury member, sent by the
    task worker once this transaction commits."""
    today = dating.today()
    with transaction.atomic():
        session = SESSION.apply("convene", user, session, on=today, changes={"convened_on": today})
        registrations = session.registrations.filter(status=RegistrationStatus.REGISTERED).select_related("candidate")
        for registration in registrations:
            _queue(session, registration=registration, email=registration.candidate.email)
        for assignment in session.jury.filter(status=JuryStatus.ACCEPTED).select_related("member"):
            _queue(session, assignment=assignment, email=assignment.member.email)
    return session


def _queue(session: ExamSession, **person: Any) -> Convocation:
    from titrepro.sessions import tasks

    convocation = CONVOCATION.create("queue", None, Convocation(session=session, **person))
    transaction.on_commit(lambda: tasks.send_convocation.enqueue(convocation.pk))
    return convocation


def resend(user: Any, convocation: Convocation) -> Convocation:
    """Send a convocation again (a failure, a lost e-mail); the worker sends it once this commits."""
    from titrepro.sessions import tasks

    with transaction.atomic():
        convocation = CONVOCATION.apply("resend", user, convocation, changes={"error": "", "attempts": 0})
        transaction.on_commit(lambda: tasks.send_convocation.enqueue(convocation.pk))
    return convocation


def _stop_pending_convocations(session: ExamSession) -> None:
    for convocation in session.convocations.filter(status__in=[DeliveryStatus.QUEUED, DeliveryStatus.FAILED]):
        CONVOCATION.apply("cancel", None, convocation)


def _queue_notices(session: ExamSession, what: str) -> None:
    from titrepro.sessions import tasks

    transaction.on_commit(lambda: tasks.send_session_notice.enqueue(session.pk, what))


# The session day (R-45, R-80, R-81) ------------------------------------------------------------


def record_attendance(
    user: Any,
    registration: Registration,
    *,
    attendance: str,
    arrived_at: time | None = None,
    note: str = "",
    portfolio_handed_in: bool | None = None,
) -> Registration:
    """Presence, absence, lateness (admitted without moving the end time, or refused) (R-45)."""
    ensure_in(queries.managed_sessions(user), registration.session)
    today = dating.today()
    with transaction.atomic():
        row = Registration.objects.select_for_update(of=("self",)).select_related("session").get(pk=registration.pk)
        session = row.session
        if row.status != RegistrationStatus.REGISTERED:
            raise Refused("registration_not_active", _("This registration was withdrawn."))
        if session.status not in (SessionStatus.CONVENED, SessionStatus.HELD) or today < session.first_day:
            raise Refused(
                "attendance_not_yet",
                _("Attendance is recorded from the first day of a convened session (%(on)s).")
                % {"on": french_date(session.first_day)},
            )
        if attendance in ("late", "refused") and arrived_at is None:
            raise Refused("arrival_time_required", _("Give the time the candidate arrived."), "arrived_at")
        before = {"attendance": row.attendance, "arrived_at": str(row.arrived_at or "")}
        row.attendance = attendance
        row.arrived_at = arrived_at if attendance in ("late", "refused") else None
        row.attendance_note = note
        if portfolio_handed_in is not None:
            row.portfolio_handed_in = portfolio_handed_in
        row.save(update_fields=["attendance", "arrived_at", "attendance_note", "portfolio_handed_in"])
        shortened = _late_start(row, today)
        record(
            actor=user,
            action="registration.attendance",
            target=row,
            reason=note,
            data={
                "before": before,
                "after": {"attendance": attendance, "arrived_at": str(row.arrived_at or "")},
                **({"shortened_slot": shortened} if shortened is not None else {}),
            },
        )
    return row


def _late_start(registration: Registration, today: date) -> int | None:
    """The planned part a late candidate walks into starts on their arrival and keeps its end (R-45); a
    lateness corrected or withdrawn gives the parts of the day their planned start back. The pk of the slot
    shortened, or None."""
    zone = timetable.local_zone()
    slots = list(
        TimetableSlot.objects.select_for_update()
        .filter(timetable__session=registration.session_id, registration=registration)
        .order_by("starts_at")
    )
    for slot in slots:
        if slot.planned_start is not None and slot.starts_at.astimezone(zone).date() == today:
            slot.starts_at, slot.planned_start = slot.planned_start, None
            slot.save(update_fields=["starts_at", "planned_start"])
    if registration.attendance != Attendance.LATE or registration.arrived_at is None:
        return None
    arrival = datetime.combine(today, registration.arrived_at, tzinfo=zone)
    for slot in slots:
        if slot.starts_at < arrival < slot.ends_at:
            slot.planned_start, slot.starts_at = slot.starts_at, arrival
            slot.save(update_fields=["starts_at", "planned_start"])
            return slot.pk
    return None


def record_incident(
    user: Any,
    session: ExamSession,
    *,
    kind: str,
    text: str,
    occurred_on: date | None = None,
    registration: Registration | None = None,
) -> Incident:
    """An incident, an irregularity (R-81) or a fraud report (R-80, which the minutes will mention)."""
    ensure_in(queries.managed_sessions(user), session)
    if not text.strip():
        raise Refused("incident_text_required", _("Describe what happened."), "text")
    today = dating.today()
    day = occurred_on or today
    if session.status not in (SessionStatus.CONVENED, SessionStatus.HELD):
        raise Refused("incident_not_now", _("Incidents are recorded for a convened or held session."))
    if day < session.first_day or day > min(session.last_day, today):
        raise Refused(
            "incident_day_outside_session",
            _("The day must be one of the session's days, and not after today."),
            "occurred_on",
        )
    if registration is not None and registration.session_id != session.pk:
        raise Refused("conflict_other_session", _("This candidate is not registered for this session."))
    with transaction.atomic():
        incident = Incident.objects.create(
            session=session, kind=kind, text=text, occurred_on=day, registration=registration, recorded_by=user
        )
        record(
            actor=user,
            action=f"session.{kind}",
            target=session,
            reason=text,
            data={"candidate": registration.candidate_id if registration else None, "day": day.isoformat()},
        )
    return incident


# The yearly programme (R-40) ---------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedLine:
    kind: str
    version: TitleVersion
    month: int
    expected_candidates: int


def save_programme(user: Any, centre: ApprovedCentre, year: int, lines: Sequence[PlannedLine]) -> Programme:
    """The centre's forecast for ``year`` (replaces the lines of a programme not yet sent)."""
    ensure_in(managed_centres(user), centre)
    for number, line in enumerate(lines, start=1):
        if not 1 <= line.month <= 12:
            raise Refused("programme_month", _("Line %(n)d: the month must be between 1 and 12.") % {"n": number})
        if line.expected_candidates < 1:
            raise Refused("programme_candidates", _("Line %(n)d: expect at least one candidate.") % {"n": number})
    with transaction.atomic():
        programme, _created = Programme.objects.select_for_update().get_or_create(centre=centre, year=year)
        if programme.status == ProgrammeStatus.SENT:
            raise Refused("programme_already_sent", _("This programme was sent to the authority; it is final."))
        programme.planned.all().delete()
        PlannedSession.objects.bulk_create(
            PlannedSession(
                programme=programme,
                kind=line.kind,
                version=line.version,
                month=line.month,
                expected_candidates=line.expected_candidates,
            )
            for line in lines
        )
        record(
            actor=user,
            action="programme.saved",
            target=programme,
            data={"year": year, "lines": len(lines)},
        )
    return programme


def send_programme(user: Any, programme: Programme) -> Programme:
    """Sent to the authority (R-40: before 31 January); a late sending is recorded as late, not refused."""
    ensure_in(queries.managed_programmes(user), programme)
    today = dating.today()
    with transaction.atomic():
        row = Programme.objects.select_for_update().get(pk=programme.pk)
        if row.status == ProgrammeStatus.SENT:
            raise Refused("programme_already_sent", _("This programme was already sent."))
        if not row.planned.exists():
            raise Refused("programme_empty", _("Add at least one planned session before sending the programme."))
        row.status = ProgrammeStatus.SENT
        row.sent_on = today
        row.save(update_fields=["status", "sent_on"])
        record(
            actor=user,
            action="programme.sent",
            target=row,
            data={"year": row.year, "late": today > programme_due(row.year)},
        )
    return row


def programme_due(year: int) -> date:
    """R-40: the forecast is sent at least once a year, before 31 January (so by 31 January included)."""
    return date(year, 1, 31)


# The timetable (sessions.timetable, rules.timetable) ----------------------------------------------

# A planning is computed and moved while the session is prepared, declared or convened.
PLANNABLE = (SessionStatus.DRAFT, SessionStatus.DECLARED, SessionStatus.CONVENED)


def _plannable(session: ExamSession) -> None:
    if session.status not in PLANNABLE:
        raise Refused(
            "timetable_session_closed",
            _(
                "The planning is made while the session is prepared, declared or convened (R-43), not once it is held, cancelled or annulled."
            ),
        )


def _not_started(session: ExamSession) -> None:
    """A late arrival is written in the planning (a part starting on arrival, its end kept: R-45): a new
    computation would lose it, so the planning is then changed only by moving parts."""
    if TimetableSlot.objects.filter(timetable__session=session, planned_start__isnull=False).exists():
        raise Refused(
            "timetable_late_arrival_recorded",
            _(
                "A late arrival is recorded in this planning (the part starts on arrival and keeps its end, R-45): "
                "move parts by hand instead of computing it again."
            ),
        )


def set_planning_resources(
    user: Any, session: ExamSession, *, workstations: int, lunch_starts_at: time, lunch_ends_at: time
) -> ExamSession:
    """The workstations of the site and the lunch break the timetable plans with; the saved planning stays as
    it is (computing it again takes the change into account)."""
    ensure_in(queries.managed_sessions(user), session)
    if not 0 <= workstations <= 1000:
        raise Refused(
            "session_workstations_invalid", _("Give a number of workstations from 0 to 1000."), "workstations"
        )
    with transaction.atomic():
        row = _locked(session)
        _plannable(row)
        refusal = lunch_refusal(row.opens_at, row.closes_at, lunch_starts_at, lunch_ends_at)
        if refusal is not None:
            raise refusal
        before = {
            "workstations": row.workstations,
            "lunch": [row.lunch_starts_at.isoformat("minutes"), row.lunch_ends_at.isoformat("minutes")],
        }
        row.workstations = workstations
        row.lunch_starts_at = lunch_starts_at
        row.lunch_ends_at = lunch_ends_at
        row.save(update_fields=["workstations", "lunch_starts_at", "lunch_ends_at"])
        record(
            actor=user,
            action="session.planning_resources",
            target=row,
            data={
                "before": before,
                "after": {
                    "workstations": workstations,
                    "lunch": [lunch_starts_at.isoformat("minutes"), lunch_ends_at.isoformat("minutes")],
                },
            },
        )
    return row


def _infeasible(reasons: Sequence[Any], problem: Any, index: timetable.Index) -> Refused:
    return Refused(
        f"timetable_{reasons[0].code}",
        infeasibility_text(reasons, problem, index),
        reasons=list(dict.fromkeys(f"timetable_{r.code}" for r in reasons)),
    )


def plan_session(
    user: Any, session: ExamSession, *, settings: Settings | None = None, trusted: bool = False
) -> Timetable:
    """Compute the session's planning and save it in place of the previous one.

    The solver runs outside the transaction (it may take seconds: no lock is held meanwhile); then, in one
    transaction, the problem is read again under the session's lock and the planning is saved only if it
    still passes ``rules.timetable.check`` (a registration or a jury answer that came in meanwhile: refused,
    compute again). When no planning exists nothing is written, the previous planning stays, and the refusal
    says why in French: the constraint, the people or resources, the figures, what would make it possible.
    ``trusted``: the operator, from the command line (no user, recorded as the system).
    """
    if not trusted:
        ensure_in(queries.managed_sessions(user), session)
    _plannable(session)
    _not_started(session)
    settings = settings or Settings()
    problem, index = timetable.problem_for(session)
    outcome = solve(problem, settings)
    if outcome.status not in (OPTIMAL, FEASIBLE):
        raise _infeasible(outcome.reasons or (Infeasibility(NOT_FOUND_IN_TIME),), problem, index)
    with transaction.atomic():
        row = _locked(session)
        _plannable(row)
        _not_started(row)
        fresh, index = timetable.problem_for(row)
        if fresh != problem or hard(check(fresh, outcome.slots)):
            raise Refused(
                "timetable_session_changed",
                _(
                    "The session changed while its planning was computed (a registration, a jury answer): compute it again."
                ),
            )
        Timetable.objects.filter(session=row).delete()
        objective = outcome.objective
        saved = Timetable.objects.create(
            session=row,
            computed_by=user if getattr(user, "pk", None) else None,
            status=TimetableStatus.OPTIMAL if outcome.status == OPTIMAL else TimetableStatus.FEASIBLE,
            end_minute=objective.end if objective else 0,
            spread=objective.spread if objective else 0,
            load_gap=objective.load_gap if objective else 0,
            end_bound=outcome.end_bound,
            gap=outcome.gap,
            seconds=round(outcome.seconds, 3),
            seed=settings.seed,
        )
        _save_slots(saved, outcome.slots, index)
        record(
            actor=user,
            action="session.timetable_computed",
            target=row,
            data={
                "status": saved.status,
                "slots": len(outcome.slots),
                "end": saved.end_minute,
                "gap": outcome.gap,
                "seconds": saved.seconds,
                "seed": settings.seed,
            },
        )
    return saved


def _save_slots(saved: Timetable, slots: Sequence[Slot], index: timetable.Index) -> None:
    rows = []
    for slot in slots:
        source = index.sources[slot.candidate][slot.part]
        rows.append(
            TimetableSlot(
                timetable=saved,
                registration=index.registrations[slot.candidate],
                part_key=slot.part,
                label=source.label,
                position=source.position,
                starts_at=index.moment(slot.start),
                ends_at=index.moment(slot.end),
                workstation=slot.workstation,
            )
        )
    created = TimetableSlot.objects.bulk_create(rows)
    through = TimetableSlot.jurors.through
    through.objects.bulk_create(
        through(timetableslot_id=row.pk, juryassignment_id=juror)
        for row, slot in zip(created, slots, strict=True)
        for juror in slot.jurors
    )


_UNCHANGED: Any = object()


def _field_of(code: str) -> str:
    """The field of the move a broken rule is about: the jury members, the workstation, else the start."""
    if code.startswith(("jury_", "juror_")):
        return "jurors"
    return "workstation" if code.startswith("workstation_") else "start"


def move_slot(
    user: Any,
    slot: TimetableSlot,
    *,
    start: datetime,
    accept_warning: bool = False,
    jurors: Sequence[JuryAssignment] | None = None,
    workstation: int | None = _UNCHANGED,
) -> TimetableSlot:
    """Move one part of the planning to ``start`` (its duration kept), and optionally change its jury members or
    its workstation. The whole planning is checked again (``rules.timetable.check``): a hard rule broken is
    refused, naming the rule and the people; a new warning (a long wait) is refused unless ``accept_warning``,
    then saved with the warning written on the slot."""
    ensure_in(queries.managed_sessions(user), slot.timetable.session)
    with transaction.atomic():
        session = _locked(slot.timetable.session)
        _plannable(session)
        row = TimetableSlot.objects.select_for_update().select_related("timetable").get(pk=slot.pk)
        problem, index = timetable.problem_for(session)
        pairs = timetable.saved_slots(row.timetable, index)
        before = {pure for _row, pure in pairs}
        old = next(pure for saved, pure in pairs if saved.pk == row.pk)
        begin = index.minute(start)
        new = Slot(
            candidate=old.candidate,
            part=old.part,
            start=begin,
            end=begin + (old.end - old.start),
            workstation=old.workstation if workstation is _UNCHANGED else workstation,
            jurors=old.jurors if jurors is None else tuple(sorted({j.pk for j in jurors})),
        )
        planning = [new if pure == old else pure for _saved, pure in pairs]
        found = check(problem, planning)
        broken = hard(found)
        if broken:
            raise Refused(
                f"timetable_{broken[0].code}",
                violations_text(broken, problem, index, planning),
                _field_of(broken[0].code),
                reasons=list(dict.fromkeys(f"timetable_{v.code}" for v in broken)),
            )
        known = {(v.code, v.candidate, v.part) for v in check(problem, list(before))}
        warnings = [v for v in found if (v.code, v.candidate, v.part) not in known]
        warning = violations_text(warnings, problem, index, planning) if warnings else ""
        if warnings and not accept_warning:
            raise Refused(
                f"timetable_{warnings[0].code}",
                warning + " " + _("Tick “accept the warning” to move it all the same."),
                "accept_warning",
                reasons=list(dict.fromkeys(f"timetable_{v.code}" for v in warnings)),
            )
        row.starts_at = index.moment(new.start)
        row.ends_at = index.moment(new.end)
        row.workstation = new.workstation
        row.warning_accepted = warning
        row.save(update_fields=["starts_at", "ends_at", "workstation", "warning_accepted"])
        if jurors is not None:
            row.jurors.set([index.assignments[j] for j in new.jurors])
        Timetable.objects.filter(pk=row.timetable_id).update(edited=True)
        record(
            actor=user,
            action="session.timetable_slot_moved",
            target=session,
            reason=warning,
            data={
                "slot": row.pk,
                "candidate": index.registrations[new.candidate].candidate_id,
                "part": new.part,
                "before": {
                    "start": index.moment(old.start).isoformat(),
                    "workstation": old.workstation,
                    "jurors": list(old.jurors),
                },
                "after": {
                    "start": row.starts_at.isoformat(),
                    "workstation": new.workstation,
                    "jurors": list(new.jurors),
                },
                "warning_accepted": bool(warning),
            },
        )
    return row
