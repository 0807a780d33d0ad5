"""Dates are checked against the server's day, never the other way round (issue 11, item 2).

A decision (an authority's, a centre's, a candidate's signature) bears the date typed
in the form; the server records the day it was written (``recorded_on``). Two rules
hold for every dated write (docs/decisions/0026-decisions-dated-by-the-server.md):

- the date is never after today (``date_in_future``);
- it may be earlier than today only within ``TRANSCRIPTION_DAYS`` (setting
  ``TITREPRO_TRANSCRIPTION_DAYS``, 15 by default): the time for a decision signed on
  paper to be typed in. Anything older is refused (``date_backdated``); a late
  transcription is written with today's date and its reason.

Deadlines that run against the authority (the two months of R-21) are counted to the
recording day, so a backdated decision cannot undo an acceptance by silence
(``candidates.lifecycles.not_accepted_by_silence``).

``plausible`` bounds dates that are not decisions (a period of experience, an arrêté,
a birth date) to what a person could mean: never year 1, never 9999.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from titrepro.core.refusals import Refused

EARLIEST = date(1900, 1, 1)  # no date titrepro stores comes before this
LATEST = date(2200, 12, 31)  # nor after this (the end of a title version, a ban...)


def transcription_days() -> int:
    return int(getattr(settings, "TITREPRO_TRANSCRIPTION_DAYS", 15))


_replayed_day: ContextVar[date | None] = ContextVar("titrepro_replayed_day", default=None)


def today() -> date:
    """The server's day, or the day being replayed (``replaying``)."""
    return _replayed_day.get() or timezone.localdate()


@contextmanager
def replaying(day: date) -> Iterator[None]:
    """Run services as if the server's day were ``day``: for code that writes history that already
    happened (the demo world, tests, a migration of records from another system). Never reachable
    from a request: no page or endpoint takes a day to replay."""
    token = _replayed_day.set(day)
    try:
        yield
    finally:
        _replayed_day.reset(token)


def decision_date(on: date, field: str, *, allow_backdating: bool = True) -> date:
    """``on`` if a decision may bear it when recorded today; ``Refused`` otherwise."""
    day = today()
    if on > day:
        raise Refused(
            "date_in_future",
            _("This date is after today (%(today)s): a decision is recorded on or after the day it is taken.")
            % {"today": date_format(day)},
            field,
        )
    window = transcription_days() if allow_backdating else 0
    earliest = day - timedelta(days=window)
    if on < earliest:
        if window:
            message = _(
                "This date is more than %(days)s days before today: a decision taken on paper is recorded "
                "within %(days)s days. Record it with today's date and say why in the reason."
            ) % {"days": window}
        else:
            message = _("This date must be today's (%(today)s).") % {"today": date_format(day)}
        raise Refused("date_backdated", message, field)
    return on


def not_in_future(on: date, field: str) -> date:
    """``on`` unless it is after today (a signature, an assessment, a filing)."""
    if on > today():
        raise Refused(
            "date_in_future",
            _("This date is after today (%(today)s).") % {"today": date_format(today())},
            field,
        )
    plausible(on, field)
    return on


def plausible(on: date | None, field: str) -> date | None:
    """``on`` unless no person could mean it (before 1900 or after 2200)."""
    if on is not None and not EARLIEST <= on <= LATEST:
        raise Refused(
            "date_implausible",
            _("Check this date: it must fall between %(earliest)s and %(latest)s.")
            % {"earliest": date_format(EARLIEST), "latest": date_format(LATEST)},
            field,
        )
    return on


def french_date(day: date | datetime | None) -> str:
    """ "1er septembre 2026", "2 septembre 2026"; in another language than French, Django's "j F Y".

    Django's ``date:"j F Y"`` writes "1 septembre": French writes the first day of a month as an
    ordinal ("1er"). Pages use the filter ``date_fr`` (``core.templatetags.french_dates``), which calls
    this. ``None`` gives "".
    """
    if day is None:
        return ""
    text = date_format(day, "j F Y")
    if day.day == 1 and (get_language() or "fr").startswith("fr"):
        return "1er" + text[1:]
    return text


def document_date(day: date | datetime, *, weekday: bool = False) -> str:
    """A date in a document (PDF, calendar), always in French whatever the active language:
    "1er mars 2027", or with ``weekday`` "lundi 1er mars 2027"."""
    with override("fr"):
        text = french_date(day)
        return f"{date_format(day, 'l')} {text}" if weekday else text


def document_time(moment: time | datetime) -> str:
    """A time of day as French documents write it: "8 h 30", "12 h 00"."""
    return time_format(moment, r"G \h i")
