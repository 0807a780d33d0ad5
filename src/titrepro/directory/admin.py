"""Admin of the directory: reading and correcting reference data.

Legal state changes (approvals granted, suspended, withdrawn; habilitations)
go through the pages and ``services`` so that they are audited: their admin
is read-only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from titrepro.directory.models import (
    Approval,
    ApprovedCentre,
    Authority,
    Convention,
    ConventionAmendment,
    DeclaredLink,
    Habilitation,
    JuryMember,
    ProfessionalExperience,
    TrainerActivity,
    TrainingProvider,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Decisions are made through the services (audited), never edited here."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Authority)
class AuthorityAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["departement", "name"]
    search_fields = ["name", "departement"]


@admin.register(ApprovedCentre)
class ApprovedCentreAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["code", "name", "authority"]
    list_filter = ["authority"]
    search_fields = ["code", "name", "siret"]


@admin.register(TrainingProvider)
class TrainingProviderAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "siret"]
    search_fields = ["name", "siret"]


class AmendmentInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ConventionAmendment
    extra = 0


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["centre", "provider", "signed_on"]
    inlines = [AmendmentInline]


@admin.register(Approval)
class ApprovalAdmin(ReadOnlyAdmin):
    list_display = ["centre", "version", "granted_on", "valid_until", "status"]
    list_filter = ["status", "authority"]


class ExperienceInline(admin.TabularInline):  # type: ignore[type-arg]
    model = ProfessionalExperience
    extra = 0


class TrainerActivityInline(admin.TabularInline):  # type: ignore[type-arg]
    model = TrainerActivity
    extra = 0


class DeclaredLinkInline(admin.TabularInline):  # type: ignore[type-arg]
    model = DeclaredLink
    extra = 0


@admin.register(JuryMember)
class JuryMemberAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["last_name", "first_name", "email", "authority"]
    list_filter = ["authority"]
    search_fields = ["last_name", "first_name", "email"]
    inlines = [ExperienceInline, TrainerActivityInline, DeclaredLinkInline]


@admin.register(Habilitation)
class HabilitationAdmin(ReadOnlyAdmin):
    list_display = ["member", "title", "granted_on", "valid_until", "ended_on"]
    list_filter = ["authority", "title"]
