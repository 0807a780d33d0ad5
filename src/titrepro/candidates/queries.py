"""Reads shared by the pages and the API, always scoped by ``scope_of(user)``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from titrepro.accounts.permissions import scope_of
from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import Accommodation, Candidate, VaeApplication, VaeStatusChoice, fold
from titrepro.directory.models import ApprovedCentre
from titrepro.rules import standing as rules


def candidates_visible_to(user: Any) -> QuerySet[Candidate]:
    """Every candidate the user may see: all (national), their centres', their authorities' centres', their own."""
    scope = scope_of(user)
    queryset = Candidate.objects.select_related("centre")
    if scope.national:
        return queryset.all()
    condition = Q(pk__in=[])
    if scope.centres:
        condition |= Q(centre_id__in=scope.centres)
    if scope.authorities:
        condition |= Q(centre__authority_id__in=scope.authorities)
    if scope.candidates:
        condition |= Q(pk__in=scope.candidates)
    return queryset.filter(condition)


def centre_candidates(user: Any) -> QuerySet[Candidate]:
    """The candidates of the centre staff's centres (the national administrator sees all); else 403."""
    scope = scope_of(user)
    if scope.national:
        return Candidate.objects.select_related("centre").all()
    if not scope.centres:
        raise PermissionDenied
    return Candidate.objects.select_related("centre").filter(centre_id__in=scope.centres)


def centres_managed_by(user: Any) -> QuerySet[ApprovedCentre]:
    """The centres whose candidates the user manages (import, export); 403 for other roles."""
    scope = scope_of(user)
    if scope.national:
        return ApprovedCentre.objects.all()
    if not scope.centres:
        raise PermissionDenied
    return ApprovedCentre.objects.filter(pk__in=scope.centres)


def search(queryset: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    """Search by name (accents and case ignored) or e-mail."""
    words = fold(text).split()
    for word in words:
        queryset = queryset.filter(
            Q(identity_key__contains=word) | Q(usual_name__icontains=word) | Q(email__icontains=word)
        )
    return queryset


def own_candidates(user: Any) -> QuerySet[Candidate]:
    scope = scope_of(user)
    if not scope.candidates:
        raise PermissionDenied
    return Candidate.objects.select_related("centre").filter(pk__in=scope.candidates)


def _authority_ids(user: Any) -> frozenset[int]:
    scope = scope_of(user)
    if not scope.authorities:
        raise PermissionDenied
    return scope.authorities


def vae_applications_for_authority(user: Any) -> QuerySet[VaeApplication]:
    """VAE applications of candidates of the agent's authorities' centres; 403 for other roles."""
    return VaeApplication.objects.select_related("candidate__centre", "title").filter(
        candidate__centre__authority_id__in=_authority_ids(user)
    )


def accommodations_for_authority(user: Any) -> QuerySet[Accommodation]:
    return Accommodation.objects.select_related("candidate__centre").filter(
        candidate__centre__authority_id__in=_authority_ids(user)
    )


def vae_events(application: VaeApplication) -> tuple[rules.Event, ...]:
    code = application.title.code
    events: list[rules.Event] = [rules.VaeApplication(code, application.filed_on)]
    if application.status == VaeStatusChoice.ADMISSIBLE and application.decided_on:
        events.append(rules.VaeAdmissibility(code, application.decided_on))
    elif application.status == VaeStatusChoice.REFUSED and application.decided_on:
        events.append(rules.VaeRefusal(code, application.decided_on))
    return tuple(events)


def vae_status(application: VaeApplication, on: date) -> rules.VaeStatus:
    """The admissibility on ``on``, by the rules engine (two months, tacit acceptance, one year)."""
    situation = rules.Situation(title=application.title.code, on=on, events=vae_events(application))
    status = rules.vae_status(situation)
    if status is None:  # ``on`` is before the file was received
        return rules.VaeStatus(valid_until=None, valid=False)
    return status


def history(candidate: Candidate) -> QuerySet[AuditEntry]:
    """Audit entries about the candidate and their VAE applications and accommodations."""
    condition = Q(object_type="candidates.candidate", object_id=str(candidate.pk))
    vae_ids = [str(pk) for pk in candidate.vae_applications.values_list("pk", flat=True)]
    accommodation_ids = [str(pk) for pk in candidate.accommodations.values_list("pk", flat=True)]
    if vae_ids:
        condition |= Q(object_type="candidates.vaeapplication", object_id__in=vae_ids)
    if accommodation_ids:
        condition |= Q(object_type="candidates.accommodation", object_id__in=accommodation_ids)
    return AuditEntry.objects.filter(condition).order_by("-sequence")
