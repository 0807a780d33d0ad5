"""The fixtures the documents' tests share: a real TSSR 2023 session held and its PV validated (two candidates:
the title awarded, a partial success), then every document due issued in process (``services.issue``)."""

from __future__ import annotations

from typing import Any

import pytest
from tests.deliberation.world import held_session, validated

from titrepro.credentials import services
from titrepro.credentials.models import IssuedDocument
from titrepro.deliberation.models import DocumentToIssue


def issue_all() -> list[IssuedDocument]:
    """Every entry to issue, issued in the order of the queue: the attestations first."""
    documents = (services.issue(entry.pk) for entry in DocumentToIssue.objects.order_by("pk"))
    return [document for document in documents if document is not None]


@pytest.fixture
def issued(builtin_catalogue: Any) -> Any:
    """The held session, its documents and their badges issued."""
    held = held_session()
    validated(held)
    issue_all()
    return held


@pytest.fixture
def documents(issued: Any) -> dict[str, IssuedDocument]:
    """The documents issued, by kind (the last of a kind when there are two: the livret's attestation)."""
    return {document.kind: document for document in IssuedDocument.objects.order_by("pk")}
