"""``titrepro standing FILE.json``: a candidate's standing for a title (docs/standing.md)."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _
from ninja.errors import ValidationError

from titrepro.catalogue.loader import CatalogueFileError, parse_file
from titrepro.catalogue.specs import spec_from_document
from titrepro.catalogue.standing import StandingInputError, answer
from titrepro.core.api import InvalidJson, read_json


class Command(BaseCommand):
    help = "Compute a candidate's standing for a title from a JSON file (- for standard input)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", help="the JSON request, or - for standard input")
        parser.add_argument("--catalogue", type=Path, help="answer against this title file instead of the database")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        try:
            text = sys.stdin.read() if options["file"] == "-" else Path(options["file"]).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("cannot read the file (%(reason)s)") % {"reason": exc}, returncode=2) from None
        try:
            # The API's reading: any depth, any number, no NUL (issue 11, item 9).
            payload = read_json(text.encode("utf-8", "surrogatepass"))
        except InvalidJson as exc:
            raise CommandError(f"{options['file']}: JSON ({exc.problem})", returncode=2) from None
        except ValidationError as exc:
            raise CommandError(f"{options['file']}: {exc.errors[0]['msg']}", returncode=2) from None
        spec = None
        if options["catalogue"]:
            try:
                spec = spec_from_document(parse_file(options["catalogue"]))
            except CatalogueFileError as exc:
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                raise CommandError(
                    _("%(count)d problem(s) found; nothing was written.") % {"count": len(exc.problems)}, returncode=2
                ) from None
        try:
            result = answer(payload, spec)
        except StandingInputError as exc:
            for error in exc.errors:
                self.stderr.write(f"{error['field']}: {error['message']}")
            raise CommandError(_("The request is not valid."), returncode=2) from None
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
