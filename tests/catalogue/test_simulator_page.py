"""The public page "Simuler mon parcours" (/simuler/): form, French result, errors, queries, CSP."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from titrepro.catalogue.models import Confidence, Correspondence, TitleVersion
from titrepro.catalogue.services import LoadReport

TSSR = "TP-01351"
URL = "/simuler/"

pytestmark = pytest.mark.django_db


def text_of(response: Any) -> str:
    """The page's visible text: tags dropped, entities decoded, spaces collapsed."""
    body = response.content.decode()
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.DOTALL)
    body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(body).split())


def get_ok(client: Client, params: dict[str, str] | None = None) -> Any:
    response = client.get(URL, params or {})
    assert response.status_code == 200, response.content[:500]
    return response


def simulate(**fields: str) -> dict[str, str]:
    """A submitted form for TSSR as a person in training on 28 November 2026."""
    return {"title": TSSR, "shown": TSSR, "on": "2026-11-28", "route": "training", "simulate": "1"} | fields


def test_url_name() -> None:
    assert reverse("catalogue:simulator") == URL


def test_page_renders_step_one(client: Client, builtin_catalogue: LoadReport) -> None:
    response = get_ok(client)
    content = response.content.decode()
    assert content.count("<h1") == 1
    text = text_of(response)
    assert "Simuler mon parcours" in text
    assert "TP-01351 – Technicien supérieur systèmes et réseaux" in text
    for route in ("Formation continue", "Apprentissage", "VAE", "capitalisation", "Je ne sais pas"):
        assert route in text
    assert 'name="simulate"' not in content  # no step 2 before a title is chosen
    assert 'aria-current="page"' in content  # the main menu marks the page


def test_picking_tssr_lists_the_ccps_of_2018_2023_2026(client: Client, builtin_catalogue: LoadReport) -> None:
    response = get_ok(client, {"title": TSSR})
    content = response.content.decode()
    assert re.search(r'<option value="TP-01351" selected>', content)
    for version, count in (("2018", 3), ("2023", 2), ("2026", 3)):
        assert f'id="legend-v{version}"' in content
        for number in range(1, count + 1):
            assert f'name="v{version}_ccp{number}"' in content
            assert f'name="v{version}_ccp{number}_on"' in content
            assert f'<label class="fr-label" for="id_v{version}_ccp{number}_on">' in content
        assert f'name="v{version}_ccp{count + 1}"' not in content
    text = text_of(response)
    assert (
        "Je détiens le CCP 1 – Exploiter les éléments de l’infrastructure et assurer le support aux utilisateurs"
        in text
    )
    assert "Je détiens le CCP 3 – Maintenir en conditions opérationnelles l’infrastructure" in text
    # The question's date defaults to today; nothing is an error yet.
    assert 'name="on" value="' in content
    assert "erreur" not in text.lower()


def test_the_title_page_links_to_the_simulator(client: Client, builtin_catalogue: LoadReport) -> None:
    content = client.get(f"/titres/{TSSR}/").content.decode()
    assert f'href="/simuler/?title={TSSR}"' in content
    assert "Simuler mon parcours pour ce titre" in text_of(client.get(f"/titres/{TSSR}/"))


def test_done_when_ccp_1_of_2023_on_28_november_2026(client: Client, builtin_catalogue: LoadReport) -> None:
    response = get_ok(client, simulate(v2023_ccp1="on", v2023_ccp1_on="2024-06-14"))
    text = text_of(response)
    assert "Où en êtes-vous au 28 novembre 2026" in text
    assert "Vous pouvez encore compléter 2 versions de ce titre." in text
    assert (
        "Vous détenez le CCP 1 – Exploiter les éléments de l’infrastructure et assurer le support aux utilisateurs (obtenu le 14 juin 2024)."
        in text
    )
    assert (
        "Il vous manque le CCP 2 – Maintenir l’infrastructure et contribuer à son évolution et à sa sécurisation."
        in text
    )
    assert (
        "Vous avez jusqu’au 31 août 2027 pour compléter ce titre (prolongation d’un an après la fin de validité)."
        in text
    )
    assert "vous inscrire à une session CCP pour les CCP manquants : CCP 2" in text
    # 2026 is open: a title session or CCP sessions.
    version_2026 = text[text.index("Version 2026") :]
    assert "Vous avez jusqu’au 31 août 2031" in version_2026
    assert "vous inscrire à une session titre" in version_2026
    assert "vous inscrire à une session CCP pour les CCP manquants : CCP 1, CCP 2, CCP 3" in version_2026
    # The form keeps what the person typed, for a new try.
    content = response.content.decode()
    assert re.search(r'<input type="checkbox" name="v2023_ccp1"[^>]*checked', content)
    assert 'value="2024-06-14"' in content


