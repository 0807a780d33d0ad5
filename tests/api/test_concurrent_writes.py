"""Writes that run at the same time wait for each other on SQLite instead of answering 500.

A transaction that reads before it writes (every service: it checks, then
saves and audits) takes SQLite's write lock late; with two of them at once,
SQLite refuses one at once with "database is locked", whatever the busy
timeout. ``transaction_mode=IMMEDIATE`` takes the write lock at ``BEGIN``, so
they queue (settings.py); a lock still not granted after the timeout is a 409
``write_conflict`` (tests/api/test_robustness.py).

pytest-django's SQLite test database lives in memory, shared by the threads
of one process through a shared cache whose table locks ignore the busy
timeout, so the writers run in a subprocess on a copy of it in a file.
PostgreSQL serialises the same writes with row locks (``select_for_update``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db import connection

WRITERS = 8

SCRIPT = textwrap.dedent(
    """
    import json, threading
    import django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test import Client
    from django.test.utils import setup_test_environment
    from titrepro.accounts.api_auth import issue_token

    setup_test_environment()
    user = get_user_model().objects.create(username="writer")
    pairs = [(issue_token(user, f"use {i}")[1], issue_token(user, f"revoke {i}")[0].pk) for i in range(%(writers)d)]
    connections.close_all()
    barrier = threading.Barrier(len(pairs))
    statuses = []

    def revoke(key, token_id):
        client = Client(raise_request_exception=False)
        barrier.wait()
        response = client.delete(f"/api/v1/accounts/tokens/{token_id}", headers={"Authorization": f"Bearer {key}"})
        statuses.append(response.status_code)
        connections.close_all()

    threads = [threading.Thread(target=revoke, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps(sorted(statuses)))
    """
)


@pytest.mark.django_db(transaction=True)  # no open transaction: it would lock the copy out
def test_concurrent_writes_on_sqlite_wait_for_each_other(tmp_path: Path) -> None:
    if connection.vendor != "sqlite":
        pytest.skip(
            "tests SQLite's database-wide write lock (BEGIN IMMEDIATE); PostgreSQL locks rows, its 409 mapping is tested in test_robustness.py"
        )
    database = tmp_path / "titrepro.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(database) as copy:
        connection.connection.backup(copy)  # the migrated schema of the test database
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SETTINGS_MODULE": "titrepro.test_settings",
    }
    done = subprocess.run(  # noqa: S603 (this interpreter, our own script)
        [sys.executable, "-c", SCRIPT % {"writers": WRITERS}],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [204] * WRITERS, done.stderr[-3000:]
