"""The results figures (reports.queries) on real TSSR 2023 sessions deliberated and validated through the services,
and the pages that show them: the table, the chart (one bar group per row), the CSV export, the filters."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats
from tests.deliberation.world import Held, held_session
from tests.factories import current_fictional_version, make_candidate, make_centre, user_with_role
from tests.helpers import login_as
from tests.session_world import TSSR_FIRST_DAY

from titrepro.accounts.models import RoleKind
from titrepro.core import dating
from titrepro.deliberation import services
from titrepro.deliberation.models import Decision, Minutes
from titrepro.reports import queries
from titrepro.sessions import services as session_services
from titrepro.sessions.models import ExamSession, Registration

pytestmark = pytest.mark.django_db

ALL = [1, 2]  # TSSR 2023 has two CCPs
CENTRE_PAGE = reverse("reports:centre_results")
AUTHORITY_PAGE = reverse("reports:authority_results")
# The columns of the export after those that say what the row is (tests read cells by position).
FIGURES = ["registered", "present", "title_awarded", "partial_success", "failure", "absent", "awarded", "rate"]


def _deliberate(held: Held, decisions: list[dict[str, Any]], *, validate: bool = True) -> None:
    """Each registration decided as given (``absent``: marked absent first), the PV signed by both members,
    submitted by the centre and (``validate``) validated by the authority, on the session's day."""
    w = held.world
    juror = held.member_user(0)
    with dating.replaying(TSSR_FIRST_DAY):
        for registration, decision in zip(held.registrations, decisions, strict=True):
            if decision["result"] == "absent":
                session_services.record_attendance(
                    w.staff, registration, attendance="absent", arrived_at=None, note="", portfolio_handed_in=False
                )
            services.decide(juror, registration, **decision)
        minutes = services.current_minutes(held.session)
        for index in range(len(held.jury)):
            services.sign(held.member_user(index), minutes)
        minutes = services.submit(w.staff, minutes)
        if validate:
            services.validate(w.agent, minutes)


TITLE = {"result": "title_awarded", "ccps": ALL, "final_interview_held": True}
PARTIAL = {"result": "partial_success", "ccps": [1], "reason": "CCP 2 : sauvegarde non maîtrisée."}
FAILURE = {"result": "failure", "reason": "Aucun CCP acquis."}
ABSENT = {"result": "absent"}


@pytest.fixture
def sessions(builtin_catalogue: Any) -> dict[str, Held]:
    """Three TSSR title sessions, each at its own centre: ``first`` (a title, a partial success, a failure, an
    absence) and ``second`` (a title, a failure) validated; ``unvalidated`` submitted, not validated yet."""
    first = held_session(candidates=4)
    _deliberate(first, [TITLE, PARTIAL, FAILURE, ABSENT])
    second = held_session(candidates=2)
    _deliberate(second, [TITLE, FAILURE])
    unvalidated = held_session(candidates=2)
    _deliberate(unvalidated, [TITLE, TITLE], validate=False)
    return {"first": first, "second": second, "unvalidated": unvalidated}


def _counts(row: queries.Figures) -> tuple[int, ...]:
    return (
        row.registered,
        row.present,
        row.title_awarded,
        row.partial_success,
        row.failure,
        row.absent,
        row.awarded,
    )


def test_the_figures_by_session_count_only_validated_pvs(
    sessions: dict[str, Held], django_assert_num_queries: Any
) -> None:
    first, second = sessions["first"].session, sessions["second"].session
    rows = queries.results(ExamSession.objects.all(), "session")
    # Same first day: in the order of their numbers.
    assert [row.key for row in rows] == [s.pk for s in sorted([first, second], key=lambda s: s.number)]
    by_key = {row.key: row for row in rows}
    assert _counts(by_key[first.pk]) == (4, 3, 1, 1, 1, 1, 0)
    assert _counts(by_key[second.pk]) == (2, 2, 1, 0, 1, 0, 0)
    assert by_key[first.pk].rate == pytest.approx(1 / 3)
    assert by_key[first.pk].percent == 33.3
    assert by_key[second.pk].percent == 50.0
    assert by_key[first.pk].session_number == first.number
    assert by_key[first.pk].title_code == "TP-01351"
    assert by_key[first.pk].version_label == "2023"
    assert sessions["unvalidated"].session.pk not in by_key
    # Each figure is one query, whatever the number of sessions.
    for group in queries.GROUPS:
        with django_assert_num_queries(1):
            queries.results(ExamSession.objects.all(), group)
    with django_assert_num_queries(1):
        queries.totals(ExamSession.objects.all())


