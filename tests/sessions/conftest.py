"""Shared by the session tests."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _fast_solver(settings: Any) -> None:
    """The pages and the API solve within two seconds here (ten by default): the test sessions are small."""
    settings.TITREPRO_TIMETABLE_SECONDS = 2
