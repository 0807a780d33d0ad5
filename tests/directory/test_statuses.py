"""Issue 9, item 4: statuses read against today. An approval that ended on 31 August 2026 showed
"ACTIF" in December and offered "Suspendre" and "Retirer"; expired habilitations carried no mark."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext
from tests.factories import (
    agent_of,
    make_approval,
    make_centre,
    make_habilitation,
    make_jury_member,
    member_user,
    today,
)
from tests.helpers import login_as

from titrepro.directory.models import ApprovalStatus
from titrepro.directory.statuses import approval_status, habilitation_status

DAY = datetime.date(2026, 12, 2)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "until", "expected"),
    [
        (ApprovalStatus.ACTIVE, datetime.date(2026, 8, 31), "expired"),  # ended, not yet settled
        (ApprovalStatus.SUSPENDED, datetime.date(2026, 8, 31), "expired"),
        (ApprovalStatus.EXPIRED, datetime.date(2026, 8, 31), "expired"),
        (ApprovalStatus.ACTIVE, DAY, "ending"),  # its last day
        (ApprovalStatus.ACTIVE, datetime.date(2027, 3, 1), "ending"),
        (ApprovalStatus.ACTIVE, datetime.date(2027, 6, 1), "in_force"),
        (ApprovalStatus.SUSPENDED, datetime.date(2027, 6, 1), "suspended"),
    ],
)
def test_approval_status_on_a_day(status: str, until: datetime.date, expected: str) -> None:
    approval = make_approval(granted_on=datetime.date(2025, 3, 1), valid_until=until)
    approval.status = status
    assert approval_status(approval, DAY).code == expected


@pytest.mark.django_db
def test_habilitation_status_on_a_day() -> None:
    member = make_jury_member()
    ended = make_habilitation(
        member=member, granted_on=datetime.date(2024, 1, 1), valid_until=datetime.date(2026, 8, 31)
    )
    assert habilitation_status(ended, DAY).code == "expired"
    assert habilitation_status(ended, datetime.date(2026, 8, 31)).code == "ending"
    assert habilitation_status(ended, datetime.date(2026, 1, 1)).code == "in_force"


@pytest.mark.django_db
def test_an_approval_past_its_end_shows_expired_and_offers_no_action(client: Client) -> None:
    centre = make_centre()
    approval = make_approval(
        centre=centre,
        granted_on=today() - datetime.timedelta(days=400),
        valid_until=today() - datetime.timedelta(days=1),
    )
    assert approval.status == ApprovalStatus.ACTIVE  # the nightly settle has not run
    login_as(client, agent_of(centre.authority))
    page = client.get(reverse("directory:approval_detail", args=[approval.pk])).content.decode()
    assert gettext("Expired") in page
    assert reverse("directory:approval_suspend", args=[approval.pk]) not in page
    assert reverse("directory:approval_withdraw", args=[approval.pk]) not in page
    centre_page = client.get(reverse("directory:centre_detail", args=[centre.pk])).content.decode()
    assert 'data-status="expired"' in centre_page


@pytest.mark.django_db
def test_the_centre_list_filters_by_status(client: Client) -> None:
    ending, expired, fine = make_centre(name="Ending"), make_centre(name="Expired"), make_centre(name="Fine")
    for centre in (expired, fine):
        centre.authority = ending.authority
        centre.save()
    make_approval(centre=ending, valid_until=today() + datetime.timedelta(days=30))
    make_approval(centre=expired, expired=True)
    make_approval(centre=fine, valid_until=today() + datetime.timedelta(days=400))
    login_as(client, agent_of(ending.authority))
    url = reverse("directory:centre_list")

    def names(query: str) -> list[str]:
        page = client.get(f"{url}?statut={query}").content.decode()
        return re.findall(r'href="/espace/dreets/centres/\d+/">([^<]+)</a>', page)

    assert names("ending") == ["Ending"]
    assert names("expired") == ["Expired"]
    assert names("in_force") == ["Fine"]
    assert sorted(names("")) == ["Ending", "Expired", "Fine"]
    assert sorted(names("nonsense")) == ["Ending", "Expired", "Fine"]


@pytest.mark.django_db
def test_expired_habilitations_are_marked_for_the_agent_and_the_member(client: Client) -> None:
    member = make_jury_member()
    old = make_habilitation(
        member=member,
        granted_on=today() - datetime.timedelta(days=800),
        valid_until=today() - datetime.timedelta(days=90),
    )
    login_as(client, agent_of(member.authority))
    detail = client.get(reverse("directory:jury_member_detail", args=[member.pk])).content.decode()
    assert 'data-status="expired"' in detail
    assert reverse("directory:habilitation_end", args=[old.pk]) not in detail  # nothing to end
    listing = client.get(reverse("directory:jury_member_list") + "?statut=expired").content.decode()
    assert member.last_name in listing
    assert (
        member.last_name not in client.get(reverse("directory:jury_member_list") + "?statut=in_force").content.decode()
    )
    login_as(client, member_user(member))
    assert 'data-status="expired"' in client.get(reverse("directory:jury_profile")).content.decode()
