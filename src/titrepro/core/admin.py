"""The admin changes nothing legal around the services (issue 11, item 3).

``AuditedAdmin``: every field is read-only except those its ``editable`` lists, each
with the reason it may be corrected here (tests/test_admin_fields.py checks the list
against every registered admin); every change, addition and deletion made through
the admin is written to the audit log in the admin's own transaction; records are
deleted only where ``deletable`` says so (never a decided one). Decisions themselves
(statuses, decision dates, ECF results, filings) are taken through the services' pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from titrepro.audit.services import record

if TYPE_CHECKING:
    ModelAdmin = admin.ModelAdmin[Any]
    TabularInline = admin.TabularInline[Any, Any]
else:
    ModelAdmin = admin.ModelAdmin
    TabularInline = admin.TabularInline


def model_field_names(model: type[models.Model]) -> list[str]:
    """The fields a form could edit: concrete and many-to-many, not the automatic ones."""
    return [
        field.name
        for field in model._meta.get_fields()
        if (getattr(field, "concrete", False) or field.many_to_many) and not field.auto_created
    ]


class AuditedAdmin(ModelAdmin):
    # field name -> why it may be corrected in the admin (the audit log keeps the change)
    editable: dict[str, str] = {}
    # fields that may be given when a record is added here (only if ``allow_add``)
    creatable: ClassVar[dict[str, str]] = {}
    allow_add: ClassVar[bool] = False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        allowed = set(self.editable) | (set(self.creatable) if obj is None else set())
        return [name for name in model_field_names(self.model) if name not in allowed]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.allow_add and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(self.editable) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is None:
            return False  # no bulk deletion: each record is judged on its own
        return self.deletable(obj) and super().has_delete_permission(request, obj)

    def deletable(self, obj: Any) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action="admin.changed" if change else "admin.added",
            target=obj,
            data={"fields": sorted(form.changed_data)},
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(actor=request.user, action="admin.deleted", target=obj, data={"repr": str(obj)[:300]})
        super().delete_model(request, obj)


class ReadOnlyInline(TabularInline):
    """Rows shown under their parent, changed only through the services."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
