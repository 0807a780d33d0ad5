"""``titrepro verify FILE.pdf``: what the upload page says of a document's file, from the command line.

It checks the PDF's signature and looks its SHA-256 up in the register (``credentials.verification``), prints
the answer in French (and what the document certifies when it is in the register), and exits with the answer's
code: 0 authentic and valid, 1 authentic but superseded, withdrawn or annulled, 2 not issued by titrepro,
3 altered after signing, 4 not a readable PDF (or no such file).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.credentials import verification
from titrepro.credentials.models import Consultation


class Command(BaseCommand):
    help = "Check a document's PDF: its signature, and whether the register holds it and it still stands."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the PDF to check")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            self.stderr.write(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror})
            sys.exit(verification.Outcome.UNREADABLE)
        verdict = verification.verify_file(data)
        self.stdout.write(verdict.message)
        self.stdout.write(_("SHA-256 of the file: %(sha256)s") % {"sha256": verdict.sha256})
        document = verdict.document
        if document is not None:
            with transaction.atomic():
                Consultation.objects.create(document=document, channel=Consultation.Channel.COMMAND)
            facts = document.data
            self.stdout.write(
                _("%(heading)s no. %(number)s: %(holder)s, %(title)s (%(code)s), issued on %(day)s by %(authority)s.")
                % {
                    "heading": facts["heading"],
                    "number": facts["number"],
                    "holder": facts["holder"]["name"],
                    "title": facts["title"]["label"],
                    "code": facts["title"]["code"],
                    "day": facts["issued_on"],
                    "authority": facts["authority"]["name"],
                }
            )
            if document.status_reason:
                self.stdout.write(document.status_reason)
        sys.exit(verdict.outcome)
