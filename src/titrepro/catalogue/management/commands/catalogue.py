"""``titrepro catalogue load|check|export``: the catalogue of titles from and to YAML."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.catalogue import services
from titrepro.catalogue.loader import CatalogueFileError
from titrepro.catalogue.models import Title


class Command(BaseCommand):
    help = "Load, check or export titles in the catalogue YAML format (docs/catalogue-format.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,check,export}")
        load = actions.add_parser("load", help="load title files (one transaction; nothing written if one is wrong)")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument("--builtin", action="store_true", help="also load the titles shipped with titrepro")
        check = actions.add_parser("check", help="validate title files without writing")
        check.add_argument("files", nargs="+", type=Path)
        export = actions.add_parser("export", help="write one title as YAML")
        export.add_argument("code", help="title code, e.g. TP-01351")
        export.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        action = options["action"]
        try:
            if action == "load":
                files = list(options["files"])
                if options["builtin"]:
                    files += services.builtin_files()
                if not files:
                    raise CommandError(_("Give files to load, or --builtin."), returncode=2)
                report = services.load_files(files)
                self.stdout.write(
                    _("Loaded %(titles)s: %(created)d created, %(updated)d updated, %(deleted)d deleted.")
                    % {
                        "titles": ", ".join(report.titles),
                        "created": report.created,
                        "updated": report.updated,
                        "deleted": report.deleted,
                    }
                )
            elif action == "check":
                documents = services.check_files(options["files"])
                for path, document in zip(options["files"], documents, strict=True):
                    self.stdout.write(
                        _("%(file)s: valid (%(code)s, %(count)d versions).")
                        % {"file": path, "code": document.code, "count": len(document.versions)}
                    )
            else:
                try:
                    text = services.export_title_yaml(options["code"])
                except Title.DoesNotExist:
                    raise CommandError(_("Unknown title %(code)s.") % {"code": options["code"]}, returncode=2) from None
                if options["output"]:
                    options["output"].write_text(text, encoding="utf-8")
                else:
                    sys.stdout.write(text)
        except CatalogueFileError as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)d problem(s) found; nothing was written.") % {"count": len(exc.problems)}, returncode=1
            ) from None
