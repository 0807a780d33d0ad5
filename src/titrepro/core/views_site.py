"""Public pages of the site itself: accessibility statement, legal notice, personal data and
cookies, site map (issue 9, item 7). Open to anyone; static text in French through the catalogue."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from titrepro.core.pages import crumbs

# No RGAA audit has been made: without one, the RGAA's own rule gives "non conforme".
ACCESSIBILITY_STATUS = "non_compliant"

# The pages the browser tests (tests/browser/) open with axe-core, and the check they make.
AXE_CHECKED_PAGES = (
    "/compte/connexion/",
    "/titres/",
    "/simuler/",
    "/compte/",
    "/espace/dreets/…",
    "/espace/centre/candidats/…",
    "/espace/jury/profil/",
    "/espace/candidat/",
    "/verifier/",
    "/verifier/…/",
    "/verifier/fichier/",
    "/verifier/certificats/",
    "/verifier/badges/…/",
    "/espace/candidat/documents/",
    "/espace/centre/sessions/…/documents/",
)

# The cookies the site sets: all strictly necessary, none needs consent.
COOKIES = (
    ("sessionid", "session"),
    ("csrftoken", "csrf"),
    ("titrepro_device", "device"),
    ("messages", "messages"),
)


def _page(request: HttpRequest, template: str, title: str, **context: object) -> HttpResponse:
    breadcrumb = crumbs((_("Home"), "/"), (title, ""))
    # Where people write about accessibility, their data or the site: the deployment's address.
    return render(
        request, template, {"breadcrumb": breadcrumb, "contact_email": settings.TITREPRO_CONTACT_EMAIL, **context}
    )


def accessibility(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "core/site/accessibility.html",
        _("Accessibility statement"),
        checked_pages=AXE_CHECKED_PAGES,
    )


def legal_notice(request: HttpRequest) -> HttpResponse:
    """The publisher and the host (LCEN, art. 6 III) are the deployment's: settings, not code."""
    return _page(
        request,
        "core/site/legal_notice.html",
        _("Legal notice"),
        publisher=settings.TITREPRO_PUBLISHER,
        host_name=settings.TITREPRO_HOST_NAME,
        host_address=settings.TITREPRO_HOST_ADDRESS,
    )


def personal_data(request: HttpRequest) -> HttpResponse:
    return _page(request, "core/site/personal_data.html", _("Personal data and cookies"), cookies=COOKIES)


def site_map(request: HttpRequest) -> HttpResponse:
    sections = [
        (
            _("Public pages"),
            [
                (_("Professional titles"), reverse("catalogue:title_list")),
                (_("Simulate my route"), reverse("catalogue:simulator")),
                (_("Log in"), reverse("accounts:login")),
                (_("Forgot your password?"), reverse("accounts:password_reset")),
            ],
        ),
        (
            _("Spaces (with an account)"),
            [
                (_("My space"), reverse("accounts:home")),
                (_("DREETS space"), "/espace/dreets/"),
                (_("Approved centre space"), "/espace/centre/candidats/"),
                (_("Jury member space"), "/espace/jury/profil/"),
                (_("Candidate space"), "/espace/candidat/"),
                (_("National administration"), "/admin/"),
            ],
        ),
        (
            _("About this site"),
            [
                (_("Accessibility statement"), reverse("site:accessibility")),
                (_("Legal notice"), reverse("site:legal_notice")),
                (_("Personal data and cookies"), reverse("site:personal_data")),
                (_("API documentation"), "/api/v1/docs"),
            ],
        ),
    ]
    return _page(request, "core/site/site_map.html", _("Site map"), sections=sections)
