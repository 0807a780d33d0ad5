"""Two agents of the authority validate the same PV at the same moment, in two threads with two connections (two
concurrent requests): one validates, the other waits for the PV's row lock (``select_for_update`` in the PV's
lifecycle) and is told, in French, that the PV was validated meanwhile; the holdings are written once.

PostgreSQL only: SQLite has one writer at a time and the test database lives in memory, so two connections
cannot race there. CI runs the suite on both databases: the PostgreSQL run exercises this test.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from tests.deliberation.world import held_session
from tests.factories import agent_of
from tests.session_world import TSSR_FIRST_DAY

from titrepro.audit.models import AuditEntry
from titrepro.candidates.models import Holding
from titrepro.core import dating
from titrepro.core.refusals import Refused
from titrepro.deliberation import services
from titrepro.deliberation.models import Minutes, MinutesStatus

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two concurrent validations need PostgreSQL's row locks (SQLite: one writer, database in memory)",
    ),
]

HOLD = 0.3  # seconds the first validation keeps the PV locked, so that the second one meets the lock
ONE_VALIDATION = 4  # first candidate: CCP 1, CCP 2 and the title; second: CCP 1


@dataclass
class Attempt:
    agent: Any
    started: float = 0.0
    ended: float = 0.0
    validated: Minutes | None = None
    refusal: Refused | None = None
    error: BaseException | None = None


@dataclass
class Clock:
    """When the winner held the lock: from entering ``write_holdings`` to leaving it (still uncommitted)."""

    holding_from: list[float] = field(default_factory=list)
    holding_until: list[float] = field(default_factory=list)


def _submitted(held: Any) -> Minutes:
    first, second = held.registrations
    juror = held.member_user(0)
    services.decide(juror, first, result="title_awarded", ccps=[1, 2], final_interview_held=True)
    services.decide(juror, second, result="partial_success", ccps=[1], reason="CCP 2 : sauvegarde non maîtrisée.")
    minutes = services.current_minutes(held.session)
    services.sign(held.member_user(0), minutes)
    services.sign(held.member_user(1), minutes)
    return services.submit(held.world.staff, minutes)


def test_two_agents_validating_at_once_one_wins_the_other_is_told_and_holdings_are_written_once(
    builtin_catalogue: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    held = held_session()
    with dating.replaying(TSSR_FIRST_DAY):
        minutes = _submitted(held)
    colleague = agent_of(held.session.centre.authority)

    clock = Clock()
    real_write_holdings = services.write_holdings

    def slow_write_holdings(validated: Minutes, *args: Any, **kwargs: Any) -> int:
        clock.holding_from.append(time.monotonic())
        time.sleep(HOLD)
        written = real_write_holdings(validated, *args, **kwargs)
        clock.holding_until.append(time.monotonic())
        return written

    monkeypatch.setattr(services, "write_holdings", slow_write_holdings)

    barrier = threading.Barrier(2, timeout=10)
    attempts = [Attempt(held.world.agent), Attempt(colleague)]

    def validate(attempt: Attempt) -> None:
        try:
            # Each thread has its own connection (a request of its own); the replayed day is per context.
            with dating.replaying(TSSR_FIRST_DAY):
                barrier.wait()
                attempt.started = time.monotonic()
                try:
                    attempt.validated = services.validate(attempt.agent, Minutes.objects.get(pk=minutes.pk))
                except Refused as refusal:
                    attempt.refusal = refusal
                attempt.ended = time.monotonic()
        except BaseException as error:  # reported by the main thread, never lost in the thread
            attempt.error = error
        finally:
            connection.close()

    threads = [threading.Thread(target=validate, args=(attempt,)) for attempt in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a validation never finished (deadlock?)"
    assert [a.error for a in attempts] == [None, None]

    winners = [a for a in attempts if a.validated is not None]
    losers = [a for a in attempts if a.refusal is not None]
    assert len(winners) == 1
    assert len(losers) == 1
    winner, loser = winners[0], losers[0]
    assert winner.validated is not None
    assert winner.validated.status == MinutesStatus.VALIDATED
    assert loser.refusal is not None
    assert loser.refusal.code == "minutes_not_submitted"
    assert loser.refusal.message == "Ce PV n’attend pas de validation : il a été validé ou renvoyé entre-temps."

    # The loser asked while the winner held the lock and was answered only after the winner had written the
    # holdings (its commit came later still): it waited for the lock, it did not read a stale "submitted".
    assert len(clock.holding_from) == 1, "write_holdings ran for the winner only"
    assert loser.started < clock.holding_until[0] < loser.ended
    assert loser.ended - loser.started >= HOLD / 2

    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.VALIDATED
    assert minutes.validated_by == winner.agent
    assert Holding.objects.count() == ONE_VALIDATION
    written = AuditEntry.objects.filter(action="minutes.holdings_written")
    assert [entry.data["holdings"] for entry in written] == [ONE_VALIDATION]
    validated = AuditEntry.objects.filter(action="minutes.validated")
    assert validated.count() == 1
    assert validated.get().actor == winner.agent
