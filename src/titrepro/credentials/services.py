"""Every write of the register: issuing a document from its "to be issued" entry, and the status changes that the
deliberation decides (a withdrawal after fraud or an appeal, an annulled session).

``issue`` is idempotent: the entry's row is locked, and an entry already issued gives back its document, so a task
that runs twice, two workers on the same PV, or a batch taken up again after a worker was stopped never make a
second original. The PDF is rendered (``content``, Typst), signed by the authority's key (``signing``) and
registered in one transaction; a document that cannot be signed is not issued (``IssuanceError``, nothing written).
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.audit.services import record
from titrepro.candidates.models import Holding, HoldingKind
from titrepro.core import dating, pdf
from titrepro.core.refusals import Refused
from titrepro.credentials import badges, codes, content, data_integrity, keys, linked_data, signing
from titrepro.credentials.models import (
    STATUS_LIST_BITS,
    Badge,
    IssuedDocument,
    Kind,
    Status,
    StatusList,
)
from titrepro.deliberation.models import DocumentToIssue, IssuanceStatus

TEMPLATE = "certificate"


class IssuanceError(Exception):
    """The document of an entry could not be issued (no signing key for its authority, a rendering error); the
    entry stays to be issued, nothing is written. English, for the worker's log."""


def _render(facts: dict[str, Any], departement: str, *, duplicate_of: str = "") -> bytes:
    try:
        key = keys.signing_key(departement)
    except keys.NoSigningKey as error:
        raise IssuanceError(str(error)) from error
    try:
        unsigned = pdf.render(TEMPLATE, content.pdf_data(facts, duplicate_of=duplicate_of))
    except pdf.PdfError as error:
        raise IssuanceError(str(error)) from error
    authority = facts["authority"]
    return signing.sign(
        unsigned,
        key,
        name=authority["signatory_name"] or authority["name"],
        reason=_("%(heading)s no. %(number)s") % {"heading": facts["heading"], "number": facts["number"]},
        location=authority["name"],
    )


def _credential_key(departement: str) -> keys.CredentialKey:
    try:
        return keys.credential_key(departement)
    except keys.NoSigningKey as error:
        raise IssuanceError(str(error)) from error


def _supersede(document: IssuedDocument, on: datetime.date) -> list[int]:
    """What a new document replaces: the attestation de réussite of the same result (same registration, same PV);
    and, for a livret or a parchemin, the holder's earlier livrets of the title (the title completed, the
    livret's CCPs are in the parchemin)."""
    if document.kind == Kind.ATTESTATION:
        return []
    replaced = Q(registration=document.registration_id, minutes=document.minutes_id, kind=Kind.ATTESTATION)
    if document.kind in (Kind.LIVRET, Kind.PARCHEMIN):
        replaced |= Q(holder=document.holder_id, title=document.title_id, kind=Kind.LIVRET)
    earlier = IssuedDocument.objects.filter(replaced, status=Status.VALID).exclude(pk=document.pk)
    ids = list(earlier.values_list("pk", flat=True))
    if not ids:
        return []
    reason = _("Replaced by the %(kind)s no. %(number)s.") % {
        "kind": document.get_kind_display().lower(),
        "number": document.printed_code,
    }
    IssuedDocument.objects.filter(pk__in=ids).update(
        status=Status.SUPERSEDED, status_changed_on=on, status_reason=reason, superseded_by=document
    )
    return ids


def _stood_for(entry: DocumentToIssue) -> bool:
    """Whether the document an attestation stands for was issued already (the attestation's entry failed, say, and
    the other did not): then the attestation is not needed."""
    return (
        entry.kind == Kind.ATTESTATION
        and IssuedDocument.objects.filter(registration=entry.registration_id, minutes=entry.minutes_id)
        .exclude(kind=Kind.ATTESTATION)
        .exists()
    )


ENTRY_RELATED = ("minutes", "registration__session__centre__authority", "registration__session__version")


def issue(entry_id: int) -> IssuedDocument | None:
    """The document of the "to be issued" entry ``entry_id``: issued now, or the one issued before; ``None`` for
    an entry cancelled (the result withdrawn before it was issued). Raises ``IssuanceError``."""
    with transaction.atomic():
        entry = DocumentToIssue.objects.select_for_update(of=("self",)).select_related(*ENTRY_RELATED).get(pk=entry_id)
        return _issue_locked(entry, StatusLists())


BATCH = 10  # entries issued in one transaction: one commit (and one audit checkpoint) for ten documents