def test_the_figures_by_centre_and_by_version_and_the_filters(sessions: dict[str, Held]) -> None:
    first, second = sessions["first"], sessions["second"]
    every = ExamSession.objects.all()
    by_centre = {row.key: row for row in queries.results(every, "centre")}
    assert set(by_centre) == {first.world.centre.pk, second.world.centre.pk}
    assert _counts(by_centre[first.world.centre.pk]) == (4, 3, 1, 1, 1, 1, 0)
    assert by_centre[second.world.centre.pk].centre_name == second.world.centre.name

    (version,) = queries.results(every, "version")
    assert version.key == first.session.version_id
    assert _counts(version) == (6, 5, 2, 1, 2, 1, 0)
    assert version.percent == 40.0

    total = queries.totals(every)
    assert _counts(total) == _counts(version)
    assert total.key is None

    # The scope (the sessions given) and the filters narrow the sessions.
    mine = queries.results(ExamSession.objects.filter(centre=first.world.centre), "session")
    assert [row.key for row in mine] == [first.session.pk]
    assert queries.results(queries.filtered(every, year=TSSR_FIRST_DAY.year - 1), "session") == []
    assert len(queries.results(queries.filtered(every, year=TSSR_FIRST_DAY.year), "session")) == 2
    assert queries.results(queries.filtered(every, title="TP-00000"), "session") == []
    assert queries.result_years(every) == [TSSR_FIRST_DAY.year]
    assert [code for code, _label in queries.result_titles(every)] == ["TP-01351"]


def _fictional_session(kind: str, results: list[tuple[str, str]], *, status: str = "held") -> ExamSession:
    """A session built directly (not through the services) with a validated PV: one registration per
    (attendance, result)."""
    centre = make_centre()
    version = current_fictional_version()
    day = datetime.date(2026, 6, 1)
    session = ExamSession.objects.create(
        number=f"{kind}-{centre.code}",
        kind=kind,
        version=version,
        centre=centre,
        site_address="1 rue de l’Exemple, 69000 Lyon",
        first_day=day,
        last_day=day,
        capacity=12,
        status=status,
    )
    for attendance, result in results:
        registration = Registration.objects.create(
            session=session, candidate=make_candidate(centre=centre), registered_on=day, attendance=attendance
        )
        Decision.objects.create(registration=registration, result=result)
    Minutes.objects.create(session=session, number=f"PV-{session.number}", status="validated")
    return session


def test_a_ccp_session_succeeds_by_its_awards_and_an_annulled_one_does_not_count(db: None) -> None:
    ccp = _fictional_session("ccp", [("present", "awarded"), ("late", "title_awarded"), ("present", "failure")])
    _fictional_session("ccp", [("present", "awarded")], status="annulled")
    withdrawn = Registration.objects.create(
        session=ccp, candidate=make_candidate(centre=ccp.centre), registered_on=ccp.first_day, status="withdrawn"
    )
    assert withdrawn.pk
    (row,) = queries.results(ExamSession.objects.all(), "session")
    assert row.key == ccp.pk
    assert _counts(row) == (3, 3, 1, 0, 1, 0, 1)
    # Every CCP sat awarded, or the title they complete: 2 successes over 3 present.
    assert row.successes == 2
    assert row.percent == 66.7
    assert row.kind == "ccp"


def test_nobody_present_has_no_rate(db: None) -> None:
    _fictional_session("title", [("absent", "absent"), ("refused", "absent_excused")])
    (row,) = queries.results(ExamSession.objects.all(), "session")
    assert _counts(row) == (2, 0, 0, 0, 0, 2, 0)
    assert row.rate is None
    assert row.percent is None


# The pages ----------------------------------------------------------------------------------------------------------


def _table_rows(page: str) -> list[str]:
    return re.findall(r'<tr data-row="(\d+)"', page)


def _chart_rows(page: str) -> list[str]:
    svg = page[page.index("<svg") : page.index("</svg>")]
    return re.findall(r'<g data-row="(\d+)"', svg)


