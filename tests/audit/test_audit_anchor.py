"""Anchored checkpoints: truncating or rewriting the audit log is detected and named.

The database's operator can delete the last entries, empty the table, or rewrite
the chain with recomputed SHA-256 hashes: the hash chain alone stays "intact".
Each entry's MAC (keyed, the key is not in the database) and the checkpoints
appended to a file outside the database make ``titrepro audit verify`` name what
is missing or rewritten, with the sequence numbers concerned.
"""

from __future__ import annotations

import hmac
import importlib
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import translation

from titrepro.audit.models import AuditEntry
from titrepro.audit.services import Break, FileBreak, record, verification, verify
from titrepro.directory.models import Authority

pytestmark = pytest.mark.django_db

Capture = Callable[..., Any]  # pytest-django's django_capture_on_commit_callbacks


@pytest.fixture
def authority() -> Authority:
    return Authority.objects.create(name="DDETS de Paris", departement="75")


@pytest.fixture
def checkpoint_file(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "anchor" / "audit-checkpoints.jsonl"
    settings.TITREPRO_AUDIT_CHECKPOINT_FILE = path
    settings.TITREPRO_AUDIT_CHECKPOINT_EVERY = 1
    return path


def commit(capture: Capture, target: Authority, count: int) -> list[AuditEntry]:
    """Each entry in its own committed transaction, as a service writes it (its on_commit work runs)."""
    entries = []
    for index in range(count):
        with capture(execute=True), transaction.atomic():
            entries.append(record(actor=None, action="test.changed", target=target, reason=f"step {index}"))
    return entries


def tamper(sql: str, *params: str) -> None:
    """Change the table behind the application's back, as an operator with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def broken_command() -> str:
    """``titrepro audit verify`` must fail with status 1; its message."""
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", stdout=io.StringIO(), stderr=io.StringIO())
    assert caught.value.returncode == 1
    return str(caught.value)


def english(problem: Any) -> str:
    with translation.override("en"):
        return str(problem.sentence())


def lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def rewrite_from(sequence: int, *, with_key: bool) -> None:
    """Edit entry ``sequence`` and recompute every hash after it, links included (and the MACs if ``with_key``)."""
    previous = AuditEntry.objects.get(sequence=sequence - 1).hash if sequence > 1 else "0" * 64
    for entry in AuditEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if entry.sequence == sequence:
            entry.reason = "nothing happened"
        entry.previous_hash = previous
        entry.hash = entry.compute_hash()
        changes: dict[str, str] = {"reason": entry.reason, "previous_hash": entry.previous_hash, "hash": entry.hash}
        if with_key:
            from titrepro.audit.checkpoints import entry_mac

            changes["mac"] = entry_mac(django_settings.TITREPRO_AUDIT_KEY.encode(), entry.hash)
        AuditEntry.objects.filter(pk=entry.pk).update(**changes)
        previous = entry.hash


# The log itself


def test_an_intact_log_with_its_checkpoint_verifies(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 3)
    assert verify() is None
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "3" in out.getvalue()
    assert [line["sequence"] for line in lines(checkpoint_file)] == [1, 2, 3]


def test_deleting_the_last_entry_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 5)
    tamper("DELETE FROM audit_auditentry WHERE sequence = 5")
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence, broken.until) == ("truncated", 5, 5)
    assert re.fullmatch(
        r"Audit log truncated: entry 5 is missing \(the checkpoint of .+ covers up to 5, the log ends at 4\)\.",
        english(broken),
    )
    assert broken.sentence() in broken_command()


def test_deleting_the_last_twenty_entries_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 25)
    tamper("DELETE FROM audit_auditentry WHERE sequence > 5")
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence, broken.until) == ("truncated", 6, 25)
    assert re.fullmatch(
        r"Audit log truncated: entries 6 to 25 are missing \(the checkpoint of .+ covers up to 25, "
        r"the log ends at 5\)\.",
        english(broken),
    )
    assert broken.sentence() in broken_command()


def test_emptying_the_table_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 4)
    tamper("DELETE FROM audit_auditentry")
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence, broken.until) == ("truncated", 1, 4)
    assert re.fullmatch(
        r"Audit log truncated: the log is empty but the checkpoint of .+ covers entries 1 to 4\.", english(broken)
    )
    assert broken.sentence() in broken_command()


def test_rewriting_the_chain_without_the_key_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 4)
    rewrite_from(2, with_key=False)
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence) == ("forged", 2)
    message = broken_command()
    assert broken.sentence() in message
    assert "n° 2" in message  # "Journal d’audit rompu à l’entrée n° 2 : …"
    # Every problem is named: the first forged entry, and the head that no longer matches its checkpoint.
    problems = verification().problems
    assert [(p.problem, getattr(p, "sequence", None)) for p in problems] == [("forged", 2), ("rewritten", 4)]
    assert all(p.sentence() in message for p in problems)


def test_a_mac_that_is_not_even_hexadecimal_is_named_not_a_traceback(authority, checkpoint_file):
    with transaction.atomic():
        record(actor=None, action="test.changed", target=authority)
    tamper("UPDATE audit_auditentry SET mac = %s", "é" * 64)
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence) == ("forged", 1)


def test_rewriting_the_chain_with_the_key_is_caught_by_the_checkpoint(
    authority, checkpoint_file, django_capture_on_commit_callbacks
):
    commit(django_capture_on_commit_callbacks, authority, 4)
    rewrite_from(3, with_key=True)
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence) == ("rewritten", 4)
    assert re.fullmatch(r"Audit log rewritten: entry 4 differs from the checkpoint of .+\.", english(broken))
    assert broken.sentence() in broken_command()


def test_another_key_breaks_every_mac(authority, checkpoint_file, django_capture_on_commit_callbacks, settings):
    commit(django_capture_on_commit_callbacks, authority, 2)
    settings.TITREPRO_AUDIT_KEY = "another-key-another-key-another-key"
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence) == ("forged", 1)


# The checkpoint file


def test_editing_a_line_of_the_checkpoint_file_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 3)
    text = checkpoint_file.read_text(encoding="utf-8").splitlines()
    line = json.loads(text[1])
    line["sequence"] = 1
    text[1] = json.dumps(line)
    checkpoint_file.write_text("\n".join(text) + "\n", encoding="utf-8")
    broken = verify()
    assert isinstance(broken, FileBreak)
    assert (broken.problem, broken.line) == ("forged", 2)
    assert str(checkpoint_file) in english(broken)
    assert broken.sentence() in broken_command()


def test_removing_a_line_of_the_checkpoint_file_is_named(
    authority, checkpoint_file, django_capture_on_commit_callbacks
):
    commit(django_capture_on_commit_callbacks, authority, 3)
    text = checkpoint_file.read_text(encoding="utf-8").splitlines()
    checkpoint_file.write_text(text[0] + "\n" + text[2] + "\n", encoding="utf-8")
    broken = verify()
    assert isinstance(broken, FileBreak)
    assert (broken.problem, broken.line) == ("unlinked", 2)
    assert broken.sentence() in broken_command()


def test_truncating_the_checkpoint_file_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 3)
    text = checkpoint_file.read_text(encoding="utf-8").splitlines()
    checkpoint_file.write_text(text[0] + "\n", encoding="utf-8")
    broken = verify()
    assert isinstance(broken, FileBreak)
    assert (broken.problem, broken.line, broken.recorded) == ("truncated", 1, 3)
    assert broken.sentence() in broken_command()


def test_a_torn_last_line_is_named(authority, checkpoint_file, django_capture_on_commit_callbacks):
    commit(django_capture_on_commit_callbacks, authority, 2)
    with checkpoint_file.open("a", encoding="utf-8") as file:
        file.write('{"line": 3, "sequ')
    broken = verify()
    assert isinstance(broken, FileBreak)
    assert (broken.problem, broken.line) == ("unreadable", 3)


def test_after_a_torn_line_no_checkpoint_is_chained_onto_it(
    authority, checkpoint_file, django_capture_on_commit_callbacks, caplog
):
    commit(django_capture_on_commit_callbacks, authority, 2)
    with checkpoint_file.open("a", encoding="utf-8") as file:
        file.write('{"line": 3, "sequ')
    before = checkpoint_file.read_bytes()
    commit(django_capture_on_commit_callbacks, authority, 1)  # committed all the same
    assert AuditEntry.objects.count() == 3
    assert checkpoint_file.read_bytes() == before
    assert "audit checkpoint refused (checkpoint_file_damaged)" in caplog.text
    with pytest.raises(CommandError) as caught:
        call_command("settle", stdout=io.StringIO())
    assert caught.value.returncode == 1
    assert str(checkpoint_file) in str(caught.value)


def test_a_missing_checkpoint_file_is_named_when_the_database_recorded_checkpoints(
    authority, checkpoint_file, django_capture_on_commit_callbacks
):
    commit(django_capture_on_commit_callbacks, authority, 3)
    checkpoint_file.unlink()
    broken = verify()
    assert isinstance(broken, FileBreak)
    assert (broken.problem, broken.recorded) == ("missing", 3)
    assert str(checkpoint_file) in english(broken)
    assert broken.sentence() in broken_command()


def test_the_file_and_the_log_deleted_together_with_the_table_kept(
    authority, checkpoint_file, django_capture_on_commit_callbacks
):
    commit(django_capture_on_commit_callbacks, authority, 3)
    checkpoint_file.unlink()
    tamper("DELETE FROM audit_auditentry")
    broken = verify()
    assert isinstance(broken, FileBreak)
    assert broken.problem == "missing"


def test_a_log_without_any_checkpoint_yet_is_intact_but_says_so(authority, checkpoint_file):
    with transaction.atomic():  # never committed: no checkpoint is written
        record(actor=None, action="test.changed", target=authority)
    assert verify() is None
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "titrepro audit checkpoint" in out.getvalue()


# Writing checkpoints


def test_every_commit_appends_a_chained_checkpoint(authority, checkpoint_file, django_capture_on_commit_callbacks):
    from titrepro.audit.models import AuditCheckpoint

    entries = commit(django_capture_on_commit_callbacks, authority, 3)
    written = lines(checkpoint_file)
    assert [(line["line"], line["sequence"], line["hash"]) for line in written] == [
        (1, 1, entries[0].hash),
        (2, 2, entries[1].hash),
        (3, 3, entries[2].hash),
    ]
    assert written[0]["previous"] == "0" * 64
    assert written[1]["previous"] == written[0]["mac"]
    assert list(AuditCheckpoint.objects.values_list("line", "sequence", "mac")) == [
        (line["line"], line["sequence"], line["mac"]) for line in written
    ]


def test_checkpoints_every_n_entries(authority, checkpoint_file, django_capture_on_commit_callbacks, settings):
    settings.TITREPRO_AUDIT_CHECKPOINT_EVERY = 3
    commit(django_capture_on_commit_callbacks, authority, 7)
    assert [line["sequence"] for line in lines(checkpoint_file)] == [3, 6]


def test_automatic_checkpoints_can_be_turned_off(
    authority, checkpoint_file, django_capture_on_commit_callbacks, settings
):
    settings.TITREPRO_AUDIT_CHECKPOINT_EVERY = 0
    commit(django_capture_on_commit_callbacks, authority, 2)
    assert not checkpoint_file.exists()


def test_each_entry_carries_the_mac_of_its_hash(authority, checkpoint_file):
    with transaction.atomic():
        entry = record(actor=None, action="test.changed", target=authority)
    key = django_settings.TITREPRO_AUDIT_KEY.encode()
    import hashlib

    assert entry.mac == hmac.new(key, b"titrepro-audit-entry\n" + entry.hash.encode(), hashlib.sha256).hexdigest()


def test_the_checkpoint_command_is_idempotent(authority, checkpoint_file, settings):
    settings.TITREPRO_AUDIT_CHECKPOINT_EVERY = 0
    with transaction.atomic():
        record(actor=None, action="test.changed", target=authority)
        record(actor=None, action="test.changed", target=authority)
    out = io.StringIO()
    call_command("audit", "checkpoint", stdout=out)
    call_command("audit", "checkpoint", stdout=out)
    assert [line["sequence"] for line in lines(checkpoint_file)] == [2]
    assert verify() is None


def test_the_checkpoint_command_on_an_empty_log_writes_nothing(checkpoint_file):
    call_command("audit", "checkpoint", stdout=io.StringIO())
    assert not checkpoint_file.exists() or not checkpoint_file.read_text()


def test_the_checkpoint_command_refuses_to_bless_a_truncated_log(
    authority, checkpoint_file, django_capture_on_commit_callbacks
):
    commit(django_capture_on_commit_callbacks, authority, 3)
    before = checkpoint_file.read_bytes()
    tamper("DELETE FROM audit_auditentry WHERE sequence = 3")
    with pytest.raises(CommandError) as caught:
        call_command("audit", "checkpoint", stdout=io.StringIO())
    assert caught.value.returncode == 1
    assert checkpoint_file.read_bytes() == before
    # A new entry after the deletion takes number 3 again: no checkpoint blesses it either.
    commit(django_capture_on_commit_callbacks, authority, 1)
    assert checkpoint_file.read_bytes() == before
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.problem, broken.sequence) == ("rewritten", 3)


def test_the_checkpoint_command_refuses_a_forged_head(authority, checkpoint_file, settings):
    settings.TITREPRO_AUDIT_CHECKPOINT_EVERY = 0
    with transaction.atomic():
        record(actor=None, action="test.changed", target=authority)
    tamper("UPDATE audit_auditentry SET mac = %s", "0" * 64)
    with pytest.raises(CommandError):
        call_command("audit", "checkpoint", stdout=io.StringIO())
    assert not checkpoint_file.exists() or not checkpoint_file.read_text()


def test_settle_writes_a_checkpoint(authority, checkpoint_file, settings):
    settings.TITREPRO_AUDIT_CHECKPOINT_EVERY = 0
    with transaction.atomic():
        record(actor=None, action="test.changed", target=authority)
    call_command("settle", stdout=io.StringIO())
    assert [line["sequence"] for line in lines(checkpoint_file)] == [1]


def test_concurrent_writers_keep_the_file_chained(tmp_path):
    """Four processes append at once: the lock makes every line follow the one before it."""
    from titrepro.audit.checkpoints import scan

    path = tmp_path / "checkpoints.jsonl"
    script = (
        "import sys\n"
        "from datetime import UTC, datetime\n"
        "from pathlib import Path\n"
        "from titrepro.audit.checkpoints import locked\n"
        "for n in range(25):\n"
        "    with locked(Path(sys.argv[1]), b'test-key') as file:\n"
        "        last = file.last()\n"
        "        file.append((last.sequence if last else 0) + 1, 'a' * 64, datetime.now(UTC))\n"
    )
    workers = [subprocess.Popen([sys.executable, "-c", script, str(path)]) for _ in range(4)]  # noqa: S603
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0, 0, 0]
    result = scan(path, b"test-key")
    assert result.problem is None
    assert result.lines == 100
    assert result.last is not None
    assert result.last.sequence == 100


# The key and the migration


def test_the_development_key_is_derived_from_the_secret_key() -> None:
    assert django_settings.TITREPRO_AUDIT_KEY
    assert django_settings.TITREPRO_AUDIT_KEY != django_settings.SECRET_KEY


PRODUCTION = {
    "TITREPRO_ENV": "production",
    "TITREPRO_SECRET_KEY": "production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "TITREPRO_ALLOWED_HOSTS": "titrepro.example.org",
    "TITREPRO_PUBLIC_URL": "https://titrepro.example.org",
    "TITREPRO_EMAIL_HOST": "smtp.example.org",
    "TITREPRO_EMAIL_HOST_USER": "titrepro",
    "TITREPRO_EMAIL_HOST_PASSWORD": "dummy",
    "TITREPRO_CONTACT_EMAIL": "contact@example.org",
    "TITREPRO_PUBLISHER": "Publisher",
    "TITREPRO_HOST_NAME": "Host",
    "TITREPRO_HOST_ADDRESS": "Address",
    "DATABASE_URL": "postgres://titrepro@localhost:5432/titrepro",
}


@pytest.mark.parametrize(
    ("key", "error"),
    [
        pytest.param(None, "TITREPRO_AUDIT_KEY must be set", id="missing"),
        pytest.param("short", "TITREPRO_AUDIT_KEY must be at least 32 characters", id="short"),
        pytest.param(PRODUCTION["TITREPRO_SECRET_KEY"], "TITREPRO_AUDIT_KEY must differ", id="same-as-secret"),
        pytest.param("audit-key-0123456789-abcdefghijklmnopqrstuvwxyz", None, id="good"),
    ],
)
def test_production_requires_its_own_audit_key(key: str | None, error: str | None) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith(("TITREPRO_", "DATABASE_URL"))}
    env |= PRODUCTION
    if key is not None:
        env["TITREPRO_AUDIT_KEY"] = key
    done = subprocess.run(
        [sys.executable, "-c", "import titrepro.settings"], env=env, capture_output=True, text=True, check=False
    )
    if error is None:
        assert done.returncode == 0, done.stderr
    else:
        assert done.returncode != 0
        assert error in done.stderr


def test_the_migration_backfills_the_macs_of_existing_entries(authority, checkpoint_file):
    from titrepro.audit.checkpoints import entry_mac

    with transaction.atomic():
        for _ in range(3):
            record(actor=None, action="test.changed", target=authority)
    tamper("UPDATE audit_auditentry SET mac = ''")
    migration = importlib.import_module("titrepro.audit.migrations.0002_anchored_checkpoints")
    migration.backfill_macs(django_apps, None)
    key = django_settings.TITREPRO_AUDIT_KEY.encode()
    assert all(entry.mac == entry_mac(key, entry.hash) for entry in AuditEntry.objects.all())
    assert verify() is None


def test_one_checkpoint_per_commit_whatever_the_number_of_entries(django_capture_on_commit_callbacks: Capture) -> None:
    """A batch (500 registrations in one transaction) anchors the head once, after its commit; an entry
    whose savepoint is rolled back takes its checkpoint with it, and the next entry registers a new one."""
    authority = Authority.objects.create(name="Lot", departement="971")
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for number in range(3):
            record(actor=None, action="test.batch", target=authority, data={"n": number})
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        with transaction.atomic():
            record(actor=None, action="test.batch", target=authority)
            transaction.set_rollback(True)
        record(actor=None, action="test.batch", target=authority)
    assert len(callbacks) == 1  # the rolled-back one is gone, the second entry brought its own
