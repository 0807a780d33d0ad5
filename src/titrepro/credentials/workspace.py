"""The documents' part of the workspaces (``core.workspaces``): the candidate's menu section."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from titrepro.core.workspaces import Section, register

CANDIDATE_DOCUMENTS = Section(_("My documents"), "credentials_spaces:candidate_documents", order=17)


def register_all() -> None:
    register("candidate", sections=(CANDIDATE_DOCUMENTS,))
