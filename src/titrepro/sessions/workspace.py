"""The sessions' part of the workspaces (``core.workspaces``): menu sections and work queues."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from titrepro.core import dating
from titrepro.core.workspaces import Queue, Section, Work, register
from titrepro.sessions import queries
from titrepro.sessions.models import DeliveryStatus, SessionStatus

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


CENTRE_SESSIONS = Section(_("Sessions"), "sessions:centre_session_list", order=20)


def register_all() -> None:
    register("centre_staff", sections=(CENTRE_SESSIONS,), work=centre_work)
