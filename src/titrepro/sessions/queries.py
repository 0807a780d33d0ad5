"""Reads shared by the pages, the API and the services' re-checks (STYLE.md, habit 6).

Who sees a session: the staff of its centre, the agents of the centre's authority, a national
administrator; a jury member sees the sessions they are invited to; a candidate those they are
registered for. Who acts is narrower (``managed_sessions``: the centre; ``annullable_sessions``: the
authority). A user without the role gets 403; an object outside their scope 404.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from django.db.models import Count, Q, QuerySet

from titrepro.accounts.permissions import scoped
from titrepro.core.dating import EARLIEST, LATEST
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


# The month calendar -------------------------------------------------------------------------------
#
# Pure date arithmetic over anything with a first and a last day (sessions from ``managed_sessions``,
# or plain objects in the tests): the weeks of a month, Monday first, and what runs on each day.

MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


class Dated(Protocol):
    @property
    def first_day(self) -> date: ...

    @property
    def last_day(self) -> date: ...


@dataclass(frozen=True)
class CalendarDay[T]:
    """One cell of the month grid: a day, whether it belongs to the month shown, what runs on it
    (nothing is listed on the days of the neighbouring months)."""

    day: date
    in_month: bool
    items: tuple[T, ...] = ()


def month_of(value: str | None, default: date) -> date:
    """The first day of the month ``value`` names ("2027-03"), or of ``default``'s month when ``value``
    is missing, malformed or outside the dates titrepro stores (1900 to 2200)."""
    fallback = default.replace(day=1)
    found = MONTH.fullmatch(value or "")
    if found is None:
        return fallback
    year, month = int(found[1]), int(found[2])
    if not 1 <= month <= 12 or not EARLIEST.year <= year <= LATEST.year:
        return fallback
    return date(year, month, 1)


def month_end(first: date) -> date:
    """The last day of ``first``'s month."""
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def shift_month(first: date, months: int) -> date | None:
    """The first day of the month ``months`` after (before, when negative) ``first``'s; ``None``
    outside the dates titrepro stores."""
    index = first.year * 12 + first.month - 1 + months
    year, month = divmod(index, 12)
    if not EARLIEST.year <= year <= LATEST.year:
        return None
    return date(year, month + 1, 1)


def month_weeks[D: Dated](first: date, items: Iterable[D]) -> list[list[CalendarDay[D]]]:
    """The weeks (Monday to Sunday) that cover ``first``'s month, each day with the items running on it
    (``first_day <= day <= last_day``), in the order given. A multi-day item is on each of its days."""
    start, end = first.replace(day=1), month_end(first)
    by_day: dict[date, list[D]] = {}
    for item in items:
        day = max(item.first_day, start)
        while day <= min(item.last_day, end):
            by_day.setdefault(day, []).append(item)
            day += timedelta(days=1)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(start.year, start.month)
    return [
        [
            CalendarDay(day, True, tuple(by_day.get(day, ()))) if day.month == start.month else CalendarDay(day, False)
            for day in week
        ]
        for week in weeks
    ]
