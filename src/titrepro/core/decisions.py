"""One shape for every decision an authority takes on a request (STYLE.md, habit 4).

A request (VAE admissibility, accommodation; later a session programme, the
validation of minutes, an appeal, a revocation) is a model built on
``core.models.AuthorityDecision`` with a lifecycle whose pending state has two
moves: a positive and a negative decision. A ``DecisionKind`` says which
moves those are, who may decide (``visible``: the scoped queryset of the
requests the user may decide), in whose name, and what the pages show. Then:

- one service, ``decide(kind, user, request, positive=..., on=..., reason=...)``:
  a refusal needs its reason; the lifecycle locks, checks, writes the
  decision (date, authority, recording day, reason) and audits it;
- one API shape, ``DecisionIn`` -> ``DecisionOut`` (``add_decision_endpoint``);
- one list page and one decision page (``decision_list``, ``decision_page``)
  with the templates ``core/decision_list.html`` and ``core/decision.html``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from ninja import Router, Schema
from ninja.responses import Status

from titrepro.core import dating
from titrepro.core.api import WRITE_ERRORS, Id
from titrepro.core.dating import decision_date
from titrepro.core.forms import DsfrForm, ListForm, date_field
from titrepro.core.lifecycle import Answer, Lifecycle
from titrepro.core.lists import paginate
from titrepro.core.models import AuthorityDecision
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused


@dataclass(frozen=True)
class DecisionKind[M: AuthorityDecision]:
    """What differs between two kinds of authority decisions; everything else is shared."""

    key: str  # "vae", "accommodation": URL names ``spaces:authority_<key>_list`` / ``_decide``
    lifecycle: Lifecycle[M]
    accept: str  # the lifecycle's move for a positive decision
    refuse: str  # and for a negative one
    visible: Callable[[Any], QuerySet[M]]  # the requests the user may decide (403 / scope)
    authority_id: Callable[[M], int]  # in whose name the decision is taken
    title: Any  # the list page's heading
    accept_label: Any
    refuse_label: Any
    heading: Callable[[M], str]  # the decision page's heading
    facts: Callable[[M, date], Sequence[tuple[Any, Any]]]  # what the agent decides on
    columns: Sequence[Any]  # the list's columns after the candidate
    row: Callable[[M, date], Sequence[Any]]  # one pending request's cells
    audit_data: Callable[[M], dict[str, Any]] = field(default=lambda request: {})
    # A pending request that no longer waits for a decision (a VAE file accepted by silence, R-21):
    # what to show instead of "Decide", or None.
    settled: Callable[[M, date], str | None] = field(default=lambda request, today: None)
    # The page of the person the request is about (a URL name taking the person's id), or "".
    person_url_name: str = ""
    # The list's search box (by the person's name, accents ignored), or None for no search box.
    search: Callable[[QuerySet[M], str], QuerySet[M]] | None = None

    @property
    def list_url(self) -> str:
        return f"spaces:authority_{self.key}_list"

    @property
    def decide_url(self) -> str:
        return f"spaces:authority_{self.key}_decide"


# The service ---------------------------------------------------------------------------------


def can_decide[M: AuthorityDecision](kind: DecisionKind[M], user: Any, request: M, *, on: date | None = None) -> Answer:
    """Whether the user may decide the request now (either way), and why not."""
    accept = kind.lifecycle.can(kind.accept, user, request, on=on)
    refuse = kind.lifecycle.can(kind.refuse, user, request, on=on)
    return accept if accept.allowed or not refuse.allowed else refuse


def decide[M: AuthorityDecision](
    kind: DecisionKind[M], user: Any, request: M, *, positive: bool, on: date, reason: str = ""
) -> M:
    """Record the authority's decision on ``request``, dated ``on``; one transaction, audited."""
    reason = reason.strip()
    move = kind.accept if positive else kind.refuse
    kind.lifecycle.check_actor(move, user, request)  # who first (403 / 404), then the date
    decision_date(on, "decided_on")
    if not positive and not reason:
        raise Refused("decision_reason_required", _("A refusal must give its reason."), "reason")
    return kind.lifecycle.apply(
        move,
        user,
        request,
        on=on,
        reason=reason,
        changes={
            "decided_on": on,
            "decided_by_id": kind.authority_id(request),
            "recorded_on": dating.today(),
            "reason": reason,
        },
        data={"decided_on": on.isoformat(), **kind.audit_data(request)},
    )


# The pages -----------------------------------------------------------------------------------


