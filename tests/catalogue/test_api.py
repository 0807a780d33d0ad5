"""The catalogue REST API (/api/v1/titles), its OpenAPI document and its docs page."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client

from titrepro.catalogue import queries
from titrepro.catalogue.api_schemas import duration_iso
from titrepro.catalogue.models import Correspondence, Title
from titrepro.catalogue.services import LoadReport

SNAPSHOT = Path(__file__).parent.parent / "snapshots" / "openapi.json"

TSSR_VERSIONS = [
    # label, RNCP code, valid_from, valid_until, predecessor
    ("2018", "RNCP31115", None, "2023-08-31", None),
    ("2023", "RNCP37682", "2023-09-01", "2026-08-31", "2018"),
    ("2026", "RNCP42463", "2026-09-01", "2031-08-31", "2023"),
]

# The official description of TSSR 2023 (reference/tssr-fiche-de-communication.md,
# reference/tssr.md §3), typographic apostrophe. The official text writes
# "ActiveDirectory" in one word; where sources disagree the official text wins.
TSSR_2023_CCPS = {
    1: (
        "Exploiter les éléments de l’infrastructure et assurer le support aux utilisateurs",
        {
            "CP1": "Assurer le support utilisateur en centre de services",
            "CP2": "Exploiter des serveurs Windows et un domaine ActiveDirectory",
            "CP3": "Exploiter des serveurs Linux",
            "CP4": "Exploiter un réseau IP",
        },
    ),
    2: (
        "Maintenir l’infrastructure et contribuer à son évolution et à sa sécurisation",
        {
            "CP5": "Maintenir des serveurs dans une infrastructure virtualisée",
            "CP6": "Automatiser des tâches à l’aide de scripts",
            "CP7": "Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux",
            "CP8": "Mettre en place, assurer et tester les sauvegardes et les restaurations des éléments de "
            "l’infrastructure",
            "CP9": "Exploiter et maintenir les services de déploiement des postes de travail",
        },
    ),
}
CONFIDENCES = {"confirmed", "corroborated", "reported", "unconfirmed"}


def get_json(client: Client, url: str, status: int = 200) -> Any:
    response = client.get(url)
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def provenance_items(node: Any) -> list[dict[str, Any]]:
    """Every object in a response that carries a confidence (catalogue items)."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "confidence" in node:
            found.append(node)
        for value in node.values():
            found.extend(provenance_items(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(provenance_items(value))
    return found


def assert_provenance(document: Any, source_keys: set[str]) -> None:
    """Every catalogue item says how sure we are and cites keys of the title's sources."""
    items = provenance_items(document)
    assert items
    for item in items:
        assert item["confidence"] in CONFIDENCES, item
        assert isinstance(item["sources"], list), item
        assert set(item["sources"]) <= source_keys, item
        assert isinstance(item["notes"], str), item


class TestListTitles:
    def test_lists_the_builtin_titles_with_their_current_version(
        self, client: Client, builtin_catalogue: LoadReport
    ) -> None:
        data = get_json(client, "/api/v1/titles")
        codes = [item["code"] for item in data["items"]]
        assert codes == sorted(codes)
        assert {"TP-01351", "TP-01352"} <= set(codes)
        assert data["count"] == Title.objects.count()
        tssr = next(item for item in data["items"] if item["code"] == "TP-01351")
        current = queries.current_version(Title.objects.get(code="TP-01351"))
        assert current is not None
        assert tssr == {
            "code": "TP-01351",
            "label": "Technicien supérieur systèmes et réseaux",
            "short_label": "TSSR",
            "level": 5,
            "current_version": {"label": current.label, "rncp_code": current.rncp_code},
        }

    @pytest.mark.parametrize(
        "q",
        ["TP-01351", "tp 01351", "01351", "TSSR", "systèmes et réseaux", "RNCP37682", "rncp 31115", "42463"],
    )
    def test_search_finds_tssr_by_code_label_or_rncp_code(
        self, client: Client, builtin_catalogue: LoadReport, q: str
    ) -> None:
        data = get_json(client, f"/api/v1/titles?{urlencode({'q': q})}")
        assert [item["code"] for item in data["items"]] == ["TP-01351"]
        assert data["count"] == 1

    def test_search_without_match_is_an_empty_page(self, client: Client, builtin_catalogue: LoadReport) -> None:
        assert get_json(client, "/api/v1/titles?q=boulangerie") == {"items": [], "count": 0}

    def test_is_paginated(self, client: Client, builtin_catalogue: LoadReport) -> None:
        total = Title.objects.count()
        assert total >= 2
        first = get_json(client, "/api/v1/titles?limit=1")
        second = get_json(client, "/api/v1/titles?limit=1&offset=1")
        assert first["count"] == second["count"] == total
        assert len(first["items"]) == len(second["items"]) == 1
        assert first["items"][0]["code"] < second["items"][0]["code"]

    @pytest.mark.parametrize("params", ["limit=0", "limit=101", "offset=-1"])
    def test_refuses_a_bad_page(self, client: Client, params: str, db: None) -> None:
        assert client.get(f"/api/v1/titles?{params}").status_code == 422

    def test_runs_a_fixed_number_of_queries(
        self, client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(3):  # count, titles, their versions
            client.get("/api/v1/titles")


class TestGetTitle:
    def test_tssr_lists_its_versions_ordered_by_validity(self, client: Client, builtin_catalogue: LoadReport) -> None:
        data = get_json(client, "/api/v1/titles/TP-01351")
        assert data["code"] == "TP-01351"
        assert data["label"] == "Technicien supérieur systèmes et réseaux"
        assert data["level"] == 5
        assert data["nsf_codes"] == ["326p", "326r", "326u"]
        assert [r["code"] for r in data["rome_codes"]] == ["I1401", "M1810"]
        assert [
            (v["label"], v["rncp_code"], v["valid_from"], v["valid_until"], v["predecessor"]) for v in data["versions"]
        ] == TSSR_VERSIONS
        assert [v["successor"] for v in data["versions"]] == ["2023", "2026", None]
        v2023 = data["versions"][1]
        assert (v2023["millesime"], v2023["arrete_date"], v2023["jo_date"]) == ("02", "2023-04-26", "2023-05-13")
        assert v2023["status"] == "revised"
        source_keys = {s["key"] for s in data["source_list"]}
        assert {"S1", "S12"} <= source_keys
        assert_provenance(data, source_keys)

    def test_runs_a_fixed_number_of_queries(
        self, client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
    ) -> None:
        # queries.get_title fetches every version in full (for the page): one
        # query per relation, whatever the number of versions or CCPs.
        with django_assert_max_num_queries(16):
            client.get("/api/v1/titles/TP-01351")


class TestGetVersion:
    def test_tssr_2023_has_two_ccps_and_nine_competences(self, client: Client, builtin_catalogue: LoadReport) -> None:
        data = get_json(client, "/api/v1/titles/TP-01351/versions/2023")
        assert data["title"] == {
            "code": "TP-01351",
            "label": "Technicien supérieur systèmes et réseaux",
            "short_label": "TSSR",
            "level": 5,
        }
        assert (data["label"], data["rncp_code"], data["valid_from"], data["valid_until"]) == (
            "2023",
            "RNCP37682",
            "2023-09-01",
            "2026-08-31",
        )
        assert (data["predecessor"], data["successor"]) == ("2018", "2026")
        got = {
            ccp["number"]: (ccp["label"], {c["code"]: c["label"] for c in ccp["competences"]}) for ccp in data["ccps"]
        }
        assert got == TSSR_2023_CCPS
        assert [c["code"] for ccp in data["ccps"] for c in ccp["competences"]] == [f"CP{n}" for n in range(1, 10)]
        assert [ccp["rncp_block_code"] for ccp in data["ccps"]] == ["RNCP37682BC01", "RNCP37682BC02"]
        assert [t["label"] for t in data["transversal_competences"]] == [
            "Communiquer",
            "Mettre en œuvre une démarche de résolution de problème",
            "Apprendre en continu",
        ]
        assert_provenance(data, {s["key"] for s in data["source_list"]})

    def test_tssr_2023_title_session_modalities(self, client: Client, builtin_catalogue: LoadReport) -> None:
        data = get_json(client, "/api/v1/titles/TP-01351/versions/2023")
        sessions = data["modalities_by_session"]
        assert sessions[0]["session_kind"] == "title"
        assert (sessions[0]["ccp_number"], sessions[0]["ccs_code"]) == (None, None)
        modalities = sessions[0]["modalities"]
        assert [(m["kind"], m["duration_minutes"], m["duration_iso"]) for m in modalities] == [
            ("practical_assessment", 150, "PT2H30M"),
            ("professional_questionnaire", 120, "PT2H"),
            ("technical_interview", 45, "PT45M"),
            ("final_interview", 20, "PT20M"),
        ]
        assert (sessions[0]["total_duration_minutes"], sessions[0]["total_duration_iso"]) == (335, "PT5H35M")
        assert sessions[0]["all_durations_known"] is True
        parts = modalities[0]["parts"]
        assert [p["duration_minutes"] for p in parts] == [90, 15, 45]
        assert all(p["confidence"] in CONFIDENCES and p["sources"] for p in parts)
        assert [(p["jury_present"], p["uses_workstation"]) for p in parts] == [
            (False, True),
            (False, False),
            (True, True),
        ]
        assert [(m["jury_present"], m["uses_workstation"]) for m in modalities] == [
            (True, True),
            (False, True),
            (True, False),
            (True, False),
        ]

    def test_tssr_2026_has_ccp_sessions_after_the_title_session(
        self, client: Client, builtin_catalogue: LoadReport
    ) -> None:
        data = get_json(client, "/api/v1/titles/TP-01351/versions/2026")
        assert len(data["ccps"]) == 3
        assert len([c for ccp in data["ccps"] for c in ccp["competences"]]) == 10
        sessions = data["modalities_by_session"]
        kinds = [(s["session_kind"], s["ccp_number"]) for s in sessions]
        assert kinds[0] == ("title", None)
        ccp_numbers = [number for kind, number in kinds if kind == "ccp"]
        assert ccp_numbers == sorted(ccp_numbers)

    def test_tssr_2018_has_its_ccs(self, client: Client, builtin_catalogue: LoadReport) -> None:
        data = get_json(client, "/api/v1/titles/TP-01351/versions/2018")
        assert [ccp["number"] for ccp in data["ccps"]] == [1, 2, 3]
        assert [ccs["label"] for ccs in data["ccs"]] == ["Administrer les serveurs Linux"]
        assert len(data["ccs"][0]["competences"]) == 5
        assert data["predecessor"] is None

    def test_correspondences_and_equivalences_are_listed(self, client: Client, db: None) -> None:
        # TSSR has no official correspondence table nor equivalence: build a small title.
        build_revised_title()
        data = get_json(client, "/api/v1/titles/TP-99902/versions/B")
        assert data["correspondences"] == [
            {
                "ccp_number": 1,
                "from_version": "A",
                "from_ccps": [1, 2],
                "confidence": "confirmed",
                "sources": ["X1"],
                "notes": "",
            }
        ]
        assert data["equivalences"] == [
            {
                "rncp_code": "RNCP99999",
                "certification_label": "Autre certification",
                "scope": "partial",
                "ccps": [1],
                "confidence": "reported",
                "sources": ["X1"],
                "notes": "",
            }
        ]

    def test_runs_a_fixed_number_of_queries(
        self, client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
    ) -> None:
        # One query per relation (version with title, predecessor and successor,
        # sources, CCPs, competences, correspondences...), whatever their sizes.
        for label in ("2018", "2023", "2026"):
            with django_assert_max_num_queries(15):
                client.get(f"/api/v1/titles/TP-01351/versions/{label}")


class TestNotFound:
    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("/api/v1/titles/TP-99999", "title_not_found"),
            ("/api/v1/titles/nimportequoi", "title_not_found"),
            ("/api/v1/titles/TP-99999/versions/2023", "title_not_found"),
            ("/api/v1/titles/TP-01351/versions/1999", "version_not_found"),
        ],
    )
    def test_unknown_title_or_version(self, client: Client, builtin_catalogue: LoadReport, url: str, code: str) -> None:
        data = get_json(client, url, status=404)
        assert set(data) == {"code", "message", "field", "reasons", "errors"}
        assert data["code"] == code
        assert data["message"]


class TestOpenApi:
    def test_document_matches_the_snapshot(self, client: Client, db: None) -> None:
        """The API contract changes only on purpose: regenerate with UPDATE_SNAPSHOTS=1."""
        document = get_json(client, "/api/v1/openapi.json")
        if os.environ.get("UPDATE_SNAPSHOTS") == "1":
            SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
            SNAPSHOT.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        assert SNAPSHOT.exists(), "No OpenAPI snapshot: run the tests with UPDATE_SNAPSHOTS=1"
        expected = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
        assert document == expected, (
            "The OpenAPI document changed. If that is on purpose, run the tests with UPDATE_SNAPSHOTS=1 "
            "and commit tests/snapshots/openapi.json."
        )

    def test_documents_the_three_catalogue_endpoints(self, client: Client, db: None) -> None:
        paths = get_json(client, "/api/v1/openapi.json")["paths"]
        assert set(paths) >= {
            "/api/v1/titles",
            "/api/v1/titles/{code}",
            "/api/v1/titles/{code}/versions/{label}",
        }
        assert paths["/api/v1/titles/{code}"]["get"]["responses"]["404"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ApiError"
        }


class TestDocsPage:
    def test_serves_swagger_ui_from_our_own_static_files(self, client: Client, db: None) -> None:
        response = client.get("/api/v1/docs")
        assert response.status_code == 200
        html = response.content.decode()
        static_url = "/" + settings.STATIC_URL.strip("/") + "/"
        assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
        assert f"{static_url}ninja/swagger-ui-bundle.js" in assets
        assert f"{static_url}ninja/swagger-ui.css" in assets
        for asset in assets:
            assert asset.startswith(static_url), f"{asset} is not one of our static files"
            assert finders.find(asset.removeprefix(static_url)), f"{asset} is not found by the static files finders"
        # No inline script: the policy only allows our own files (and nonces).
        for attributes, body in re.findall(r"<script\b([^>]*)>(.*?)</script>", html, re.DOTALL):
            assert "src=" in attributes or 'type="application/json"' in attributes, attributes
            assert "src=" not in attributes or not body.strip()
        swagger = re.search(r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.DOTALL)
        assert swagger is not None
        config = json.loads(swagger.group(1))
        assert config["url"] == "/api/v1/openapi.json"
        assert config["validatorUrl"] is None  # Swagger UI must not call validator.swagger.io
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "cdn" not in policy


@pytest.mark.parametrize(
    ("minutes", "iso"),
    [(0, "PT0M"), (20, "PT20M"), (60, "PT1H"), (150, "PT2H30M"), (335, "PT5H35M"), (24 * 60 + 5, "PT24H5M")],
)
def test_duration_iso(minutes: int, iso: str) -> None:
    assert duration_iso(timedelta(minutes=minutes)) == iso
    assert duration_iso(None) is None


def build_revised_title() -> None:
    """A fictional title revised once, with a correspondence line and an equivalence."""
    title = Title.objects.create(code="TP-99902", label="Titre fictif", level=4, confidence="confirmed")
    title.source_list.create(key="X1", label="Arrêté fictif")
    old = title.versions.create(label="A", rncp_code="RNCP99901", status="revised", confidence="confirmed")
    new = title.versions.create(
        label="B", rncp_code="RNCP99902", status="in_force", predecessor=old, confidence="confirmed"
    )
    old_ccps = [old.ccps.create(number=n, label=f"Ancien CCP {n}", confidence="confirmed") for n in (1, 2)]
    new_ccp = new.ccps.create(number=1, label="Nouveau CCP", confidence="confirmed")
    line = Correspondence.objects.create(from_version=old, to_ccp=new_ccp, confidence="confirmed", sources=["X1"])
    line.from_ccps.set(old_ccps)
    equivalence = new.equivalences.create(
        rncp_code="RNCP99999",
        certification_label="Autre certification",
        scope="partial",
        confidence="reported",
        sources=["X1"],
    )
    equivalence.ccps.set([new_ccp])
