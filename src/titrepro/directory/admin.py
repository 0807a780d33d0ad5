"""Admin of the directory: reading and correcting reference data.

Legal state changes (approvals granted, suspended, withdrawn; habilitations)
go through the pages and ``services`` so that they are audited: their admin
is read-only.
"""

from __future__ import annotations

from typing import ClassVar

from django.contrib import admin

from titrepro.core.admin import AuditedAdmin, ReadOnlyInline
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

REFERENCE = "Reference data of the organisation (name, contact), no legal effect; audited."
SIGNATORY = "Who signs the authority's documents changes with people; audited."


@admin.register(Authority)
class AuthorityAdmin(AuditedAdmin):
    list_display = ["departement", "name"]
    search_fields = ["name", "departement"]
    allow_add = True
    creatable: ClassVar[dict[str, str]] = {"departement": "Set once, when the unit is created."}
    editable: dict[str, str] = {
        "name": REFERENCE,
        "address": REFERENCE,
        "signatory_name": SIGNATORY,
        "signatory_title": SIGNATORY,
    }


@admin.register(ApprovedCentre)
class ApprovedCentreAdmin(AuditedAdmin):
    list_display = ["code", "name", "authority"]
    list_filter = ["authority"]
    search_fields = ["code", "name", "siret"]
    allow_add = True
    # The authority is the scope of every decision on the centre: set once, never moved here.
    creatable: ClassVar[dict[str, str]] = {
        "code": "Set once, when the centre is created.",
        "authority": "Set once, when the centre is created.",
        "siret": "Set once, when the centre is created.",
    }
    editable: dict[str, str] = {"name": REFERENCE, "address": REFERENCE, "email": REFERENCE}


@admin.register(TrainingProvider)
class TrainingProviderAdmin(AuditedAdmin):
    list_display = ["name", "siret"]
    search_fields = ["name", "siret"]
    allow_add = True
    creatable: ClassVar[dict[str, str]] = {"siret": "Set once, when the provider is created."}
    editable: dict[str, str] = {"name": REFERENCE}


class AmendmentInline(ReadOnlyInline):
    model = ConventionAmendment


@admin.register(Convention)
class ConventionAdmin(AuditedAdmin):
    """R-32: a convention and its yearly amendments are recorded through the services."""

    list_display = ["centre", "provider", "signed_on"]
    inlines = [AmendmentInline]


@admin.register(Approval)
class ApprovalAdmin(AuditedAdmin):
    list_display = ["centre", "version", "granted_on", "valid_until", "status"]
    list_filter = ["status", "authority"]


# Experience underlies a habilitation, trainer activities and declared links the
# conflicts of interest: recorded by the member through the services, never here.
class ExperienceInline(ReadOnlyInline):
    model = ProfessionalExperience


class TrainerActivityInline(ReadOnlyInline):
    model = TrainerActivity


class DeclaredLinkInline(ReadOnlyInline):
    model = DeclaredLink


@admin.register(JuryMember)
class JuryMemberAdmin(AuditedAdmin):
    list_display = ["last_name", "first_name", "email", "authority"]
    list_filter = ["authority"]
    search_fields = ["last_name", "first_name", "email"]
    inlines = [ExperienceInline, TrainerActivityInline, DeclaredLinkInline]
    # The authority habilitates the member: never moved here.
    editable: dict[str, str] = {
        "last_name": "A typing error in the name; audited.",
        "first_name": "A typing error in the name; audited.",
        "email": "Contact detail, no legal effect; audited.",
        "phone": "Contact detail, no legal effect; audited.",
    }


@admin.register(Habilitation)
class HabilitationAdmin(AuditedAdmin):
    list_display = ["member", "title", "granted_on", "valid_until", "ended_on"]
    list_filter = ["authority", "title"]
