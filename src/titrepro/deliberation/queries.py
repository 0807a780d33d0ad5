"""Reads of the deliberation that pages and the API share, scoped to the reader."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from titrepro.accounts.permissions import scoped
from titrepro.catalogue.models import Competence, SessionKind
from titrepro.sessions.models import JuryAssignment, Registration


def own_sittings(user: Any) -> QuerySet[JuryAssignment]:
    """The jury member's own assignments (403 for another role)."""
    return scoped(
        user, JuryAssignment.objects.select_related("session", "member"), national=False, jury_member="member"
    )


def competences_of(registration: Registration) -> QuerySet[Competence]:
    """The competences evaluated at the registration's session: every CCP's at a title session, the CCPs sat
    at a CCP session, the CCS's at a CCS session (the catalogue's order)."""
    session = registration.session
    if session.kind == SessionKind.TITLE:
        where = Q(ccp__version=session.version_id)
    elif session.kind == SessionKind.CCP:
        where = Q(ccp__in=registration.ccps.all())
    else:
        where = Q(ccs=session.ccs_id)
    return (
        Competence.objects.filter(where).select_related("ccp", "ccs").order_by("ccp__number", "ccs__code", "position")
    )
