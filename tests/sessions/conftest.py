"""Fixtures of the sessions tests."""

from __future__ import annotations

import sys
import types
from typing import Any

import pytest


class _NeverRun:
    """A task that the tests never run: convene and the others enqueue with ``transaction.on_commit``,
    and pytest-django rolls each test's transaction back, so nothing is ever enqueued."""

    def enqueue(self, *args: Any) -> None:
        raise AssertionError("the task worker does not run in these tests")


@pytest.fixture
def tasks_importable(monkeypatch: pytest.MonkeyPatch) -> None:
    """``convene``, ``annul_session``, ``cancel_session`` (once convened) and ``resend`` import
    ``titrepro.sessions.tasks`` when they queue work. That module imports the convocation rendering
    (``core.pdf``, ``core.calendar``); where it cannot be imported yet, a stand-in whose tasks never run."""
    try:
        import titrepro.sessions.tasks
    except ImportError:
        import titrepro.sessions

        stand_in = types.ModuleType("titrepro.sessions.tasks")
        stand_in.send_convocation = stand_in.send_session_notice = _NeverRun()  # type: ignore[attr-defined]
        monkeypatch.setitem(sys.modules, "titrepro.sessions.tasks", stand_in)
        monkeypatch.setattr(titrepro.sessions, "tasks", stand_in, raising=False)