@dataclass(frozen=True)
class Batch:
    issued: list[IssuedDocument]
    failed: dict[int, str]  # entry id -> why (English, for the log)


def issue_batch(minutes_id: int, skipped: Collection[int] = (), size: int = BATCH) -> Batch | None:
    """Issue up to ``size`` entries of the PV still to be issued that no other worker holds (``SKIP LOCKED`` on
    PostgreSQL: two workers on one PV share its entries instead of waiting on each other), ``skipped`` aside, in
    one transaction; ``None`` when none is left. An entry that cannot be issued (``IssuanceError``: raised before
    anything of it is written) is reported and passed over; any other error rolls the batch back, its files
    with it."""
    written: list[IssuedDocument] = []
    try:
        with transaction.atomic():
            entries = list(
                DocumentToIssue.objects.select_for_update(of=("self",), skip_locked=True)
                .select_related(*ENTRY_RELATED)
                .filter(minutes=minutes_id, status=IssuanceStatus.TO_ISSUE)
                .exclude(pk__in=list(skipped))
                .order_by("pk")[:size]
            )
            if not entries:
                return None
            failed: dict[int, str] = {}
            lists = StatusLists()
            for entry in entries:
                try:
                    with transaction.atomic():  # a savepoint: an entry that fails leaves nothing of it
                        document = _issue_locked(entry, lists)
                except IssuanceError as error:
                    failed[entry.pk] = str(error)
                    continue
                if document is not None:
                    written.append(document)
            return Batch(written, failed)
    except BaseException:
        for document in written:  # the transaction rolled back: no file without its register entry
            document.pdf.delete(save=False)
        raise


def _issue_locked(entry: DocumentToIssue, lists: StatusLists) -> IssuedDocument | None:
    """``issue`` of an entry whose row the transaction holds: the document, and the badges of what it proves."""
    if entry.status == IssuanceStatus.CANCELLED:
        return None
    if entry.status == IssuanceStatus.ISSUED:  # the entry and its document are written in one transaction
        return IssuedDocument.objects.filter(source=entry, duplicate_of=None).first()
    if _stood_for(entry):
        entry.status = IssuanceStatus.CANCELLED
        entry.cancel_reason = _("The document this attestation stood for was issued first.")
        entry.save(update_fields=["status", "cancel_reason"])
        return None
    session = entry.registration.session
    authority = session.centre.authority
    code = codes.new_code()
    today = dating.today()
    facts = content.printed(entry, code, today)
    credential_key = _credential_key(authority.departement) if entry.kind != Kind.ATTESTATION else None
    signed = _render(facts, authority.departement)
    document = IssuedDocument(
        code=code,
        kind=entry.kind,
        source=entry,
        holder_id=entry.registration.candidate_id,
        registration=entry.registration,
        minutes=entry.minutes,
        title_id=session.version.title_id,
        version=session.version,
        authority=authority,
        data=facts,
        sha256=hashlib.sha256(signed).hexdigest(),
    )
    document.pdf.save(f"{code}.pdf", ContentFile(signed), save=False)
    try:
        document.save(force_insert=True)
        superseded = _supersede(document, today)
        issued_badges = _issue_badges(document, credential_key, lists) if credential_key is not None else []
        entry.status = IssuanceStatus.ISSUED
        entry.save(update_fields=["status"])
        record(
            actor=None,
            action="document.issued",
            target=document,
            data={
                "kind": document.kind,
                "entry": entry.pk,
                "minutes": entry.minutes.number,
                "holder": document.holder_id,
                "sha256": document.sha256,
                "superseded": superseded,
                "badges": [badge.pk for badge in issued_badges],
            },
        )
    except BaseException:
        document.pdf.delete(save=False)  # the transaction rolls back: no file without its register entry
        raise
    return document


# The digital badges --------------------------------------------------------------------------------------------------

FILL = STATUS_LIST_BITS // 2  # a list takes new entries until half full: a random index is then free at once


