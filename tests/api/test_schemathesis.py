"""Every operation of the API, run from its own OpenAPI document with generated requests (schemathesis).

Schemathesis reads the document the app serves (/api/v1/openapi.json) and, for
each operation, draws requests that fit it (positive) and requests that do not
(negative: wrong types, out-of-range numbers, missing fields, bodies that are
not JSON...), each sent anonymously or with the token of a centre's staff, a
DREETS agent or a jury member of a small world. Every answer must:

- not be a server error (no 500, whatever the input);
- have a status the operation declares, with the declared content type;
- match the declared schema of that status (errors: ``core.api.ApiError``).

Requests go through Django's WSGI handler like a real server's (middleware,
URL resolution, error pages), inside the test's transaction; each example is
rolled back, so a generated ``DELETE`` of a token does not log a caller out.
Derandomized, so a run is reproducible: 30 examples per operation, or
``TITREPRO_SCHEMATHESIS_EXAMPLES`` (a longer hunt: 500).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err, Ok
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from tests.factories import (
    AccommodationFactory,
    ApprovalFactory,
    CandidateFactory,
    HabilitationFactory,
    JuryMemberFactory,
    PathwayFactory,
    VaeApplicationFactory,
    agent_of,
    centre_staff,
    make_title,
    member_user,
)

from titrepro.accounts.api_auth import issue_token
from titrepro.api import api

EXAMPLES = int(os.environ.get("TITREPRO_SCHEMATHESIS_EXAMPLES", "30"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
# Every operation of the document: one test each.
OPERATIONS = sorted(
    f"{method.upper()} {path}"
    for path, item in api.get_openapi_schema()["paths"].items()
    for method in item
    if method in HTTP_METHODS
)


@pytest.fixture
def wsgi_app() -> Iterator[WSGIHandler]:
    """Django's WSGI application, kept off closing the test's connection (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@dataclass(frozen=True)
class Callers:
    """The bearer tokens of the callers; ``None`` is anonymous."""

    tokens: tuple[str | None, ...]


@pytest.fixture
def callers(db: None) -> Callers:
    """A centre with an approval and a candidate (pathway, VAE application, accommodation), its
    authority with a habilitated jury member; the first rows of each table, so small ids hit them."""
    make_title()
    approval = ApprovalFactory.create()
    centre = approval.centre
    member = JuryMemberFactory.create(authority=centre.authority)
    HabilitationFactory.create(member=member)
    candidate = CandidateFactory.create(centre=centre)
    PathwayFactory.create(candidate=candidate)
    VaeApplicationFactory.create(candidate=candidate)
    AccommodationFactory.create(candidate=candidate)
    users = (centre_staff(centre), agent_of(centre.authority), member_user(member))
    return Callers(tokens=(None, *(issue_token(user, "schemathesis")[1] for user in users)))


@pytest.fixture
def schema(wsgi_app: WSGIHandler) -> schemathesis.schemas.BaseSchema:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)


def test_schemathesis_runs_every_operation_of_the_document(schema: schemathesis.schemas.BaseSchema) -> None:
    results = list(schema.get_all_operations())
    assert not [result.err() for result in results if isinstance(result, Err)], "operations schemathesis cannot read"
    assert sorted(result.ok().label for result in results if isinstance(result, Ok)) == OPERATIONS


@pytest.mark.parametrize("label", OPERATIONS)
def test_operation_answers_as_documented(label: str, schema: schemathesis.schemas.BaseSchema, callers: Callers) -> None:
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
