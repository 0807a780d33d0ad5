"""``titrepro standing`` and ``POST /api/v1/standing``: same JSON in, same JSON out, clear errors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

FICTIONAL = Path(__file__).parents[1] / "catalogue" / "data" / "fictional.yaml"
TSSR = "TP-01351"


def ccp(version: str, number: int, obtained_on: str, title: str = TSSR) -> dict[str, Any]:
    return {"kind": "ccp", "title": title, "version": version, "ccp": number, "obtained_on": obtained_on}


EXAMPLES: dict[str, dict[str, Any]] = {
    "issue example": {
        "title": TSSR,
        "on": "2026-11-28",
        "route": "training",
        "training_started_on": "2025-09-01",
        "holdings": [ccp("2023", 1, "2024-06-14")],
        "events": [
            {"kind": "failure", "session_kind": "title", "title": TSSR, "version": "2023", "on": "2025-06-20"},
            {"kind": "vae_admissibility", "title": TSSR, "notified_on": "2026-02-01"},
        ],
    },
    "nothing held, route unknown": {"title": TSSR, "on": "2026-11-28"},
    "title held": {
        "title": TSSR,
        "on": "2040-01-01",
        "holdings": [{"kind": "title", "title": TSSR, "obtained_on": "2019-06-01"}],
    },
    "all CCPs of 2023": {
        "title": TSSR,
        "on": "2026-05-01",
        "holdings": [ccp("2023", 1, "2024-06-14"), ccp("2023", 2, "2025-06-14")],
    },
    "vae pending": {
        "title": TSSR,
        "on": "2026-09-01",
        "route": "vae",
        "events": [{"kind": "vae_application", "title": TSSR, "filed_on": "2026-08-20"}],
    },
    "accumulation": {
        "title": TSSR,
        "on": "2027-03-01",
        "route": "accumulation",
        "holdings": [ccp("2026", 2, "2026-11-15")],
    },
    "2018 holder after the grace year": {"title": TSSR, "on": "2025-01-01", "holdings": [ccp("2018", 1, "2021-06-14")]},
}


def via_cli(payload: dict[str, Any], *extra: str, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "request.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    out = io.StringIO()
    call_command("standing", str(path), *extra, stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def via_api(client: Client, payload: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    response = client.post("/api/v1/standing", data=json.dumps(payload), content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(EXAMPLES))
def test_cli_and_api_agree(name: str, builtin_catalogue: object, client: Client, tmp_path: Path) -> None:
    status, api = via_api(client, EXAMPLES[name])
    assert status == 200
    assert via_cli(EXAMPLES[name], tmp_path=tmp_path) == api


@pytest.mark.django_db
def test_the_issue_example(builtin_catalogue: object, client: Client) -> None:
    _, answer = via_api(client, EXAMPLES["issue example"])
    options = {o["version"]: o for o in answer["options"]}
    assert options["2023"]["held"] == [1]
    assert options["2023"]["missing"] == [2]
    assert options["2023"]["deadline"] == "2027-08-31"
    assert options["2023"]["next_steps"] == ["ccp_session"]
    assert options["2023"]["held_through"] == {
        "1": [{"kind": "ccp", "version": "2023", "ccp": 1, "obtained_on": "2024-06-14"}]
    }
    assert options["2026"]["missing"] == [1, 2, 3]
    assert "title_session" in options["2026"]["next_steps"]
    assert answer["resit"]["allowed_until"] == "2026-06-20"
    assert answer["resit"]["open"] is False
    assert answer["vae_admissibility"] == {"valid_until": "2027-02-01", "valid": True}


@pytest.mark.django_db
def test_when_nothing_is_open_the_reasons_are_in_french(builtin_catalogue: object, client: Client) -> None:
    _, answer = via_api(client, EXAMPLES["2018 holder after the grace year"])
    # 2018 ended 2023-08-31, its grace year 2024-08-31; 2023 and 2026 remain open to anyone.
    assert [o["version"] for o in answer["options"]] == ["2023", "2026"]
    _, held = via_api(client, EXAMPLES["title held"])
    assert held["holds_title"] is True
    assert held["reasons"][0]["code"] == "title_held"
    assert "titre" in held["reasons"][0]["message"]


BAD = [
    pytest.param(
        {"title": TSSR, "holdings": [ccp("2024", 1, "2024-06-14")]}, "holdings[0].version", id="unknown-version"
    ),
    pytest.param({"title": TSSR, "holdings": [ccp("2023", 7, "2024-06-14")]}, "holdings[0].ccp", id="unknown-ccp"),
    pytest.param(
        {"title": TSSR, "on": "2026-01-01", "holdings": [ccp("2023", 1, "2026-06-14")]},
        "holdings[0].obtained_on",
        id="future-holding",
    ),
    pytest.param(
        {"title": TSSR, "holdings": [ccp("2023", 1, "2024-13-01")]}, "holdings[0].obtained_on", id="malformed-date"
    ),
    pytest.param({"title": "TP-09999"}, "title", id="unknown-title"),
    pytest.param({"title": TSSR, "on": "demain"}, "on", id="malformed-on"),
    pytest.param({"title": TSSR, "route": "bicycle"}, "route", id="unknown-route"),
    pytest.param({"title": TSSR, "holdings": [{"kind": "diploma"}]}, "holdings[0]", id="unknown-holding-kind"),
    pytest.param({"title": TSSR, "colour": "blue"}, "colour", id="unknown-field"),
    pytest.param({}, "title", id="missing-title"),
    pytest.param([], "$", id="not-an-object"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("payload", "field"), BAD)
def test_bad_input_names_the_field(
    payload: Any, field: str, builtin_catalogue: object, client: Client, tmp_path: Path
) -> None:
    status, body = via_api(client, payload)
    assert status == 422
    assert body["code"] == "invalid_request"
    assert field in [e["field"] for e in body["errors"]]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("standing", str(path), stderr=err)
    assert caught.value.returncode == 2
    assert field in err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"title": ', "Expecting value"),
        ("[" * 100_000 + "]" * 100_000, "imbrication trop profonde"),
        ('{"on": ' + "9" * 5000 + "}", "4300"),
        (r'{"title": "TP\u0000"}', "NUL"),
    ],
)
def test_malformed_json_exits_2(tmp_path: Path, text: str, reason: str) -> None:
    """Issue 11, item 9: whatever the file holds, the command says why and exits 2 (no traceback)."""
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        call_command("standing", str(path))
    assert caught.value.returncode == 2
    assert reason in str(caught.value)


def test_malformed_json_on_the_api_is_a_clean_error(client: Client) -> None:
    response = client.post("/api/v1/standing", data='{"title": ', content_type="application/json")
    assert response.status_code in (400, 422)
    assert "Traceback" not in response.content.decode()


@pytest.mark.django_db
def test_another_catalogue_file_answers_without_the_database(tmp_path: Path) -> None:
    # The fictional title is not in the database: only --catalogue knows it.
    payload = {
        "title": "TP-99901",
        "on": "2021-01-10",
        "holdings": [ccp("2015", 1, "2019-01-10", "TP-99901"), ccp("2015", 2, "2019-06-10", "TP-99901")],
    }
    answer = via_cli(payload, "--catalogue", str(FICTIONAL), tmp_path=tmp_path)
    options = {o["version"]: o for o in answer["options"]}
    assert options["2020"]["held"] == [1]  # old CCPs 1 and 2 give new CCP 1
    assert all(t["mapped"] for t in options["2020"]["held_through"]["1"])
    assert options["2015"]["held"] == [1, 2]  # and still count for the old version
    assert options["2015"]["deadline"] == "2021-05-31"  # one year after its end
    with pytest.raises(CommandError) as caught:
        call_command(
            "standing",
            str(tmp_path / "request.json"),
            "--catalogue",
            str(tmp_path / "missing.yaml"),
            stderr=io.StringIO(),
        )
    assert caught.value.returncode == 2


# Impossible dates (issue 9, item 3): each refused with its reason, next to its field, the same
# way through the API, the CLI and the simulator page (one check: catalogue.standing).
IMPOSSIBLE = [
    pytest.param(
        {"title": TSSR, "on": "2026-11-28", "holdings": [ccp("2026", 1, "2020-06-14")]},
        "holdings[0].obtained_on",
        "before_version",
        id="ccp-before-its-version",
    ),
    pytest.param(
        {"title": TSSR, "on": "2026-11-28", "holdings": [ccp("2023", 1, "2023-08-31")]},
        "holdings[0].obtained_on",
        "before_version",
        id="ccp-the-day-before-its-version",
    ),
    pytest.param(
        {"title": TSSR, "on": "2027-06-01", "holdings": [ccp("2026", 1, "2027-01-15")]},
        "holdings[0].obtained_on",
        "after_today",
        id="ccp-obtained-after-today",
    ),
    pytest.param(
        {
            "title": TSSR,
            "on": "2027-06-01",
            "events": [{"kind": "failure", "session_kind": "title", "title": TSSR, "on": "2027-02-01"}],
        },
        "events[0].on",
        "after_today",
        id="failure-after-today",
    ),
]


def impossible_message(reason: str, payload: dict[str, Any]) -> str:
    from titrepro.catalogue.queries import spec_from_database
    from titrepro.catalogue.standing import after_today_message, before_version_message

    if reason == "after_today":
        return after_today_message()
    holding = payload["holdings"][0]
    version = spec_from_database(TSSR).version(holding["version"])
    assert version is not None
    return before_version_message(version.label, version.valid_from)


@pytest.mark.django_db
@pytest.mark.parametrize(("payload", "field", "reason"), IMPOSSIBLE)
def test_impossible_dates_are_refused_with_the_reason(
    payload: dict[str, Any], field: str, reason: str, builtin_catalogue: object, client: Client, tmp_path: Path
) -> None:
    message = impossible_message(reason, payload)
    status, body = via_api(client, payload)
    assert status == 422
    assert body["code"] == "invalid_request"
    assert {"field": field, "message": message} in [
        {"field": e["field"], "message": e["message"]} for e in body["errors"]
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(payload), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("standing", str(path), stderr=err)
    assert caught.value.returncode == 2
    assert f"{field}: {message}" in err.getvalue()


@pytest.mark.django_db
def test_a_ccp_of_a_version_without_a_start_date_is_not_refused(builtin_catalogue: object, client: Client) -> None:
    status, _body = via_api(client, {"title": TSSR, "on": "2020-01-01", "holdings": [ccp("2018", 1, "2012-06-14")]})
    assert status == 200


@pytest.mark.django_db
def test_a_ccp_obtained_the_first_day_of_its_version_and_today_is_accepted(
    builtin_catalogue: object, client: Client
) -> None:
    from titrepro.core.dating import today

    payload = {
        "title": TSSR,
        "on": "2027-06-01",
        "holdings": [ccp("2023", 1, "2023-09-01"), ccp("2026", 1, today().isoformat())],
    }
    status, _body = via_api(client, payload)
    assert status == 200
