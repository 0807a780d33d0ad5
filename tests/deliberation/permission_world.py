"""What the deliberation's permission matrices share: our centre's session held yesterday, written directly
(the services have their own tests), made once per request."""

from __future__ import annotations

import datetime
from typing import Any

from tests.factories import today

from titrepro.sessions.models import ExamSession


def held_yesterday(w: Any, serial: str) -> ExamSession:
    """Our centre's title session held yesterday (its number ends with ``serial``)."""
    found = ExamSession.objects.filter(centre=w.ours.centre).first()
    if found is not None:
        return found
    first = today() - datetime.timedelta(days=1)
    return ExamSession.objects.create(
        number=f"{first.year}-069-{serial}",
        kind="title",
        version=w.ours.approval.version,
        centre=w.ours.centre,
        approval=w.ours.approval,
        site_address=w.ours.approval.site_address,
        first_day=first,
        last_day=first,
        capacity=12,
        status="held",
        declared_on=first - datetime.timedelta(days=60),
        convened_on=first - datetime.timedelta(days=40),
        held_on=first,
    )
