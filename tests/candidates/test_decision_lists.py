"""Issue 9, item 4: a VAE file accepted by silence no longer sits among those waiting for a
decision with a "Decide" link; homonyms are told apart by their birth date."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from tests.factories import (
    agent_of,
    make_accommodation,
    make_candidate,
    make_centre,
    make_vae_application,
    today,
)
from tests.helpers import login_as

from titrepro.candidates.queries import vae_status


@pytest.mark.django_db
def test_accepted_by_silence_is_shown_apart_without_a_decide_link(client: Client) -> None:
    centre = make_centre()
    first = make_candidate(
        centre=centre, birth_name="MOREAU", given_names="Chloé", birth_date=datetime.date(1990, 1, 2)
    )
    second = make_candidate(
        centre=centre, birth_name="MOREAU", given_names="Chloé", birth_date=datetime.date(1995, 6, 7)
    )
    waiting = make_vae_application(candidate=first, filed_on=today() - datetime.timedelta(days=10))
    silent = make_vae_application(candidate=second, accepted_by_silence=True)
    login_as(client, agent_of(centre.authority))
    page = client.get(reverse("spaces:authority_vae_list")).content.decode()
    pending, settled = page.split('id="settled"')
    assert reverse("spaces:authority_vae_decide", args=[waiting.pk]) in pending
    assert reverse("spaces:authority_vae_decide", args=[silent.pk]) not in page
    due = vae_status(silent, today()).decision_due
    assert due is not None
    accepted_on = formats.date_format(due, "j F Y")
    assert gettext("accepted by silence on %(day)s") % {"day": accepted_on} in settled
    assert "02/01/1990" in pending
    assert "07/06/1995" in settled


@pytest.mark.django_db
def test_the_vae_list_links_to_the_candidates_record(client: Client) -> None:
    centre = make_centre()
    candidate = make_candidate(centre=centre)
    make_vae_application(candidate=candidate, filed_on=today() - datetime.timedelta(days=10))
    login_as(client, agent_of(centre.authority))
    url = reverse("spaces:authority_candidate_detail", args=[candidate.pk])
    assert url in client.get(reverse("spaces:authority_vae_list")).content.decode()
    record = client.get(url)
    assert record.status_code == 200
    assert candidate.birth_place in record.content.decode()
    # Read only: no correction from the DREETS.
    assert reverse("spaces:centre_candidate_edit", args=[candidate.pk]) not in record.content.decode()


def _decide_links(page: str, name: str) -> list[str]:
    return re.findall(rf'href="(/espace/dreets/{name}/\d+/decision/)"', page)


@pytest.mark.django_db
def test_the_vae_list_pages_by_50_keeping_the_search(client: Client) -> None:
    centre = make_centre()
    for n in range(53):
        make_vae_application(
            candidate=make_candidate(centre=centre, birth_name="MOREAU", given_names=f"Léa{n}"),
            filed_on=today() - datetime.timedelta(days=10),
        )
    make_vae_application(candidate=make_candidate(centre=centre, birth_name="DURAND"), filed_on=today())
    login_as(client, agent_of(centre.authority))
    url = reverse("spaces:authority_vae_list")
    page = client.get(url, {"q": "moréau"}).content.decode()
    assert len(_decide_links(page, "vae")) == 50
    assert "DURAND" not in page
    assert "?page=2&amp;q=mor%C3%A9au" in page
    second = client.get(url, {"q": "moréau", "page": "2"}).content.decode()
    assert len(_decide_links(second, "vae")) == 3
    assert len(_decide_links(client.get(url, {"q": "durand"}).content.decode(), "vae")) == 1


@pytest.mark.django_db
def test_the_accommodation_list_searches_and_shows_birth_dates_in_the_recent_decisions(client: Client) -> None:
    centre = make_centre()
    waiting = make_accommodation(
        candidate=make_candidate(centre=centre, birth_name="MOREAU", birth_date=datetime.date(1990, 1, 2))
    )
    make_accommodation(candidate=make_candidate(centre=centre, birth_name="DURAND"))
    make_accommodation(
        candidate=make_candidate(centre=centre, birth_name="MOREAU", birth_date=datetime.date(1995, 6, 7)),
        granted=True,
    )
    make_accommodation(candidate=make_candidate(centre=make_centre(), birth_name="MOREAU"))  # another authority's
    login_as(client, agent_of(centre.authority))
    page = client.get(reverse("spaces:authority_accommodation_list"), {"q": "moreau"}).content.decode()
    assert _decide_links(page, "amenagements") == [reverse("spaces:authority_accommodation_decide", args=[waiting.pk])]
    assert "DURAND" not in page
    recent = page[page.index('id="decided"') :]
    assert "07/06/1995" in recent
    assert "02/01/1990" in page
