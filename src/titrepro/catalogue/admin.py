"""Django admin for the catalogue.

The normal way to change the catalogue is the YAML files and their loader
(``titrepro catalogue load``, ``services.load_files``): a title's file is the
reference, it is reviewed like code and loading it again puts the database
back in line with it. Admin edits are for corrections only (a typo, a wrong
date, a source to add) and should be carried back into the YAML file, or the
next load of that file will undo them.

Verbose names (in French) come from the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from titrepro.catalogue.models import (
    CCP,
    CCS,
    CatalogueImport,
    Competence,
    Correspondence,
    Equivalence,
    EvaluationModality,
    ModalityPart,
    Source,
    Title,
    TitleVersion,
    TransversalCompetence,
)
from titrepro.core.admin import AuditedAdmin, ReadOnlyInline, model_field_names

if TYPE_CHECKING:
    TabularInline = admin.TabularInline[Any, Any]
    ModelAdmin = admin.ModelAdmin[Any]
else:
    TabularInline = admin.TabularInline
    ModelAdmin = admin.ModelAdmin

# JSON lists (sources, criteria, codes) are short: small text areas, smaller still in inlines.
JSON_FIELD: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.JSONField: {"widget": forms.Textarea(attrs={"rows": 3, "cols": 80})}
}
COMPACT_JSON: dict[type[models.Field[Any, Any]], dict[str, Any]] = {
    models.JSONField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 30})}
}
PROVENANCE_FIELDSET = ("confidence", "sources", "notes")


class CompactInline(ReadOnlyInline):
    """Shown under their parent; corrected on their own page (show_change_link), never added here."""

    formfield_overrides = COMPACT_JSON
    show_change_link = True


class SourceInline(CompactInline):
    model = Source
    fields = ("position", "key", "label", "url")
    show_change_link = False


class TitleVersionInline(CompactInline):
    model = TitleVersion
    fields = ("label", "millesime", "rncp_code", "valid_from", "valid_until", "status", "confidence")


class CCPInline(CompactInline):
    model = CCP
    fields = ("number", "label", "rncp_block_code", "confidence", "sources")


class CCSInline(CompactInline):
    model = CCS
    fields = ("code", "label", "rncp_block_code", "confidence", "sources")


class TransversalCompetenceInline(CompactInline):
    model = TransversalCompetence
    fields = ("position", "label", "confidence", "sources", "notes")
    show_change_link = False


class CompetenceInline(CompactInline):
    model = Competence
    fields = ("position", "code", "label", "criteria", "confidence", "sources", "notes")
    show_change_link = False


class CCPCompetenceInline(CompetenceInline):
    fk_name = "ccp"


class CCSCompetenceInline(CompetenceInline):
    fk_name = "ccs"


class ModalityPartInline(CompactInline):
    model = ModalityPart
    fields = ("position", "label", "duration", "jury_present", "uses_workstation", "confidence", "sources", "notes")
    show_change_link = False


# What a correction in the admin may touch: wording and provenance. Codes, numbers, levels,
# dates and links (validity of a version, correspondences, equivalences) have legal weight
# and come only from the YAML files through the loader.
CORRECTABLE = {
    "label": "A typing error in a label; carry it back into the YAML file.",
    "short_label": "A typing error in a label; carry it back into the YAML file.",
    "description": "Descriptive text, no legal effect; carry it back into the YAML file.",
    "criteria": "Wording of the criteria of a competence; carry it back into the YAML file.",
    "confidence": "Provenance of the data (how sure we are), no legal effect.",
    "sources": "Provenance of the data (where it comes from), no legal effect.",
    "notes": "Provenance of the data (remarks), no legal effect.",
}


class CatalogueAdmin(AuditedAdmin):
    formfield_overrides = JSON_FIELD
    list_per_page = 50

    def __init__(self, model: type[models.Model], admin_site: Any) -> None:
        super().__init__(model, admin_site)
        names = set(model_field_names(model))
        self.editable = {name: why for name, why in CORRECTABLE.items() if name in names}


@admin.register(Title)
class TitleAdmin(CatalogueAdmin):
    list_display = ("code", "label", "short_label", "level", "confidence")
    list_filter = ("level", "confidence")
    search_fields = ("code", "label", "short_label", "versions__rncp_code")
    fieldsets = (
        (None, {"fields": ("code", "label", "short_label", "level", "nsf_codes", "rome_codes", "description")}),
        (_("Provenance"), {"fields": PROVENANCE_FIELDSET}),
    )
    inlines = (SourceInline, TitleVersionInline)


@admin.register(TitleVersion)
class TitleVersionAdmin(CatalogueAdmin):
    list_display = ("__str__", "label", "rncp_code", "valid_from", "valid_until", "status", "confidence")
    list_filter = ("status", "confidence", "title")
    list_select_related = ("title",)
    search_fields = ("label", "rncp_code", "title__code", "title__label")
    autocomplete_fields = ("title", "predecessor")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "label",
                    "millesime",
                    "rncp_code",
                    "status",
                    "predecessor",
                    ("arrete_date", "jo_date"),
                    ("valid_from", "valid_until"),
                    "summary",
                )
            },
        ),
        (_("Provenance"), {"fields": PROVENANCE_FIELDSET}),
    )
    inlines = (CCPInline, TransversalCompetenceInline, CCSInline)


@admin.register(CCP)
class CCPAdmin(CatalogueAdmin):
    list_display = ("__str__", "version", "rncp_block_code", "confidence")
    list_filter = ("confidence", "version__title")
    list_select_related = ("version__title",)
    search_fields = ("label", "rncp_block_code", "version__rncp_code", "version__title__code")
    autocomplete_fields = ("version",)
    ordering = ("version__title__code", "version__valid_from", "number")
    fields = ("version", "number", "label", "rncp_block_code", *PROVENANCE_FIELDSET)
    inlines = (CCPCompetenceInline,)


@admin.register(CCS)
class CCSAdmin(CatalogueAdmin):
    list_display = ("__str__", "code", "version", "rncp_block_code", "confidence")
    list_filter = ("confidence", "version__title")
    list_select_related = ("version__title",)
    search_fields = ("code", "label", "rncp_block_code", "version__rncp_code", "version__title__code")
    autocomplete_fields = ("version",)
    fields = ("version", "code", "label", "rncp_block_code", *PROVENANCE_FIELDSET)
    inlines = (CCSCompetenceInline,)


@admin.register(Competence)
class CompetenceAdmin(CatalogueAdmin):
    """Competences are edited within their CCP or CCS; listed here to find one by its label."""

    list_display = ("code", "label", "ccp", "ccs", "confidence")
    list_filter = ("confidence", "ccp__version__title")
    list_select_related = ("ccp", "ccs")
    search_fields = ("code", "label", "ccp__version__rncp_code", "ccs__version__rncp_code")
    autocomplete_fields = ("ccp", "ccs")
    fields = ("ccp", "ccs", "position", "code", "label", "criteria", *PROVENANCE_FIELDSET)


@admin.register(EvaluationModality)
class EvaluationModalityAdmin(CatalogueAdmin):
    list_display = ("__str__", "version", "session_kind", "ccp", "ccs", "kind", "duration", "confidence")
    list_filter = ("session_kind", "kind", "confidence", "version__title")
    list_select_related = ("version__title", "ccp", "ccs")
    search_fields = ("description", "version__rncp_code", "version__title__code")
    autocomplete_fields = ("version", "ccp", "ccs")
    fields = (
        "version",
        "session_kind",
        "ccp",
        "ccs",
        "position",
        "kind",
        "duration",
        "jury_present",
        "uses_workstation",
        "description",
        *PROVENANCE_FIELDSET,
    )
    inlines = (ModalityPartInline,)


@admin.register(Correspondence)
class CorrespondenceAdmin(CatalogueAdmin):
    list_display = ("__str__", "from_version", "to_ccp", "confidence")
    list_filter = ("confidence", "from_version__title")
    list_select_related = ("from_version__title", "to_ccp__version__title")
    search_fields = ("from_version__rncp_code", "to_ccp__version__rncp_code", "to_ccp__label")
    autocomplete_fields = ("from_version", "to_ccp", "from_ccps")
    fields = ("from_version", "from_ccps", "to_ccp", *PROVENANCE_FIELDSET)


@admin.register(Equivalence)
class EquivalenceAdmin(CatalogueAdmin):
    list_display = ("rncp_code", "certification_label", "version", "scope", "confidence")
    list_filter = ("scope", "confidence", "version__title")
    list_select_related = ("version__title",)
    search_fields = ("rncp_code", "certification_label", "version__rncp_code", "version__title__code")
    autocomplete_fields = ("version", "ccps")
    fields = ("version", "rncp_code", "certification_label", "scope", "ccps", *PROVENANCE_FIELDSET)


@admin.register(CatalogueImport)
class CatalogueImportAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read-only: each import of an RNCP export, written by ``titrepro catalogue import-rncp`` only."""

    list_display = ["imported_at", "export_name", "export_day", "kind", "created", "updated", "deleted"]
    search_fields = ["export_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: CatalogueImport | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: CatalogueImport | None = None) -> bool:
        return False
