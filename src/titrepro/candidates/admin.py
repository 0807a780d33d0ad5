"""Admin for candidates: look and correct identities; decisions are taken in the spaces, not here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin

from titrepro.candidates.models import (
    Accommodation,
    Candidate,
    InTrainingAssessment,
    Pathway,
    ProfessionalPortfolio,
    VaeApplication,
)

if TYPE_CHECKING:
    TabularInline = admin.TabularInline[Any, Any]
    ModelAdmin = admin.ModelAdmin[Any]
else:
    TabularInline = admin.TabularInline
    ModelAdmin = admin.ModelAdmin


class PathwayInline(TabularInline):
    model = Pathway
    extra = 0


@admin.register(Candidate)
class CandidateAdmin(ModelAdmin):
    list_display = ("birth_name", "usual_name", "given_names", "birth_date", "centre")
    list_filter = ("centre",)
    search_fields = ("birth_name", "usual_name", "given_names", "email", "identity_key")
    readonly_fields = ("identity_key",)
    list_select_related = ("centre",)
    inlines = (PathwayInline,)


@admin.register(InTrainingAssessment)
class InTrainingAssessmentAdmin(ModelAdmin):
    list_display = ("pathway", "ccp", "result", "assessed_on")
    list_select_related = ("pathway__candidate", "pathway__title", "ccp")


# Decisions (status, date, authority, reason) go through the services and the audit log.
DECISION_FIELDS = ("status", "decided_on", "decided_by", "reason")


@admin.register(Accommodation)
class AccommodationAdmin(ModelAdmin):
    list_display = ("candidate", "requested_on", "status", "decided_on")
    list_filter = ("status",)
    readonly_fields = DECISION_FIELDS
    list_select_related = ("candidate",)


@admin.register(VaeApplication)
class VaeApplicationAdmin(ModelAdmin):
    list_display = ("candidate", "title", "filed_on", "status", "decided_on")
    list_filter = ("status",)
    readonly_fields = DECISION_FIELDS
    list_select_related = ("candidate", "title")


@admin.register(ProfessionalPortfolio)
class ProfessionalPortfolioAdmin(ModelAdmin):
    list_display = ("candidate", "title", "signed_on", "uploaded_at")
    list_select_related = ("candidate", "title")
    readonly_fields = ("uploaded_at",)
