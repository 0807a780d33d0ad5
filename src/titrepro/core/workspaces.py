"""Workspaces: what each role finds after login — the sections of its menu and the work waiting.

Each app registers, for the role kinds it serves, its menu sections and a function that lists its
work queues (``register``, from its ``AppConfig.ready``). The accounts app builds the header menu
and the dashboard from the registry, so a lower layer never imports an upper one and every later
app (sessions, juries, minutes) adds its queues the same way (docs/decisions/0030-workspaces.md).

Role kinds are the strings of ``accounts.models.RoleKind`` (core cannot import accounts).

A list page may also offer actions on the rows one ticks (``ListAction``, ``register_list_action``): an upper
app adds its button to a lower app's list (the sessions' "register to a session" on the candidate list)
without the list knowing it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    """An entry of the role's main menu: a label and a URL name (no arguments)."""

    label: str | Promise
    url_name: str
    order: int = 50
    # Only for users Django lets into its admin site (``is_staff``).
    django_staff_only: bool = False

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class Queue:
    """Work waiting: how many, where to do it. ``urgent`` when a deadline has passed or is near."""

    label: str | Promise
    count: int
    url: str
    hint: str | Promise = ""
    urgent: bool = False
    order: int = 50


@dataclass(frozen=True)
class Panel:
    """A block of the dashboard drawn by an app's template (e.g. a candidate's standing)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 50


@dataclass(frozen=True)
class ListAction:
    """A button under a list whose rows can be ticked: it sends the ticked rows to the page of ``url_name``
    (no arguments) with a GET, the list's row parameter repeated (``?candidat=1&candidat=2``)."""

    label: str | Promise
    url_name: str
    order: int = 50

    @property
    def url(self) -> str:
        return reverse(self.url_name)


Work = Queue | Panel
Provider = Callable[[Any], Iterable[Work]]

_sections: dict[str, list[Section]] = defaultdict(list)
_providers: dict[str, list[Provider]] = defaultdict(list)
_list_actions: dict[str, list[ListAction]] = defaultdict(list)


def register(kind: str, *, sections: Iterable[Section] = (), work: Provider | None = None) -> None:
    """Add menu sections and a work provider for a role kind (idempotent for the same objects)."""
    for section in sections:
        if section not in _sections[kind]:
            _sections[kind].append(section)
    if work is not None and work not in _providers[kind]:
        _providers[kind].append(work)


def sections_for(kind: str) -> list[Section]:
    return sorted(_sections.get(kind, []), key=lambda s: s.order)


def work_for(kind: str, user: Any) -> tuple[list[Queue], list[Panel]]:
    """The queues and panels of every app for this user in this role, in their order."""
    items: list[Work] = [item for provider in _providers.get(kind, []) for item in provider(user)]
    queues = sorted((i for i in items if isinstance(i, Queue)), key=lambda q: q.order)
    panels = sorted((i for i in items if isinstance(i, Panel)), key=lambda p: p.order)
    return queues, panels


def register_list_action(list_name: str, action: ListAction) -> None:
    """Offer an action on the ticked rows of the list ``list_name`` (idempotent for the same action)."""
    if action not in _list_actions[list_name]:
        _list_actions[list_name].append(action)


def list_actions(list_name: str) -> list[ListAction]:
    return sorted(_list_actions.get(list_name, []), key=lambda a: a.order)
