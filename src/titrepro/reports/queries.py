"""The results of the exam sessions, counted by session, by centre or by title version.

Which sessions have results: those whose PV the authority validated (R-72), and not annulled (R-81: the
results of an annulled session no longer stand). A PV under way, submitted or returned gives no result yet; a
corrective PV after an upheld appeal is validated in the same transaction that supersedes the old one, so a
session always has at most one validated PV, and its decisions are the ``Decision`` rows (a decision cannot
change once the PV is submitted).

The figures of a group (``Figures``), over the registrations of those sessions still registered (withdrawals
excluded):

- ``registered``: the registrations;
- ``present``: attendance present, or late and admitted (``present``, ``late``);
- ``title_awarded``, ``partial_success``, ``failure``, ``awarded``: the jury's decisions with that result
  (``awarded``: every CCP sat at a CCP session, the CCS at a CCS session);
- ``absent``: the decisions absent, excused or not (``absent``, ``absent_excused``);
- ``successes``: the candidates who obtained what the session was for — the title at a title session
  (``title_awarded``), every CCP sat at a CCP session (``awarded``, or ``title_awarded`` when those CCPs complete
  the title) and the CCS at a CCS session (``awarded``); that is ``title_awarded + awarded`` in every kind;
- the **success rate** is ``successes / present``: at a title session ``title_awarded / present``, at a CCP or
  CCS session ``awarded / present`` (plus the titles a CCP session completed); none when nobody was present.

Everything is counted by the database in one grouped query (``grouped``) and one for the totals (``totals``),
whatever the number of sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from titrepro.catalogue.models import SessionKind
from titrepro.deliberation.models import Minutes, MinutesStatus, Result
from titrepro.sessions.models import Attendance, ExamSession, Registration, RegistrationStatus, SessionStatus

GroupBy = Literal["session", "centre", "version"]
GROUPS: tuple[GroupBy, ...] = ("session", "centre", "version")

PRESENT = (Attendance.PRESENT, Attendance.LATE)
ABSENT = (Result.ABSENT, Result.ABSENT_EXCUSED)

# The figures every group has, each a count of registrations (one decision at most per registration).
COUNTS = {
    "registered": Count("pk"),
    "present": Count("pk", filter=Q(attendance__in=PRESENT)),
    "title_awarded": Count("pk", filter=Q(decision__result=Result.TITLE_AWARDED)),
    "partial_success": Count("pk", filter=Q(decision__result=Result.PARTIAL_SUCCESS)),
    "failure": Count("pk", filter=Q(decision__result=Result.FAILURE)),
    "absent": Count("pk", filter=Q(decision__result__in=ABSENT)),
    "awarded": Count("pk", filter=Q(decision__result=Result.AWARDED)),
}

# What a group is about: the fields of a registration's session it is grouped on (the first one is its key),
# each read into the ``Figures`` attribute it names; and the order of the rows.
ABOUT: dict[GroupBy, dict[str, str]] = {
    "session": {
        "session_id": "key",
        "session__number": "session_number",
        "session__first_day": "first_day",
        "session__kind": "kind",
        "session__centre__code": "centre_code",
        "session__centre__name": "centre_name",
        "session__version__title__code": "title_code",
        "session__version__title__label": "title_label",
        "session__version__label": "version_label",
    },
    "centre": {
        "session__centre_id": "key",
        "session__centre__code": "centre_code",
        "session__centre__name": "centre_name",
    },
    "version": {
        "session__version_id": "key",
        "session__version__title__code": "title_code",
        "session__version__title__label": "title_label",
        "session__version__label": "version_label",
    },
}
ORDER: dict[GroupBy, tuple[str, ...]] = {
    "session": ("-session__first_day", "session__number"),
    "centre": ("session__centre__name", "session__centre__code"),
    "version": ("session__version__title__code", "session__version__label", "session__version_id"),
}


@dataclass(frozen=True)
class Figures:
    """The results of one group (a session, a centre, a title version), or their total (``key`` None)."""

    key: int | None = None
    registered: int = 0
    present: int = 0
    title_awarded: int = 0
    partial_success: int = 0
    failure: int = 0
    absent: int = 0
    awarded: int = 0
    # What the group is about (the attributes its kind of group has; the others stay empty).
    session_number: str = ""
    first_day: date | None = None
    kind: str = ""
    centre_code: str = ""
    centre_name: str = ""
    title_code: str = ""
    title_label: str = ""
    version_label: str = ""

    @property
    def successes(self) -> int:
        """What the session was for, obtained: the title (title session), every CCP sat or the title they
        complete (CCP session), the CCS (CCS session)."""
        return self.title_awarded + self.awarded

    @property
    def decided(self) -> int:
        """The candidates the jury decided for, whatever the result (what the chart's bar shares out)."""
        return self.successes + self.partial_success + self.failure + self.absent

    @property
    def rate(self) -> float | None:
        """The success rate, ``successes / present`` (0 to 1); None when nobody was present."""
        return self.successes / self.present if self.present else None

    @property
    def percent(self) -> float | None:
        """The success rate in per cent, rounded to one decimal."""
        return None if self.rate is None else round(100 * self.rate, 1)

    @property
    def kind_label(self) -> str:
        return str(SessionKind(self.kind).label) if self.kind in SessionKind.values else self.kind

    @property
    def label(self) -> str:
        """How the chart names the row."""
        if self.session_number:
            return self.session_number
        if self.centre_name:
            return self.centre_name
        if self.title_code:
            return f"{self.title_code} {self.version_label}".strip()
        return ""


def with_results(sessions: QuerySet[ExamSession]) -> QuerySet[ExamSession]:
    """The sessions of ``sessions`` (already scoped to the user) that have results: a validated PV, not annulled."""
    validated = Minutes.objects.filter(session=OuterRef("pk"), status=MinutesStatus.VALIDATED)
    return sessions.filter(Exists(validated)).exclude(status=SessionStatus.ANNULLED)


def filtered(sessions: QuerySet[ExamSession], *, year: int | None = None, title: str = "") -> QuerySet[ExamSession]:
    """The sessions whose first day falls in ``year``, of the title whose code is ``title`` (each when given)."""
    if year is not None:
        sessions = sessions.filter(first_day__year=year)
    if title:
        sessions = sessions.filter(version__title__code=title)
    return sessions


def result_years(sessions: QuerySet[ExamSession]) -> list[int]:
    """The years (of their first day) of the sessions with results, the latest first."""
    return [day.year for day in with_results(sessions).order_by().dates("first_day", "year", order="DESC")]


def result_titles(sessions: QuerySet[ExamSession]) -> list[tuple[str, str]]:
    """The titles (code, label) of the sessions with results, by code."""
    rows = with_results(sessions).order_by().values_list("version__title__code", "version__title__label").distinct()
    return sorted(set(rows))


def _registrations(sessions: QuerySet[ExamSession]) -> QuerySet[Registration]:
    return Registration.objects.filter(
        session__in=with_results(sessions).values("pk"), status=RegistrationStatus.REGISTERED
    )


def grouped(sessions: QuerySet[ExamSession], group_by: GroupBy) -> QuerySet[Registration, dict[str, Any]]:
    """One row (a dict) per group of the sessions with results, with its counts: one query, in the rows' order.

    Lazy, so a page can paginate it; ``figures`` reads its rows."""
    rows: QuerySet[Registration, dict[str, Any]] = (
        _registrations(sessions).order_by().values(*ABOUT[group_by]).annotate(**COUNTS)
    )
    return rows.order_by(*ORDER[group_by])


def figures(rows: Iterable[dict[str, Any]], group_by: GroupBy) -> list[Figures]:
    """The rows of ``grouped`` as ``Figures``."""
    about = ABOUT[group_by]
    return [
        Figures(
            **{name: row[name] for name in COUNTS},
            **{attribute: row[field] for field, attribute in about.items()},
        )
        for row in rows
    ]


def results(sessions: QuerySet[ExamSession], group_by: GroupBy) -> list[Figures]:
    """The figures of every group of the sessions with results (``sessions`` scoped to the user and filtered)."""
    return figures(grouped(sessions, group_by), group_by)


def totals(sessions: QuerySet[ExamSession]) -> Figures:
    """The figures of every session with results together (one query)."""
    return Figures(**_registrations(sessions).aggregate(**COUNTS))
