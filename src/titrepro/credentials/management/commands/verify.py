"""``titrepro verify FILE``: what the upload page says of a document's PDF or of a digital badge (its JSON, or
the PNG or SVG it is baked into), from the command line.

It checks the signature and looks the file up in the register (``credentials.verification.verify_any``), prints
the answer in French (and what the document or badge certifies when it is in the register), and exits with the
answer's code: 0 authentic and valid, 1 authentic but superseded, withdrawn, annulled or revoked, 2 not issued by
titrepro, 3 altered after signing, 4 not a readable PDF nor a badge (or no such file).
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
    help = (
        "Check a document's PDF or a digital badge: its signature, and whether the register holds it and it still "
        "stands."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="the PDF, or the badge's JSON, PNG or SVG, to check")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as error:
            self.stderr.write(_("Cannot read %(path)s: %(error)s") % {"path": path, "error": error.strerror})
            sys.exit(verification.Outcome.UNREADABLE)
        verdict = verification.verify_any(data)
        self.stdout.write(verdict.message)
        self.stdout.write(_("SHA-256 of the file: %(sha256)s") % {"sha256": verdict.sha256})
        document = verdict.document
        if verdict.badge is not None:
            achieved = verdict.badge.credential["credentialSubject"]["achievement"]
            self.stdout.write(
                _("Digital badge no. %(number)s: %(name)s (%(code)s), issued by %(authority)s.")
                % {
                    "number": verdict.badge.printed_code,
                    "name": achieved["name"],
                    "code": achieved.get("humanCode", ""),
                    "authority": verdict.badge.authority.name,
                }
            )
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
