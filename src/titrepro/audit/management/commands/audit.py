"""``titrepro audit verify``: check the hash chain of the audit log."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.audit.models import AuditEntry
from titrepro.audit.services import verify


class Command(BaseCommand):
    help = "Check the audit log's hash chain and name the first broken entry."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{verify}")
        actions.add_parser("verify", help="check the whole chain")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        broken = verify()
        if broken is not None:
            raise CommandError(
                _("Audit log broken at entry #%(sequence)d: %(problem)s.")
                % {"sequence": broken.sequence, "problem": broken.message()},
                returncode=1,
            )
        self.stdout.write(_("Audit log intact: %(count)d entries.") % {"count": AuditEntry.objects.count()})
