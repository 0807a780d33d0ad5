"""Issue 9, item 5: the candidates' work list — columns that matter, filters, sort, pagination that
keeps the filters, export of what is shown, homonyms told apart by birth date."""

from __future__ import annotations

import csv
import datetime
import io
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.factories import (
    centre_staff,
    make_accommodation,
    make_candidate,
    make_centre,
    make_pathway,
    make_vae_application,
)
from tests.helpers import login_as

LIST = "/espace/centre/candidats/"


def _names(client: Client, query: str = "") -> list[str]:
    page = client.get(f"{LIST}?{query}").content.decode()
    table = page[page.index('id="candidate-list"') :]
    return re.findall(r'href="/espace/centre/candidats/\d+/">([^<]+)</a>', table)


@pytest.fixture
def centre_with_candidates(db: None) -> tuple[Client, dict[str, Any]]:
    centre = make_centre()
    people = {
        "ana": make_candidate(
            centre=centre, birth_name="ALVES", given_names="Ana", birth_date=datetime.date(1990, 1, 1)
        ),
        "chloe1": make_candidate(
            centre=centre, birth_name="MOREAU", given_names="Chloé", birth_date=datetime.date(1985, 3, 4)
        ),
        "chloe2": make_candidate(
            centre=centre, birth_name="MOREAU", given_names="Chloé", birth_date=datetime.date(1999, 9, 9)
        ),
        "zoe": make_candidate(
            centre=centre, birth_name="ZOLA", given_names="Zoé", birth_date=datetime.date(2001, 5, 5)
        ),
    }
    make_pathway(candidate=people["ana"], route="training", started_on=datetime.date(2026, 9, 1))
    make_pathway(candidate=people["chloe1"], route="vae")
    make_vae_application(candidate=people["chloe1"])
    make_accommodation(candidate=people["zoe"])
    make_candidate(centre=make_centre(), birth_name="AUTRE", given_names="Centre")  # never listed
    client = Client()
    login_as(client, centre_staff(centre))
    return client, people


def test_columns_and_homonyms(centre_with_candidates: tuple[Client, dict[str, Any]]) -> None:
    client, _people = centre_with_candidates
    page = client.get(LIST).content.decode()
    assert "04/03/1985" in page  # the two Chloé MOREAU apart
    assert "09/09/1999" in page
    assert "TP-99901 · " in page  # title and route
    assert "AUTRE" not in page
    assert _names(client) == ["ALVES Ana", "MOREAU Chloé", "MOREAU Chloé", "ZOLA Zoé"]


def test_filters(centre_with_candidates: tuple[Client, dict[str, Any]]) -> None:
    client, _people = centre_with_candidates
    assert _names(client, "parcours=aucun") == ["MOREAU Chloé", "ZOLA Zoé"]
    assert _names(client, "parcours=training") == ["ALVES Ana"]
    assert _names(client, "parcours=vae") == ["MOREAU Chloé"]
    assert _names(client, "demande=vae") == ["MOREAU Chloé"]
    assert _names(client, "demande=amenagement") == ["ZOLA Zoé"]
    assert _names(client, "titre=TP-99901") == ["ALVES Ana", "MOREAU Chloé"]
    assert _names(client, "q=moreau&parcours=aucun") == ["MOREAU Chloé"]
    # A stale or forged value is ignored, the other filters still apply.
    assert _names(client, "parcours=nonsense&demande=vae") == ["MOREAU Chloé"]


def test_sort(centre_with_candidates: tuple[Client, dict[str, Any]]) -> None:
    client, _people = centre_with_candidates
    assert _names(client, "tri=naissance") == ["MOREAU Chloé", "ALVES Ana", "MOREAU Chloé", "ZOLA Zoé"]
    assert _names(client, "tri=recents")[0] == "ZOLA Zoé"


@pytest.mark.django_db
def test_pagination_keeps_the_filters(client: Client) -> None:
    centre = make_centre()
    for n in range(55):
        make_candidate(
            centre=centre, birth_name=f"NOM{n:02d}", given_names="Sans", birth_date=datetime.date(1990, 1, 1)
        )
    login_as(client, centre_staff(centre))
    page = client.get(f"{LIST}?parcours=aucun&tri=nom").content.decode()
    assert "?page=2&amp;parcours=aucun&amp;tri=nom" in page
    second = _names(client, "page=2&parcours=aucun&tri=nom")
    assert len(second) == 5


def test_the_export_is_what_is_shown(centre_with_candidates: tuple[Client, dict[str, Any]]) -> None:
    client, _people = centre_with_candidates
    page = client.get(f"{LIST}?parcours=aucun").content.decode()
    link = re.search(r'href="(/espace/centre/candidats/exporter/\?[^"]+)"', page)
    assert link is not None
    response = client.get(link.group(1).replace("&amp;", "&"))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert sorted(row[0] for row in rows[1:]) == ["MOREAU", "ZOLA"]
    everything = client.get(reverse("spaces:centre_export"))
    assert len(everything.content.decode("utf-8-sig").strip().splitlines()) == 1 + 4


@pytest.mark.django_db
def test_a_national_administrator_is_told_the_list_is_everyone(client: Client) -> None:
    from django.utils.translation import gettext
    from tests.factories import national_admin

    make_candidate(centre=make_centre())
    login_as(client, national_admin())
    page = client.get(LIST).content.decode()
    assert f"<h1>{gettext('All candidates')}</h1>" in page
    assert gettext("Candidates of my centre") not in page
