"""Rules of the directory: approvals of centres, conventions, habilitation of jury members.

Pure Python over frozen dataclasses: no Django import. Each rule names its
source (shared/reference/regulation.md, R-nn) in its docstring.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from titrepro.rules.dates import add_years
from titrepro.rules.parameters import DEFAULT, Parameters

ONE_DAY = timedelta(days=1)

EXPERIENCE_TOO_SHORT = "habilitation_experience_too_short"
OUT_OF_JOB_TOO_LONG = "habilitation_out_of_job_too_long"


@dataclass(frozen=True, slots=True)
class ExperiencePeriod:
    """A period in the job targeted by the title, both days included; ``end`` None: still in it."""

    start: date
    end: date | None = None


@dataclass(frozen=True, slots=True)
class HabilitationReason:
    """Why a habilitation is refused: a stable code and the values its message needs.

    ``days``: the experience counted (for ``habilitation_experience_too_short``);
    ``on``: the last day in the job (for ``habilitation_out_of_job_too_long``).
    """

    code: str
    days: int | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class HabilitationCheck:
    allowed: bool
    reasons: tuple[HabilitationReason, ...] = ()
    experience_days: int = 0
    last_day_in_job: date | None = None


def merged_periods(experiences: Iterable[ExperiencePeriod], on: date) -> list[tuple[date, date]]:
    """The periods up to ``on`` as disjoint (start, end) intervals, days included, in order.

    Overlapping or touching periods are merged, so a day is counted once; what
    lies after ``on`` is ignored.
    """
    clipped = sorted(
        (period.start, min(period.end or on, on))
        for period in experiences
        if period.start <= on and (period.end is None or period.end >= period.start)
    )
    merged: list[tuple[date, date]] = []
    for start, end in clipped:
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def habilitation_check(
    experiences: Iterable[ExperiencePeriod], on: date, parameters: Parameters = DEFAULT
) -> HabilitationCheck:
    """May a professional be habilitated as jury member for a title on ``on``? (R-61)

    - At least ``habilitation_min_experience_years`` (3) years in the job(s) the
      title targets: the periods are added up, a day worked in two overlapping
      periods counting once. The years are calendar years counted back from the
      day after the last day of experience, so one unbroken period of exactly
      three years (1 March 2020 to 28 February 2023) is enough, one day less is not.
    - Not out of the job for more than ``habilitation_max_years_out_of_job`` (5)
      years: someone who left on 30 June 2020 may be habilitated until 30 June
      2025 included (recent retirees are accepted).

    Source: R-61 (DREETS Normandie, DIECCTE Réunion: "trois ans d'expérience
    dans le métier", "ne pas avoir quitté le métier depuis plus de cinq ans").
    """
    periods = merged_periods(experiences, on)
    days = sum((end - start).days + 1 for start, end in periods)
    reasons: list[HabilitationReason] = []
    if not periods:
        return HabilitationCheck(False, (HabilitationReason(EXPERIENCE_TOO_SHORT, days=0),))
    last = periods[-1][1]
    after_last = last + ONE_DAY
    required = (after_last - add_years(after_last, -parameters.habilitation_min_experience_years)).days
    if days < required:
        reasons.append(HabilitationReason(EXPERIENCE_TOO_SHORT, days=days))
    if on > add_years(last, parameters.habilitation_max_years_out_of_job):
        reasons.append(HabilitationReason(OUT_OF_JOB_TOO_LONG, on=last))
    return HabilitationCheck(not reasons, tuple(reasons), experience_days=days, last_day_in_job=last)


def _capped(requested: date | None, limit: date | None) -> date | None:
    if requested is None:
        return limit
    if limit is None:
        return requested
    return min(requested, limit)


def habilitation_valid_until(requested: date | None, version_end: date | None) -> date | None:
    """The end of a habilitation: the one requested, never after the title version's end (R-62).

    Without a requested end, the habilitation lasts until the version ends; ``None``
    (no end) only when neither is known.
    """
    return _capped(requested, version_end)


def approval_valid_until(requested: date | None, version_end: date | None) -> date | None:
    """The end of an approval (agrément): the one requested, never after the title's end of validity (R-30)."""
    return _capped(requested, version_end)


def reapply_ban_allowed(withdrawn_on: date, banned_until: date | None, parameters: Parameters = DEFAULT) -> bool:
    """Whether a ban on re-applying given with a withdrawal is lawful: at most two years (R-33)."""
    if banned_until is None:
        return True
    return withdrawn_on <= banned_until <= add_years(withdrawn_on, parameters.reapply_ban_max_years)


def may_reapply(
    withdrawn_on: date | None, banned_until: date | None, on: date, parameters: Parameters = DEFAULT
) -> bool:
    """Whether a centre whose approval was withdrawn may apply again on ``on`` (R-33).

    The ban covers every day up to ``banned_until`` included, and never lasts more
    than ``reapply_ban_max_years`` (2) after the withdrawal, whatever was recorded.
    """
    if withdrawn_on is None or banned_until is None:
        return True
    end = min(banned_until, add_years(withdrawn_on, parameters.reapply_ban_max_years))
    return on > end


def amendment_due(signed_on: date, year: int, parameters: Parameters = DEFAULT) -> date | None:
    """The last day to send the yearly amendment of a centre–provider convention for ``year`` (R-32).

    The amendment with the forecast numbers is sent before 1 January of the year
    (so by 31 December of the year before); it is not required the year the
    convention was signed nor the next (``convention_amendment_free_years``).
    ``None`` when no amendment is due for that year.
    """
    if year < signed_on.year + parameters.convention_amendment_free_years:
        return None
    return date(year - 1, 12, 31)


def amendment_on_time(signed_on: date, year: int, sent_on: date | None, parameters: Parameters = DEFAULT) -> bool:
    """Whether the amendment for ``year`` obligation is met: not due, or sent by its deadline (R-32)."""
    due = amendment_due(signed_on, year, parameters)
    return due is None or (sent_on is not None and sent_on <= due)
