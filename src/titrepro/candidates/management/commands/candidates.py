"""``titrepro candidates import FILE --centre CODE`` and ``titrepro candidates export --centre CODE [-o FILE]``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from titrepro.candidates import imports, services
from titrepro.directory.models import ApprovedCentre


class Command(BaseCommand):
    help = "Import candidates from a CSV or XLSX file (docs/candidates-import.md), or export them."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True)
        do_import = commands.add_parser("import", help="check the whole file, then import it (nothing if invalid)")
        do_import.add_argument("file", type=Path)
        do_import.add_argument("--centre", required=True, help="code of the approved centre")
        do_import.add_argument("--check", action="store_true", help="check only, write nothing")
        export = commands.add_parser("export", help="export the centre's candidates in the import template")
        export.add_argument("--centre", required=True, help="code of the approved centre")
        export.add_argument(
            "-o", "--output", type=Path, help="file to write (.csv or .xlsx); standard output if absent"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            centre = ApprovedCentre.objects.get(code=options["centre"])
        except ApprovedCentre.DoesNotExist:
            raise CommandError(f"no approved centre with code {options['centre']}") from None
        if options["action"] == "export":
            output: Path | None = options["output"]
            if output is not None and output.suffix.lower() == ".xlsx":
                output.write_bytes(imports.export_xlsx(centre))
            elif output is not None:
                output.write_bytes(imports.export_csv(centre))
            else:
                self.stdout.write(imports.export_csv(centre).decode("utf-8-sig"), ending="")
            return
        path: Path = options["file"]
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror}") from None
        report = imports.check(centre, path.name, content)
        if report.ok and not options["check"]:
            # The operator acts as the system (actor None), recorded as such in the audit log.
            report = services.import_candidates(None, centre, report, trusted=True)
        if not report.ok:
            self.stderr.write(report.as_text())
            sys.exit(1)
        self.stdout.write(report.as_text())
