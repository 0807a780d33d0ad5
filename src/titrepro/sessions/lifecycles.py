"""The lifecycles of a session, a registration, a jury assignment and a convocation, as data.

    Session:       (new) --create--> draft --declare--> declared --convene--> convened --hold--> held
                   draft | declared | convened --cancel--> cancelled          (the centre, before the first day)
                   declared | convened | held --annul--> annulled            (the authority, with a reason, R-81)
    Registration:  (new) --register--> registered --withdraw--> withdrawn
    Jury:          (new) --propose--> proposed --accept--> accepted
                   proposed --decline--> declined ;  proposed | accepted --withdraw--> withdrawn
    Convocation:   (new) --queue--> queued --deliver--> sent ; queued --fail--> failed    (the worker)
                   sent | failed --resend--> queued                                         (the centre)

The centre's staff prepare and run a session; an agent of the centre's authority annuls it; a
jury member answers their own invitation. Pages and the API ask ``can`` / ``offered``; the
services in ``sessions.services`` make the moves.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from titrepro.accounts.permissions import ensure_in, scope_of
from titrepro.catalogue.models import SessionKind
from titrepro.core.lifecycle import NEW, Lifecycle, Move, system_only
from titrepro.core.refusals import Refused
from titrepro.core.templatetags.french_dates import french_date
from titrepro.rules import sessions as rules
from titrepro.rules.standing import SessionKind as RulesKind
from titrepro.sessions import facts, queries
from titrepro.sessions.messages import message, refusal
from titrepro.sessions.models import (
    Convocation,
    DeliveryStatus,
    ExamSession,
    JuryAssignment,
    JuryStatus,
    Registration,
    RegistrationStatus,
    SessionStatus,
)

S = SessionStatus
J = JuryStatus

# Who acts -----------------------------------------------------------------------------------


def staff_of(user: Any, centre_id: int) -> None:
    """Centre staff of this centre or a national administrator: what ``managed_sessions`` scopes, read from
    the user's cached scope (no query: a batch of registrations asks it once per candidate)."""
    scope = scope_of(user)
    if scope.national:
        return
    if not scope.centres:
        raise PermissionDenied
    if centre_id not in scope.centres:
        raise Http404


def the_centre(user: Any, session: ExamSession) -> None:
    """The staff of the session's centre (or a national administrator); asked of the centre, so that it
    also answers for a session not saved yet (``create``)."""
    staff_of(user, session.centre_id)


def the_authority(user: Any, session: ExamSession) -> None:
    """An agent of the authority of the session's centre (or a national administrator)."""
    ensure_in(queries.authority_sessions(user), session)


def centre_of_registration(user: Any, registration: Registration) -> None:
    staff_of(user, registration.session.centre_id)


def centre_of_assignment(user: Any, assignment: JuryAssignment) -> None:
    staff_of(user, assignment.session.centre_id)


def the_member(user: Any, assignment: JuryAssignment) -> None:
    """The jury member invited, only them."""
    ensure_in(queries.own_assignments(user), assignment)


def centre_of_convocation(user: Any, convocation: Convocation) -> None:
    staff_of(user, convocation.session.centre_id)


# Session checks -------------------------------------------------------------------------------


def rules_kind(session: ExamSession) -> RulesKind:
    return RulesKind(session.kind)


def dates_make_sense(user: Any, session: ExamSession, on: date) -> Refused | None:
    if session.last_day < session.first_day:
        return Refused("session_dates_reversed", message("session_dates_reversed"), "last_day")
    if session.first_day < on:
        return Refused("session_in_the_past", message("session_in_the_past"), "first_day")
    return None


def covers_what_it_names(user: Any, session: ExamSession, on: date) -> Refused | None:
    """A CCP session names CCPs of its version, a CCS session a CCS of it; a title session covers the title."""
    if session.kind == SessionKind.CCS:
        if session.ccs is None or session.ccs.version_id != session.version_id:
            return Refused("session_ccs_missing", _("Choose the CCS of this version that the session covers."), "ccs")
    elif session.ccs_id is not None:
        return Refused("session_ccs_not_allowed", _("Only a CCS session names a CCS."), "ccs")
    return None


