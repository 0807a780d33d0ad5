"""Reads shared by the pages, the API and the services' re-checks.

Each ``visible_* / managed_* / own_* / decidable_*`` function is the one
definition of who reaches which rows, built on ``accounts.permissions.scoped``
(403 for a user with none of the roles, 404 through ``get_scoped_or_404`` or
``ensure_in`` for a row of another organisation).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import CharField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from titrepro.accounts.permissions import scope_of, scoped
from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import (
    Accommodation,
    Candidate,
    InTrainingAssessment,
    Pathway,
    VaeApplication,
    VaeStatusChoice,
    fold,
)
from titrepro.directory.models import ApprovedCentre
from titrepro.rules import standing as rules


def visible_candidates(user: Any) -> QuerySet[Candidate]:
    """Every candidate the user may see: all (national), their centres', their authorities' centres', their own.

    Jury members and users without a role see none (an empty list, not a refusal, as the API always answered).
    """
    scope = scope_of(user)
    if not (scope.is_staff_role or scope.candidates):
        return Candidate.objects.none()
    return scoped(
        user,
        Candidate.objects.select_related("centre"),
        centre="centre",
        authority="centre__authority",
        candidate="pk",
    )


def managed_candidates(user: Any) -> QuerySet[Candidate]:
    """The candidates the centre staff manage (their centres'; every one for the national administrator)."""
    return scoped(user, Candidate.objects.select_related("centre"), centre="centre")


def with_record(candidates: QuerySet[Candidate]) -> QuerySet[Candidate]:
    """What a candidate's record page shows (pathways with their ECF, requests, DPs), in a few queries."""
    return candidates.prefetch_related(
        Prefetch(
            "pathways",
            queryset=Pathway.objects.select_related("title").prefetch_related(
                Prefetch("assessments", queryset=InTrainingAssessment.objects.select_related("ccp"))
            ),
        ),
        "accommodations",
        "vae_applications__title",
        "portfolios__title",
    )


def authority_candidates(user: Any) -> QuerySet[Candidate]:
    """The candidates of the agent's authorities' centres (every one for a national administrator): the DREETS
    reads their records to decide on their requests; 403 for another role."""
    return scoped(user, Candidate.objects.select_related("centre"), authority="centre__authority")


def managed_centres(user: Any) -> QuerySet[ApprovedCentre]:
    """The centres whose candidates the user manages (entry, import, export); 403 for other roles."""
    return scoped(user, ApprovedCentre.objects.all(), centre="pk")


def represented_candidates(user: Any) -> QuerySet[Candidate]:
    """The candidates the user may file for: themselves, their centre's candidates (staff), all (national)."""
    return scoped(user, Candidate.objects.select_related("centre"), centre="centre", candidate="pk")


def own_candidates(user: Any) -> QuerySet[Candidate]:
    """The candidate records of the user themselves; 403 without the candidate role."""
    return scoped(user, Candidate.objects.select_related("centre"), national=False, candidate="pk")


def search(queryset: QuerySet[Candidate], text: str) -> QuerySet[Candidate]:
    """Search by name (accents and case ignored) or e-mail."""
    words = fold(text).split()
    for word in words:
        queryset = queryset.filter(
            Q(identity_key__contains=word) | Q(usual_name__icontains=word) | Q(email__icontains=word)
        )
    return queryset


def search_requests[R: (VaeApplication, Accommodation)](requests: QuerySet[R], text: str) -> QuerySet[R]:
    """Requests (VAE, accommodation) of the candidates ``search`` finds: the DREETS lists' search box."""
    return requests.filter(candidate__in=search(Candidate.objects.all(), text))


# The work list of candidates (issue 9, item 5): filters named as in the URL (?parcours=aucun...).
NO_PATHWAY = "aucun"
REQUESTS = {"vae": "vae", "amenagement": "accommodation"}
SORTS = {
    "nom": ("birth_name", "given_names", "birth_date", "pk"),
    "naissance": ("birth_date", "birth_name", "pk"),
    "recents": ("-pk",),
}


def work_list(
    candidates: QuerySet[Candidate],
    *,
    text: str = "",
    title: str = "",
    route: str = "",
    request: str = "",
    sort: str = "nom",
) -> QuerySet[Candidate]:
    """The candidates a list shows: searched, filtered by title, route (or no pathway) and pending request,
    sorted; each with its pathways and its last audited event (``last_at``, ``last_action``)."""
    if text:
        candidates = search(candidates, text)
    if title:
        candidates = candidates.filter(pathways__title__code=title)
    if route == NO_PATHWAY:
        candidates = candidates.filter(pathways=None)
    elif route:
        candidates = candidates.filter(pathways__route=route)
    if REQUESTS.get(request) == "vae":
        candidates = candidates.filter(vae_applications__status=VaeStatusChoice.PENDING)
    elif REQUESTS.get(request) == "accommodation":
        candidates = candidates.filter(accommodations__status="requested")
    last = AuditEntry.objects.filter(
        object_type="candidates.candidate", object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-sequence")
    return (
        candidates.distinct()
        .select_related("centre")
        .prefetch_related(Prefetch("pathways", queryset=Pathway.objects.select_related("title")))
        .annotate(last_at=Subquery(last.values("at")[:1]), last_action=Subquery(last.values("action")[:1]))
        .order_by(*SORTS.get(sort, SORTS["nom"]))
    )


def decidable_vae_applications(user: Any) -> QuerySet[VaeApplication]:
    """VAE applications of candidates of the agent's authorities' centres: the DREETS decides (R-21); 403 else."""
    return scoped(
        user,
        VaeApplication.objects.select_related("candidate__centre", "title"),
        national=False,
        authority="candidate__centre__authority",
    )


def decidable_accommodations(user: Any) -> QuerySet[Accommodation]:
    """Accommodation requests of candidates of the agent's authorities' centres (R-86); 403 else."""
    return scoped(
        user,
        Accommodation.objects.select_related("candidate__centre"),
        national=False,
        authority="candidate__centre__authority",
    )


def vae_events(application: VaeApplication) -> tuple[rules.Event, ...]:
    code = application.title.code
    events: list[rules.Event] = [rules.VaeApplication(code, application.filed_on)]
    if application.tacit:  # accepted by silence: the rules compute it from the filing date
        return tuple(events)
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
