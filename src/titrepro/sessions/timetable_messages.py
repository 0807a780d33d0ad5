"""French sentences for the timetable: why no planning exists (``rules.timetable.Infeasibility``) and what a
planning moved by hand would break (``rules.timetable.Violation``). One builder per code; each names the rule,
the people or resources concerned and the figures, and a shortage says what would make a planning possible.
The codes stay English (API, logs, ``Refused.code``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from titrepro.core.dating import document_date, document_time
from titrepro.rules import timetable as rules
from titrepro.sessions.timetable import Index, day_of

NBSP = "\u00a0"


def minutes_label(minutes: int | None) -> str:
    """ "1 h 30", "2 h", "45 min" (the convocation's way)."""
    hours, rest = divmod(max(minutes or 0, 0), 60)
    if hours and rest:
        return f"{hours}{NBSP}h{NBSP}{rest:02d}"
    return f"{hours}{NBSP}h" if hours else f"{rest}{NBSP}min"


def clock_label(index: Index, minute: int) -> str:
    """ "10 h 15" (``core.dating.document_time``)."""
    return document_time(index.moment(minute).time())


def moment_label(index: Index, minute: int) -> str:
    """ "10 h 15" on a one-day session, "lundi 8 mars 2027 à 10 h 15" otherwise."""
    if index.session.first_day == index.session.last_day:
        return clock_label(index, minute)
    return _("%(day)s at %(time)s") % {
        "day": document_date(day_of(index, minute), weekday=True),
        "time": clock_label(index, minute),
    }


def names(values: Iterable[str]) -> str:
    """ "A, B and C"."""
    items = list(values)
    if len(items) <= 1:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


# Why no planning exists -------------------------------------------------------------------------

_GROUPS = {
    "workstations": lambda: _("the number of workstations"),
    "jury": lambda: _("the jury members' presence and links (R-63, R-64)"),
    "order": lambda: _("the order of the tests, the final interview last (R-50)"),
}


def _no_days(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    return _("The session has no day to plan: check its first and last days.")


def _break_too_short(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    return _(
        "The lunch break lasts %(available)s, less than the %(needed)s a day of more than 6 hours must leave: "
        "lengthen the lunch break."
    ) % {"available": minutes_label(reason.available), "needed": minutes_label(reason.needed)}


def _part_longer_than_window(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    candidate = reason.candidates[0]
    return _(
        "“%(part)s” of %(candidate)s lasts %(needed)s (extra time included, R-85), longer than the longest "
        "stretch of a day between the opening, the lunch break and the closing (%(available)s): open the site "
        "earlier or close it later, or move the lunch break."
    ) % {
        "part": index.part_label(candidate, reason.part),
        "candidate": index.candidate_name(candidate),
        "needed": minutes_label(reason.needed),
        "available": minutes_label(reason.available),
    }


def _candidate_longer_than_session(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    return _(
        "The tests of %(candidate)s last %(needed)s in all (extra time included, R-85), more than the %(available)s "
        "the session is open: add a day to the session, or open the site longer."
    ) % {
        "candidate": index.candidate_name(reason.candidates[0]),
        "needed": minutes_label(reason.needed),
        "available": minutes_label(reason.available),
    }


def _too_few_free_jurors(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    text = ngettext(
        "%(candidate)s has %(available)d jury member free of any link with them on a same day, %(needed)d are "
        "needed (R-63, R-64).",
        "%(candidate)s has %(available)d jury members free of any link with them on a same day, %(needed)d are "
        "needed (R-63, R-64).",
        reason.available or 0,
    ) % {
        "candidate": index.candidate_name(reason.candidates[0]),
        "available": reason.available or 0,
        "needed": reason.needed or problem.jury_size,
    }
    if reason.jurors:
        text += " " + _("%(members)s cannot evaluate them.") % {
            "members": names(index.juror_name(j) for j in reason.jurors)
        }
    return text + " " + _("Invite another jury member free of any link with them.")


def _workstations_short(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    return ngettext(
        "The tests on a workstation need %(needed)s of workstation time, and the session's %(count)d workstation "
        "gives %(available)s: add workstations, add a day, or register fewer candidates.",
        "The tests on a workstation need %(needed)s of workstation time, and the session's %(count)d workstations "
        "give %(available)s: add workstations, add a day, or register fewer candidates.",
        problem.workstations,
    ) % {
        "needed": minutes_label(reason.needed),
        "available": minutes_label(reason.available),
        "count": problem.workstations,
    }


def _jury_time_short(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    return _(
        "The tests before the jury need %(needed)s, and the jury (%(members)s), sitting %(size)d at a time, can "
        "give %(available)s over the session (R-63): invite another jury member, add a day, or register fewer "
        "candidates."
    ) % {
        "needed": minutes_label(reason.needed),
        "available": minutes_label(reason.available),
        "members": names(index.juror_name(j) for j in reason.jurors) or _("nobody"),
        "size": problem.jury_size,
    }


def _combination(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    groups = [_GROUPS[g]() for g in (reason.part or "").split(",") if g in _GROUPS]
    text = _("Each constraint can be met on its own, but not all of them together.")
    if groups:
        text += " " + _("A planning would exist without the limits of %(groups)s.") % {"groups": names(groups)}
    return text + " " + _("Try another day, another jury member, fewer candidates or more workstations.")


def _not_found_in_time(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    return _(
        "No planning was found in the time allowed, and none is proven impossible either: compute again with more "
        "time, or ease the session (another day, another jury member, fewer candidates, more workstations)."
    )


INFEASIBILITY_MESSAGES: dict[str, Callable[[rules.Infeasibility, rules.Problem, Index], str]] = {
    rules.NO_DAYS: _no_days,
    rules.BREAK_TOO_SHORT: _break_too_short,
    rules.PART_LONGER_THAN_WINDOW: _part_longer_than_window,
    rules.CANDIDATE_LONGER_THAN_SESSION: _candidate_longer_than_session,
    rules.TOO_FEW_FREE_JURORS: _too_few_free_jurors,
    rules.WORKSTATIONS_SHORT: _workstations_short,
    rules.JURY_TIME_SHORT: _jury_time_short,
    rules.COMBINATION: _combination,
    rules.NOT_FOUND_IN_TIME: _not_found_in_time,
}


def infeasibility_message(reason: rules.Infeasibility, problem: rules.Problem, index: Index) -> str:
    builder = INFEASIBILITY_MESSAGES.get(reason.code)
    return builder(reason, problem, index) if builder is not None else reason.code


def infeasibility_text(reasons: Sequence[rules.Infeasibility], problem: rules.Problem, index: Index) -> str:
    """The whole explanation: one sentence per reason, after a heading sentence."""
    sentences = [infeasibility_message(r, problem, index) for r in reasons]
    return " ".join([_("No planning is possible for this session."), *sentences])


# What a planning would break ----------------------------------------------------------------------


def _slot_of(slots: Sequence[rules.Slot], candidate: int | None, part: str | None) -> rules.Slot | None:
    return next((s for s in slots if s.candidate == candidate and s.part == part), None)


def violation_message(
    violation: rules.Violation, problem: rules.Problem, index: Index, slots: Sequence[rules.Slot]
) -> str:
    candidate = violation.candidate
    values = {
        "candidate": index.candidate_name(candidate) if candidate is not None else "",
        "part": index.part_label(candidate or 0, violation.part),
        "juror": index.juror_name(violation.juror) if violation.juror is not None else "",
        "other": index.candidate_name(violation.other_candidate) if violation.other_candidate is not None else "",
        "workstation": violation.workstation or 0,
        "count": problem.workstations,
        "size": problem.jury_size,
        "minutes": minutes_label(violation.minutes),
    }
    slot = _slot_of(slots, candidate, violation.part)
    values["time"] = moment_label(index, slot.start) if slot is not None else ""
    code = violation.code
    if code == rules.JUROR_TWICE:
        return (
            _("%(juror)s (jury member) would be in two places at %(time)s: with %(other)s and %(candidate)s (R-63).")
            % values
        )
    if code == rules.WORKSTATION_TWICE:
        return (
            _("Workstation %(workstation)d would serve two candidates at %(time)s: %(other)s and %(candidate)s.")
            % values
        )
    if code == rules.JUROR_CONFLICTED:
        return _("%(juror)s (jury member) has a link with %(candidate)s and cannot evaluate them (R-64).") % values
    if code == rules.JUROR_UNAVAILABLE:
        return _("%(juror)s (jury member) is not there when “%(part)s” of %(candidate)s takes place.") % values
    if code == rules.JUROR_UNKNOWN:
        return _("A jury member of “%(part)s” of %(candidate)s is not in the session's accepted jury (R-63).") % values
    if code == rules.JURY_MISSING:
        return _("“%(part)s” of %(candidate)s needs at least %(size)d jury members present (R-63).") % values
    if code == rules.OUTSIDE_HOURS:
        return (
            _(
                "“%(part)s” of %(candidate)s would fall outside the opening hours or across the lunch break "
                "(from %(time)s)."
            )
            % values
        )
    if code == rules.ORDER:
        return (
            _(
                "The tests of %(candidate)s would no longer follow the catalogue's order, one at a time and the final "
                "interview last (R-50): see “%(part)s”."
            )
            % values
        )
    if code == rules.WRONG_DURATION:
        return _("“%(part)s” of %(candidate)s lasts %(minutes)s (extra time included, R-85).") % values
    if code == rules.WORKSTATION_MISSING:
        return _("“%(part)s” of %(candidate)s needs a workstation.") % values
    if code == rules.WORKSTATION_UNKNOWN:
        return (
            ngettext(
                "The session has %(count)d workstation: there is no workstation %(workstation)d.",
                "The session has %(count)d workstations: there is no workstation %(workstation)d.",
                problem.workstations,
            )
            % values
        )
    if code == rules.END_MOVED:
        fixed = violation.minutes
        values["time"] = moment_label(index, fixed) if fixed is not None else ""
        return (
            _("“%(part)s” of %(candidate)s ends at %(time)s: the end of a late candidate's test is never moved (R-45).")
            % values
        )
    if code == rules.WAIT_TOO_LONG:
        return (
            _("%(candidate)s would wait %(minutes)s before “%(part)s”, more than an hour, breaks not counted.") % values
        )
    if code == rules.PART_MISSING:
        return _("“%(part)s” of %(candidate)s would no longer be planned.") % values
    if code in (rules.PART_UNKNOWN, rules.CANDIDATE_TWICE):
        return _("“%(part)s” of %(candidate)s is planned twice or is not one of their tests.") % values
    return code


def violations_text(
    violations: Sequence[rules.Violation], problem: rules.Problem, index: Index, slots: Sequence[rules.Slot]
) -> str:
    return " ".join(dict.fromkeys(violation_message(v, problem, index, slots) for v in violations))
