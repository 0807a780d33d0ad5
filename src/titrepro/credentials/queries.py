"""Reads of the register that pages, the API and the command line share."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from titrepro.accounts.permissions import scoped
from titrepro.credentials.models import Badge, IssuedDocument


def by_code(code: str) -> IssuedDocument | None:
    """The document numbered ``code`` (normalised: ``codes.normalise``), with what its page shows."""
    return IssuedDocument.objects.select_related("superseded_by", "duplicate_of").filter(code=code).first()


def by_sha256(sha256: str) -> IssuedDocument | None:
    return IssuedDocument.objects.select_related("superseded_by", "duplicate_of").filter(sha256=sha256).first()


def own_documents(user: Any) -> QuerySet[IssuedDocument]:
    """The documents of the candidate the user is (none for another role)."""
    return scoped(user, IssuedDocument.objects.all(), national=False, candidate="holder")


def own_badges(user: Any) -> QuerySet[Badge]:
    """The digital badges of the candidate the user is (none for another role)."""
    return scoped(user, Badge.objects.all(), national=False, candidate="holder")
