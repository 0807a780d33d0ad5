"""Issue 9, item 5: the DREETS work lists of centres and of jury members — search, filters, sort,
pagination that keeps the filters, export of what is shown (CSV and XLSX), homonyms told apart."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook  # type: ignore[import-untyped]
from tests.factories import (
    agent_of,
    centre_staff,
    make_approval,
    make_authority,
    make_centre,
    make_habilitation,
    make_jury_member,
    make_title,
    today,
)
from tests.helpers import login_as

from titrepro.directory.models import Approval, ApprovalStatus, Habilitation
from titrepro.directory.statuses import (
    STATUS_FILTERS,
    approval_status,
    approval_status_filter,
    habilitation_status,
    habilitation_status_filter,
)

CENTRES = "/espace/dreets/centres/"
MEMBERS = "/espace/dreets/jury/"


def _days(n: int) -> datetime.date:
    return today() + datetime.timedelta(days=n)


def _listed(client: Client, url: str, table: str, query: str = "") -> list[str]:
    page = client.get(f"{url}?{query}").content.decode()
    listing = page[page.index(f'id="{table}"') :]
    return re.findall(rf'href="{url}\d+/">([^<]+)</a>', listing)


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def _xlsx(response: Any) -> list[list[Any]]:
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def _export_link(client: Client, url: str, query: str, fmt: str) -> str:
    page = client.get(f"{url}?{query}").content.decode()
    links = re.findall(r'href="([^"]*exporter/[^"]*)"', page)
    chosen = [str(link).replace("&amp;", "&") for link in links if f"format={fmt}" in link]
    assert chosen, links
    return chosen[0]


# Centres ----------------------------------------------------------------------------------------


@pytest.fixture
def centres(db: None) -> tuple[Client, dict[str, Any]]:
    authority = make_authority(departement="69")
    made = {
        "etoile": make_centre(
            authority=authority, name="Centre Étoile", siret="12345678900011", address="1 rue X\n69003 Lyon"
        ),
        "nord": make_centre(authority=authority, name="Atelier Nord", address="2 rue Y, 69100 Villeurbanne"),
        "zenith": make_centre(authority=authority, name="Zénith formation", address="3 place Z, 69200 Vénissieux"),
        "bare": make_centre(authority=authority, name="Maison sans agrément"),
    }
    make_approval(centre=made["etoile"], valid_until=_days(30))
    make_approval(centre=made["nord"], valid_until=_days(400))
    make_approval(centre=made["zenith"], expired=True)
    make_centre(authority=make_authority(departement="13"), name="Centre Caché")  # another authority's
    client = Client()
    login_as(client, agent_of(authority))
    return client, made


def test_centre_search_by_name_siret_or_town_ignores_accents_and_case(
    centres: tuple[Client, dict[str, Any]],
) -> None:
    client, _made = centres
    assert _listed(client, CENTRES, "centre-list", "q=etoile") == ["Centre Étoile"]
    assert _listed(client, CENTRES, "centre-list", "q=ZENITH") == ["Zénith formation"]
    assert _listed(client, CENTRES, "centre-list", "q=12345678900011") == ["Centre Étoile"]
    assert _listed(client, CENTRES, "centre-list", "q=venissieux") == ["Zénith formation"]
    assert _listed(client, CENTRES, "centre-list", "q=cache") == []  # another authority's centre


def test_centre_list_shows_the_town_and_keeps_the_status_filter(centres: tuple[Client, dict[str, Any]]) -> None:
    client, _made = centres
    page = client.get(CENTRES).content.decode()
    assert "Villeurbanne" in page
    assert "Centre Caché" not in page
    assert _listed(client, CENTRES, "centre-list", "statut=ending") == ["Centre Étoile"]
    assert _listed(client, CENTRES, "centre-list", "statut=expired") == ["Zénith formation"]
    assert _listed(client, CENTRES, "centre-list", "statut=in_force&q=lyon") == []
    # A forged value is ignored, the other filters still apply.
    assert _listed(client, CENTRES, "centre-list", "statut=nonsense&q=nord") == ["Atelier Nord"]


def test_centre_sort(centres: tuple[Client, dict[str, Any]]) -> None:
    client, _made = centres
    assert _listed(client, CENTRES, "centre-list") == [
        "Atelier Nord",
        "Centre Étoile",
        "Maison sans agrément",
        "Zénith formation",
    ]
    # By the nearest end of an approval still open; the centres without one last.
    assert _listed(client, CENTRES, "centre-list", "tri=fin") == [
        "Centre Étoile",
        "Atelier Nord",
        "Maison sans agrément",
        "Zénith formation",
    ]


@pytest.mark.django_db
def test_centre_pagination_keeps_the_filters(client: Client) -> None:
    authority = make_authority()
    for n in range(55):
        make_approval(centre=make_centre(authority=authority, name=f"Centre {n:02d}"), valid_until=_days(30))
    make_centre(authority=authority, name="Centre sans agrément")
    login_as(client, agent_of(authority))
    page = client.get(f"{CENTRES}?statut=ending&tri=nom").content.decode()
    assert "?page=2&amp;statut=ending&amp;tri=nom" in page
    assert len(_listed(client, CENTRES, "centre-list", "statut=ending&tri=nom")) == 50
    assert len(_listed(client, CENTRES, "centre-list", "page=2&statut=ending&tri=nom")) == 5


def test_centre_export_is_what_is_shown(centres: tuple[Client, dict[str, Any]]) -> None:
    client, _made = centres
    rows = _csv(client.get(_export_link(client, CENTRES, "q=lyon", "csv")))
    assert len(rows) == 2
    name, siret, town, title, version, status, end = rows[1]
    assert (name, siret, town) == ("Centre Étoile", "12345678900011", "Lyon")
    assert title.startswith("TP-99901")
    assert version == "2025"
    assert status == str(approval_status(Approval.objects.get(centre__name="Centre Étoile"), today()).label)
    assert end == _days(30).strftime("%d/%m/%Y")
    everything = _xlsx(client.get(_export_link(client, CENTRES, "", "xlsx")))
    assert sorted(row[0] for row in everything[1:]) == [
        "Atelier Nord",
        "Centre Étoile",
        "Maison sans agrément",
        "Zénith formation",
    ]
    expired = _xlsx(client.get(_export_link(client, CENTRES, "statut=expired", "xlsx")))
    assert [row[0] for row in expired[1:]] == ["Zénith formation"]


@pytest.mark.django_db
def test_centre_export_neutralises_formulas_and_refuses_other_roles(client: Client) -> None:
    centre = make_centre(name="=HYPERLINK(1)")
    login_as(client, agent_of(centre.authority))
    rows = _csv(client.get(reverse("directory:centre_export"), {"format": "csv"}))
    assert rows[1][0] == "'=HYPERLINK(1)"
    login_as(client, centre_staff(centre))
    assert client.get(reverse("directory:centre_export")).status_code == 403
    assert client.get(reverse("directory:centre_list")).status_code == 403


# Jury members -----------------------------------------------------------------------------------


@pytest.fixture
def members(db: None) -> tuple[Client, dict[str, Any]]:
    authority = make_authority(departement="69")
    other_title = make_title("TP-99902")
    made = {
        "lea1": make_jury_member(authority=authority, last_name="Lefèvre", first_name="Léa", email="lea@un.fr"),
        "lea2": make_jury_member(authority=authority, last_name="Lefèvre", first_name="Léa", email="lea@deux.fr"),
        "bob": make_jury_member(authority=authority, last_name="Martin", first_name="Bob", email="bob@x.fr"),
        "none": make_jury_member(authority=authority, last_name="Zola", first_name="Émile", email="emile@x.fr"),
    }
    make_habilitation(member=made["lea1"], ending_next_month=True)
    make_habilitation(member=made["lea2"], title=other_title, valid_until=_days(700))
    make_habilitation(member=made["bob"], valid_until=_days(400))
    make_jury_member(authority=make_authority(departement="13"), last_name="Caché", email="cache@x.fr")
    client = Client()
    login_as(client, agent_of(authority))
    return client, made


def test_member_search_filters_and_homonyms(members: tuple[Client, dict[str, Any]]) -> None:
    client, _made = members
    page = client.get(MEMBERS).content.decode()
    assert "lea@un.fr" in page  # the two Léa Lefèvre apart
    assert "lea@deux.fr" in page
    assert "Caché" not in page
    assert _listed(client, MEMBERS, "member-list", "q=lefevre") == ["Lefèvre Léa", "Lefèvre Léa"]
    assert _listed(client, MEMBERS, "member-list", "q=lea@deux") == ["Lefèvre Léa"]
    assert _listed(client, MEMBERS, "member-list", "q=cache") == []
    assert _listed(client, MEMBERS, "member-list", "titre=TP-99902") == ["Lefèvre Léa"]
    assert _listed(client, MEMBERS, "member-list", "statut=ending") == ["Lefèvre Léa"]
    assert _listed(client, MEMBERS, "member-list", "statut=in_force&titre=TP-99901") == ["Martin Bob"]
    assert _listed(client, MEMBERS, "member-list", "titre=nonsense&q=martin") == ["Martin Bob"]


def test_member_sort(members: tuple[Client, dict[str, Any]]) -> None:
    client, made = members
    assert _listed(client, MEMBERS, "member-list") == ["Lefèvre Léa", "Lefèvre Léa", "Martin Bob", "Zola Émile"]
    page = client.get(f"{MEMBERS}?tri=fin").content.decode()
    order = [int(pk) for pk in re.findall(rf'href="{MEMBERS}(\d+)/"', page[page.index('id="member-list"') :])]
    assert order == [made["lea1"].pk, made["bob"].pk, made["lea2"].pk, made["none"].pk]


@pytest.mark.django_db
def test_member_pagination_keeps_the_filters(client: Client) -> None:
    authority = make_authority()
    for n in range(52):
        make_habilitation(member=make_jury_member(authority=authority, last_name=f"Nom{n:02d}"))
    login_as(client, agent_of(authority))
    page = client.get(f"{MEMBERS}?titre=TP-99901&statut=in_force").content.decode()
    assert "?page=2&amp;titre=TP-99901&amp;statut=in_force" in page
    assert len(_listed(client, MEMBERS, "member-list", "page=2&titre=TP-99901&statut=in_force")) == 2


def test_member_export_is_what_is_shown(members: tuple[Client, dict[str, Any]]) -> None:
    client, made = members
    rows = _csv(client.get(_export_link(client, MEMBERS, "titre=TP-99902", "csv")))
    assert len(rows) == 2
    last, first, email, title, status, end = rows[1]
    assert (last, first, email, title) == ("Lefèvre", "Léa", "lea@deux.fr", "TP-99902")
    assert status == str(habilitation_status(Habilitation.objects.get(member=made["lea2"]), today()).label)
    assert end == _days(700).strftime("%d/%m/%Y")
    everything = _xlsx(client.get(_export_link(client, MEMBERS, "", "xlsx")))
    assert sorted(row[2] for row in everything[1:]) == ["bob@x.fr", "emile@x.fr", "lea@deux.fr", "lea@un.fr"]


@pytest.mark.django_db
def test_member_export_refuses_other_roles(client: Client) -> None:
    member = make_jury_member()
    login_as(client, centre_staff(make_centre(authority=member.authority)))
    assert client.get(reverse("directory:jury_member_export")).status_code == 403


# The status filters in SQL say what the statuses in Python say ----------------------------------


@pytest.mark.django_db
def test_the_status_filters_agree_with_the_statuses_shown() -> None:
    day = today()
    approvals = [
        make_approval(valid_until=_days(30)),
        make_approval(valid_until=_days(92)),
        make_approval(valid_until=_days(93)),
        make_approval(valid_until=day),
        make_approval(expired=True),
        make_approval(suspended=True),
        make_approval(suspended=True, expired=True),
        make_approval(withdrawn=True),
        make_approval(status=ApprovalStatus.EXPIRED, granted_on=_days(-400), valid_until=_days(-3)),
    ]
    habilitations = [
        make_habilitation(ending_next_month=True),
        make_habilitation(valid_until=_days(92), granted_on=_days(-10)),
        make_habilitation(valid_until=_days(93), granted_on=_days(-10)),
        make_habilitation(valid_until=day, granted_on=_days(-10)),
        make_habilitation(valid_until=_days(-1), granted_on=_days(-10)),
        make_habilitation(ended=True),
        make_habilitation(granted_on=_days(-10), ended_on=_days(5)),
    ]
    for code in STATUS_FILTERS:
        matched = set(Approval.objects.filter(approval_status_filter(code, day)).values_list("pk", flat=True))
        assert matched == {a.pk for a in approvals if approval_status(a, day).code == code}, code
        matched = set(Habilitation.objects.filter(habilitation_status_filter(code, day)).values_list("pk", flat=True))
        assert matched == {h.pk for h in habilitations if habilitation_status(h, day).code == code}, code
