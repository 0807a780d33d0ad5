"""One refusal for every service: ``Refused(code, message, field=None)``.

A service that says no raises ``Refused``: ``code`` is a stable English machine
code (the rule's own reason code, never a catch-all), ``message`` the French
sentence for people, ``field`` the input it is about when there is one (a
page shows the message next to that field, the API names it). ``str()`` of a
refusal is its code, so logs and ``pytest.raises(match=...)`` read the code.

Pages turn it into form errors (``DsfrForm.add_refusal``); the API answers 422
with ``core.api.ApiError`` (``core.api.install_error_handlers``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import Http404


class Refused(Exception):
    """A change the rules or the lifecycle do not allow."""

    def __init__(self, code: str, message: Any, field: str | None = None, *, reasons: Sequence[str] = ()) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.field = field
        # Every rule that said no, when several did (the first is ``code``).
        self.reasons: tuple[str, ...] = tuple(reasons) or (code,)

    def __repr__(self) -> str:
        return f"Refused({self.code!r}, {self.message!r}, field={self.field!r})"


class Conflict(Refused):
    """A refusal because the thing already exists (a role already held...): the API answers 409."""


class Forbidden(Refused):
    """A refusal because of who (or what) asks, with its own code and reason: the API answers 403."""


class NotFound(Http404):
    """A 404 that names what is missing (``version_not_found``...): the API answers its code and message."""

    def __init__(self, code: str, message: Any, field: str | None = None) -> None:
        super().__init__(code)
        self.code = code
        self.message = str(message)
        self.field = field