def covered_by_an_approval(user: Any, session: ExamSession, on: date) -> Refused | None:
    """R-08, R-30, R-33: an approval of the centre for the version covers every day (or R-08's extension year).

    A session is checked as if declared today: at its creation (so a draft that could never be
    declared is refused at once) and again when it is declared.
    """
    coverage = coverage_of(session, on)
    if not coverage.allowed:
        return refusal(coverage.reasons[0], field="first_day")
    return None


def coverage_of(session: ExamSession, on: date) -> rules.Coverage:
    approvals = session.centre.approvals.filter(version=session.version)
    return rules.session_coverage(
        facts.approval_facts(approvals),
        facts.version_period(session.version),
        session.first_day,
        session.last_day,
        declared_on=session.declared_on or on,
        on=on,
    )


def has_candidates(user: Any, session: ExamSession, on: date) -> Refused | None:
    if not session.registrations.filter(status=RegistrationStatus.REGISTERED).exists():
        return Refused("session_without_candidates", _("Register at least one candidate before the convocations."))
    return None


def jury_ready(user: Any, session: ExamSession, on: date) -> Refused | None:
    """R-63, R-64: two accepted members at least, and two free of conflict for every candidate."""
    check = jury_check_of(session)
    if check.allowed:
        return None
    reason = check.reasons[0]
    person = ""
    if reason.subject is not None:
        person = str(session.registrations.filter(candidate_id=reason.subject).first().candidate)  # type: ignore[union-attr]
    return refusal(reason, person=person)


def jury_check_of(session: ExamSession) -> rules.JuryCheck:
    accepted = list(queries.jury_of(session).filter(status=J.ACCEPTED).prefetch_related(*facts.MEMBER_PREFETCH))
    registered = list(
        session.registrations.filter(status=RegistrationStatus.REGISTERED)
        .select_related("candidate")
        .prefetch_related("candidate__pathways")
    )
    members, candidates = facts.jury_facts(session, accepted, registered)
    return rules.jury_check(members, candidates)


def convocations_on_time(user: Any, session: ExamSession, on: date) -> Refused | None:
    """R-43: one month before a title session, 15 days before a CCP or CCS session (U-01: parameters)."""
    reason = rules.convocation_refusal(rules_kind(session), session.first_day, on)
    return None if reason is None else refusal(reason)


def before_the_first_day(user: Any, session: ExamSession, on: date) -> Refused | None:
    if on >= session.first_day:
        return Refused(
            "session_already_started",
            _("The session started on %(on)s: it can no longer be cancelled; ask the authority to annul it.")
            % {"on": french_date(session.first_day)},
        )
    return None


def first_day_reached(user: Any, session: ExamSession, on: date) -> Refused | None:
    if on < session.first_day:
        return Refused(
            "session_not_started",
            _("The session is recorded as held from its first day, %(on)s.") % {"on": french_date(session.first_day)},
        )
    return None


