"""Lifecycles as data (STYLE.md, habit 4).

A ``Lifecycle`` names the states of one model's status field and the allowed
moves between them, as a table. Each ``Move`` says from which states it may
start, the state it ends in, the audit action it writes and the checks it
needs (preconditions that answer a refusal or ``None``). Nobody else changes
the status field:

- services call ``lifecycle.apply(move, user, obj, ...)`` (``user`` None is the
  system: the passing of time, an operator's command) (or ``create`` for
  the move that brings an object into existence): it locks the row, checks
  who may act (``authorise``: 403 / 404), the state and the move's checks
  (``Refused`` with the move's own code), writes the new state and the
  fields the service passes, and appends one audit entry with who, from,
  to and why — all in one transaction;
- pages and the API ask ``lifecycle.can(move, user, obj)`` (an ``Answer``:
  allowed or the refusal's code and message) to show an action or say why it
  is not offered, and ``lifecycle.offered(user, obj)`` for the buttons.

A new lifecycle (session, registration, minutes, appeal, document...) is a
``Lifecycle`` next to its model's services: its table in one place, its
checks as small functions, its services thin over ``apply``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.audit.services import record
from titrepro.core.refusals import Refused

# The state of an object that does not exist yet: the source of a creating move.
NEW = ""

# A precondition of a move: (user, object, the day the move takes effect) -> a refusal or None.
type Check[M] = Callable[[Any, M, date], Refused | None]
# Who may act on the object: raises PermissionDenied (wrong role) or Http404 (outside the user's scope).
type Authorise[M] = Callable[[Any, M], None]


@dataclass(frozen=True)
class Move[M: models.Model]:
    """One allowed move: from ``sources`` to ``target``, audited as ``action``."""

    name: str
    sources: tuple[str, ...]
    target: str
    action: str
    label: Any = ""  # the button's words (lazy translation)
    checks: tuple[Check[M], ...] = ()
    # The refusal when the object is in another state; ``{lifecycle}_cannot_{move}`` if empty.
    wrong_state_code: str = ""
    wrong_state_message: Any = ""
    # Who may make this move, when not the lifecycle's ``authorise`` (a candidate files, the authority decides).
    authorise: Authorise[M] | None = None


@dataclass(frozen=True)
class Answer:
    """Whether a move is allowed now, and if not, why (``code`` for machines, ``message`` for people)."""

    allowed: bool
    code: str = ""
    message: str = ""

    def __bool__(self) -> bool:
        return self.allowed

    def __iter__(self) -> Iterator[Any]:
        """``allowed, code = lifecycle.can(...)``."""
        yield self.allowed
        yield self.code

    @classmethod
    def refused(cls, refusal: Refused) -> Answer:
        return cls(False, refusal.code, refusal.message)


YES = Answer(True)


@dataclass
class Lifecycle[M: models.Model]:
    """The states and moves of ``model.<field>``."""

    name: str
    model: type[M]
    states: Mapping[str, Any]  # value -> label
    moves: Sequence[Move[M]]
    authorise: Authorise[M]
    state_field: str = "status"
    _by_name: dict[str, Move[M]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_name = {}
        for move in self.moves:
            if move.name in self._by_name:
                raise ValueError(f"{self.name}: two moves named {move.name!r}")
            unknown = {*move.sources, move.target} - {*self.states, NEW}
            if unknown:
                raise ValueError(f"{self.name}.{move.name}: unknown states {sorted(unknown)}")
            self._by_name[move.name] = move

    # The table --------------------------------------------------------------------------------

    def move(self, name: str) -> Move[M]:
        try:
            return self._by_name[name]
        except KeyError:
            raise ValueError(f"{self.name}: no move named {name!r}") from None

    def moves_from(self, state: str) -> list[Move[M]]:
        return [move for move in self.moves if state in move.sources]

    def state_of(self, obj: M) -> str:
        return str(getattr(obj, self.state_field)) if obj.pk is not None else NEW

    # Asking -----------------------------------------------------------------------------------

    def refusal(self, name: str, user: Any, obj: M, *, on: date | None = None) -> Refused | None:
        """The first reason the move is not allowed (state, then its checks), or None. Scope is not checked here."""
        move = self.move(name)
        state = self.state_of(obj)
        if state not in move.sources:
            code = move.wrong_state_code or f"{self.name}_cannot_{move.name}"
            message = move.wrong_state_message or _("This action is not possible in the state “%(state)s”.") % {
                "state": self.states.get(state, state)
            }
            return Refused(code, message)
        day = on or timezone.localdate()
        for check in move.checks:
            refusal = check(user, obj, day)
            if refusal is not None:
                return refusal
        return None

    def check_actor(self, name: str, user: Any, obj: M) -> None:
        """Who may make the move (the move's ``authorise``, else the lifecycle's); the system (``user`` None:
        a command or a task, never a request) always may."""
        if user is not None:
            (self.move(name).authorise or self.authorise)(user, obj)

    def can(self, name: str, user: Any, obj: M, *, on: date | None = None) -> Answer:
        """May ``user`` make this move now? Never raises: a page asks it to show or explain an action."""
        try:
            self.check_actor(name, user, obj)
        except PermissionDenied:
            return Answer(False, "forbidden", _("Your role does not allow this."))
        except Http404:
            return Answer(False, "not_found", _("Not found."))
        refusal = self.refusal(name, user, obj, on=on)
        return YES if refusal is None else Answer.refused(refusal)

    def offered(self, user: Any, obj: M, *, on: date | None = None) -> dict[str, Answer]:
        """The moves that start from the object's state, each with its answer (for the page's buttons)."""
        state = self.state_of(obj)
        return {move.name: self.can(move.name, user, obj, on=on) for move in self.moves if state in move.sources}

    # Doing ------------------------------------------------------------------------------------

    def require(self, name: str, user: Any, obj: M, *, on: date | None = None) -> None:
        """Raise what stops the move: PermissionDenied / Http404 (who), then ``Refused`` (state, checks)."""
        self.check_actor(name, user, obj)
        refusal = self.refusal(name, user, obj, on=on)
        if refusal is not None:
            raise refusal

    def apply(
        self,
        name: str,
        user: Any,
        obj: M,
        *,
        on: date | None = None,
        reason: str = "",
        changes: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> M:
        """Make the move: lock, check, write the state and ``changes``, audit; one transaction. Returns the row."""
        move = self.move(name)  # a creating move on an existing row is refused by the state check
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=obj.pk)
            self.require(name, user, locked, on=on)
            before = self.state_of(locked)
            setattr(locked, self.state_field, move.target)
            for attribute, value in (changes or {}).items():
                setattr(locked, attribute, value)
            locked.save(update_fields=[self.state_field, *(changes or {})])
            self._record(move, user, locked, before, reason, data)
        return locked

    def create(
        self,
        name: str,
        user: Any,
        obj: M,
        *,
        on: date | None = None,
        reason: str = "",
        data: Mapping[str, Any] | None = None,
    ) -> M:
        """Bring ``obj`` (not saved yet) into the lifecycle by a move from ``NEW``; one transaction, audited."""
        move = self.move(name)
        if NEW not in move.sources or obj.pk is not None:
            raise ValueError(f"{self.name}.{name} does not create an object")
        with transaction.atomic():
            self.require(name, user, obj, on=on)
            setattr(obj, self.state_field, move.target)
            obj.save(force_insert=True)
            self._record(move, user, obj, None, reason, data)
        return obj

    def _record(
        self, move: Move[M], user: Any, obj: M, before: str | None, reason: str, data: Mapping[str, Any] | None
    ) -> None:
        """The move's audit entry: who, what, from, to, why (inside the move's transaction)."""
        record(
            actor=user,
            action=move.action,
            target=obj,
            reason=reason,
            data={"from": before, "to": move.target, **(data or {})},
        )


def system_only(code: str, message: Any) -> Check[Any]:
    """A check for the moves that time makes (expiry, acceptance by silence): no person makes them."""

    def check(user: Any, obj: Any, on: date) -> Refused | None:
        return None if user is None else Refused(code, message)

    return check