def test_mapped_ccps_say_where_they_come_from(client: Client, builtin_catalogue: LoadReport) -> None:
    v2018, v2023 = (TitleVersion.objects.get(title__code=TSSR, label=label) for label in ("2018", "2023"))
    line = Correspondence.objects.create(
        from_version=v2018, to_ccp=v2023.ccps.get(number=1), sources=["S14"], confidence=Confidence.UNCONFIRMED
    )
    line.from_ccps.set(v2018.ccps.filter(number__in=[1, 2]))
    held = {f"v2018_ccp{n}": "on" for n in (1, 2)} | {f"v2018_ccp{n}_on": "2023-06-14" for n in (1, 2)}
    text = text_of(get_ok(client, simulate(on="2023-11-28", **held)))
    version_2023 = text[text.index("Version 2023", text.index("Où en êtes-vous")) :]
    assert (
        "Vous détenez le CCP 1 – Exploiter les éléments de l’infrastructure et assurer le support aux utilisateurs "
        "(par correspondance depuis la version 2018 : CCP 1, 2)." in version_2023
    )
    assert "Il vous manque le CCP 2" in version_2023


def test_title_held(client: Client, builtin_catalogue: LoadReport) -> None:
    text = text_of(get_ok(client, simulate(title_held="on", title_held_on="2020-06-14")))
    assert "Vous détenez le titre Technicien supérieur systèmes et réseaux : un titre n’expire jamais." in text


def test_failure_gives_the_resit_window(client: Client, builtin_catalogue: LoadReport) -> None:
    text = text_of(get_ok(client, simulate(outcome="failure", outcome_on="2026-06-20", outcome_version="2023")))
    assert "20 juin 2027" in text


def test_vae_admissibility(client: Client, builtin_catalogue: LoadReport) -> None:
    text = text_of(get_ok(client, simulate(route="vae", vae_notified_on="2026-03-02")))
    assert "Votre recevabilité VAE est valable jusqu’au" in text


@pytest.mark.parametrize(
    ("fields", "field_id", "message"),
    [
        (
            {"v2023_ccp1": "on", "v2023_ccp1_on": "2027-06-14"},
            "id_v2023_ccp1_on",
            "postérieure à la date de la question",
        ),
        ({"v2023_ccp1": "on", "v2023_ccp1_on": "14/13/2024"}, "id_v2023_ccp1_on", "Saisissez une date valide"),
        ({"v2023_ccp1": "on"}, "id_v2023_ccp1_on", "Indiquez la date d’obtention de ce CCP."),
        ({"v2023_ccp1_on": "2024-06-14"}, "id_v2023_ccp1", "Cochez cette case"),
        ({"on": "pas une date"}, "id_on", "Saisissez une date valide"),
    ],
)
def test_bad_input_gives_a_french_error_next_to_the_field(
    client: Client, builtin_catalogue: LoadReport, fields: dict[str, str], field_id: str, message: str
) -> None:
    response = get_ok(client, simulate(**fields))
    content = response.content.decode()
    text = text_of(response)
    assert "Traceback" not in content
    assert "Erreur" in text_of(response)[:200] or "<title>Erreur" in content
    # The summary at the top links to the field...
    summary = content[
        content.index('id="error-summary"') : content.index("</div>", content.index('id="error-summary"'))
    ]
    assert f'href="#{field_id}"' in summary
    assert message in html.unescape(summary)
    # ... the field points to its error, and keeps what was typed.
    widget = re.search(rf'<input[^>]*id="{field_id}"[^>]*>', content)
    assert widget is not None
    assert f'aria-describedby="{field_id}_error"' in widget.group(0) or f"{field_id}_error" in widget.group(0)
    assert 'aria-invalid="true"' in widget.group(0)
    assert f'id="{field_id}_error"' in content
    for value in fields.values():
        if value != "on":
            assert f'value="{value}"' in content
    assert "Où en êtes-vous" not in text  # no result with errors


