"""Which fields the admin lets a superuser edit, model by model, and why (issue 11, item 3).

Walks every registered ModelAdmin and its inlines on an existing object: the fields a
superuser can change must be exactly those the admin declares (``AuditedAdmin.editable``,
each with its reason, or ``OTHER_ADMINS`` below for the admins we do not write), and
none of them may carry a decision. Then, on the demo-like world of the admin matrix:
a change is audited, a decided record cannot be deleted, an ECF result cannot be edited.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.test import Client, RequestFactory

from tests.factories import make_user
from tests.helpers import login_as
from tests.test_admin_permissions import admin_world
from titrepro.audit.models import AuditEntry
from titrepro.core.admin import AuditedAdmin

pytestmark = pytest.mark.django_db

# Admins that come from Django or a library, with what they let edit and why.
OTHER_ADMINS: dict[str, dict[str, str]] = {
    "auth.user": dict.fromkeys(
        (
            "username",
            "password",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ),
        "The national operator manages accounts (Django's own admin); roles are granted by invitation.",
    ),
    "audit.auditentry": {},  # append-only, written by the services only (audit can import nothing above it)
    "catalogue.catalogueimport": {},  # read-only: written by `titrepro catalogue import-rncp` only
    "auth.group": dict.fromkeys(("name", "permissions"), "Admin permission groups of the operators."),
}

# Fields that carry a decision or decide who answers for a record: never editable in the admin.
LEGAL_FIELDS = {
    "status",
    "decided_on",
    "decided_by",
    "recorded_on",
    "reason",
    "tacit",
    "filed_on",
    "requested_on",
    "kinds",
    "medical_opinion_on",
    "result",
    "assessed_on",
    "granted_on",
    "valid_from",
    "valid_until",
    "withdrawn_on",
    "reapply_banned_until",
    "ended_on",
    "centre",
    "authority",
    "signed_on",
    "file",
    "route",
}


def _label(model: type[Any]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def _editable(model_admin: Any, request: Any, obj: Any) -> set[str]:
    if not model_admin.has_change_permission(request, obj):
        return set()
    fieldsets = model_admin.get_fieldsets(request, obj)
    fields = set(flatten_fieldsets(fieldsets))
    return fields - set(model_admin.get_readonly_fields(request, obj))


@pytest.fixture
def world() -> dict[type[Any], Any]:
    return admin_world()


def test_every_editable_field_of_every_admin_is_declared_with_its_reason(world: dict[type[Any], Any]) -> None:
    request = RequestFactory().get("/admin/")
    request.user = make_user(is_staff=True, is_superuser=True)
    problems = []
    for model, model_admin in admin.site._registry.items():
        label = _label(model)
        if label == "dsfr.dsfrconfig":
            continue  # the site's header and footer (django-dsfr's configuration), no personal or legal data
        obj = world.get(model) or model._default_manager.first()
        assert obj is not None, f"no {label} in the admin world"
        declared = model_admin.editable if isinstance(model_admin, AuditedAdmin) else OTHER_ADMINS.get(label)
        if declared is None:
            problems.append(f"{label}: not an AuditedAdmin and not in OTHER_ADMINS")
            continue
        actual = _editable(model_admin, request, obj)
        if actual != set(declared):
            problems.append(f"{label}: editable {sorted(actual)}, declared {sorted(declared)}")
        problems += [f"{label}.{name}: no reason given" for name, why in declared.items() if not str(why).strip()]
        if label not in OTHER_ADMINS:
            problems += [f"{label}.{name}: carries a decision" for name in set(declared) & LEGAL_FIELDS]
        for inline in model_admin.get_inline_instances(request, obj):
            if inline.has_add_permission(request, obj) or inline.has_change_permission(request, obj):
                problems.append(f"{label}: inline {type(inline).__name__} can be edited")
    assert not problems, "\n".join(problems)


def test_a_correction_in_the_admin_is_audited(client: Client, world: dict[type[Any], Any]) -> None:
    from titrepro.directory.models import JuryMember

    member = world[JuryMember]
    superuser = make_user(is_staff=True, is_superuser=True)
    login_as(client, superuser)
    url = f"/admin/directory/jurymember/{member.pk}/change/"
    page = client.get(url).content.decode()
    hidden = dict(
        re.findall(
            r'<input type="hidden" name="([^"]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d*)"', page
        )
    )
    assert hidden, "the inlines' management forms"
    response = client.post(
        url, {**hidden, "last_name": "Martinn", "first_name": member.first_name, "email": member.email, "phone": ""}
    )
    assert response.status_code == 302, [
        line for line in response.content.decode().splitlines() if "errorlist" in line or "ManagementForm" in line
    ]
    member.refresh_from_db()
    assert member.last_name == "Martinn"
    entry = AuditEntry.objects.get(action="admin.changed", object_id=str(member.pk))
    assert entry.data == {"fields": ["last_name"]}
    assert entry.actor == superuser


def test_decided_records_cannot_be_changed_or_deleted_in_the_admin(client: Client, world: dict[type[Any], Any]) -> None:
    from titrepro.candidates.models import InTrainingAssessment, VaeApplication

    login_as(client, make_user(is_staff=True, is_superuser=True))
    assessment = world[InTrainingAssessment]
    response = client.post(
        f"/admin/candidates/intrainingassessment/{assessment.pk}/change/",
        {"result": "failed", "assessed_on": "2026-03-03"},
    )
    assert response.status_code == 403
    assessment.refresh_from_db()
    assert assessment.result == "passed"
    application = world.get(VaeApplication) or VaeApplication.objects.first()
    assert application is not None
    response = client.post(f"/admin/candidates/vaeapplication/{application.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert VaeApplication.objects.filter(pk=application.pk).exists()
