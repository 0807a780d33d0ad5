"""Reads shared by the pages, the API and the services' re-checks (STYLE.md, habit 6).

Who sees a session: the staff of its centre, the agents of the centre's authority, a national
administrator; a jury member sees the sessions they are invited to; a candidate those they are
registered for. Who acts is narrower (``managed_sessions``: the centre; ``annullable_sessions``: the
authority). A user without the role gets 403; an object outside their scope 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from titrepro.accounts.permissions import scoped
from titrepro.directory.models import ApprovedCentre
from titrepro.sessions.models import (
    BUSY_JURY_STATES,
    Convocation,
    ExamSession,
    JuryAssignment,
    Programme,
    Registration,
    RegistrationStatus,
)

SESSION_RELATED = ("version__title", "centre__authority", "ccs", "approval")


def _sessions() -> QuerySet[ExamSession]:
    return ExamSession.objects.select_related(*SESSION_RELATED)


def visible_sessions(user: Any) -> QuerySet[ExamSession]:
    """Every session the user may read (centre, authority, national, jury invited, candidate registered)."""
    return scoped(
        user,
        _sessions(),
        centre="centre",
        authority="centre__authority",
        jury_member="jury__member",
        candidate="registrations__candidate",
    ).distinct()


def managed_sessions(user: Any) -> QuerySet[ExamSession]:
    """The sessions the user prepares and runs: their centres' (every centre for a national administrator)."""
    return scoped(user, _sessions(), centre="centre")


def authority_sessions(user: Any) -> QuerySet[ExamSession]:
    """The sessions of the authority agent's départements (every one for a national administrator)."""
    return scoped(user, _sessions(), authority="centre__authority")


def with_counts(sessions: QuerySet[ExamSession]) -> QuerySet[ExamSession]:
    return sessions.annotate(
        registered=Count("registrations", filter=Q(registrations__status=RegistrationStatus.REGISTERED), distinct=True),
        jury_accepted=Count("jury", filter=Q(jury__status="accepted"), distinct=True),
    )


def registrations_of(session: ExamSession) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(session=session)
        .select_related("candidate")
        .prefetch_related("ccps", "accommodations")
        .order_by("status", "candidate__birth_name", "candidate__given_names", "pk")
    )


def jury_of(session: ExamSession) -> QuerySet[JuryAssignment]:
    return (
        JuryAssignment.objects.filter(session=session).select_related("member").order_by("status", "member__last_name")
    )


def busy_jury(session: ExamSession) -> QuerySet[JuryAssignment]:
    return jury_of(session).filter(status__in=BUSY_JURY_STATES)


def convocations_of(session: ExamSession) -> QuerySet[Convocation]:
    return Convocation.objects.filter(session=session).select_related("registration__candidate", "assignment__member")


def managed_convocations(user: Any) -> QuerySet[Convocation]:
    return scoped(user, Convocation.objects.all(), centre="session__centre")


def own_assignments(user: Any) -> QuerySet[JuryAssignment]:
    """The jury member's own invitations (never another's); 403 without the role."""
    return scoped(
        user,
        JuryAssignment.objects.select_related(*(f"session__{name}" for name in SESSION_RELATED), "member"),
        national=False,
        jury_member="member",
    )


def own_registrations(user: Any) -> QuerySet[Registration]:
    """The candidate's own registrations; 403 without the role."""
    return scoped(
        user,
        Registration.objects.select_related(*(f"session__{name}" for name in SESSION_RELATED), "candidate"),
        national=False,
        candidate="candidate",
    )


def own_convocations(user: Any) -> QuerySet[Convocation]:
    """The convocations addressed to the user as a candidate or as a jury member."""
    return scoped(
        user,
        Convocation.objects.select_related("session__version__title", "session__centre"),
        national=False,
        candidate="registration__candidate",
        jury_member="assignment__member",
    )


def managed_programmes(user: Any) -> QuerySet[Programme]:
    return scoped(user, Programme.objects.select_related("centre"), centre="centre")


def authority_programmes(user: Any) -> QuerySet[Programme]:
    return scoped(user, Programme.objects.select_related("centre__authority"), authority="centre__authority")


def authority_programme_centres(user: Any) -> QuerySet[ApprovedCentre]:
    """The centres of the agent's départements (every centre for a national administrator)."""
    return scoped(user, ApprovedCentre.objects.all(), authority="authority")
