"""The centre's calendar of sessions (/espace/centre/sessions/calendrier/): a month grid and its list."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.factories import centre_staff, current_fictional_version, make_approval, make_centre, today
from tests.helpers import login_as
from tests.session_world import World, make_world

from titrepro.sessions import services
from titrepro.sessions.models import ExamSession
from titrepro.sessions.queries import month_end, shift_month

pytestmark = pytest.mark.django_db

CALENDAR = reverse("sessions:centre_session_calendar")


@pytest.fixture
def world() -> World:
    return make_world()


@pytest.fixture
def staff(client: Client, world: World) -> Client:
    return login_as(client, world.staff)


def ahead(months: int) -> datetime.date:
    """The first day of the month ``months`` after the current one."""
    month = shift_month(today().replace(day=1), months)
    assert month is not None
    return month


def session_on(world: World, first: datetime.date, last: datetime.date) -> ExamSession:
    return world.draft(first_day=first, last_day=last)


def page_of(staff: Client, month: datetime.date | str | None = None) -> str:
    query = "" if month is None else f"?mois={month if isinstance(month, str) else month.strftime('%Y-%m')}"
    response = staff.get(CALENDAR + query)
    assert response.status_code == 200
    return response.content.decode()


def days_showing(page: str, number: str) -> list[str]:
    """The days (YYYY-MM-DD) of the grid whose cell lists the session ``number``."""
    cells = re.findall(r'<td class="[^"]*" data-day="([\d-]+)">(.*?)</td>', page, re.S)
    return [day for day, cell in cells if f'data-session="{number}"' in cell]


def test_a_session_is_on_each_of_its_days_with_its_number_title_and_link(staff: Client, world: World) -> None:
    month = ahead(3)
    session = session_on(world, month.replace(day=10), month.replace(day=12))
    page = page_of(staff, month)
    assert days_showing(page, session.number) == [month.replace(day=d).isoformat() for d in (10, 11, 12)]
    link = reverse("sessions:centre_session_detail", args=[session.pk])
    assert page.count(f'href="{link}"') == 4  # three days of the grid and the list below
    assert f"{session.number} {session.version.title.code}" in page
    assert session.site_address in page


def test_the_grid_is_an_accessible_table_in_french_monday_first(staff: Client, world: World) -> None:
    page = page_of(staff, datetime.date(2027, 12, 1))
    headers = re.findall(r'<th scope="col">([^<]*)</th>', page.split('id="session-calendar-list"')[0])
    assert headers == ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
    assert "<caption>" in page
    assert "décembre 2027" in page
    assert page.count('class="fr-table__container" tabindex="0"') == 2
    # 1 December 2027 is a Wednesday: the Monday and Tuesday before it are November's, left empty.
    first_row = page.split("<tbody>")[1].split("</tr>")[0]
    assert first_row.count("data-other-month") == 2
    assert 'data-day="2027-12-01"' in first_row


def test_a_session_spanning_two_months_is_in_both(staff: Client, world: World) -> None:
    month = ahead(3)
    following = ahead(4)
    session = session_on(world, month_end(month) - datetime.timedelta(days=1), following.replace(day=2))
    assert days_showing(page_of(staff, month), session.number) == [
        (month_end(month) - datetime.timedelta(days=1)).isoformat(),
        month_end(month).isoformat(),
    ]
    assert days_showing(page_of(staff, following), session.number) == [
        following.isoformat(),
        following.replace(day=2).isoformat(),
    ]
    assert session.number not in page_of(staff, ahead(5))


def test_a_cancelled_session_is_shown_struck_with_its_status(staff: Client, world: World) -> None:
    month = ahead(3)
    session = services.cancel_session(
        world.staff, session_on(world, month.replace(day=5), month.replace(day=5)), reason="Salle indisponible"
    )
    page = page_of(staff, month)
    assert days_showing(page, session.number) == [month.replace(day=5).isoformat()]
    assert f"<s>{session.number} {session.version.title.code}</s>" in page
    assert page.count('data-status="cancelled"') == 2  # in the grid and in the list


def test_the_months_are_listed_in_date_order(staff: Client, world: World) -> None:
    month = ahead(3)
    later = session_on(world, month.replace(day=20), month.replace(day=20))
    sooner = session_on(world, month.replace(day=3), month.replace(day=4))
    listing = page_of(staff, month).split('id="session-calendar-list"')[1]
    assert listing.index(sooner.number) < listing.index(later.number)


def test_another_centres_session_is_not_in_the_calendar(staff: Client, world: World) -> None:
    month = ahead(3)
    ours = session_on(world, month.replace(day=8), month.replace(day=8))
    other = make_centre()
    make_approval(centre=other, version=current_fictional_version())
    theirs = services.create_session(
        centre_staff(other),
        other,
        kind="title",
        version=current_fictional_version(),
        first_day=month.replace(day=8),
        last_day=month.replace(day=9),
        site_address="99 avenue d’Ailleurs, 13001 Marseille",
        capacity=5,
    )
    page = page_of(staff, month)
    assert ours.number in page
    assert theirs.number not in page
    assert "avenue d’Ailleurs" not in page


def test_previous_next_and_today_from_december_to_january(staff: Client, world: World) -> None:
    page = page_of(staff, "2027-12")
    assert 'href="?mois=2027-11"' in page
    assert 'href="?mois=2028-01"' in page
    assert f'href="{CALENDAR}"' in page  # today
    january = page_of(staff, "2028-01")
    assert 'href="?mois=2027-12"' in january
    assert 'href="?mois=2028-02"' in january
    assert 'data-month="2028-01"' in january


def test_the_last_month_titrepro_stores_has_no_next_link(staff: Client, world: World) -> None:
    page = page_of(staff, "2200-12")
    assert 'data-month="2200-12"' in page
    assert 'rel="next"' not in page
    assert 'href="?mois=2200-11"' in page


@pytest.mark.parametrize(
    "value", ["", "2027-13", "2027-00", "27-03", "mars", "0000-01", "9999-01", "2027-03-01", "%00"]
)
def test_a_bad_month_gives_the_current_month(staff: Client, world: World, value: str) -> None:
    page = page_of(staff, value)
    assert f'data-month="{today().strftime("%Y-%m")}"' in page


def test_without_a_month_the_current_one_with_today_marked(staff: Client, world: World) -> None:
    session = session_on(world, world.first_day(), world.first_day())
    page = page_of(staff)
    assert f'data-month="{today().strftime("%Y-%m")}"' in page
    assert f'<time datetime="{today().isoformat()}" aria-current="date"' in page
    assert session.number not in page  # 60 days ahead: never in the current month


def test_the_list_and_the_calendar_link_to_each_other(staff: Client, world: World) -> None:
    listing = staff.get(reverse("sessions:centre_session_list")).content.decode()
    assert f'id="list-to-calendar" href="{CALENDAR}"' in listing
    assert f'id="calendar-to-list" href="{reverse("sessions:centre_session_list")}"' in page_of(staff)


def test_the_queries_do_not_grow_with_the_sessions(staff: Client, world: World) -> None:
    month = ahead(3)
    session_on(world, month.replace(day=2), month.replace(day=3))
    with CaptureQueriesContext(connection) as one:
        page_of(staff, month)
    for day in (5, 9, 15, 22):
        session_on(world, month.replace(day=day), month.replace(day=day + 2))
    with CaptureQueriesContext(connection) as five:
        page = page_of(staff, month)
    assert page.count('<tr data-session="') == 5
    assert len(five) == len(one)
