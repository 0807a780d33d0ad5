"""One validation per kind of value, the same in the form, the import and the API (issue 11, item 10)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from tests.factories import make_centre, user_with_role

from titrepro.accounts.models import RoleKind
from titrepro.candidates import imports, services
from titrepro.core.refusals import Refused
from titrepro.core.values import birth_date_problem, phone_problem, text_problem, validate_text

pytestmark = pytest.mark.django_db

IDENTITY = {"birth_name": "Moreau", "given_names": "Chloé", "birth_date": date(1995, 4, 2), "birth_place": "Lyon"}


@pytest.mark.parametrize("name", ["Mor\u202eeau", "Mo\u2066reau", "Mor\x00eau", "Mor\x1beau", "Mo\u200breau"])
def test_control_and_bidirectional_characters_are_refused(name: str) -> None:
    assert text_problem(name)
    with pytest.raises(ValidationError):
        validate_text(name)


def test_french_names_pass() -> None:
    assert text_problem("N'Diaye-Lefèvre Œuvray Ça") is None


@pytest.mark.parametrize("day", [date(1850, 1, 1), date(2031, 1, 1), date(1, 1, 1)])
def test_an_implausible_birth_date_is_refused_by_the_service_and_the_import(day: date) -> None:
    assert birth_date_problem(day)
    centre = make_centre()
    with pytest.raises(Refused) as refused:
        services.create_candidate(
            user_with_role(RoleKind.CENTRE_STAFF, centre=centre), centre, **{**IDENTITY, "birth_date": day}
        )
    assert refused.value.field == "birth_date"
    csv = f"nom_naissance;prenoms;date_naissance;lieu_naissance\nMoreau;Chloé;{day.strftime('%d/%m/%Y')};Lyon\n"
    report = imports.check(centre, "c.csv", csv.encode())
    assert [error.column for error in report.errors] == ["date_naissance"]


def test_a_phone_number_is_digits_and_the_service_and_the_import_agree() -> None:
    assert phone_problem("abc ; DROP TABLE")
    assert phone_problem("+33 (0)6 12-34.56.78") is None
    centre = make_centre()
    with pytest.raises(Refused) as refused:
        services.create_candidate(
            user_with_role(RoleKind.CENTRE_STAFF, centre=centre), centre, **IDENTITY, phone="abc ; DROP TABLE"
        )
    assert refused.value.field == "phone"
    csv = "nom_naissance;prenoms;date_naissance;lieu_naissance;telephone\nMor\u202eeau;Chloé;02/04/1995;Lyon;abc\n"
    report = imports.check(centre, "c.csv", csv.encode())
    assert sorted(error.column for error in report.errors) == ["nom_naissance", "telephone"]
