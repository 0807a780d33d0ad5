"""The catalogue's part of the workspaces (``core.workspaces``): the national administrator's menu section of the
catalogue's updates (the RNCP imports and their reports)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from titrepro.core.workspaces import Section, register

CATALOGUE_UPDATES = Section(_("Catalogue updates"), "catalogue_spaces:catalogue_updates", order=70)


def register_all() -> None:
    register("national_admin", sections=(CATALOGUE_UPDATES,))
