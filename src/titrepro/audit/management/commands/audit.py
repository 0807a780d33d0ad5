"""``titrepro audit verify`` and ``titrepro audit checkpoint``.

``verify`` checks the hash chain and every entry's MAC, then compares the log
with the latest checkpoint of the file outside the database: it names every
problem found, with the entries or lines concerned, and exits with status 1.
``checkpoint`` anchors the head of the log in that file (idempotent); run it
from cron if automatic checkpoints are off (docs/decisions/0022).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.audit.services import CheckpointRefused, checkpoint, verification, when


class Command(BaseCommand):
    help = "Check the audit log against its checkpoints, or write a checkpoint of its head."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify,checkpoint}")
        actions.add_parser("verify", help="check the whole chain and compare it with the latest checkpoint")
        actions.add_parser("checkpoint", help="append the head of the log to the checkpoint file")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        if options["action"] == "checkpoint":
            self.checkpoint()
        else:
            self.verify()

    def verify(self) -> None:
        report = verification()
        if report.problems:
            raise CommandError("\n".join(problem.sentence() for problem in report.problems), returncode=1)
        self.stdout.write(_("Audit log intact: %(count)d entries.") % {"count": report.entries})
        if report.checkpoint is not None:
            self.stdout.write(
                _("Latest checkpoint: entry #%(sequence)d, %(date)s (line %(line)d of %(path)s).")
                % {
                    "sequence": report.checkpoint.sequence,
                    "date": when(report.checkpoint.at),
                    "line": report.checkpoint.line,
                    "path": str(report.path),
                }
            )
        elif report.entries:
            self.stdout.write(_("No checkpoint yet: run “titrepro audit checkpoint”."))

    def checkpoint(self) -> None:
        try:
            done = checkpoint()
        except CheckpointRefused as refused:
            raise CommandError(refused.message, returncode=1) from None
        self.stdout.write(done.summary())