def test_unknown_title_is_a_form_error(client: Client, builtin_catalogue: LoadReport) -> None:
    response = get_ok(client, simulate(title="TP-99999", shown="TP-99999"))
    assert "Sélectionnez un choix valide" in text_of(response)


def test_changing_title_keeps_step_one_only(client: Client, builtin_catalogue: LoadReport) -> None:
    response = get_ok(client, simulate(title="TP-01352", v2023_ccp1="on", v2023_ccp1_on="2024-06-14"))
    content = response.content.decode()
    assert "Où en êtes-vous" not in text_of(response)
    assert not re.search(r'name="v2023_ccp1"[^>]*checked', content)
    assert 'value="2026-11-28"' in content


def test_query_count_is_bounded(
    client: Client, builtin_catalogue: LoadReport, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(3):
        get_ok(client)
    with django_assert_max_num_queries(4):
        get_ok(client, {"title": TSSR})
    with django_assert_max_num_queries(16):
        get_ok(client, simulate(v2023_ccp1="on", v2023_ccp1_on="2024-06-14"))


@pytest.mark.parametrize("params", [{}, {"title": TSSR}, simulate(v2023_ccp1="on", v2023_ccp1_on="2024-06-14")])
def test_csp_nonce_is_used_by_every_script(
    client: Client, builtin_catalogue: LoadReport, params: dict[str, str]
) -> None:
    response = get_ok(client, params)
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None, policy
    content = response.content.decode()
    scripts = re.findall(r"<script\b[^>]*>", content)
    assert scripts
    for script in scripts:
        assert f'nonce="{nonce.group(1)}"' in script
        assert 'src="/static/' in script
    assert "<style" not in content
    assert " style=" not in content


def test_a_corrected_submission_shows_no_stale_error(client: Client, builtin_catalogue: LoadReport) -> None:
    """Issue 9, item 8, without htmx: after an error, the corrected form gives a clean page."""
    from django.utils.translation import gettext

    wrong = get_ok(client, simulate(v2023_ccp1="on", v2023_ccp1_on="2030-01-01"))
    content = wrong.content.decode()
    assert 'id="error-summary"' in content
    assert 'aria-invalid="true"' in content
    assert f"<title>{gettext('Error:')}" in html.unescape(content)
    assert response_has_no_result(wrong)

    right = get_ok(client, simulate(v2023_ccp1="on", v2023_ccp1_on="2024-06-14"))
    content = html.unescape(right.content.decode())
    assert 'id="error-summary"' not in content
    assert 'aria-invalid="true"' not in content
    assert "fr-message--error" not in content
    assert "fr-input-group--error" not in content
    assert gettext("Error:") not in content[content.index("<title>") : content.index("</title>")]
    assert right.context["result"] is not None


def response_has_no_result(response: Any) -> bool:
    return response.context["result"] is None


def test_a_ccp_obtained_before_its_version_is_refused_next_to_the_field(
    client: Client, builtin_catalogue: LoadReport
) -> None:
    """Issue 9, item 3: a 2026-version CCP "obtained" in 2020 (before the version existed)."""
    from titrepro.catalogue.standing import before_version_message

    version = TitleVersion.objects.get(title__code=TSSR, label="2026")
    response = get_ok(client, simulate(v2026_ccp1="on", v2026_ccp1_on="2020-06-14"))
    content = html.unescape(response.content.decode())
    message = before_version_message(version.label, version.valid_from)
    assert f'<p class="fr-message fr-message--error" id="id_v2026_ccp1_on_error">{message}' in content or re.search(
        rf'id="id_v2026_ccp1_on_error"[^>]*>\s*{re.escape(message)}', content
    ), content[content.index('id="error-summary"') :][:800]
    assert 'href="#id_v2026_ccp1_on"' in content
    assert response.context["result"] is None


def test_a_ccp_obtained_after_today_is_refused_next_to_the_field(client: Client, builtin_catalogue: LoadReport) -> None:
    from titrepro.catalogue.standing import after_today_message
    from titrepro.core.dating import today

    params = simulate(v2026_ccp1="on", v2026_ccp1_on=(today() + timedelta(days=30)).isoformat())
    params["on"] = (today() + timedelta(days=365)).isoformat()
    response = get_ok(client, params)
    content = html.unescape(response.content.decode())
    assert re.search(rf'id="id_v2026_ccp1_on_error"[^>]*>\s*{re.escape(after_today_message())}', content)
    assert response.context["result"] is None