class StatusLists:
    """Where a batch puts the status entries of its badges: each authority's latest list, at random indexes (a
    list then tells nothing of the order of issue), a new list once it is half full. The list and the indexes
    it has given out are read once per batch; the unique constraint on (list, index) stands behind them."""

    def __init__(self) -> None:
        self.current: dict[int, tuple[StatusList, set[int]]] = {}
        self.achievements: dict[tuple[int, int | None, int | None], dict[str, Any]] = {}

    @staticmethod
    def _taken(status_list: StatusList) -> set[int]:
        return set(Badge.objects.filter(status_list=status_list).values_list("status_index", flat=True))

    def _latest(self, authority_id: int) -> tuple[StatusList, set[int]]:
        latest = StatusList.objects.filter(authority=authority_id).order_by("-number").first()
        if latest is None:
            latest, _created = StatusList.objects.get_or_create(authority_id=authority_id, number=1)
        return latest, self._taken(latest)

    def entry(self, authority_id: int) -> tuple[StatusList, int]:
        status_list, taken = self.current.get(authority_id) or self._latest(authority_id)
        if len(taken) >= FILL:
            status_list, _created = StatusList.objects.get_or_create(
                authority_id=authority_id, number=status_list.number + 1
            )
            taken = self._taken(status_list)
        index = secrets.randbelow(STATUS_LIST_BITS)
        while index in taken:
            index = secrets.randbelow(STATUS_LIST_BITS)
        taken.add(index)
        self.current[authority_id] = (status_list, taken)
        return status_list, index

    def achievement(self, holding: Holding) -> dict[str, Any]:
        key = (holding.version_id, holding.ccp_id, holding.ccs_id)
        if key not in self.achievements:
            self.achievements[key] = badges.achievement(holding.version, holding.ccp, holding.ccs)
        return self.achievements[key]


BADGED = {
    Kind.PARCHEMIN: [HoldingKind.TITLE, HoldingKind.CCP],
    Kind.LIVRET: [HoldingKind.CCP],
    Kind.CCS: [HoldingKind.CCS],
}


def _issue_badges(document: IssuedDocument, key: keys.CredentialKey, lists: StatusLists) -> list[Badge]:
    """A badge for each holding of the title that ``document`` proves and that has none yet: the title and its
    CCPs for a parchemin, the CCPs for a livret, the CCS for its certificate. Signed by the authority's Ed25519
    key; raises ``IssuanceError`` when a credential cannot be signed safely (the savepoint then drops it all)."""
    holdings = (
        Holding.objects.filter(
            candidate=document.holder_id,
            version__title=document.title_id,
            kind__in=BADGED.get(Kind(document.kind), []),
            withdrawn_on=None,
            badge__isnull=True,
        )
        .select_related("version__title", "ccp", "ccs")
        .order_by("kind", "ccp__number", "pk")
    )
    authority = document.authority
    method = badges.verification_method(authority.departement, key.public_key)
    issued: list[Badge] = []
    for holding in holdings:
        code = codes.new_code()
        status_list, index = lists.entry(authority.pk)
        now = timezone.now()
        unsigned = badges.credential(
            code=code,
            kind=holding.kind,
            holder_name=document.data["holder"]["name"],
            departement=authority.departement,
            authority_name=authority.name,
            achieved=lists.achievement(holding),
            awarded_on=holding.obtained_on,
            evidence_url=document.data["url"],
            minutes=document.data["minutes"],
            status=(status_list.number, index),
            issued_at=now,
        )
        try:
            signed = data_integrity.sign(unsigned, key.private_key, method, badges.timestamp(now))
        except linked_data.Unsafe as error:
            raise IssuanceError(f"the badge of holding {holding.pk} cannot be signed safely: {error}") from error
        badge = Badge(
            code=code,
            kind=holding.kind,
            document=document,
            holding=holding,
            holder_id=document.holder_id,
            authority=authority,
            version=holding.version,
            ccp=holding.ccp,
            ccs=holding.ccs,
            credential=signed,
            status_list=status_list,
            status_index=index,
            issued_at=now,
        )
        badge.save(force_insert=True)
        issued.append(badge)
    return issued


