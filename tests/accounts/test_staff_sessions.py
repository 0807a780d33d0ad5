"""Staff sessions end after 30 minutes idle and after 12 hours in all (issue 11, item 12)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.factories import make_centre, user_with_role
from tests.helpers import login_as
from titrepro.accounts import middleware
from titrepro.accounts.models import RoleKind

pytestmark = pytest.mark.django_db


class Clock:
    def __init__(self, monkeypatch: Any) -> None:
        self.moment = 1_800_000_000.0
        monkeypatch.setattr(middleware, "now", lambda: self.moment)


@pytest.fixture
def clock(monkeypatch: Any) -> Clock:
    return Clock(monkeypatch)


def staff_client(client: Client) -> Client:
    return login_as(client, user_with_role(RoleKind.CENTRE_STAFF, centre=make_centre()))


def test_thirty_minutes_without_activity_end_a_staff_session(client: Client, clock: Clock) -> None:
    staff_client(client)
    assert client.get("/compte/").status_code == 200
    clock.moment += 29 * 60
    assert client.get("/compte/").status_code == 200  # activity moves the idle clock
    clock.moment += 29 * 60
    assert client.get("/compte/").status_code == 200
    clock.moment += 31 * 60
    response = client.get("/compte/")
    assert response.status_code == 302
    assert response["Location"].startswith("/compte/connexion/")
    login_page = client.get(response["Location"]).content.decode()
    assert "30 minutes" in login_page
    assert client.get("/api/v1/accounts/me").status_code == 401


def test_twelve_hours_end_a_staff_session_even_when_active(client: Client, clock: Clock) -> None:
    staff_client(client)
    for _quarter in range(60):
        clock.moment += 15 * 60
        response = client.get("/compte/")
        if response.status_code == 302:
            break
    assert response.status_code == 302
    assert clock.moment - 1_800_000_000.0 > 12 * 3600 - 15 * 60


def test_a_candidate_session_is_not_cut(client: Client, clock: Clock) -> None:
    from tests.factories import make_candidate

    candidate = make_candidate()
    client.force_login(user_with_role(RoleKind.CANDIDATE, candidate=candidate))
    assert client.get("/compte/").status_code == 200
    clock.moment += 2 * 3600
    assert client.get("/compte/").status_code == 200
