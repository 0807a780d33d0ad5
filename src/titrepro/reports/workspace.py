"""The reports' part of the workspaces (``core.workspaces``): a menu section, no work queue (nothing waits here)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from titrepro.core.workspaces import Section, register

CENTRE_RESULTS = Section(_("Results"), "reports:centre_results", order=60)
AUTHORITY_RESULTS = Section(_("Results"), "reports:authority_results", order=60)


def register_all() -> None:
    register("centre_staff", sections=(CENTRE_RESULTS,))
    for kind in ("authority_agent", "national_admin"):
        register(kind, sections=(AUTHORITY_RESULTS,))
