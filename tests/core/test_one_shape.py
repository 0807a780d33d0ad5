"""One shape for every decision: the pages' buttons come from the lifecycle, and there is one error
summary, one form base and one API error schema (issue 8)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from tests.factories import ApprovalFactory, agent_of, make_title
from tests.helpers import login_as

import titrepro
from titrepro.api import api

SRC = Path(titrepro.__file__).parent


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "offered", "not_offered"),
    [
        ("active", ["Suspendre", "Retirer"], ["Rétablir"]),
        ("suspended", ["Rétablir", "Retirer"], ["Suspendre"]),
    ],
)
def test_approval_buttons_come_from_its_lifecycle(
    client: Client, status: str, offered: list[str], not_offered: list[str]
):
    make_title()
    approval = ApprovalFactory.create(status=status)
    login_as(client, agent_of(approval.centre.authority))
    page = client.get(reverse("directory:approval_detail", args=[approval.pk])).content.decode()
    buttons = re.findall(rf'<a class="fr-btn[^"]*" href="[^"]*/{approval.pk}/[^"]*">([^<]+)</a>', page)
    assert sorted(buttons) == sorted(offered)
    for label in not_offered:
        assert label not in buttons


@pytest.mark.django_db
def test_an_approval_past_its_end_offers_no_action_and_says_why(client: Client):
    make_title()
    approval = ApprovalFactory.create(valid_until=timezone.localdate() - datetime.timedelta(days=1))
    approval.granted_on = approval.valid_until - datetime.timedelta(days=30)
    approval.save(update_fields=["granted_on"])
    login_as(client, agent_of(approval.centre.authority))
    page = client.get(reverse("directory:approval_detail", args=[approval.pk])).content.decode()
    assert not re.findall(rf'<a class="fr-btn[^"]*" href="[^"]*/{approval.pk}/', page)
    assert "il ne peut plus être modifié, seulement expirer (R-30)" in page


def sources(pattern: str) -> list[Path]:
    return sorted(p for p in SRC.rglob(pattern) if "migrations" not in p.parts)


def test_one_form_base_and_one_error_summary() -> None:
    forms = [p for p in sources("*.py") if re.search(r"^class DsfrForm\b", p.read_text(), re.MULTILINE)]
    assert [p.relative_to(SRC).as_posix() for p in forms] == ["core/forms.py"]
    summaries = [p for p in sources("*.html") if 'id="error-summary"' in p.read_text()]
    assert [p.relative_to(SRC).as_posix() for p in summaries] == ["templates/includes/error_summary.html"]
    summary = summaries[0].read_text()
    assert 'role="alert"' in summary
    assert "data-error-summary" in summary  # focused on load by static/titrepro/error-summary.js


def test_every_error_answer_of_the_api_is_the_one_schema() -> None:
    schema: dict[str, Any] = api.get_openapi_schema()
    shapes = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                if int(status) < 400:
                    continue
                answer = response["content"]["application/json"]["schema"]
                if (path, method, str(status)) == ("/api/v1/candidates/import", "post", "422"):
                    # The report of every bad row, with code and message; or the one shape (a bad request).
                    assert [one["$ref"] for one in answer["anyOf"]] == [
                        "#/components/schemas/ImportRejected",
                        "#/components/schemas/ApiError",
                    ]
                    continue
                shapes.add(answer.get("$ref", ""))
    assert shapes == {"#/components/schemas/ApiError"}
    error = schema["components"]["schemas"]["ApiError"]["properties"]
    assert {"code", "message", "field"} <= set(error)
