from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache

from tests.accounts.helpers import world as make_world


@pytest.fixture(autouse=True)
def _clear_cache() -> None:
    cache.clear()


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    return make_world()
