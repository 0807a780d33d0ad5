"""``/api/v1/documents/{number}``: the public verification by the API, as the page gives it."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from titrepro.credentials import codes
from titrepro.credentials.models import Consultation, Kind

pytestmark = pytest.mark.django_db


def test_anyone_verifies_a_document_by_its_number(client: Client, documents: dict[str, Any]) -> None:
    livret = documents[Kind.LIVRET]
    answer = client.get(f"/api/v1/documents/{livret.printed_code.lower()}")
    assert answer.status_code == 200, answer.content
    data = answer.json()
    assert (data["number"], data["kind"], data["status"], data["sha256"]) == (
        livret.printed_code,
        "livret",
        "valid",
        livret.sha256,
    )
    assert data["verdict"] == "Authentique et valide."
    assert data["printed"] == livret.data
    assert livret.holder.email not in answer.content.decode()
    assert Consultation.objects.filter(document=livret).count() == 1


def test_a_typo_an_unknown_number_and_the_rate_limit(client: Client, documents: dict[str, Any], settings: Any) -> None:
    # Set first: the counter is per rate. An hour-long window does not reset in the middle of the test.
    settings.TITREPRO_VERIFY_RATE = "3/h"
    code = documents[Kind.PARCHEMIN].code
    typo = ("1" if code[0] != "1" else "2") + code[1:]
    answer = client.get(f"/api/v1/documents/{typo}")
    assert (answer.status_code, answer.json()["code"]) == (422, "document_number_typo")
    assert "erreur de saisie" in answer.json()["message"]
    answer = client.get("/api/v1/documents/ABCD")
    assert (answer.status_code, answer.json()["code"]) == (422, "document_number_format")
    answer = client.get(f"/api/v1/documents/{codes.new_code()}")
    assert (answer.status_code, answer.json()["code"]) == (404, "document_not_found")
    refused = client.get(f"/api/v1/documents/{code}")
    assert (refused.status_code, refused.json()["code"]) == (429, "rate_limited")


def test_anyone_verifies_a_badge_and_gets_a_machine_readable_answer(client: Client, documents: dict[str, Any]) -> None:
    import copy
    import json

    from titrepro.credentials.models import Badge

    badge = Badge.objects.filter(kind="title").get()
    url = "/api/v1/documents/badges/verify"

    def ask(body: bytes) -> dict[str, Any]:
        answer = client.post(url, data=body, content_type="application/json")
        assert answer.status_code == 200, answer.content
        result: dict[str, Any] = answer.json()
        return result

    valid = ask(json.dumps(badge.credential).encode())
    assert (valid["outcome"], valid["code"], valid["badge"]) == (0, "valid", badge.printed_code)
    assert valid["document"] == badge.document.printed_code
    assert valid["message"] == "Authentique et valide."
    altered = copy.deepcopy(badge.credential)
    altered["name"] = "Autre titre"
    assert (ask(json.dumps(altered).encode())["code"], ask(b"not json")["code"]) == ("altered", "not_json")
    assert ask(b'{"hello": "world"}')["code"] == "not_a_credential"
    assert ask(b"[1, 2]")["outcome"] == 4
    unsigned = {k: v for k, v in badge.credential.items() if k != "proof"}
    assert ask(json.dumps(unsigned).encode())["code"] == "unsigned"
