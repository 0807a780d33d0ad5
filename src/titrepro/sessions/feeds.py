"""A jury member's personal calendar feed (iCalendar) behind a secret address.

``renew_feed`` makes the secret (the first time) or replaces it (the old address stops answering at
once); ``feed_events`` are the member's sessions as events: the invitations not answered yet and the
sessions accepted, a cancelled or annulled one marked cancelled so calendars remove it. Once the session is
planned, a day on which the member sits candidates runs from their first part to their last (their own day).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.accounts.permissions import scope_of
from titrepro.audit.services import record
from titrepro.core import dating
from titrepro.core.calendar import Event
from titrepro.directory.models import JuryMember
from titrepro.sessions.models import (
    BUSY_JURY_STATES,
    CalendarFeed,
    JuryAssignment,
    JuryStatus,
    SessionStatus,
    TimetableSlot,
)
from titrepro.sessions.timetable import local_zone

# How far back the feed goes: calendars keep what they already hold.
FEED_HISTORY = timedelta(days=365)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def renew_feed(user: Any, member: JuryMember) -> CalendarFeed:
    """The member's feed with a new secret; only the member themself. One transaction, audited (not the secret)."""
    if member.pk not in scope_of(user).jury_members:
        raise Http404
    with transaction.atomic():
        locked = JuryMember.objects.select_for_update().get(pk=member.pk)
        feed = CalendarFeed.objects.filter(member=locked).first()
        renewed = feed is not None
        if feed is None:
            feed = CalendarFeed.objects.create(member=locked, token=new_token())
        else:
            feed.token = new_token()
            feed.created_at = timezone.now()
            feed.save(update_fields=["token", "created_at"])
        record(
            actor=user,
            action="calendar_feed.renewed" if renewed else "calendar_feed.created",
            target=locked,
            data={"feed": feed.pk},
        )
    return feed


def feed_of_token(token: str) -> CalendarFeed:
    """The feed a secret opens, else 404 (an unknown or revoked secret is the same as none)."""
    feed = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if feed is None or not token:
        raise Http404
    return feed


def _at(day: Any, moment: Any) -> datetime:
    return timezone.make_aware(datetime.combine(day, moment))


def _own_hours(assignment: JuryAssignment) -> dict[Any, tuple[datetime, datetime]]:
    """Day -> (first start, last end) of the parts the member sits in the saved planning."""
    hours: dict[Any, tuple[datetime, datetime]] = {}
    zone = local_zone()
    for slot in TimetableSlot.objects.filter(jurors=assignment).only("starts_at", "ends_at"):
        day = slot.starts_at.astimezone(zone).date()
        first, last = hours.get(day, (slot.starts_at, slot.ends_at))
        hours[day] = (min(first, slot.starts_at), max(last, slot.ends_at))
    return hours


def feed_events(member: JuryMember) -> list[Event]:
    """One event per day of each session the member is invited to or accepted (the last year and ahead)."""
    since = dating.today() - FEED_HISTORY
    assignments = (
        JuryAssignment.objects.filter(member=member, status__in=BUSY_JURY_STATES, last_day__gte=since)
        .select_related("session__version__title", "session__centre")
        .order_by("first_day", "pk")
    )
    events = []
    for assignment in assignments:
        session = assignment.session
        cancelled = session.status in (SessionStatus.CANCELLED, SessionStatus.ANNULLED)
        invited = assignment.status == JuryStatus.PROPOSED
        summary = _("Jury %(title)s — session %(number)s") % {
            "title": session.version.title.code,
            "number": session.number,
        }
        if invited:
            summary = _("Invitation: %(summary)s") % {"summary": summary}
        description = "\n".join(
            [
                f"{session.version.title.code} – {session.version.title.label} ({session.get_kind_display()})",
                str(session.centre.name),
                str(assignment.get_status_display()),
                *([session.end_reason] if cancelled and session.end_reason else []),
            ]
        )
        own = _own_hours(assignment)
        days = (session.last_day - session.first_day).days + 1
        for offset in range(days):
            day = session.first_day + timedelta(days=offset)
            start, end = own.get(day, (_at(day, session.opens_at), _at(day, session.closes_at)))
            events.append(
                Event(
                    uid=f"jury-{assignment.pk}-{day:%Y%m%d}@titrepro",
                    summary=summary,
                    location=session.site_address.replace("\n", ", "),
                    description=description,
                    start=start,
                    end=end,
                    cancelled=cancelled,
                    sequence=(1 if not invited else 0) + (1 if cancelled else 0),
                )
            )
    return events
