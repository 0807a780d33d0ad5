"""Background work of the documents, run by the task worker (``titrepro db_worker``): issuing a validated PV's
documents, and sending each holder theirs (one task per PV for each).

A batch survives its worker: ``issue_documents`` first queues its own successor when entries remain, then issues
them a few at a time (``services.issue_batch``, one transaction each, idempotent). A worker stopped in the middle
leaves the entries not issued yet to the successor; one that finishes leaves the successor nothing to do. Two
workers on the same PV share its entries (each takes one the other does not hold) and never issue twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from titrepro.credentials import services
from titrepro.credentials.models import IssuedDocument, Status
from titrepro.deliberation.models import DocumentToIssue, IssuanceStatus

logger = logging.getLogger(__name__)


def pending(minutes_id: int) -> list[int]:
    """The PV's entries still to be issued, in a stable order."""
    rows = DocumentToIssue.objects.filter(minutes=minutes_id, status=IssuanceStatus.TO_ISSUE)
    return list(rows.order_by("pk").values_list("pk", flat=True))


@task()
def issue_documents(minutes_id: int, previous: int | None = None) -> dict[str, int]:
    """Issue what the PV ``minutes_id`` still has to issue; how many were issued, and failed (the log says why:
    a missing signing key, say — they stay to be issued, for ``titrepro documents issue``).

    ``previous`` is how many were pending when the predecessor queued this run: a successor is queued only when
    the batch moved since (the first run always queues one), so a failure that repeats stops after one retry."""
    entries = pending(minutes_id)
    if not entries:
        return {"issued": 0, "failed": 0}
    if previous is None or len(entries) < previous:
        issue_documents.enqueue(minutes_id, len(entries))  # the successor, for a worker stopped before the end
    return issue_pending(minutes_id)


def issue_pending(minutes_id: int) -> dict[str, int]:
    """Issue the PV's entries still to be issued, a few per transaction (``services.issue_batch``); an entry that
    fails is logged, left to be issued, and passed over."""
    counts = {"issued": 0, "failed": 0}
    failed: list[int] = []
    while (batch := services.issue_batch(minutes_id, skipped=failed)) is not None:
        for entry, why in batch.failed.items():
            logger.error("document entry %s of PV %s not issued: %s", entry, minutes_id, why)
        failed += batch.failed
        counts["issued"] += len(batch.issued)
        counts["failed"] += len(batch.failed)
    if counts["issued"]:
        send_documents.enqueue(minutes_id)  # one task sends what this run issued (and anything not sent yet)
    return counts


@task()
def send_documents(minutes_id: int) -> dict[str, int]:
    """E-mail each holder the PV's documents not sent yet (``send``); how many were sent, had no address."""
    counts: dict[str, int] = {}
    unsent = IssuedDocument.objects.filter(minutes=minutes_id, duplicate_of=None, notified_at=None)
    for pk in unsent.order_by("pk").values_list("pk", flat=True):
        outcome = send(pk)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def send(document_id: int) -> str:
    """E-mail the holder their document, the signed PDF attached, with its verification URL; once."""
    document = IssuedDocument.objects.select_related("holder").filter(pk=document_id).first()
    if document is None or document.notified_at is not None or document.status != Status.VALID:
        return "skipped"
    holder = document.holder
    if holder.email:
        facts = document.data
        with translation.override(settings.LANGUAGE_CODE):
            body = "\n\n".join(
                [
                    _("Hello %(name)s,") % {"name": holder.given_names},
                    _(
                        "Your %(heading)s (%(title)s) is issued: it is attached to this message, signed by %(authority)s."
                    )
                    % {
                        "heading": facts["heading"].lower(),
                        "title": facts["title"]["label"],
                        "authority": facts["authority"]["name"],
                    },
                    _("Anyone may check it at %(url)s (document no. %(number)s).")
                    % {"url": facts["url"], "number": facts["number"]},
                    _("It is also in your candidate space, where you see when it was verified."),
                ]
            )
            message = EmailMessage(
                _("Your %(heading)s") % {"heading": facts["heading"].lower()}, body, to=[holder.email]
            )
        with document.pdf.open("rb") as file:
            message.attach(f"{document.kind}-{document.printed_code}.pdf", file.read(), "application/pdf")
        message.send()
    with transaction.atomic():
        IssuedDocument.objects.filter(pk=document.pk, notified_at=None).update(notified_at=timezone.now())
    return "sent" if holder.email else "no_address"
