"""Issue 9, item 3: the checks people expect where a date of birth, a phone or an e-mail is typed,
on both sides of each limit, through the form, the import and the API alike (core.values)."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from tests.factories import centre_staff, make_centre, make_jury_member, member_user
from tests.helpers import login_as

from titrepro.accounts.api_auth import issue_token
from titrepro.candidates import imports
from titrepro.candidates.models import Candidate
from titrepro.core.values import birth_date_problem, normalise_phone, phone_problem

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)


def test_between_14_and_100_years_old_on_the_day() -> None:
    assert birth_date_problem(datetime.date(2012, 12, 2), on=TODAY) is None  # 14 today
    assert birth_date_problem(datetime.date(2012, 12, 3), on=TODAY)  # 14 tomorrow
    assert birth_date_problem(datetime.date(1926, 12, 2), on=TODAY) is None  # 100 today
    assert birth_date_problem(datetime.date(1926, 12, 1), on=TODAY)  # 100 yesterday: over
    assert birth_date_problem(datetime.date(2031, 1, 1), on=TODAY)
    # Born on 29 February: fourteen years later falls on the 28th.
    assert birth_date_problem(datetime.date(2012, 2, 28), on=datetime.date(2026, 2, 28)) is None


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0612345678", "06 12 34 56 78"),
        ("06.12.34.56.78", "06 12 34 56 78"),
        ("+33 6 12 34 56 78", "06 12 34 56 78"),
        ("0033612345678", "06 12 34 56 78"),
        ("+33 (0)1 23 45 67 89", "01 23 45 67 89"),
        ("+44 20 7946 0958", "+44 20 7946 0958"),
        ("0690 12 34 56", "06 90 12 34 56"),  # Guadeloupe dials with a 0 too
        ("0262123456", "02 62 12 34 56"),  # La Réunion
    ],
)
def test_phone_numbers_are_normalised(typed: str, stored: str) -> None:
    assert phone_problem(typed) is None
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["06 12 34 56", "06 12 34 56 78 9", "abc ; DROP TABLE", "+99 1234", "12"])
def test_invalid_phone_numbers_are_refused(typed: str) -> None:
    assert phone_problem(typed)


def _born(years: int, days: int = 0) -> datetime.date:
    from django.utils import timezone

    today = timezone.localdate()
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary + datetime.timedelta(days=days)


EDGES = [(_born(14), True), (_born(14, 1), False), (_born(100), True), (_born(100, -1), False)]


@pytest.mark.parametrize(("born", "accepted"), EDGES)
def test_the_entry_form_applies_the_birth_date_rule(client: Client, born: datetime.date, accepted: bool) -> None:
    centre = make_centre()
    login_as(client, centre_staff(centre))
    data = {
        "centre": centre.pk,
        "birth_name": "MOREAU",
        "given_names": "Chloé",
        "birth_date": born.isoformat(),
        "birth_place": "Lyon",
        "phone": "+33612345678",
    }
    response = client.post(reverse("spaces:centre_candidate_new"), data)
    assert Candidate.objects.filter(centre=centre).exists() is accepted
    if accepted:
        assert Candidate.objects.get(centre=centre).phone == "06 12 34 56 78"
    else:
        assert 'id="error-summary"' in response.content.decode()


def _csv(born: datetime.date, phone: str = "") -> bytes:
    return (
        "nom_naissance;prenoms;date_naissance;lieu_naissance;telephone\n"
        f"MOREAU;Chloé;{born.strftime('%d/%m/%Y')};Lyon;{phone}\n"
    ).encode()


@pytest.mark.parametrize(("born", "accepted"), EDGES)
def test_the_import_applies_the_birth_date_rule(born: datetime.date, accepted: bool) -> None:
    report = imports.check(make_centre(), "c.csv", _csv(born))
    assert report.ok is accepted
    if not accepted:
        assert [error.column for error in report.errors] == ["date_naissance"]


@pytest.mark.parametrize(("born", "accepted"), EDGES)
def test_the_api_import_applies_the_birth_date_rule(client: Client, born: datetime.date, accepted: bool) -> None:
    centre = make_centre()
    _token, key = issue_token(centre_staff(centre), "script")
    upload = SimpleUploadedFile("c.csv", _csv(born), content_type="text/csv")
    response = client.post(
        "/api/v1/candidates/import",
        {"file": upload, "centre": centre.code, "dry_run": "true"},
        headers={"authorization": f"Bearer {key}"},
    )
    assert response.status_code == (200 if accepted else 422)


def test_the_import_normalises_and_checks_phones() -> None:
    centre = make_centre()
    bad = imports.check(centre, "c.csv", _csv(_born(30), "06 12 34 56"))
    assert [error.column for error in bad.errors] == ["telephone"]
    good = imports.check(centre, "c.csv", _csv(_born(30), "+33612345678"))
    assert good.ok
    imports.write(centre, good)
    assert Candidate.objects.get(centre=centre).phone == "06 12 34 56 78"


def test_the_jury_profile_normalises_and_checks_its_phone(client: Client) -> None:
    member = make_jury_member()
    login_as(client, member_user(member))
    refused = client.post(reverse("directory:jury_profile"), {"phone": "06 12 34 56"})
    assert refused.status_code == 400
    member.refresh_from_db()
    assert member.phone != "06 12 34 56"
    client.post(reverse("directory:jury_profile"), {"phone": "0612345678"})
    member.refresh_from_db()
    assert member.phone == "06 12 34 56 78"


def test_an_email_needs_a_domain(client: Client) -> None:
    centre = make_centre()
    login_as(client, centre_staff(centre))
    data = {
        "centre": centre.pk,
        "birth_name": "MOREAU",
        "given_names": "Chloé",
        "birth_date": _born(30).isoformat(),
        "birth_place": "Lyon",
        "email": "chloe@example",
    }
    client.post(reverse("spaces:centre_candidate_new"), data)
    assert not Candidate.objects.filter(centre=centre).exists()
    csv = f"nom_naissance;prenoms;date_naissance;lieu_naissance;courriel\nMOREAU;Chloé;{_born(30):%d/%m/%Y};Lyon;chloe@example\n"
    assert [error.column for error in imports.check(centre, "c.csv", csv.encode()).errors] == ["courriel"]
