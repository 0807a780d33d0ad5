"""The sessions' part of the workspaces (``core.workspaces``): menu sections and work queues."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from titrepro.candidates.workspace import CANDIDATE_LIST
from titrepro.core import dating
from titrepro.core.workspaces import ListAction, Queue, Section, Work, register, register_list_action
from titrepro.sessions import queries, services
from titrepro.sessions.models import DeliveryStatus, JuryStatus, SessionStatus

SOON = timedelta(days=45)


def _list(status: str) -> str:
    return f"{reverse('sessions:centre_session_list')}?statut={status}"


def centre_work(user: Any) -> Iterator[Work]:
    today = dating.today()
    sessions = queries.managed_sessions(user)
    yield Queue(
        _("Sessions being prepared"),
        sessions.filter(status=SessionStatus.DRAFT).count(),
        _list(SessionStatus.DRAFT),
        hint=_("declare them to the authority"),
        order=30,
    )
    yield Queue(
        _("Declared sessions to convene"),
        sessions.filter(status=SessionStatus.DECLARED, first_day__lte=today + SOON).count(),
        _list(SessionStatus.DECLARED),
        hint=_("within 45 days: mind the convocation lead time"),
        urgent=True,
        order=31,
    )
    failed = queries.managed_convocations(user).filter(status=DeliveryStatus.FAILED).count()
    if failed:
        yield Queue(
            _("Convocations that could not be sent"),
            failed,
            _list(SessionStatus.CONVENED),
            hint=_("send them again or print them"),
            urgent=True,
            order=32,
        )


def authority_work(user: Any) -> Iterator[Work]:
    today = dating.today()
    sessions = queries.authority_sessions(user)
    yield Queue(
        _("Sessions declared in the coming 45 days"),
        sessions.filter(status__in=[SessionStatus.DECLARED, SessionStatus.CONVENED])
        .filter(first_day__gte=today, first_day__lte=today + SOON)
        .count(),
        reverse("sessions:authority_session_list"),
        hint=_("a control on site may be planned (R-33)"),
        order=50,
    )
    year = today.year
    if today > services.programme_due(year):
        late = queries.authority_programme_centres(user).exclude(programmes__year=year, programmes__status="sent")
        yield Queue(
            _("Centres whose programme of the year is missing"),
            late.count(),
            f"{reverse('sessions:authority_programme_list')}?annee={year}",
            hint=_("due by 31 January (R-40)"),
            urgent=True,
            order=51,
        )


def jury_work(user: Any) -> Iterator[Work]:
    today = dating.today()
    assignments = queries.own_assignments(user)
    yield Queue(
        _("Invitations to answer"),
        assignments.filter(status=JuryStatus.PROPOSED, session__first_day__gte=today).count(),
        reverse("sessions:jury_invitation_list"),
        urgent=True,
        order=5,
    )
    yield Queue(
        _("My sessions to come"),
        assignments.filter(status=JuryStatus.ACCEPTED, session__last_day__gte=today).count(),
        reverse("sessions:jury_invitation_list"),
        order=6,
    )


def candidate_work(user: Any) -> Iterator[Work]:
    today = dating.today()
    coming = (
        queries.own_registrations(user)
        .filter(status="registered", session__last_day__gte=today, session__status__in=["declared", "convened"])
        .count()
    )
    if coming:  # the record panel says the rest
        yield Queue(_("My exam sessions to come"), coming, reverse("sessions:candidate_session_list"), order=5)


CENTRE_SESSIONS = Section(_("Sessions"), "sessions:centre_session_list", order=15)
AUTHORITY_SESSIONS = Section(_("Sessions"), "sessions:authority_session_list", order=50)
AUTHORITY_PROGRAMMES = Section(_("Programmes"), "sessions:authority_programme_list", order=51)
JURY_SESSIONS = Section(_("My sessions"), "sessions:jury_invitation_list", order=15)
CANDIDATE_SESSIONS = Section(_("My sessions"), "sessions:candidate_session_list", order=15)
REGISTER_PICKED = ListAction(_("Register the selected candidates to a session"), "sessions:centre_registration_pick")


def register_all() -> None:
    register("centre_staff", sections=(CENTRE_SESSIONS,), work=centre_work)
    for kind in ("authority_agent", "national_admin"):
        register(kind, sections=(AUTHORITY_SESSIONS, AUTHORITY_PROGRAMMES), work=authority_work)
    register("jury_member", sections=(JURY_SESSIONS,), work=jury_work)
    register("candidate", sections=(CANDIDATE_SESSIONS,), work=candidate_work)
    register_list_action(CANDIDATE_LIST, REGISTER_PICKED)
