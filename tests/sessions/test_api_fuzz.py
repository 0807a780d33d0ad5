"""The sessions operations fuzzed (schemathesis, as tests/api/test_schemathesis.py) against a world that has
sessions: a session being prepared and one convened whose day has come, with a registration, jury
invitations, convocations and a programme, all among the first rows of their tables, so that the small
ids schemathesis draws reach the services and not only the lookups' 404.

Same checks as the whole API's run: no 500, declared statuses and content types, the declared schemas.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

# The fixtures ``schema`` and ``wsgi_app`` are the whole API run's.
from tests.api.test_schemathesis import CHECKS, EXAMPLES, OPERATIONS, Callers, schema, wsgi_app  # noqa: F401
from tests.factories import (
    ApprovalFactory,
    CandidateFactory,
    HabilitationFactory,
    JuryMemberFactory,
    PathwayFactory,
    agent_of,
    centre_staff,
    make_title,
    member_user,
    today,
)
from tests.session_world import with_ccps

from titrepro.accounts.api_auth import issue_token
from titrepro.core.dating import replaying
from titrepro.sessions import services

SESSION_OPERATIONS = [label for label in OPERATIONS if " /api/v1/sessions" in label]


@pytest.fixture
def callers(db: None) -> Callers:
    make_title()
    approval = ApprovalFactory.create()
    centre, version = approval.centre, with_ccps(approval.version)
    staff = centre_staff(centre)
    member, second = (JuryMemberFactory.create(authority=centre.authority) for _ in range(2))
    for someone in (member, second):
        HabilitationFactory.create(member=someone)
    candidate = CandidateFactory.create(centre=centre)
    PathwayFactory.create(candidate=candidate)

    def session(first_day: datetime.date, *, convened: bool) -> None:
        made = services.create_session(
            staff,
            centre,
            kind="title",
            version=version,
            first_day=first_day,
            last_day=first_day,
            site_address="Ici",
            capacity=5,
        )
        services.register(staff, made, candidate)
        invitations = [services.invite_member(staff, made, someone) for someone in (member, second)]
        if convened:
            made = services.declare_session(staff, made)
            for invitation in invitations:
                services.answer_invitation(None, invitation, accept=True)
            services.convene(staff, made)

    session(today() + datetime.timedelta(days=60), convened=False)
    first_day = today() - datetime.timedelta(days=3)
    with replaying(first_day - datetime.timedelta(days=60)):
        session(first_day, convened=True)
    line = services.PlannedLine(kind="title", version=version, month=3, expected_candidates=5)
    services.save_programme(staff, centre, today().year + 1, [line])
    users = (staff, agent_of(centre.authority), member_user(member))
    return Callers(tokens=(None, *(issue_token(user, "schemathesis")[1] for user in users)))


@pytest.mark.parametrize("label", SESSION_OPERATIONS)
def test_session_operation_answers_as_documented(
    label: str,
    schema: schemathesis.schemas.BaseSchema,  # noqa: F811 - the fixture
    callers: Callers,
) -> None:
    operation = schema.find_operation_by_label(label)
    assert operation is not None, label
    requests = st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )

    @given(case=requests, token=st.sampled_from(callers.tokens))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case: schemathesis.Case[Any], token: str | None) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)

    answers_as_documented()
