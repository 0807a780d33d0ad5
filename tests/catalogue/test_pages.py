"""The public pages of the catalogue: list of titles and search, a title, a version."""

from __future__ import annotations

import html
import re
from datetime import date
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext

from titrepro.catalogue import queries
from titrepro.catalogue.models import (
    Confidence,
    Correspondence,
    Equivalence,
    EquivalenceScope,
    Title,
    TitleVersion,
    VersionStatus,
)
from titrepro.catalogue.services import LoadReport
from titrepro.catalogue.templatetags.catalogue_tags import format_duration, number_in_words

TSSR = "TP-01351"

# The official description of TSSR 2023 (shared/reference/tssr-fiche-de-communication.md),
# with the typographic apostrophe the catalogue uses.
TSSR_2023_INTRO = (
    "Le titre professionnel Technicien supérieur systèmes et réseaux niveau 5 (code NSF : 326p,326r,326u) "
    "se compose de deux activités types, chaque activité type comportant les compétences nécessaires à sa "
    "réalisation. A chaque activité type correspond un certificat de compétences professionnelles (CCP)."
)
TSSR_2023_CCPS = [
    (
        "Exploiter les éléments de l’infrastructure et assurer le support aux utilisateurs",
        [
            "Assurer le support utilisateur en centre de services",
            "Exploiter des serveurs Windows et un domaine ActiveDirectory",
            "Exploiter des serveurs Linux",
            "Exploiter un réseau IP",
        ],
    ),
    (
        "Maintenir l’infrastructure et contribuer à son évolution et à sa sécurisation",
        [
            "Maintenir des serveurs dans une infrastructure virtualisée",
            "Automatiser des tâches à l’aide de scripts",
            "Maintenir et sécuriser les accès à Internet et les interconnexions des réseaux",
            "Mettre en place, assurer et tester les sauvegardes et les restaurations des éléments de l’infrastructure",
            "Exploiter et maintenir les services de déploiement des postes de travail",
        ],
    ),
]


def provenance_section(response: Any) -> str:
    """The HTML of the collapsed section "Sources and reliability of the data" (there is one)."""
    content: str = response.content.decode()
    assert content.count('id="provenance"') == 1
    start = content.index('<section class="fr-accordion fr-mb-6w" aria-labelledby="provenance-heading">')
    return content[start : content.index("</section>", start)]


def visible_text(response: Any) -> str:
    """The page's text without the collapsed provenance section: what a reader sees first."""
    section = provenance_section(response)
    body = response.content.decode().replace(section, "")
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(body).split())


