"""The deliberation's part of the workspaces (``core.workspaces``): menu sections and work queues."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from titrepro.core import dating
from titrepro.core.workspaces import Queue, Section, Work, register
from titrepro.deliberation.models import Appeal, AppealStatus, MinutesStatus
from titrepro.sessions import queries
from titrepro.sessions.models import JuryStatus, SessionStatus

OPEN = (SessionStatus.CONVENED, SessionStatus.HELD)


def jury_work(user: Any) -> Iterator[Work]:
    """The sessions whose deliberation the member sits on and which are not submitted yet."""
    today = dating.today()
    sittings = queries.own_assignments(user).filter(
        status=JuryStatus.ACCEPTED, session__status__in=OPEN, session__first_day__lte=today
    )
    waiting = sittings.exclude(session__minutes__status__in=[MinutesStatus.SUBMITTED, MinutesStatus.VALIDATED])
    yield Queue(
        _("Sessions to evaluate and deliberate"),
        waiting.count(),
        reverse("sessions:jury_invitation_list"),
        hint=_("fill your sheets, decide, sign the PV"),
        urgent=True,
        order=4,
    )


def centre_work(user: Any) -> Iterator[Work]:
    today = dating.today()
    held = queries.managed_sessions(user).filter(status__in=OPEN, first_day__lte=today)
    waiting = held.exclude(minutes__status__in=[MinutesStatus.SUBMITTED, MinutesStatus.VALIDATED])
    yield Queue(
        _("PVs to submit to the authority"),
        waiting.count(),
        f"{reverse('sessions:centre_session_list')}?statut={SessionStatus.HELD}",
        hint=_("members present, signatures, submission (R-71)"),
        order=33,
    )


def authority_work(user: Any) -> Iterator[Work]:
    sessions = queries.authority_sessions(user)
    yield Queue(
        _("PVs to validate"),
        sessions.filter(minutes__status=MinutesStatus.SUBMITTED).distinct().count(),
        f"{reverse('deliberation:authority_minutes_list')}?statut={MinutesStatus.SUBMITTED}",
        hint=_("the results become final once validated (R-72)"),
        urgent=True,
        order=52,
    )
    yield Queue(
        _("Appeals to answer"),
        Appeal.objects.filter(registration__session__in=sessions, status=AppealStatus.FILED).count(),
        reverse("deliberation:authority_appeal_list"),
        hint=_("gracious appeals against the jury's decisions (R-82)"),
        order=53,
    )


CANDIDATE_RESULTS = Section(_("My results"), "deliberation:candidate_results", order=16)
AUTHORITY_MINUTES = Section(_("PVs"), "deliberation:authority_minutes_list", order=52)
AUTHORITY_APPEALS = Section(_("Appeals"), "deliberation:authority_appeal_list", order=53)


def register_all() -> None:
    register("candidate", sections=(CANDIDATE_RESULTS,))
    register("jury_member", work=jury_work)
    register("centre_staff", work=centre_work)
    for kind in ("authority_agent", "national_admin"):
        register(kind, sections=(AUTHORITY_MINUTES, AUTHORITY_APPEALS), work=authority_work)
