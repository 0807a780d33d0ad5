"""``titrepro catalogue load|check|export|import-rncp``: the catalogue of titles from and to YAML, and from the
RNCP's open-data export (docs/rncp-import.md)."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from titrepro.catalogue import rncp, rncp_import, services
from titrepro.catalogue.loader import CatalogueFileError
from titrepro.catalogue.models import Title


class Command(BaseCommand):
    help = "Load, check or export titles in the catalogue YAML format (docs/catalogue-format.md)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{load,check,export,import-rncp}")
        load = actions.add_parser("load", help="load title files (one transaction; nothing written if one is wrong)")
        load.add_argument("files", nargs="*", type=Path)
        load.add_argument("--builtin", action="store_true", help="also load the titles shipped with titrepro")
        check = actions.add_parser("check", help="validate title files without writing")
        check.add_argument("files", nargs="+", type=Path)
        export = actions.add_parser("export", help="write one title as YAML")
        export.add_argument("code", help="title code, e.g. TP-01351")
        export.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
        rncp = actions.add_parser(
            "import-rncp", help="load every titre professionnel of an RNCP export (the ZIP of CSV files, or the XML)"
        )
        rncp.add_argument("export", type=Path, help="the export: export-fiches-csv-AAAA-MM-JJ.zip, or the XML")
        rncp.add_argument("--dry-run", action="store_true", help="show what would be created, changed and closed")
        rncp.add_argument("--out", type=Path, help="only write the YAML files of the titles into this folder")
        rncp.add_argument("--codes", type=Path, help="mapping file: one RNCP code;TP code pair per line")

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
            elif action == "import-rncp":
                self.import_rncp(options)
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

    def import_rncp(self, options: dict[str, Any]) -> None:
        export = rncp.read_export(options["export"])
        codes = rncp_import.read_codes(options["codes"]) if options["codes"] else None
        plan = rncp_import.plan(export, codes=codes)
        if options["out"]:
            rncp_import.parsed(plan)  # the files written are files the loader accepts
            written = rncp_import.write_files(plan, options["out"])
            self.write_report(plan.report)
            self.stdout.write(
                _("%(count)d file(s) written in %(folder)s; nothing was loaded.")
                % {"count": len(written), "folder": options["out"]}
            )
            return
        if options["dry_run"]:
            rncp_import.parsed(plan)
            self.write_report(plan.report)
            self.stdout.write(_("Dry run: nothing was written."))
            return
        kept = rncp_import.apply(plan)
        self.write_report(plan.report)
        self.stdout.write(
            _("Loaded: %(created)d rows created, %(updated)d updated, %(deleted)d deleted (catalogue update %(id)d).")
            % {"created": kept.created, "updated": kept.updated, "deleted": kept.deleted, "id": kept.pk}
        )

    def write_report(self, report: dict[str, Any]) -> None:
        counts = report["counts"]
        self.stdout.write(
            _(
                "%(name)s: %(fiches)d fiches, %(ministry)d of the ministry; %(titles)d titles: %(created)d new, "
                "%(changed)d changed; %(differences)d difference(s) with confirmed data."
            )
            % {"name": report["export"]["name"], **counts}
        )
        for title in report["titles"]:
            if not title["changes"] and not title["differences"]:
                continue
            self.stdout.write(f"{title['code']} {title['label']}")
            for change in title["changes"]:
                self.stdout.write(f"  + {rncp_import.describe(change)}")
            for difference in title["differences"]:
                self.stdout.write(f"  ≠ {rncp_import.describe_difference(difference)}")
        for skip in report["skipped"]:
            self.stdout.write(f"  – {rncp_import.describe_skip(skip)}")
