"""The catalogue in the Django admin: every model is there, searchable, with its inlines.

Who may open which admin page is in the admin matrix (tests/test_admin_permissions.py).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.db import models
from django.test import Client
from django.urls import reverse

from titrepro.catalogue.models import Correspondence, Equivalence, Title
from titrepro.catalogue.services import LoadReport

# Rows edited only inside their parent's page (inlines), never on their own.
INLINE_ONLY = {"source", "transversalcompetence", "modalitypart"}


def registered_models() -> list[type[models.Model]]:
    return [model for model in admin.site._registry if model._meta.app_label == "catalogue"]


@pytest.fixture
def catalogue(builtin_catalogue: LoadReport) -> None:
    """The built-in titles, plus a correspondence and an equivalence (TSSR has neither)."""
    tssr = Title.objects.get(code="TP-01351")
    v2018 = tssr.versions.get(label="2018")
    v2023 = tssr.versions.get(label="2023")
    line = Correspondence.objects.create(from_version=v2018, to_ccp=v2023.ccps.get(number=1))
    line.from_ccps.set(v2018.ccps.filter(number__in=[1, 2]))
    equivalence = Equivalence.objects.create(
        version=v2023, rncp_code="RNCP99999", certification_label="Certification fictive", scope="partial"
    )
    equivalence.ccps.set([v2023.ccps.get(number=2)])


def test_every_catalogue_model_is_in_the_admin() -> None:
    registered = {model._meta.model_name for model in registered_models()}
    every = {model._meta.model_name for model in apps.get_app_config("catalogue").get_models()}
    assert registered == every - INLINE_ONLY


@pytest.mark.parametrize("q", ["TP-01351", "RNCP37682", "Exploiter des serveurs Linux", "infrastructure", "RNCP99999"])
def test_changelist_search(admin_client: Client, catalogue: None, q: str) -> None:
    for model in registered_models():
        url = reverse(f"admin:catalogue_{model._meta.model_name}_changelist")
        assert admin_client.get(url, {"q": q}).status_code == 200, url


def test_changelists_and_inlines_show_the_catalogue(admin_client: Client, catalogue: None) -> None:
    titles = admin_client.get(reverse("admin:catalogue_title_changelist"), {"q": "RNCP37682"})
    assert "TP-01351" in titles.content.decode()
    title = Title.objects.get(code="TP-01351")
    page = admin_client.get(reverse("admin:catalogue_title_change", args=[title.pk])).content.decode()
    for text in ("RNCP31115", "RNCP37682", "RNCP42463", "S12"):
        assert text in page
    version = title.versions.get(label="2023")
    page = admin_client.get(reverse("admin:catalogue_titleversion_change", args=[version.pk])).content.decode()
    assert "Maintenir l’infrastructure et contribuer à son évolution et à sa sécurisation" in page
    assert "Apprendre en continu" in page