def test_the_centre_sees_its_own_sessions_as_a_table_and_a_chart(client: Client, sessions: dict[str, Held]) -> None:
    first = sessions["first"]
    login_as(client, first.world.staff)
    page = client.get(CENTRE_PAGE).content.decode()
    assert _table_rows(page) == [str(first.session.pk)]
    assert _chart_rows(page) == _table_rows(page)
    assert f'data-row="{first.session.pk}" data-registered="4" data-present="3" data-successes="1"' in page
    assert 'data-total="" data-registered="4" data-present="3" data-successes="1"' in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    assert 'role="img"' in svg
    assert 'aria-labelledby="results-chart-caption"' in svg
    assert 'id="results-chart-caption"' in page
    assert sorted(re.findall(r'data-part="(\w+)" data-count="(\d+)"', svg)) == [
        ("absent", "1"),
        ("failure", "1"),
        ("partial", "1"),
        ("success", "1"),
    ]
    assert "?format=csv" in page
    # Each session's row opens its page.
    session_page = reverse("sessions:centre_session_detail", args=[first.session.pk])
    assert f'<a href="{session_page}">{first.session.number}' in page
    assert page.count('<a href="/espace/centre/sessions/') == 1


def _csv(response: Any) -> list[list[str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def test_the_national_administrator_groups_every_centre_and_exports_the_same_table(
    client: Client, sessions: dict[str, Held]
) -> None:
    first, second = sessions["first"], sessions["second"]
    login_as(client, user_with_role(RoleKind.NATIONAL_ADMIN))
    page = client.get(AUTHORITY_PAGE, {"par": "centre"}).content.decode()
    assert set(_table_rows(page)) == {str(first.world.centre.pk), str(second.world.centre.pk)}
    assert _chart_rows(page) == _table_rows(page)
    page = client.get(AUTHORITY_PAGE, {"par": "version"}).content.decode()
    assert _table_rows(page) == [str(first.session.version_id)]

    with dating.replaying(datetime.date(2026, 7, 1)):
        response = client.get(AUTHORITY_PAGE, {"format": "csv", "par": "session"})
    assert response["Content-Disposition"] == 'attachment; filename="results-session-2026-07-01.csv"'
    header, *lines = _csv(response)
    assert len(header) == 6 + len(FIGURES)
    by_number = {line[0]: dict(zip(FIGURES, line[6:], strict=True)) for line in lines}
    assert set(by_number) == {first.session.number, second.session.number, lines[-1][0]}
    assert by_number[first.session.number] == {
        "registered": "4",
        "present": "3",
        "title_awarded": "1",
        "partial_success": "1",
        "failure": "1",
        "absent": "1",
        "awarded": "0",
        "rate": formats.number_format(33.3, 1),
    }
    first_line = next(line for line in lines if line[0] == first.session.number)
    assert first_line[1] == TSSR_FIRST_DAY.strftime("%d/%m/%Y")
    assert first_line[3] == first.world.centre.name
    assert first_line[4:6] == ["TP-01351", "2023"]
    total = lines[-1]
    assert total[6:] == ["6", "5", "2", "1", "2", "1", "0", formats.number_format(40.0, 1)]

    header, *lines = _csv(client.get(AUTHORITY_PAGE, {"format": "csv", "par": "version"}))
    assert len(header) == 3 + len(FIGURES)
    assert lines[0][:3] == ["TP-01351", first.session.version.title.label, "2023"]
    assert lines[0][3:5] == ["6", "5"]

    xlsx = client.get(AUTHORITY_PAGE, {"format": "xlsx", "par": "centre"})
    assert xlsx["Content-Disposition"].startswith('attachment; filename="results-centre-')
    assert xlsx.content[:2] == b"PK"


def test_the_filters_and_a_forged_link(client: Client, sessions: dict[str, Held]) -> None:
    first = sessions["first"]
    login_as(client, first.world.agent)
    page = client.get(AUTHORITY_PAGE, {"annee": str(TSSR_FIRST_DAY.year - 1)}).content.decode()
    # A year without results is not a choice: dropped, the latest year with results applies.
    assert _table_rows(page) == [str(first.session.pk)]
    page = client.get(AUTHORITY_PAGE, {"annee": "", "titre": "TP-01351"}).content.decode()
    assert _table_rows(page) == [str(first.session.pk)]
    forged = {"par": "candidat", "annee": "deux-mille", "titre": "<script>", "page": "-3", "format": "pdf"}
    response = client.get(AUTHORITY_PAGE, forged)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-group="session"' in page
    assert _table_rows(page) == [str(first.session.pk)]
    assert "&lt;script&gt;" not in page


def test_the_empty_state(client: Client, db: None) -> None:
    login_as(client, user_with_role(RoleKind.CENTRE_STAFF, centre=make_centre()))
    response = client.get(CENTRE_PAGE)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="results-empty"' in page
    assert 'id="results-chart"' not in page
    assert _table_rows(page) == []