def revoke_badges(holders: Iterable[int], on: datetime.date, reason: str, user: Any) -> list[int]:
    """The badges of ``holders`` whose holding was withdrawn are revoked: their bits set in their status lists
    (each list locked and written once), the day and reason kept; the ids revoked."""
    revoked = list(
        Badge.objects.filter(holder__in=list(holders), revoked_on=None, holding__withdrawn_on__isnull=False)
        .select_related("holding")
        .order_by("status_list", "status_index")
    )
    if not revoked:
        return []
    by_list: dict[int, list[int]] = {}
    for badge in revoked:
        by_list.setdefault(badge.status_list_id, []).append(badge.status_index)
    for status_list in StatusList.objects.select_for_update().filter(pk__in=list(by_list)).order_by("pk"):
        bits = bytearray(bytes(status_list.bits))
        for index in by_list[status_list.pk]:
            bits[index // 8] |= 0x80 >> (index % 8)
        status_list.bits = bytes(bits)
        status_list.changed_at = timezone.now()
        status_list.save(update_fields=["bits", "changed_at"])
    ids = [badge.pk for badge in revoked]
    Badge.objects.filter(pk__in=ids).update(revoked_on=on, revoked_reason=reason)
    for badge in revoked:
        record(
            actor=user,
            action="badge.revoked",
            target=badge,
            reason=reason,
            data={
                "kind": badge.kind,
                "holding": badge.holding_id,
                "status": [badge.status_list_id, badge.status_index],
            },
        )
    return ids


def duplicate(user: Any, document: IssuedDocument) -> IssuedDocument:
    """A duplicata of a valid original, at its holder's request: the same facts, its own number, printed
    "Duplicata du document n° …", signed by the same authority; it stands or falls with the original (``revoke``).
    The scope check is the caller's (the holder's own documents)."""
    with transaction.atomic():
        original = IssuedDocument.objects.select_for_update().select_related("authority").get(pk=document.pk)
        if original.duplicate_of_id is not None:
            original = (
                IssuedDocument.objects.select_for_update().select_related("authority").get(pk=original.duplicate_of_id)
            )
        if original.kind == Kind.ATTESTATION:
            raise Refused(
                "duplicate_of_attestation",
                _(
                    "An attestation de réussite is provisional and has no duplicate: ask for one of the document it "
                    "stands for."
                ),
            )
        if original.status != Status.VALID:
            raise Refused(
                "duplicate_of_invalid_document",
                _("Only a valid document has a duplicate: this one is %(status)s.")
                % {"status": original.get_status_display().lower()},
            )
        code = codes.new_code()
        facts = {**original.data, "number": codes.grouped(code), "url": content.verification_url(code)}
        signed = _render(facts, original.authority.departement, duplicate_of=original.printed_code)
        copy = IssuedDocument(
            code=code,
            kind=original.kind,
            duplicate_of=original,
            holder_id=original.holder_id,
            registration_id=original.registration_id,
            minutes_id=original.minutes_id,
            title_id=original.title_id,
            version_id=original.version_id,
            authority=original.authority,
            data=facts,
            sha256=hashlib.sha256(signed).hexdigest(),
        )
        copy.pdf.save(f"{code}.pdf", ContentFile(signed), save=False)
        try:
            copy.save(force_insert=True)
            record(
                actor=user,
                action="document.duplicated",
                target=copy,
                data={"original": original.pk, "kind": copy.kind, "sha256": copy.sha256},
            )
        except BaseException:
            copy.pdf.delete(save=False)
            raise
    return copy


def revoke(entries: Iterable[int], status: str, reason: str, on: datetime.date, user: Any) -> list[int]:
    """The documents issued for these entries no longer stand: withdrawn (R-80, R-82) or annulled with the session
    (R-81), with the reason; the verification says so at once. The rows stay; the ids changed."""
    chosen = Status(status)
    documents = IssuedDocument.objects.select_for_update().filter(source__in=list(entries)).exclude(status=chosen)
    changed = list(documents.values_list("pk", flat=True))
    if not changed:
        return []
    IssuedDocument.objects.filter(pk__in=changed).update(status=chosen, status_changed_on=on, status_reason=reason)
    # A duplicata stands or falls with its original.
    duplicates = list(IssuedDocument.objects.filter(duplicate_of__in=changed).values_list("pk", flat=True))
    IssuedDocument.objects.filter(pk__in=duplicates).update(status=chosen, status_changed_on=on, status_reason=reason)
    holders: set[int] = set()
    for document in IssuedDocument.objects.filter(pk__in=changed + duplicates):
        holders.add(document.holder_id)
        record(
            actor=user,
            action=f"document.{chosen.value}",
            target=document,
            reason=reason,
            data={"kind": document.kind, "entry": document.source_id, "duplicate_of": document.duplicate_of_id},
        )
    revoke_badges(holders, on, reason, user)
    return changed + duplicates


def issued_revoked(sender: Any, *, entries: list[int], status: str, reason: str, on: Any, user: Any, **_: Any) -> None:
    """``deliberation.signals.issued_documents_revoked``: ``revoke`` in the deliberation's transaction."""
    revoke(entries, status, reason, on, user)


def documents_queued(sender: Any, *, minutes: Any, **_: Any) -> None:
    """``deliberation.signals.documents_queued``: issue them by the worker once the validation commits."""
    from titrepro.credentials import tasks

    minutes_id = minutes.pk
    transaction.on_commit(lambda: tasks.issue_documents.enqueue(minutes_id))