SESSION: Lifecycle[ExamSession] = Lifecycle(
    name="session",
    model=ExamSession,
    states=dict(SessionStatus.choices),
    authorise=the_centre,
    moves=[
        Move(
            "create",
            (NEW,),
            S.DRAFT,
            "session.created",
            gettext_lazy("Create the session"),
            checks=(dates_make_sense, covers_what_it_names, covered_by_an_approval),
        ),
        Move(
            "declare",
            (S.DRAFT,),
            S.DECLARED,
            "session.declared",
            gettext_lazy("Declare to the authority"),
            checks=(dates_make_sense, covers_what_it_names, covered_by_an_approval),
            wrong_state_code="session_not_draft",
            wrong_state_message=gettext_lazy("Only a session being prepared can be declared."),
        ),
        Move(
            "convene",
            (S.DECLARED,),
            S.CONVENED,
            "session.convened",
            gettext_lazy("Send the convocations"),
            checks=(has_candidates, jury_ready, convocations_on_time),
            wrong_state_code="session_not_declared",
            wrong_state_message=gettext_lazy("The convocations are sent once the session is declared, and only once."),
        ),
        Move(
            "hold",
            (S.CONVENED,),
            S.HELD,
            "session.held",
            gettext_lazy("Record the session as held"),
            checks=(first_day_reached,),
            wrong_state_code="session_not_convened",
            wrong_state_message=gettext_lazy("Only a session whose convocations were sent can be held."),
        ),
        Move(
            "cancel",
            (S.DRAFT, S.DECLARED, S.CONVENED),
            S.CANCELLED,
            "session.cancelled",
            gettext_lazy("Cancel the session"),
            checks=(before_the_first_day,),
            wrong_state_code="session_not_cancellable",
            wrong_state_message=gettext_lazy("This session can no longer be cancelled."),
        ),
        Move(
            "annul",
            (S.DECLARED, S.CONVENED, S.HELD),
            S.ANNULLED,
            "session.annulled",
            gettext_lazy("Annul the session"),
            authorise=the_authority,
            wrong_state_code="session_not_annullable",
            wrong_state_message=gettext_lazy("Only a declared, convened or held session can be annulled."),
        ),
    ],
)


# Registrations ----------------------------------------------------------------------------------


# A session takes registrations while it is prepared or declared, before the convocations.
OPEN_FOR_REGISTRATIONS = (S.DRAFT, S.DECLARED)


def session_open_for_registrations(user: Any, registration: Registration, on: date) -> Refused | None:
    if registration.session.status not in OPEN_FOR_REGISTRATIONS:
        return Refused(
            "session_closed_for_registrations",
            _("Candidates are registered while the session is being prepared or declared, before the convocations."),
        )
    return None


def session_still_ahead(user: Any, registration: Registration, on: date) -> Refused | None:
    if registration.session.status not in (S.DRAFT, S.DECLARED, S.CONVENED) or on >= registration.session.first_day:
        return Refused(
            "registration_too_late_to_withdraw",
            _("A registration can be withdrawn until the day before the session."),
        )
    return None


REGISTRATION: Lifecycle[Registration] = Lifecycle(
    name="registration",
    model=Registration,
    states=dict(RegistrationStatus.choices),
    authorise=centre_of_registration,
    moves=[
        Move(
            "register",
            (NEW,),
            RegistrationStatus.REGISTERED,
            "registration.created",
            gettext_lazy("Register"),
            checks=(session_open_for_registrations,),  # eligibility, capacity, overlap: services.register
        ),
        Move(
            "withdraw",
            (RegistrationStatus.REGISTERED,),
            RegistrationStatus.WITHDRAWN,
            "registration.withdrawn",
            gettext_lazy("Withdraw the registration"),
            checks=(session_still_ahead,),
            wrong_state_code="registration_not_active",
            wrong_state_message=gettext_lazy("This registration is already withdrawn."),
        ),
    ],
)


# Jury ---------------------------------------------------------------------------------------------


def session_open_for_jury(user: Any, assignment: JuryAssignment, on: date) -> Refused | None:
    if assignment.session.status not in (S.DRAFT, S.DECLARED):
        return Refused(
            "session_closed_for_jury",
            _("Jury members are invited while the session is being prepared or declared, before the convocations."),
        )
    return None


def habilitated_on_the_days(user: Any, assignment: JuryAssignment, on: date) -> Refused | None:
    """R-62: a habilitation for the title covers every day of the session (see rules.sessions for the
    extension year)."""
    session = assignment.session
    habilitations = assignment.member.habilitations.filter(title_id=session.version.title_id)
    reason = rules.habilitation_covers(
        facts.habilitation_facts(habilitations),
        session.first_day,
        session.last_day,
        version_end=session.version.valid_until,
    )
    return None if reason is None else refusal(reason, field="member", person=str(assignment.member))