def text_of(response: Any) -> str:
    """The page's visible text: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(body).split())


def get_ok(client: Client, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


def cell_text(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


def table_rows(response: Any) -> list[list[str]]:
    """Every row of every table of the page, as the text of its cells."""
    content = response.content.decode()
    return [
        [cell_text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
        for row in re.findall(r"<tr>(.*?)</tr>", content, re.DOTALL)
    ]


def row_starting_with(response: Any, start: str) -> list[str]:
    rows = [row for row in table_rows(response) if row and row[0].startswith(start)]
    assert rows, f"no table row starts with {start!r}"
    return rows[0]


def list_rows(response: Any) -> list[str]:
    """The title codes listed in the result table, in order."""
    return [row["title"].code for row in response.context["rows"]]


class TestTitleList:
    def test_root_redirects_to_the_list(self, client: Client, db: None) -> None:
        response = client.get("/")
        assert response.status_code == 302
        assert response["Location"] == reverse("catalogue:title_list") == "/titres/"

    def test_lists_every_title_with_its_current_version(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/")
        assert list_rows(response) == ["TP-01351", "TP-01352"]
        text = text_of(response)
        assert "Titres professionnels" in text
        for expected in ("TP-01351", "Technicien supérieur systèmes et réseaux", "TSSR", "TP-01352", "RNCP37680"):
            assert expected in text
        current = queries.current_version(Title.objects.get(code=TSSR))
        assert current is not None
        assert current.rncp_code in text
        content = response.content.decode()
        assert "<caption>" in content
        assert content.count("<h1") == 1
        assert 'href="/titres/TP-01351/"' in content

    def test_the_search_form_works_without_javascript(self, client: Client, builtin_catalogue: LoadReport) -> None:
        content = get_ok(client, "/titres/").content.decode()
        form = re.search(r"<form[^>]*>", content)
        assert form is not None
        assert 'method="get"' in form.group(0)
        assert 'action="/titres/"' in form.group(0)
        assert re.search(r'<label class="fr-label" for="search-q">', content)
        assert re.search(r'<input[^>]*id="search-q"[^>]*name="q"', content)
        assert re.search(r'<button[^>]*type="submit"', content)

    @pytest.mark.parametrize(
        ("q", "expected"),
        [
            ("TP-01351", ["TP-01351"]),
            ("01352", ["TP-01352"]),
            ("tp 01351", ["TP-01351"]),
            ("systèmes et", ["TP-01351"]),
            ("infrastructures sécurisées", ["TP-01352"]),
            ("tssr", ["TP-01351"]),
            ("AIS", ["TP-01352"]),
            ("RNCP37682", ["TP-01351"]),
            ("rncp 31115", ["TP-01351"]),
            ("42463", ["TP-01351"]),
            ("RNCP37680", ["TP-01352"]),
            ("  ", ["TP-01351", "TP-01352"]),
            # Accents, case and apostrophes do not matter (issue 9, item 6).
            ("reseaux", ["TP-01351"]),
            ("RÉSEAUX", ["TP-01351"]),
            ("systemes et reseaux", ["TP-01351"]),
            ("d\u2019un technicien réseaux", ["TP-01351"]),
            ("technicien r\u00e9seaux l\u2019informatique", []),
            ("d'infrastructures", ["TP-01352"]),
            ("administrateur d\u2019infrastructures", ["TP-01352"]),
            ("SECURISEES", ["TP-01352"]),
        ],
    )
    def test_search(self, client: Client, builtin_catalogue: LoadReport, q: str, expected: list[str]) -> None:
        response = get_ok(client, f"/titres/?q={q}")
        assert list_rows(response) == expected

    def test_search_follows_a_corrected_label(self, client: Client, builtin_catalogue: LoadReport) -> None:
        # The admin saves the label alone: the folded search text follows it.
        title = Title.objects.get(code="TP-01352")
        title.label = "Administratrice d\u2019infrastructures sécurisées"
        title.save(update_fields=["label"])
        assert list_rows(get_ok(client, "/titres/?q=administratrice")) == ["TP-01352"]
        assert list_rows(get_ok(client, "/titres/?q=administrateur")) == []

    def test_search_keeps_the_query_in_the_field(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/?q=r%C3%A9seaux")
        assert 'value="réseaux"' in response.content.decode()
        assert "1 titre correspond à « réseaux »" in text_of(response)

    def test_no_result_says_so(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/?q=boulanger")
        assert list_rows(response) == []
        text = text_of(response)
        assert "Aucun titre ne correspond à « boulanger »" in text
        assert "<table" not in response.content.decode()

    def test_the_query_is_escaped(self, client: Client, builtin_catalogue: LoadReport) -> None:
        content = get_ok(client, "/titres/?q=<script>alert(1)</script>").content.decode()
        assert "<script>alert(1)</script>" not in content
        assert "&lt;script&gt;" in content

    def test_empty_catalogue(self, client: Client, db: None) -> None:
        response = get_ok(client, "/titres/")
        assert "Aucun titre n’est encore chargé" in text_of(response)

    def test_runs_a_fixed_number_of_queries(
        self, client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(2):
            get_ok(client, "/titres/")
        with django_assert_max_num_queries(2):
            get_ok(client, "/titres/?q=RNCP37682")


class TestTitleDetail:
    def test_identity(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/TP-01351/")
        content = response.content.decode()
        assert re.findall(r"<h1[^>]*>(.*?)</h1>", content, flags=re.DOTALL) == [
            "Technicien supérieur systèmes et réseaux"
        ]
        assert "<title>Technicien supérieur systèmes et réseaux (TP-01351) — titrepro</title>" in content
        text = text_of(response)
        for expected in (
            "Titre professionnel TP-01351, niveau 5",
            "Codes NSF 326p, 326r, 326u",
            "I1401 — Maintenance informatique et bureautique",
            "M1810 — Production et exploitation de systèmes d’information",
        ):
            assert expected in text

    def test_versions_timeline(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/TP-01351/")
        text = text_of(response)
        content = response.content.decode()
        for label in ("2018", "2023", "2026"):
            assert f'href="/titres/TP-01351/versions/{label}/"' in content
        assert [v.label for v in response.context["versions"]] == ["2018", "2023", "2026"]
        for expected in (
            "Version 2018",
            "Millésime : 01",
            "Code RNCP : RNCP31115",
            "Arrêté du 6 avril 2018",
            "Validité : jusqu’au 31 août 2023",
            "Version 2023",
            "Code RNCP : RNCP37682",
            "Arrêté du 26 avril 2023",
            "Publié au JO le 13 mai 2023",
            "Validité : du 1er septembre 2023 au 31 août 2026",
            "Version 2026",
            "Code RNCP : RNCP42463",
            "Validité : du 1er septembre 2026 au 31 août 2031",
            "révisé",
            "en vigueur",
        ):
            assert expected in text, expected
        # The timeline is in chronological order.
        assert (
            text.index("Code RNCP : RNCP31115")
            < text.index("Code RNCP : RNCP37682")
            < text.index("Code RNCP : RNCP42463")
        )

    def test_current_version_competences_and_modalities(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/TP-01351/")
        current = response.context["current"]
        assert current == queries.current_version(Title.objects.get(code=TSSR))
        text = text_of(response)
        assert f"version {current.label}" in text
        for ccp in current.ccps.all():
            assert f"CCP – {ccp.label}" in text
            for competence in ccp.competences.all():
                assert competence.label in text
        assert "Session titre" in text
        assert "Mise en situation professionnelle" in text

    def test_confidence_badges_and_notes_are_in_the_provenance_section(
        self, client: Client, builtin_catalogue: LoadReport
    ) -> None:
        response = get_ok(client, "/titres/TP-01351/")
        section = provenance_section(response)
        badges = re.findall(r'<span class="fr-badge fr-badge--sm [^"]*">.*?</span>(.*?)</span>', section)
        assert {str(Confidence.UNCONFIRMED.label), str(Confidence.CORROBORATED.label)} <= set(badges)
        # Version 2026 is unconfirmed, and the section says why.
        assert TitleVersion.objects.get(title__code=TSSR, label="2026").notes[:40] in html.unescape(section)
        # On the 2023 page: the transversal competences are reported by one source.
        section = provenance_section(get_ok(client, "/titres/TP-01351/versions/2023/"))
        badges = re.findall(r'<span class="fr-badge fr-badge--sm [^"]*">.*?</span>(.*?)</span>', section)
        assert {str(Confidence.REPORTED.label), str(Confidence.CORROBORATED.label)} <= set(badges)
        assert re.search(r"<li>Communiquer <span class=\"fr-badge[^>]*><span class=\"fr-sr-only\">", section)

    def test_sources(self, client: Client, builtin_catalogue: LoadReport) -> None:
        section = provenance_section(get_ok(client, "/titres/TP-01351/"))
        assert '<h3 class="fr-h6" id="sources">' in section
        assert '<li id="source-S1">' in section
        assert 'href="https://fr.scribd.com/document/716657873/Fiche-de-communication-TSSR-2023"' in section
        assert '<a href="#source-S1">S1</a>' in section

    def test_a_title_without_versions_still_has_a_page(self, client: Client, db: None) -> None:
        Title.objects.create(code="TP-00001", label="Titre sans version", level=3)
        response = get_ok(client, "/titres/TP-00001/")
        assert "Aucune version de ce titre n’est encore chargée." in text_of(response)
        assert "Aucune source n’est enregistrée pour ce titre." in text_of(response)
        assert list_rows(get_ok(client, "/titres/")) == ["TP-00001"]

    def test_unknown_code_is_404(self, client: Client, builtin_catalogue: LoadReport) -> None:
        assert client.get("/titres/TP-99999/").status_code == 404
        assert client.get("/titres/tssr/").status_code == 404

    def test_runs_a_fixed_number_of_queries(
        self, client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
    ) -> None:
        with django_assert_max_num_queries(16):
            get_ok(client, "/titres/TP-01351/")


class TestVersionDetail:
    URL = "/titres/TP-01351/versions/2023/"

    def test_reads_like_the_official_description(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, self.URL)
        text = text_of(response)
        assert TSSR_2023_INTRO in text
        assert "Dans le respect des procédures et des consignes, le technicien supérieur systèmes et réseaux" in text
        content = response.content.decode()
        headings = [" ".join(html.unescape(h).split()) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", content, re.DOTALL)]
        positions = []
        for label, competences in TSSR_2023_CCPS:
            assert f"CCP – {label}" in headings
            positions.append(text.index(f"CCP – {label}"))
            items = re.search(
                rf"CCP – {re.escape(html.escape(label, quote=False))}</h2>.*?<ul>(.*?)</ul>", content, re.DOTALL
            )
            assert items is not None
            got = [
                " ".join(html.unescape(re.sub(r"<span.*", "", li, flags=re.DOTALL)).split())
                for li in re.findall(r"<li>(.*?)</li>", items.group(1), re.DOTALL)
            ]
            assert got == competences
        assert positions == sorted(positions)
        assert text.index(TSSR_2023_INTRO) < positions[0]

    def test_one_h1_and_a_page_title(self, client: Client, builtin_catalogue: LoadReport) -> None:
        content = get_ok(client, self.URL).content.decode()
        assert content.count("<h1") == 1
        assert "<title>Technicien supérieur systèmes et réseaux, version 2023 — titrepro</title>" in content
        assert '<html lang="fr"' in content
        assert '<main id="content"' in content

    def test_references_and_neighbours(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, self.URL)
        text = text_of(response)
        for expected in (
            "Code RNCP RNCP37682",
            "Millésime 02",
            "Date de l’arrêté 26 avril 2023",
            "Date de publication au JO 13 mai 2023",
            "Validité du 1er septembre 2023 au 31 août 2026",
            "Statut révisé",
            "Version précédente : version 2018 (RNCP31115)",
            "Version suivante : version 2026 (RNCP42463)",
            "Communiquer",
            "Mettre en œuvre une démarche de résolution de problème",
            "Apprendre en continu",
        ):
            assert expected in text, expected
        content = response.content.decode()
        assert 'href="/titres/TP-01351/versions/2018/"' in content
        assert 'href="/titres/TP-01351/versions/2026/"' in content

    def test_modalities_with_durations(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, self.URL)
        # Each test of the title session: its kind (then its provenance), its duration, its parts.
        kinds = [
            "Mise en situation professionnelle",
            "Questionnaire professionnel",
            "Entretien technique",
            "Entretien final",
        ]
        assert [row_starting_with(response, kind)[1] for kind in kinds] == ["2 h 30", "2 h", "45 min", "20 min"]
        practical = row_starting_with(response, "Mise en situation professionnelle")
        assert "sans jury, sous surveillance — 1 h 30" in practical[2]
        assert "sans accès aux machines — 15 min" in practical[2]
        assert "hyperviseurs) — 45 min" in practical[2]
        text = text_of(response)
        assert "Session titre" in text
        assert "Épreuves de la session titre" in text
        assert "Durée totale de la session : 5 h 35" in text
        assert "<caption" in response.content.decode()

    def test_each_part_says_whether_the_jury_is_there_and_whether_a_workstation_is_used(
        self, client: Client, builtin_catalogue: LoadReport
    ) -> None:
        response = get_ok(client, self.URL)
        jury, without, post = gettext("Jury present"), gettext("Without the jury"), gettext("At a workstation")
        content = response.content.decode()
        practical = content[content.rindex("<ul", 0, content.index("Manipulations sur machines virtuelles")) :]
        parts = re.findall(r"<li>(.*?)</li>", practical[: practical.index("</ul>")], re.DOTALL)
        assert [cell_text(part).rsplit(" — ", 1)[1] for part in parts] == [
            f"1 h 30 {without} {post}",
            f"15 min {without}",
            f"45 min {jury} {post}",
        ]
        # A modality without parts carries its own markers.
        assert row_starting_with(response, "Questionnaire professionnel")[2].endswith(f"{without} {post}")
        assert row_starting_with(response, "Entretien technique")[2].endswith(jury)
        assert row_starting_with(response, "Entretien final")[2].endswith(jury)

    def test_ccp_sessions_of_2026(self, client: Client, builtin_catalogue: LoadReport) -> None:
        text = text_of(get_ok(client, "/titres/TP-01351/versions/2026/"))
        assert "Durée totale de la session : 7 h" in text
        assert "Session CCP – Assurer le support aux utilisateurs" in text
        assert "Durée totale de la session : 3 h 15" in text
        assert "Durée totale de la session : 3 h 30" in text
        assert "Durée totale de la session : 3 h" in text
        assert "se compose de trois activités types" in text

    def test_ccs_of_2018(self, client: Client, builtin_catalogue: LoadReport) -> None:
        text = text_of(get_ok(client, "/titres/TP-01351/versions/2018/"))
        assert "CCS – Administrer les serveurs Linux" in text
        assert "Superviser les serveurs Linux" in text
        assert "Version précédente : aucune" in text

    def test_unknown_version_is_404(self, client: Client, builtin_catalogue: LoadReport) -> None:
        assert client.get("/titres/TP-01351/versions/1999/").status_code == 404
        assert client.get("/titres/TP-99999/versions/2023/").status_code == 404
        # A version label belongs to its title.
        assert client.get("/titres/TP-01352/versions/2018/").status_code == 404

    def test_runs_a_fixed_number_of_queries(
        self, client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
    ) -> None:
        for label in ("2018", "2023", "2026"):
            with django_assert_max_num_queries(15):
                get_ok(client, f"/titres/TP-01351/versions/{label}/")


@pytest.fixture
def revision_rows(builtin_catalogue: LoadReport) -> None:
    """A correspondence line (2018 -> 2023) and an equivalence on 2023.

    Test-only rows: no official correspondence table or equivalence is known for TSSR.
    """
    v2018 = TitleVersion.objects.get(title__code=TSSR, label="2018")
    v2023 = TitleVersion.objects.get(title__code=TSSR, label="2023")
    line = Correspondence.objects.create(
        from_version=v2018, to_ccp=v2023.ccps.get(number=1), sources=["S14"], confidence=Confidence.UNCONFIRMED
    )
    line.from_ccps.set(v2018.ccps.filter(number__in=[1, 2]))
    equivalence = Equivalence.objects.create(
        version=v2023,
        rncp_code="RNCP99999",
        certification_label="Certification de test",
        scope=EquivalenceScope.PARTIAL,
        confidence=Confidence.CONFIRMED,
    )
    equivalence.ccps.set(v2023.ccps.filter(number=2))


class TestCorrespondencesAndEquivalences:
    def test_the_revised_version_shows_where_its_ccps_come_from(self, client: Client, revision_rows: None) -> None:
        response = get_ok(client, "/titres/TP-01351/versions/2023/")
        text = text_of(response)
        assert "Correspondances entre versions" in text
        assert "CCP de la version 2018 donnant des CCP de la version 2023" in text
        row = row_starting_with(response, "CCP 1 – Exploiter les éléments de l’infrastructure")
        assert row[0] == "CCP 1 – Exploiter les éléments de l’infrastructure et assurer le support aux utilisateurs"
        assert row[1] == (
            "CCP 1 – Assister les utilisateurs en centre de services "
            "CCP 2 – Maintenir, exploiter et sécuriser une infrastructure centralisée"
        )
        assert "Équivalences accordées par la version 2023" in text
        assert row_starting_with(response, "Certification de test") == [
            "Certification de test",
            "RNCP99999",
            "partielle",
            "CCP 2 – Maintenir l’infrastructure et contribuer à son évolution et à sa sécurisation",
        ]

    def test_the_former_version_shows_where_its_ccps_go(self, client: Client, revision_rows: None) -> None:
        response = get_ok(client, "/titres/TP-01351/versions/2018/")
        assert "CCP de la version 2018 donnant des CCP de la version 2023" in text_of(response)
        row = row_starting_with(response, "CCP 1 – Exploiter les éléments de l’infrastructure")
        assert row[1].startswith("CCP 1 – Assister les utilisateurs en centre de services")

    def test_query_count_stays_bounded_with_every_relation_filled(
        self, client: Client, revision_rows: None, django_assert_max_num_queries: Any
    ) -> None:
        # One query per relation: title, sources, versions, CCPs, competences,
        # correspondences in and their CCPs, CCS and competences, transversal,
        # modalities, parts, equivalences and their CCPs, correspondences out and their CCPs.
        with django_assert_max_num_queries(16):
            get_ok(client, "/titres/TP-01351/")
        for label in ("2018", "2023"):
            with django_assert_max_num_queries(15):
                get_ok(client, f"/titres/TP-01351/versions/{label}/")


class TestSecurityHeaders:
    @pytest.mark.parametrize("url", ["/titres/", "/titres/TP-01351/", "/titres/TP-01351/versions/2023/"])
    def test_csp_nonce_is_used_by_every_script(self, client: Client, builtin_catalogue: LoadReport, url: str) -> None:
        response = get_ok(client, url)
        policy = response["Content-Security-Policy"]
        nonce = re.search(r"'nonce-([^']+)'", policy)
        assert nonce is not None, policy
        scripts = re.findall(r"<script\b[^>]*>", response.content.decode())
        assert scripts, "the DSFR scripts are on every page"
        for script in scripts:
            assert f'nonce="{nonce.group(1)}"' in script
            assert 'src="/static/' in script
        # Two requests get two nonces.
        assert get_ok(client, url)["Content-Security-Policy"] != policy

    def test_no_inline_style_nor_third_party_asset(self, client: Client, builtin_catalogue: LoadReport) -> None:
        content = get_ok(client, "/titres/TP-01351/versions/2023/").content.decode()
        assert "<style" not in content
        assert " style=" not in content
        for asset in re.findall(r'<(?:script|link)\b[^>]*(?:src|href)="([^"]+)"', content):
            assert asset.startswith("/static/"), asset


def test_format_duration() -> None:
    from datetime import timedelta

    assert format_duration(timedelta(hours=2, minutes=30)) == "2 h 30"
    assert format_duration(timedelta(hours=2)) == "2 h"
    assert format_duration(timedelta(minutes=45)) == "45 min"
    assert format_duration(timedelta(hours=1, minutes=5)) == "1 h 05"
    assert format_duration(None) == ""


def test_number_in_words_is_french(settings: Any) -> None:
    from django.utils import translation

    with translation.override("fr"):
        assert [number_in_words(n) for n in (1, 2, 3, 11)] == ["une", "deux", "trois", "11"]


def current_label(title: Title, on: date | None = None) -> str:
    version = queries.current_version(title, on=on)
    assert version is not None
    return version.label


def test_current_version_is_the_one_in_force_else_the_latest(builtin_catalogue: LoadReport) -> None:
    title = Title.objects.prefetch_related("versions").get(code=TSSR)
    assert current_label(title, on=date(2024, 1, 1)) == "2023"
    assert current_label(title, on=date(2027, 1, 1)) == "2026"
    assert current_label(title, on=date(2035, 1, 1)) == "2026"
    # 2018 has no known start: an unknown bound is open.
    assert current_label(title, on=date(2010, 1, 1)) == "2018"
    assert current_label(Title.objects.prefetch_related("versions").get(code="TP-01352")) == "2023"


CARDINAL_FIRST = re.compile(
    r"\b1 (janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre)\b"
)


@pytest.mark.parametrize(
    ("url", "has_a_first"),
    [
        ("/titres/TP-01351/", True),
        ("/titres/TP-01351/versions/2018/", False),
        ("/titres/TP-01351/versions/2023/", True),
        ("/titres/TP-01351/versions/2026/", True),
        ("/titres/TP-01352/", False),
        (
            "/simuler/?title=TP-01351&shown=TP-01351&on=2026-09-01&route=unknown&v2023_ccp1=on"
            "&v2023_ccp1_on=2023-09-01&simulate=1",
            True,
        ),
    ],
)
def test_the_first_of_a_month_is_written_1er(
    client: Client, builtin_catalogue: LoadReport, url: str, has_a_first: bool
) -> None:
    text = text_of(get_ok(client, url))
    assert ("1er " in text) is has_a_first
    assert not CARDINAL_FIRST.search(text), CARDINAL_FIRST.search(text)


PUBLIC_PAGES = [
    "/titres/TP-01351/",
    "/titres/TP-01351/versions/2018/",
    "/titres/TP-01351/versions/2023/",
    "/titres/TP-01351/versions/2026/",
    "/titres/TP-01352/",
    "/titres/TP-01352/versions/2023/",
]


def all_notes() -> list[str]:
    """The editorial notes of every catalogue row (the YAML files' ``notes``)."""
    from titrepro.catalogue import models

    notes = []
    for model in (
        models.Title,
        models.TitleVersion,
        models.CCP,
        models.CCS,
        models.Competence,
        models.TransversalCompetence,
        models.EvaluationModality,
        models.ModalityPart,
    ):
        notes += [" ".join(n.split()) for n in model.objects.exclude(notes="").values_list("notes", flat=True)]
    assert len(notes) > 10
    return notes


class TestPublicContent:
    """Issue 9, item 6: the public pages show the official content; provenance is folded away."""

    @pytest.mark.parametrize("url", PUBLIC_PAGES)
    def test_no_editorial_note_in_the_visible_content(
        self, client: Client, builtin_catalogue: LoadReport, url: str
    ) -> None:
        visible = visible_text(get_ok(client, url))
        for note in all_notes():
            assert note[:60] not in visible, note
        for phrase in ("n’a pas été lu", "revised", "À vérifier", "Notes rédigées par une IA", "non officiel"):
            assert phrase not in visible, phrase
        # No source key (S1, S22, FC...) and no confidence badge outside the section.
        assert not re.search(r"\b(S\d{1,2}|FC)\b", visible), re.search(r"\b(S\d{1,2}|FC)\b", visible)
        for confidence in Confidence:
            if confidence != Confidence.CONFIRMED:
                assert f" {confidence.label} " not in f" {visible} ", confidence

    @pytest.mark.parametrize("url", PUBLIC_PAGES)
    def test_the_provenance_is_whole_in_a_collapsed_section(
        self, client: Client, builtin_catalogue: LoadReport, url: str
    ) -> None:
        from django.utils.translation import gettext

        response = get_ok(client, url)
        section = provenance_section(response)
        assert gettext("Sources and reliability of the data") in html.unescape(section)
        assert 'aria-expanded="false" aria-controls="provenance"' in section
        assert '<div class="fr-collapse" id="provenance">' in section
        text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", section)).split())
        title = response.context["title"]
        assert " ".join(title.notes.split())[:60] in text
        version = response.context.get("version") or response.context["current"]
        assert " ".join(version.notes.split())[:60] in text
        for source in title.source_list.all():
            assert f'<li id="source-{source.key}">' in section

    def test_the_sections_notes_cover_the_version_shown(self, client: Client, builtin_catalogue: LoadReport) -> None:
        text = text_of(get_ok(client, "/titres/TP-01351/versions/2023/"))
        practical = TitleVersion.objects.get(title__code=TSSR, label="2023").modalities.get(kind="practical_assessment")
        assert " ".join(practical.notes.split()) in text

    def test_one_status_badge_per_version(self, client: Client, builtin_catalogue: LoadReport) -> None:
        response = get_ok(client, "/titres/TP-01351/")
        content = response.content.decode().replace(provenance_section(response), "")
        cards = re.findall(r'<div class="fr-card__start">(.*?)</div>', content, re.DOTALL)
        assert len(cards) == 3
        for card in cards:
            assert len(re.findall(r"class=\"fr-badge ", card)) == 1, card
        statuses = {str(label) for _value, label in VersionStatus.choices}
        version_page = get_ok(client, "/titres/TP-01351/versions/2026/")
        content = version_page.content.decode().replace(provenance_section(version_page), "")
        badges = [cell_text(b) for b in re.findall(r'<p class="fr-badge[^"]*">(.*?)</p>', content, re.DOTALL)]
        assert len([b for b in badges if b in statuses]) == 1, badges