class DecisionForm(DsfrForm):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), widget=forms.RadioSelect)
    decided_on = date_field(gettext_lazy("Date of the decision"))
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required for a refusal."),
    )

    def __init__(self, *args: Any, kind: DecisionKind[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The values are the states each decision leads to ("admissible" / "refused"...).
        self.accepted = kind.lifecycle.move(kind.accept).target
        refused = kind.lifecycle.move(kind.refuse).target
        self.fields["decision"].choices = [(self.accepted, kind.accept_label), (refused, kind.refuse_label)]  # type: ignore[attr-defined]

    @property
    def positive(self) -> bool:
        return bool(self.cleaned_data["decision"] == self.accepted)


class DecisionListForm(ListForm):
    q = forms.CharField(label=gettext_lazy("Search by name"), required=False, max_length=100)


@login_required
def decision_list(request: HttpRequest, kind: DecisionKind[Any]) -> HttpResponse:
    """The requests of the agent's authorities to decide, 50 a page (keeping the search), and the recent decisions."""
    requests = kind.visible(request.user)
    form = DecisionListForm(request.GET or None)
    text = form.valid_data().get("q", "")
    if text and kind.search is not None:
        requests = kind.search(requests, text)
    today = timezone.localdate()
    state = {kind.lifecycle.state_field: kind.lifecycle.move(kind.accept).sources[0]}
    page, filters = paginate(request, requests.filter(**state))
    pending, settled = [], []
    for item in page:
        row = {
            "request": item,
            "cells": kind.row(item, today),
            "url": reverse(kind.decide_url, args=[item.pk]),
            "person_url": reverse(kind.person_url_name, args=[item.candidate.pk]) if kind.person_url_name else "",
        }
        status = kind.settled(item, today)
        if status is None:
            pending.append(row)
        else:
            settled.append({**row, "status": status})
    decided = requests.exclude(**state).order_by("-decided_on", "-pk")[:50]
    return render(
        request,
        "core/decision_list.html",
        {
            "kind": kind,
            "form": form if kind.search is not None else None,
            "page": page,
            "filters": filters,
            "pending": pending,
            "settled": settled,
            "decided": decided,
            "width": len(kind.columns) + 2,
            "breadcrumb": crumbs((kind.title, "")),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_page(request: HttpRequest, pk: int, kind: DecisionKind[Any]) -> HttpResponse:
    """One request, what the agent decides on, and the decision form when a decision is possible."""
    item = kind.visible(request.user).filter(pk=pk).first()
    if item is None:
        raise Http404
    today = timezone.localdate()
    form = DecisionForm(request.POST or None, initial={"decided_on": today}, kind=kind)
    if request.method == "POST" and form.is_valid():
        try:
            decide(
                kind,
                request.user,
                item,
                positive=form.positive,
                on=form.cleaned_data["decided_on"],
                reason=form.cleaned_data["reason"],
            )
        except Refused as refusal:
            form.add_refusal(refusal)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect(kind.list_url)
    answer = can_decide(kind, request.user, item, on=today)
    return render(
        request,
        "core/decision.html",
        {
            "form": form,
            "errors": form.error_list(),
            "heading": kind.heading(item),
            "object": item,
            "facts": kind.facts(item, today),
            "allowed": answer.allowed,
            "why": answer.message,
            "breadcrumb": crumbs((kind.title, reverse(kind.list_url)), (kind.heading(item), "")),
        },
    )


# The API -------------------------------------------------------------------------------------


class DecisionIn(Schema):
    decision: bool
    on: date
    reason: str = ""


class DecisionOut(Schema):
    id: int
    status: str
    decided_on: date | None
    recorded_on: date | None


def add_decision_endpoint(router: Router, path: str, kind: DecisionKind[Any], *, url_name: str, summary: str) -> None:
    """``POST <path>`` decides one request of ``kind``: the same shape for every kind."""

    def endpoint(request: HttpRequest, request_id: Id, payload: DecisionIn) -> Status[dict[str, Any]]:
        item = kind.visible(request.user).filter(pk=request_id).first()
        if item is None:
            raise Http404
        item = decide(kind, request.user, item, positive=payload.decision, on=payload.on, reason=payload.reason)
        return Status(
            200,
            {
                "id": item.pk,
                "status": kind.lifecycle.state_of(item),
                "decided_on": item.decided_on,
                "recorded_on": item.recorded_on,
            },
        )

    endpoint.__name__ = f"decide_{kind.key}"
    router.post(path, response={200: DecisionOut, **WRITE_ERRORS}, url_name=url_name, summary=summary)(endpoint)
