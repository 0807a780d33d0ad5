"""Two transactions append to the audit log at the same moment (two requests, two connections): each gets its
own sequence number and the chain stays whole. A writer that waited for the other must read the entry just
appended, not the one it first saw (``audit.services._locked_head``).

PostgreSQL only: SQLite has one writer at a time and the test database lives in memory, so two connections
cannot race there; CI's PostgreSQL run exercises it.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection, transaction
from tests.factories import make_centre

from titrepro.audit.models import AuditEntry
from titrepro.audit.services import record, verify

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two concurrent writers need PostgreSQL (SQLite: one writer, database in memory)",
    ),
]


def test_two_concurrent_writers_chain_one_after_the_other() -> None:
    centre = make_centre()
    with transaction.atomic():
        record(actor=None, action="test.first", target=centre)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def write(action: str, hold: float) -> None:
        try:
            start.wait()
            with transaction.atomic():
                record(actor=None, action=action, target=centre)
                time.sleep(hold)  # the first writer keeps its turn a moment: the second one waits for it
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads: list[Any] = [
        threading.Thread(target=write, args=("test.slow", 0.3)),
        threading.Thread(target=write, args=("test.fast", 0.0)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert list(AuditEntry.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3]
    assert verify() is None
