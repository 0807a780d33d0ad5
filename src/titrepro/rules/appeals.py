"""The deadline of a gracious appeal (recours gracieux) against a jury decision (R-82).

Pure Python: no Django import. French public holidays are computed by the
``holidays`` library (``holidays.France``, the subdivisions of version 0.109),
Easter-based ones included, with the extra days of Alsace-Moselle and of the
overseas départements (docs/decisions/0036-holidays-for-french-public-holidays.md).

The candidate has two months (``Parameters.appeal_months``) from the notification
of the result, counted as French administrative courts count a two-month delay:
a délai franc, moved to the next working day when its last day is not one (see
``appeal_last_day``). A gracious appeal in time also keeps the contentious delay
open: it starts again from the rejection of the appeal (R-82), which is not
computed here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from types import MappingProxyType

import holidays

from titrepro.rules.dates import add_months
from titrepro.rules.parameters import DEFAULT, Parameters

ONE_DAY = timedelta(days=1)

APPEAL_TOO_LATE = "appeal_too_late"
APPEAL_BEFORE_NOTIFICATION = "appeal_before_notification"

SUBDIVISIONS = MappingProxyType(
    {
        # Alsace-Moselle: Good Friday and 26 December on top of the national days
        # (Code du travail L.3134-13). The library names Moselle "57" and the
        # Collectivité européenne d'Alsace (Bas-Rhin, Haut-Rhin) "6AE".
        "57": "57",
        "67": "6AE",
        "68": "6AE",
        # The overseas départements: the abolition of slavery and other local days.
        "971": "971",  # Guadeloupe
        "972": "972",  # Martinique
        "973": "973",  # Guyane
        "974": "974",  # La Réunion
        "976": "976",  # Mayotte
        # The overseas collectivities, under their INSEE codes, where the library knows them.
        "975": "PM",  # Saint-Pierre-et-Miquelon
        "977": "BL",  # Saint-Barthélemy
        "978": "MF",  # Saint-Martin
        "984": "TF",  # Terres australes et antarctiques françaises
        "986": "WF",  # Wallis-et-Futuna
        "987": "PF",  # Polynésie française
        "988": "NC",  # Nouvelle-Calédonie
    }
)
"""Département code -> ``holidays.France`` subdivision; any other code is metropolitan France."""


@dataclass(frozen=True, slots=True)
class AppealRefusal:
    """Why a gracious appeal is refused (R-82).

    ``code``: ``APPEAL_TOO_LATE`` or ``APPEAL_BEFORE_NOTIFICATION``; ``last_day``: the
    computed last day, for the message (set when the appeal is too late).
    """

    code: str
    last_day: date | None = None
    rule: str = "R-82"


def subdivision(department: str | None) -> str | None:
    """The ``holidays.France`` subdivision of a département code ("57" -> "57", "67" -> "6AE", "75" -> None).

    ``None``, an unknown code or a metropolitan département without local days
    (Corsica "2A", "2B" included) is metropolitan France.
    """
    if department is None:
        return None
    return SUBDIVISIONS.get(department.strip().upper())


@lru_cache(maxsize=4096)
def _public_holidays(year: int, subdivision: str | None) -> frozenset[date]:
    # ``country_holidays("FR")`` is ``holidays.France``, through the function the library types
    # for mypy --strict (its ``holidays.France`` re-export is not visible to a strict checker).
    return frozenset(holidays.country_holidays("FR", subdiv=subdivision, years=year))


def public_holidays(year: int, department: str | None = None) -> frozenset[date]:
    """The public holidays (jours fériés) of ``year`` in ``department``, computed by ``holidays.France``.

    The national days (1 January, Easter Monday, 1 May, 8 May, Ascension, Whit
    Monday, 14 July, 15 August, 1 November, 11 November, 25 December), plus the
    local ones of the département's subdivision (``SUBDIVISIONS``). Cached per
    year and subdivision.
    """
    return _public_holidays(year, subdivision(department))


def is_working_day(day: date, department: str | None = None) -> bool:
    """Neither a Saturday, a Sunday nor a public holiday of ``department``."""
    return day.weekday() < 5 and day not in public_holidays(day.year, department)


def next_working_day(day: date, department: str | None = None) -> date:
    """``day`` itself when it is a working day, else the first working day after it.

    Weekends and holidays chain: Saturday 19 April 2025 -> Monday 21 (Easter
    Monday) -> Tuesday 22 April. The loop ends within a week: no subdivision
    has five weekday holidays in a row.
    """
    while not is_working_day(day, department):
        day += ONE_DAY
    return day


def appeal_last_day(notified_on: date, department: str | None = None, parameters: Parameters = DEFAULT) -> date:
    """The last day a gracious appeal against a jury decision notified on ``notified_on`` may be filed (R-82).

    Two months (``appeal_months``) counted as a délai franc, the way the
    administrative courts count the two-month delay of a recours:

    1. The same numbered day two months later, or that month's last day when it
       has none (``dates.add_months``): notified on 1 March -> 1 May.
    2. The délai franc: the day of notification does not count, so the delay runs
       to the end of the next day: 1 May -> **2 May**, the last day.
    3. A last day on a Saturday, a Sunday or a public holiday of ``department``
       moves to the next working day, as often as needed (2 May on a Sunday ->
       Monday 3 May).

    Decision on the end of the month: the month's last day is taken first (step
    1), the franc day is added after it (step 2), so the franc day is never lost
    to the shorter month. Notified on 31 December -> 28 February (29 in a leap
    year) -> 1 March; notified on 29 or 30 December before a 28-day February gives
    1 March too. Notified on 31 August -> 31 October -> 1 November (Toussaint, so
    further). Counting the two months from the day after the notification instead
    (30 December -> 31 December -> 28 February) would give a day less whenever
    that next day has no counterpart two months later, and would not be the
    same numbered day as the notification, which is what the courts count from.
    """
    franc_day = add_months(notified_on, parameters.appeal_months) + ONE_DAY
    return next_working_day(franc_day, department)


def appeal_refusal(
    notified_on: date, filed_on: date, department: str | None = None, parameters: Parameters = DEFAULT
) -> AppealRefusal | None:
    """None when a gracious appeal filed on ``filed_on`` is in time; refused the day after the last day (with that last day), and before the notification.

    An appeal filed on the day of the notification, or on the last day of
    ``appeal_last_day``, is in time (R-82).
    """
    if filed_on < notified_on:
        return AppealRefusal(APPEAL_BEFORE_NOTIFICATION)
    last_day = appeal_last_day(notified_on, department, parameters)
    if filed_on > last_day:
        return AppealRefusal(APPEAL_TOO_LATE, last_day=last_day)
    return None
