"""The candidates' part of the workspaces (``core.workspaces``): menu sections and work queues of
centre staff, authority agents and candidates."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from titrepro.candidates import queries
from titrepro.candidates.models import Accommodation, VaeApplication
from titrepro.catalogue.standing import StandingInputError, answer
from titrepro.core.workspaces import Panel, Queue, Section, Work, register

# The centre's candidate list: its rows can be ticked and sent to the actions other apps register for it
# (``core.workspaces.register_list_action``), each ticked candidate as one ``candidat`` parameter.
CANDIDATE_LIST = "centre_candidate_list"
SELECTED = "candidat"


def _split_by_silence(applications: Any) -> tuple[int, int]:
    """(waiting for a decision, accepted by silence since the two months passed) among pending files (R-21)."""
    today = timezone.localdate()
    waiting = tacit = 0
    for application in applications:
        if queries.vae_status(application, today).tacit:
            tacit += 1
        else:
            waiting += 1
    return waiting, tacit


def centre_work(user: Any) -> Iterator[Work]:
    candidates = queries.managed_candidates(user)
    list_url = reverse("spaces:centre_candidate_list")
    yield Queue(
        _("Candidates without a pathway"),
        candidates.filter(pathways=None).count(),
        f"{list_url}?parcours=aucun",
        hint=_("add the title they prepare"),
        order=10,
    )
    pending_vae = VaeApplication.objects.filter(candidate__in=candidates, status="pending").select_related("title")
    waiting, tacit = _split_by_silence(pending_vae)
    yield Queue(_("VAE files waiting for the DREETS"), waiting, f"{list_url}?demande=vae", order=20)
    if tacit:
        yield Queue(
            _("VAE files accepted by silence"),
            tacit,
            f"{list_url}?demande=vae",
            hint=_("two months passed without a decision: the file is admissible"),
            order=21,
        )
    yield Queue(
        _("Accommodation requests waiting for the DREETS"),
        Accommodation.objects.filter(candidate__in=candidates, status="requested").count(),
        f"{list_url}?demande=amenagement",
        order=30,
    )


def authority_work(user: Any) -> Iterator[Work]:
    vae_url = reverse("spaces:authority_vae_list")
    waiting, tacit = _split_by_silence(
        queries.decidable_vae_applications(user).filter(status="pending").select_related("title")
    )
    yield Queue(
        _("VAE applications to decide"),
        waiting,
        vae_url,
        hint=_("the file is accepted by silence two months after it was received"),
        urgent=bool(waiting),
        order=10,
    )
    yield Queue(
        _("VAE applications past their two months"),
        tacit,
        vae_url,
        hint=_("accepted by silence: no decision can refuse them any more"),
        order=11,
    )
    yield Queue(
        _("Accommodations to decide"),
        queries.decidable_accommodations(user).filter(status="requested").count(),
        reverse("spaces:authority_accommodation_list"),
        order=20,
    )


def _standing(candidate: Any, pathway: Any, today: Any) -> dict[str, Any] | None:
    """The rules engine's answer for this pathway, from what the record holds (catalogue.standing)."""
    events = [
        {"kind": "vae_application", "title": a.title.code, "filed_on": a.filed_on.isoformat()}
        for a in candidate.vae_applications.all()
        if a.title_id == pathway.title_id
    ]
    payload: dict[str, Any] = {"title": pathway.title.code, "on": today.isoformat(), "route": pathway.route}
    if pathway.started_on and pathway.route in ("training", "apprenticeship"):
        payload["training_started_on"] = pathway.started_on.isoformat()
    if events:
        payload["events"] = events
    try:
        result = answer(payload)
    except StandingInputError:
        return None
    for option in result["options"]:
        option["deadline"] = date.fromisoformat(option["deadline"]) if option["deadline"] else None
    return result


def candidate_work(user: Any) -> Iterator[Work]:
    candidates = list(
        queries.own_candidates(user).prefetch_related("pathways__title", "vae_applications__title", "portfolios")
    )
    today = timezone.localdate()
    records = [
        {
            "candidate": candidate,
            "pathways": [
                {"pathway": pathway, "standing": _standing(candidate, pathway, today)}
                for pathway in candidate.pathways.all()
            ],
            "vae": [(a, queries.vae_status(a, today)) for a in candidate.vae_applications.all()],
            "has_portfolio": bool(list(candidate.portfolios.all())),
        }
        for candidate in candidates
    ]
    yield Panel("candidates/spaces/_dashboard.html", {"records": records}, order=10)


def register_all() -> None:
    register(
        "centre_staff",
        sections=(
            Section(_("Candidates"), "spaces:centre_candidate_list", order=10),
            Section(_("Import candidates"), "spaces:centre_import", order=20),
        ),
        work=centre_work,
    )
    register(
        "authority_agent",
        sections=(
            Section(_("VAE applications"), "spaces:authority_vae_list", order=30),
            Section(_("Accommodations"), "spaces:authority_accommodation_list", order=40),
        ),
        work=authority_work,
    )
    register(
        "candidate",
        sections=(
            Section(_("My record"), "spaces:candidate_home", order=10),
            Section(_("My professional portfolio"), "spaces:candidate_portfolio", order=20),
        ),
        work=candidate_work,
    )
