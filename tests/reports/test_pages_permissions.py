"""Permission matrix of the results pages and their export (tests/permissions.py).

The centre's page is for centre staff and the national administrator, the authority's for authority agents and
the national administrator; any other role gets 403. Each page shows the user's own organisation's figures, so
the other organisation gets the page too (``is_list``) with none of our data. Each organisation has a session
with a validated PV, built directly (not through the services, whose own tests are elsewhere) for each request:
held 30 days ago at its centre, its candidate present and awarded the title.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from tests.factories import today
from tests.permissions import Audience, Organisation, PermissionMatrix, Row

from titrepro.deliberation.models import Decision, Minutes
from titrepro.sessions.models import ExamSession, Registration

CENTRE = Audience.CENTRE | Audience.NATIONAL
AUTHORITY = Audience.AUTHORITY | Audience.NATIONAL


def _validated_session(organisation: Organisation) -> None:
    if ExamSession.objects.filter(centre=organisation.centre).exists():
        return
    day = today() - datetime.timedelta(days=30)
    session = ExamSession.objects.create(
        number=f"{day.year}-{organisation.authority.departement}-R001",
        kind="title",
        version=organisation.approval.version,
        centre=organisation.centre,
        approval=organisation.approval,
        site_address=organisation.approval.site_address,
        first_day=day,
        last_day=day,
        capacity=12,
        status="held",
    )
    registration = Registration.objects.create(
        session=session, candidate=organisation.candidate, registered_on=day, attendance="present"
    )
    Decision.objects.create(registration=registration, result="title_awarded")
    Minutes.objects.create(session=session, number=f"PV-{session.number}", status="validated")


def results(query: dict[str, str]) -> Any:
    """The query of a row, once both organisations have their results (so a leak would show)."""

    def build(w: Any) -> dict[str, str]:
        _validated_session(w.ours)
        _validated_session(w.theirs)
        return query

    return build


class TestReportsPagesPermissions(PermissionMatrix):
    template_prefix = "reports/"

    rows: ClassVar[list[Row]] = [
        Row("reports:centre_results", CENTRE, query=results({}), is_list=True),
        Row("reports:centre_results", CENTRE, query=results({"par": "centre"}), is_list=True),
        Row("reports:centre_results", CENTRE, query=results({"format": "csv"}), is_list=True),
        Row("reports:centre_results", CENTRE, query=results({"format": "csv", "par": "centre"}), is_list=True),
        Row("reports:authority_results", AUTHORITY, query=results({}), is_list=True),
        Row("reports:authority_results", AUTHORITY, query=results({"par": "centre"}), is_list=True),
        Row("reports:authority_results", AUTHORITY, query=results({"format": "csv"}), is_list=True),
        Row("reports:authority_results", AUTHORITY, query=results({"format": "csv", "par": "centre"}), is_list=True),
    ]
