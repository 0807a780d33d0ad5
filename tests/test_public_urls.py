"""The public pages and endpoints: open to anyone, no account needed (tests/test_url_coverage.py reads PUBLIC)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.permissions import Public

TSSR = {"code": "TP-01351"}

PUBLIC = [
    Public("catalogue:home"),
    Public("catalogue:title_list"),
    Public("catalogue:title_detail", kwargs=TSSR),
    Public("catalogue:version_detail", kwargs=TSSR | {"label": "2023"}),
    Public("catalogue:simulator"),
    Public("accounts:login", needs_catalogue=False),
    Public("accounts:logout", method="post", status=302, needs_catalogue=False),
    # An unknown or expired invitation says so (410 Gone).
    Public("accounts:invitation_accept", kwargs={"token": "bad"}, status=410, needs_catalogue=False),
    # The footer's pages (core.urls_site) and the password reset by e-mail (accounts.views_recovery).
    Public("site:accessibility", needs_catalogue=False),
    Public("site:legal_notice", needs_catalogue=False),
    Public("site:personal_data", needs_catalogue=False),
    Public("site:site_map", needs_catalogue=False),
    Public("accounts:password_reset", needs_catalogue=False),
    Public("accounts:password_reset_done", needs_catalogue=False),
    # A link that is not valid says so on the page (no form).
    Public("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad"}, needs_catalogue=False),
    Public("accounts:password_reset_complete", needs_catalogue=False),
    # Ninja's root only gives the API its address: nothing there.
    Public("api:api-root", status=404, needs_catalogue=False),
    Public("api:openapi-json", needs_catalogue=False),
    Public("api:openapi-view", needs_catalogue=False),
    Public("api:list_titles"),
    Public("api:get_title", kwargs=TSSR),
    Public("api:get_title_version", kwargs=TSSR | {"label": "2023"}),
    Public("api:standing", method="post", body={"title": "TP-01351"}),
    # A jury member's calendar feed: the secret in the address is the key (an unknown one: 404).
    Public("sessions:calendar_feed", kwargs={"token": "inconnu"}, status=404, needs_catalogue=False),
    # The verification of a document (credentials.views): a number that is no document is 404, with the form.
    Public("credentials:verify", needs_catalogue=False),
    Public("credentials:verify_file", needs_catalogue=False),
    Public("credentials:certificates", needs_catalogue=False),
    Public("credentials:certificates_pem", needs_catalogue=False),
    Public(
        "api:document_verify", kwargs={"code": "0000-0000-0000-0000-0000-0000-0000"}, status=404, needs_catalogue=False
    ),
    # Any JSON gets its verdict (here: not a credential).
    Public("api:badge_verify", method="post", body={"hello": "world"}, needs_catalogue=False),
    Public(
        "credentials:verify_code",
        kwargs={"code": "0000-0000-0000-0000-0000-0000-0000"},
        status=404,
        needs_catalogue=False,
    ),
    # What a verifier of the digital badges reads (credentials.views_badges): the achievements (a person is sent
    # to the catalogue's page), the authorities' DID documents and status lists, a badge by its code.
    Public("credentials:achievement_title", kwargs=TSSR | {"label": "2023"}),
    Public("credentials:achievement_ccp", kwargs=TSSR | {"label": "2023", "number": "1"}),
    Public("credentials:achievement_ccs", kwargs=TSSR | {"label": "2023", "ccs": "inconnu"}, status=404),
    Public("credentials:did_document", kwargs={"departement": "75"}, status=404, needs_catalogue=False),
    Public("credentials:status_list", kwargs={"departement": "75", "number": "1"}, status=404, needs_catalogue=False),
    Public(
        "credentials:badge_verify",
        kwargs={"code": "0000-0000-0000-0000-0000-0000-0000"},
        status=404,
        needs_catalogue=False,
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize("public", PUBLIC, ids=[public.id for public in PUBLIC])
def test_anyone_may_use(client: Client, request: pytest.FixtureRequest, public: Public) -> None:
    if public.needs_catalogue:
        request.getfixturevalue("builtin_catalogue")
    url = reverse(public.name, kwargs=public.kwargs)
    if public.method == "get":
        response = client.get(url, follow=True)
    elif public.body is not None:
        response = client.post(url, data=json.dumps(public.body), content_type="application/json")
    else:
        response = client.post(url)
    assert response.status_code == public.status
