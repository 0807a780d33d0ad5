"""Admin of the sessions: read only. Every change of a session, a registration, a jury assignment or a
convocation is a lifecycle move made through the pages or the API (``sessions.services``), audited."""

from __future__ import annotations

from django.contrib import admin

from titrepro.core.admin import AuditedAdmin, ReadOnlyInline
from titrepro.sessions.models import (
    Convocation,
    ExamSession,
    Incident,
    JuryAssignment,
    PlannedSession,
    Programme,
    Registration,
)


class RegistrationInline(ReadOnlyInline):
    model = Registration
    fields = ("candidate", "status", "registered_on", "withdrawn_on", "attendance")


class JuryInline(ReadOnlyInline):
    model = JuryAssignment
    fields = ("member", "status", "proposed_on", "answered_on")


class ConvocationInline(ReadOnlyInline):
    model = Convocation
    fields = ("reference", "email", "status", "attempts", "sent_at", "error")


class IncidentInline(ReadOnlyInline):
    model = Incident
    fields = ("kind", "occurred_on", "registration", "text")


@admin.register(ExamSession)
class ExamSessionAdmin(AuditedAdmin):
    list_display = ["number", "kind", "version", "centre", "first_day", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["number", "centre__name"]
    date_hierarchy = "first_day"
    editable: dict[str, str] = {}
    inlines = (RegistrationInline, JuryInline, ConvocationInline, IncidentInline)


class PlannedInline(ReadOnlyInline):
    model = PlannedSession
    fields = ("month", "kind", "version", "expected_candidates")


@admin.register(Programme)
class ProgrammeAdmin(AuditedAdmin):
    list_display = ["centre", "year", "status", "sent_on"]
    list_filter = ["status", "year"]
    editable: dict[str, str] = {}
    inlines = (PlannedInline,)
