"""``titrepro documents issue [--minutes PV_ID]``: issue now, in this process, what the validated PVs still have to
issue — after a signing key was missing, say (the worker's batch stops after one retry and leaves the entries to
be issued). Idempotent like the worker: an entry already issued is not issued again."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.credentials import tasks
from titrepro.deliberation.models import DocumentToIssue, IssuanceStatus


class Command(BaseCommand):
    help = "Issue the documents the validated PVs still have to issue."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{issue}")
        issue = actions.add_parser("issue", help="issue the documents still to be issued")
        issue.add_argument("--minutes", type=int, help="only this PV (its id)")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        pending = DocumentToIssue.objects.filter(status=IssuanceStatus.TO_ISSUE)
        if options["minutes"] is not None:
            pending = pending.filter(minutes=options["minutes"])
        issued = failed = 0
        for minutes_id in pending.order_by("minutes").values_list("minutes", flat=True).distinct():
            counts = tasks.issue_pending(minutes_id)
            issued, failed = issued + counts["issued"], failed + counts["failed"]
        self.stdout.write(
            _("%(issued)d documents issued, %(failed)d not issued (see the log).")
            % {"issued": issued, "failed": failed}
        )
        if failed:
            raise SystemExit(1)
