"""Admin for candidates: look and correct identities; decisions are taken in the spaces, not here."""

from __future__ import annotations

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

from titrepro.candidates.models import (
    Accommodation,
    Candidate,
    InTrainingAssessment,
    Pathway,
    ProfessionalPortfolio,
    VaeApplication,
)
from titrepro.core.admin import AuditedAdmin, ReadOnlyInline

# The task queue is not edited by hand (a task's arguments name an import job, its result is the job's
# status): django-tasks-db's admin is removed; the jobs' pages show what a user may see of them.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)

IDENTITY = "A typing error in the identity is corrected here; the audit log keeps the former value's fields."


class PathwayInline(ReadOnlyInline):
    model = Pathway


@admin.register(Candidate)
class CandidateAdmin(AuditedAdmin):
    list_display = ("birth_name", "usual_name", "given_names", "birth_date", "centre")
    list_filter = ("centre",)
    search_fields = ("birth_name", "usual_name", "given_names", "email", "identity_key")
    list_select_related = ("centre",)
    inlines = (PathwayInline,)
    # The centre is who answers for the candidate (scope of every page): never moved here.
    editable: dict[str, str] = {
        "birth_name": IDENTITY,
        "usual_name": IDENTITY,
        "given_names": IDENTITY,
        "birth_date": IDENTITY,
        "birth_place": IDENTITY,
        "email": "Contact detail, no legal effect.",
        "phone": "Contact detail, no legal effect.",
    }


# ECF results, decisions (status, dates, authority, reason), filings and portfolios are
# recorded through the services and the audit log: read-only here, never deleted.


@admin.register(InTrainingAssessment)
class InTrainingAssessmentAdmin(AuditedAdmin):
    list_display = ("pathway", "ccp", "result", "assessed_on")
    list_select_related = ("pathway__candidate", "pathway__title", "ccp")


@admin.register(Accommodation)
class AccommodationAdmin(AuditedAdmin):
    list_display = ("candidate", "requested_on", "status", "decided_on")
    list_filter = ("status",)
    list_select_related = ("candidate",)


@admin.register(VaeApplication)
class VaeApplicationAdmin(AuditedAdmin):
    list_display = ("candidate", "title", "filed_on", "status", "decided_on")
    list_filter = ("status",)
    list_select_related = ("candidate", "title")


@admin.register(ProfessionalPortfolio)
class ProfessionalPortfolioAdmin(AuditedAdmin):
    list_display = ("candidate", "title", "signed_on", "uploaded_at")
    list_select_related = ("candidate", "title")
