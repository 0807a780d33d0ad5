"""``titrepro settle``: record the changes that the passing of time makes, as the system.

Approvals past their end expire (R-30); VAE files left undecided two months
after they were complete are accepted by silence (R-21). Each change is one
lifecycle move in the audit log. Pending imports past their hour are deleted
with their file (the worker and each upload do it too). It lives in candidates, the app above
directory in the layers, because it drives both (actor "system"). Run it daily (cron); it is
idempotent: a second run the same day changes nothing.

Last, it anchors the head of the audit log in the checkpoint file (as
``titrepro audit checkpoint`` does), so a daily checkpoint exists even with
automatic checkpoints turned off; a refused checkpoint (the log was cut or
rewritten) makes it exit with status 1, after its own changes are committed.
"""

from __future__ import annotations

from argparse import ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.audit.services import CheckpointRefused, checkpoint
from titrepro.candidates.services import purge_expired_imports, settle_vae_applications
from titrepro.directory.services import expire_approvals


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ArgumentTypeError(_("“%(text)s” is not a date: write it as YYYY-MM-DD.") % {"text": text}) from None


class Command(BaseCommand):
    help = (
        "Expire approvals past their end, record VAE acceptances by silence, and checkpoint the audit log (run daily)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=_day, help="The day to settle (ISO date; default today).")

    def handle(self, *args: Any, **options: Any) -> None:
        on: date = options["on"] or timezone.localdate()
        expired = expire_approvals(on)
        accepted = settle_vae_applications(on)
        purged = purge_expired_imports()  # the worker and each upload purge too; this covers an idle site
        self.stdout.write(
            f"{on.isoformat()}: {expired} approval(s) expired, {accepted} VAE application(s) accepted by silence, "
            f"{purged} expired pending import(s) deleted"
        )
        try:
            done = checkpoint()
        except CheckpointRefused as refused:
            raise CommandError(refused.message, returncode=1) from None
        self.stdout.write(done.summary())
