"""The audit log: append-only, hash-chained, and ``titrepro audit verify`` names the first broken entry."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from titrepro.audit.models import GENESIS, AuditEntry
from titrepro.audit.services import Break, history, record, verify
from titrepro.directory.models import Authority

pytestmark = pytest.mark.django_db


@pytest.fixture
def authority() -> Authority:
    return Authority.objects.create(name="DDETS de Paris", departement="75")


def write(target: Authority, count: int, actor: object = None) -> list[AuditEntry]:
    entries = []
    for index in range(count):
        with transaction.atomic():
            entries.append(
                record(actor=actor, action="test.changed", target=target, reason=f"step {index}", data={"n": index})
            )
    return entries


def tamper(sql: str, *params: str) -> None:
    """Edit the table behind the application's back, as an attacker with database access would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_chain_and_verify(authority: Authority) -> None:
    user = get_user_model().objects.create_user("agent", password="x" * 12, first_name="Ada", last_name="Lovelace")
    entries = write(authority, 3, actor=user)
    assert [e.sequence for e in entries] == [1, 2, 3]
    assert entries[0].previous_hash == GENESIS
    assert entries[1].previous_hash == entries[0].hash
    assert entries[0].actor_label == "agent (Ada Lovelace)"
    assert verify() is None
    out = io.StringIO()
    call_command("audit", "verify", stdout=out)
    assert "3" in out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_record_refuses_to_run_outside_a_transaction(authority: Authority) -> None:
    with pytest.raises(RuntimeError):
        record(actor=None, action="test.changed", target=authority)


def test_a_rolled_back_change_leaves_no_entry(authority: Authority) -> None:
    def change_then_fail() -> None:
        with transaction.atomic():
            record(actor=None, action="test.changed", target=authority)
            raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        change_then_fail()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("sql", "problem"),
    [
        pytest.param(
            "UPDATE audit_auditentry SET reason = 'nothing happened' WHERE sequence = 2", "edited", id="edited-reason"
        ),
        pytest.param("UPDATE audit_auditentry SET data = '{\"n\": 99}' WHERE sequence = 2", "edited", id="edited-data"),
        pytest.param("DELETE FROM audit_auditentry WHERE sequence = 2", "missing", id="deleted"),
    ],
)
def test_editing_an_entry_in_the_database_is_detected_and_named(authority: Authority, sql: str, problem: str) -> None:
    write(authority, 4)
    tamper(sql)
    broken = verify()
    assert isinstance(broken, Break)
    assert broken.sequence in (2, 3)  # the edited entry itself, or the one after a deleted entry
    assert problem in broken.problem
    err = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", stderr=err)
    assert caught.value.returncode == 1
    assert f"n° {broken.sequence}" in str(caught.value)  # "Journal d’audit rompu à l’entrée n° 2 : …"
    assert broken.message() in str(caught.value)


def test_rehashing_an_edited_entry_is_named_by_its_mac(authority: Authority) -> None:
    """Without the audit key, the recomputed hash has no matching MAC: the entry itself is named, not the next."""
    entries = write(authority, 3)
    forged = AuditEntry.objects.get(sequence=2)
    forged.reason = "forged"
    forged.hash = forged.compute_hash()
    tamper("UPDATE audit_auditentry SET reason = %s, hash = %s WHERE sequence = 2", forged.reason, forged.hash)
    broken = verify()
    assert isinstance(broken, Break)
    assert (broken.sequence, broken.problem) == (2, "forged")
    assert entries[1].hash != forged.hash


def test_history_of_one_object(authority: Authority) -> None:
    other = Authority.objects.create(name="DDETS du Rhône", departement="69")
    write(authority, 2)
    write(other, 1)
    assert [e.reason for e in history(authority)] == ["step 0", "step 1"]