def answer_before_the_session(user: Any, assignment: JuryAssignment, on: date) -> Refused | None:
    if assignment.session.status not in (S.DRAFT, S.DECLARED) or on >= assignment.session.first_day:
        return Refused("jury_answer_too_late", _("This invitation can no longer be answered."))
    return None


def withdrawable(user: Any, assignment: JuryAssignment, on: date) -> Refused | None:
    if assignment.session.status not in (S.DRAFT, S.DECLARED):
        return Refused(
            "jury_withdraw_too_late",
            _("Once the convocations are sent, the jury is changed by cancelling or annulling the session."),
        )
    return None


JURY: Lifecycle[JuryAssignment] = Lifecycle(
    name="jury",
    model=JuryAssignment,
    states=dict(JuryStatus.choices),
    authorise=centre_of_assignment,
    moves=[
        Move(
            "propose",
            (NEW,),
            J.PROPOSED,
            "jury.invited",
            gettext_lazy("Invite"),
            checks=(session_open_for_jury, habilitated_on_the_days),  # overlap: services.invite_member
        ),
        Move(
            "accept",
            (J.PROPOSED,),
            J.ACCEPTED,
            "jury.accepted",
            gettext_lazy("Accept"),
            checks=(answer_before_the_session, habilitated_on_the_days),
            authorise=the_member,
            wrong_state_code="jury_already_answered",
            wrong_state_message=gettext_lazy("This invitation has already been answered."),
        ),
        Move(
            "decline",
            (J.PROPOSED,),
            J.DECLINED,
            "jury.declined",
            gettext_lazy("Decline"),
            checks=(answer_before_the_session,),
            authorise=the_member,
            wrong_state_code="jury_already_answered",
            wrong_state_message=gettext_lazy("This invitation has already been answered."),
        ),
        Move(
            "withdraw",
            (J.PROPOSED, J.ACCEPTED),
            J.WITHDRAWN,
            "jury.withdrawn",
            gettext_lazy("Withdraw the invitation"),
            checks=(withdrawable,),
            wrong_state_code="jury_not_active",
            wrong_state_message=gettext_lazy("This invitation is no longer active."),
        ),
    ],
)


# Convocations -------------------------------------------------------------------------------------

_WORKER_ONLY = system_only("convocation_worker_only", gettext_lazy("Only the task worker sends convocations."))


def session_still_convened(user: Any, convocation: Convocation, on: date) -> Refused | None:
    if convocation.session.status != S.CONVENED:
        return Refused("convocation_session_not_convened", _("This session's convocations can no longer be sent."))
    return None


CONVOCATION: Lifecycle[Convocation] = Lifecycle(
    name="convocation",
    model=Convocation,
    states=dict(DeliveryStatus.choices),
    authorise=centre_of_convocation,
    moves=[
        Move("queue", (NEW,), DeliveryStatus.QUEUED, "convocation.queued", checks=(_WORKER_ONLY,)),
        Move("deliver", (DeliveryStatus.QUEUED,), DeliveryStatus.SENT, "convocation.sent", checks=(_WORKER_ONLY,)),
        Move("fail", (DeliveryStatus.QUEUED,), DeliveryStatus.FAILED, "convocation.failed", checks=(_WORKER_ONLY,)),
        Move(
            "resend",
            (DeliveryStatus.SENT, DeliveryStatus.FAILED),
            DeliveryStatus.QUEUED,
            "convocation.requeued",
            gettext_lazy("Send again"),
            checks=(session_still_convened,),
            wrong_state_code="convocation_already_queued",
            wrong_state_message=gettext_lazy("This convocation is already waiting to be sent."),
        ),
        Move(
            "cancel",
            (DeliveryStatus.QUEUED, DeliveryStatus.FAILED),
            DeliveryStatus.CANCELLED,
            "convocation.cancelled",
            checks=(_WORKER_ONLY,),
        ),
    ],
)
