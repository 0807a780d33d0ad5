"""Import and export of candidates: CSV (UTF-8, with or without BOM, ``;`` or ``,``) and XLSX.

The template is documented in docs/candidates-import.md. ``check`` reads the
whole file and lists every bad row with its line number and a French reason;
``write`` (called by ``services.import_candidates`` in one transaction) writes
everything or nothing. A person already in the centre (same ``identity_key``)
is not created again, so importing the same file twice creates nothing the
second time.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.candidates.models import Candidate, Pathway, Route, fold, identity_key
from titrepro.catalogue.models import Title
from titrepro.core.spreadsheets import csv_bytes, xlsx_bytes
from titrepro.core.values import birth_date_problem, normalise_phone, phone_problem, text_problem
from titrepro.directory.models import ApprovedCentre

COLUMNS = (
    "nom_naissance",
    "nom_usage",
    "prenoms",
    "date_naissance",
    "lieu_naissance",
    "courriel",
    "telephone",
    "titre",
    "parcours",
    "organisme_formation",
    "debut_formation",
    "fin_formation",
)
REQUIRED = ("nom_naissance", "prenoms", "date_naissance", "lieu_naissance")
ROUTE_WORDS = {
    "formation": Route.TRAINING,
    "apprentissage": Route.APPRENTICESHIP,
    "vae": Route.VAE,
    "capitalisation": Route.ACCUMULATION,
}
WORD_OF_ROUTE = {route: word for word, route in ROUTE_WORDS.items()}
MAX_LENGTHS = {
    "nom_naissance": 150,
    "nom_usage": 150,
    "prenoms": 200,
    "lieu_naissance": 200,
    "courriel": 254,
    "telephone": 30,
    "organisme_formation": 200,
}
# The identity columns checked like the model's fields (core.values), so the import, the form and the API agree.
TEXT_COLUMNS = ("nom_naissance", "nom_usage", "prenoms", "lieu_naissance", "organisme_formation")
DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
MAX_FILE_BYTES = 50 * 1024 * 1024
BATCH = 2000
# A hostile XLSX (issue 11, item 6) is refused from its ZIP directory before openpyxl parses anything:
# an XLSX holds about ten parts; real spreadsheets compress 5 to 20 times, never hundreds of times.
XLSX_MAX_MEMBERS = 100
XLSX_MAX_RATIO = 100
XLSX_RATIO_FROM_BYTES = 1024 * 1024
# Python's expat (2.5) re-reads an unfinished token on each 16 KB it is fed: a comment or a tag of
# N bytes costs N² (20 MB: 10 s). A spreadsheet writes no comment, DOCTYPE, CDATA or processing
# instruction after the XML declaration, and no tag or text longer than a cell (32,767 characters).
XLSX_MAX_MARKUP_STRETCH = 1024 * 1024


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    message: str


@dataclass(frozen=True)
class Row:
    line: int
    key: str
    birth_name: str
    usual_name: str
    given_names: str
    birth_date: date
    birth_place: str
    email: str
    phone: str
    title_id: int | None
    route: str
    provider_name: str
    started_on: date | None
    ended_on: date | None


@dataclass
class ImportReport:
    """What a file holds and what importing it does (or did)."""

    filename: str
    rows: int = 0
    file_errors: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    to_create: int = 0
    already_present: int = 0
    pathways_to_create: int = 0
    created: int = 0
    pathways_created: int = 0
    committed: bool = False
    valid_rows: list[Row] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.errors

    @property
    def bad_lines(self) -> list[int]:
        return sorted({error.line for error in self.errors})

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "valid": self.ok,
            "committed": self.committed,
            "rows": self.rows,
            "file_errors": self.file_errors,
            "errors": [{"line": e.line, "column": e.column, "message": e.message} for e in self.errors],
            "warnings": [{"line": w.line, "column": w.column, "message": w.message} for w in self.warnings],
            "to_create": self.to_create,
            "already_present": self.already_present,
            "pathways_to_create": self.pathways_to_create,
            "created": self.created,
            "pathways_created": self.pathways_created,
        }

    def as_text(self) -> str:
        lines = [
            _("File %(name)s: %(rows)s rows.") % {"name": self.filename, "rows": self.rows},
            *self.file_errors,
            *(
                _("Line %(line)s, column %(column)s: %(message)s")
                % {"line": e.line, "column": e.column or "—", "message": e.message}
                for e in self.errors
            ),
            *(
                _("Line %(line)s (warning): %(message)s") % {"line": w.line, "message": w.message}
                for w in self.warnings
            ),
        ]
        if not self.ok:
            lines.append(
                _("%(count)s rows have errors: nothing was imported.") % {"count": len(self.bad_lines)}
                if self.errors
                else _("Nothing was imported.")
            )
        elif self.committed:
            lines.append(
                _("%(created)s candidates created, %(present)s already present, %(pathways)s pathways created.")
                % {"created": self.created, "present": self.already_present, "pathways": self.pathways_created}
            )
        else:
            lines.append(
                _("The file is valid: %(create)s candidates to create, %(present)s already present.")
                % {"create": self.to_create, "present": self.already_present}
            )
        return "\n".join(lines)


# --- reading ------------------------------------------------------------------------


def _header(name: Any) -> str:
    return fold(str(name or "")).replace(" ", "_")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(name: str, content: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The header and the rows (with their line number) of a CSV or XLSX file; ValueError in French."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    return _read_csv(content)


def _read_csv(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(_("The file is not encoded in UTF-8: save it as “CSV UTF-8” and try again.")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise ValueError(_("The file is empty.")) from None

    limit = max_rows() + 1

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for values in reader:
                if reader.line_num > limit:
                    raise _too_many_rows()
                yield reader.line_num, values
        except csv.Error as exc:
            raise ValueError(_("The file is not valid CSV near line %(line)s.") % {"line": reader.line_num}) from exc

    return [_header(h) for h in header], rows()


class FileProblem(ValueError):
    """A problem with the whole file, in French (ValueError, as every file error here)."""


def max_rows() -> int:
    return int(settings.TITREPRO_IMPORT_MAX_ROWS)


def _too_many_rows() -> FileProblem:
    return FileProblem(_("The file has more than %(count)s rows: split it into several files.") % {"count": max_rows()})


def check_xlsx_archive(content: bytes) -> None:
    """Refuse, from the ZIP alone, a workbook that would take too long or too much memory to parse.

    Each part's declared uncompressed size is a bound zipfile itself enforces while reading (it
    stops there and the CRC check fails), so reading at most that many bytes is safe.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
    part_cap = int(settings.TITREPRO_IMPORT_MAX_PART_BYTES)
    if len(members) > XLSX_MAX_MEMBERS:
        raise ValueError(_("The workbook holds too many parts to be a spreadsheet of candidates."))
    for member in members:
        if member.file_size > part_cap:
            raise ValueError(
                _("A sheet of the workbook is too large once uncompressed: %(size)s MB at most.")
                % {"size": part_cap // (1024 * 1024)}
            )
        if member.file_size > XLSX_RATIO_FROM_BYTES and member.file_size > XLSX_MAX_RATIO * max(
            member.compress_size, 1
        ):
            raise ValueError(_("The workbook is compressed in a way no spreadsheet writes: it is refused."))
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        try:
            with archive.open(member) as part:
                data = part.read(part_cap + 1)
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError) as exc:
            raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
        _check_markup(data)


def _check_markup(data: bytes) -> None:
    """No comment, DOCTYPE (entities), CDATA or processing instruction, no tag or text over the stretch."""
    body = data.removeprefix(b"\xef\xbb\xbf").lstrip()
    start = body.find(b"?>") + 2 if body.startswith(b"<?xml") else 0
    # A NUL byte: not UTF-8 XML (a UTF-16 part would hide its markup from this check).
    if b"\x00" in body or body.find(b"<!", start) >= 0 or body.find(b"<?", start) >= 0:
        raise ValueError(
            _("The workbook contains XML that spreadsheets do not write (a comment or a document type): it is refused.")
        )
    # "<" never appears inside a tag or an attribute value, so a long tag is a long stretch without "<".
    if len(data) > XLSX_MAX_MARKUP_STRETCH and max(map(len, data.split(b"<"))) > XLSX_MAX_MARKUP_STRETCH:
        raise ValueError(_("The workbook contains a value or a tag far longer than any cell: it is refused."))


def _read_xlsx(content: bytes) -> tuple[list[str], Iterator[tuple[int, list[Any]]]]:
    """The first sheet, only the expected columns, never padded to the sheet's declared dimension."""
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    check_xlsx_archive(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
    # The <dimension> element is the writer's claim (A1:XFD1048576 in a 1.5 KB file): ignore it.
    sheet.reset_dimensions()
    # One column more than the template, so an unknown or stray column is still seen.
    width = len(COLUMNS) + 1
    try:
        first = next(sheet.iter_rows(min_row=1, max_row=1, max_col=width, values_only=True), ())
    except Exception as exc:
        raise ValueError(_("The file is not a readable XLSX workbook.")) from exc
    header = [_header(h) for h in first]
    while header and not header[-1]:
        header.pop()
    if not header:
        workbook.close()
        raise ValueError(_("The file is empty."))
    limit = max_rows() + 1  # the header is line 1

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            iterator = sheet.iter_rows(min_row=2, max_col=min(width, len(header) + 1), values_only=True)
            for number, values in enumerate(iterator, start=2):
                if number > limit:
                    raise _too_many_rows()
                yield number, [_cell(v) for v in values]
        except FileProblem:
            raise
        except Exception as exc:  # openpyxl's own errors (ValueError among them) are not in French
            raise FileProblem(_("The file is not a readable XLSX workbook.")) from exc
        finally:
            workbook.close()

    return header, rows()


def estimated_rows(name: str, content: bytes) -> int | None:
    """How many rows a file holds, cheaply, for a progress bar (CSV: its lines; XLSX: unknown)."""
    if content[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx"):
        return None
    return max(content.count(b"\n") - 1, 0) + (0 if content.endswith(b"\n") else 1)


def _parse_date(value: Any) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    match = DATE_FR.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = DATE_ISO.match(text)
        if not match:
            raise ValueError(_("“%(value)s” is not a date (write DD/MM/YYYY).") % {"value": text})
        year, month, day = (int(g) for g in match.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(_("“%(value)s” is not a date that exists.") % {"value": text}) from None


# --- checking -----------------------------------------------------------------------


Progress = Callable[[int], None]
PROGRESS_EVERY = 500


def check(
    centre: ApprovedCentre,
    name: str,
    content: bytes,
    *,
    today: date | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Read and check the whole file; nothing is written. ``progress(rows)`` is called every 500 rows
    (it may raise to stop the check: the task's time limit)."""
    report = ImportReport(filename=name)
    if len(content) > MAX_FILE_BYTES:
        report.file_errors.append(_("The file is too large: 50 MB at most."))
        return report
    try:
        header, rows = read_table(name, content)
        missing = [column for column in REQUIRED if column not in header]
        if missing:
            report.file_errors.append(
                _("Required columns are missing: %(columns)s (see the template).") % {"columns": ", ".join(missing)}
            )
            return report
        unknown = [column for column in header if column and column not in COLUMNS]
        if unknown:
            report.file_errors.append(
                _("Unknown columns: %(columns)s (see the template).") % {"columns": ", ".join(unknown)}
            )
            return report
        _check_rows(report, centre, header, rows, today or timezone.localdate(), progress)
    except ValueError as exc:
        report.file_errors.append(str(exc))
        return report
    if report.rows == 0 and not report.file_errors:
        report.file_errors.append(_("The file has no candidate rows."))
    if report.ok:
        _compare_with_database(report, centre)
    return report


def _check_rows(
    report: ImportReport,
    centre: ApprovedCentre,
    header: list[str],
    rows: Iterable[tuple[int, list[Any]]],
    today: date,
    progress: Progress | None = None,
) -> None:
    titles = {code.upper(): pk for pk, code in Title.objects.values_list("pk", "code")}
    positions = [(i, column) for i, column in enumerate(header) if column]
    seen: dict[str, int] = {}
    seen_pathways: dict[tuple[str, int | None, str], int] = {}
    errors = report.errors
    for line, values in rows:
        if not any(v not in ("", None) for v in values):
            continue
        report.rows += 1
        if progress is not None and report.rows % PROGRESS_EVERY == 0:
            progress(report.rows)
        cells: dict[str, Any] = dict.fromkeys(COLUMNS, "")
        for i, column in positions:
            if i < len(values):
                cells[column] = values[i] if isinstance(values[i], date) else str(values[i]).strip()
        if len(values) > len(header) and any(str(v).strip() for v in values[len(header) :]):
            errors.append(RowError(line, "", _("more values than columns (a separator inside a value?)")))
        before = len(errors)

        for column in REQUIRED:
            if cells[column] == "":
                errors.append(RowError(line, column, _("this column is required")))
        for column, length in MAX_LENGTHS.items():
            if len(str(cells[column])) > length:
                errors.append(RowError(line, column, _("at most %(n)s characters") % {"n": length}))

        birth_date: date | None = None
        if cells["date_naissance"] != "":
            try:
                birth_date = _parse_date(cells["date_naissance"])
            except ValueError as exc:
                errors.append(RowError(line, "date_naissance", str(exc)))
            else:
                problem = birth_date_problem(birth_date)
                if problem:
                    errors.append(RowError(line, "date_naissance", problem))
                    birth_date = None
        if cells["courriel"]:
            try:
                validate_email(cells["courriel"])
            except ValidationError:
                errors.append(RowError(line, "courriel", _("this is not a valid e-mail address")))
        if problem := phone_problem(str(cells["telephone"])):
            errors.append(RowError(line, "telephone", problem))
        for column in TEXT_COLUMNS:
            if problem := text_problem(str(cells[column])):
                errors.append(RowError(line, column, problem))

        title_id: int | None = None
        route = ""
        if cells["titre"]:
            title_id = titles.get(str(cells["titre"]).upper())
            if title_id is None:
                errors.append(
                    RowError(
                        line,
                        "titre",
                        _("unknown title %(code)s (write its code, e.g. TP-01351)") % {"code": cells["titre"]},
                    )
                )
        if cells["parcours"]:
            found = ROUTE_WORDS.get(fold(str(cells["parcours"])))
            if found is None:
                errors.append(
                    RowError(
                        line,
                        "parcours",
                        _("unknown route “%(value)s” (formation, apprentissage, vae or capitalisation)")
                        % {"value": cells["parcours"]},
                    )
                )
            else:
                route = found.value
        if bool(cells["titre"]) != bool(cells["parcours"]):
            errors.append(RowError(line, "parcours", _("give the title and the route together, or neither")))
        dates: dict[str, date | None] = dict.fromkeys(("debut_formation", "fin_formation"))
        for column in dates:
            if cells[column] != "":
                if not cells["titre"]:
                    errors.append(RowError(line, column, _("a pathway date needs a title and a route")))
                try:
                    dates[column] = _parse_date(cells[column])
                except ValueError as exc:
                    errors.append(RowError(line, column, str(exc)))
        started_on, ended_on = dates["debut_formation"], dates["fin_formation"]
        if started_on and ended_on and ended_on < started_on:
            errors.append(RowError(line, "fin_formation", _("the pathway ends before it starts")))

        if len(errors) > before or birth_date is None:
            continue
        key = identity_key(cells["nom_naissance"], cells["prenoms"], birth_date)
        pathway_key = (key, title_id, route)
        if pathway_key in seen_pathways:
            errors.append(
                RowError(
                    line,
                    "",
                    _("the same row as line %(line)s (same person, title and route)")
                    % {"line": seen_pathways[pathway_key]},
                )
            )
            continue
        seen_pathways[pathway_key] = line
        seen.setdefault(key, line)
        report.valid_rows.append(
            Row(
                line=line,
                key=key,
                birth_name=cells["nom_naissance"],
                usual_name=cells["nom_usage"],
                given_names=cells["prenoms"],
                birth_date=birth_date,
                birth_place=cells["lieu_naissance"],
                email=cells["courriel"],
                phone=normalise_phone(str(cells["telephone"])),
                title_id=title_id,
                route=route,
                provider_name=cells["organisme_formation"],
                started_on=started_on,
                ended_on=ended_on,
            )
        )


def _chunks[T](items: list[T], size: int = 5000) -> Iterator[list[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _compare_with_database(report: ImportReport, centre: ApprovedCentre) -> None:
    """Count what is new, and warn of the same person in another centre."""
    existing = set(Candidate.objects.filter(centre=centre).values_list("identity_key", flat=True))
    keys = list({row.key for row in report.valid_rows})
    new_keys = [key for key in keys if key not in existing]
    report.to_create = len(new_keys)
    report.already_present = len(keys) - len(new_keys)
    report.pathways_to_create = sum(1 for row in report.valid_rows if row.title_id is not None)
    elsewhere: dict[str, set[str]] = {}
    for chunk in _chunks(new_keys):
        for key, centre_name in (
            Candidate.objects.filter(identity_key__in=chunk)
            .exclude(centre=centre)
            .values_list("identity_key", "centre__name")
        ):
            elsewhere.setdefault(key, set()).add(centre_name)
    if elsewhere:
        warned: set[str] = set()
        for row in report.valid_rows:
            if row.key in elsewhere and row.key not in warned:
                warned.add(row.key)
                report.warnings.append(
                    RowError(
                        row.line,
                        "",
                        _("the same person is also a candidate of %(centres)s")
                        % {"centres": ", ".join(sorted(elsewhere[row.key]))},
                    )
                )


# --- writing ------------------------------------------------------------------------


def write(centre: ApprovedCentre, report: ImportReport) -> ImportReport:
    """Write a valid report's rows; call inside a transaction (``services.import_candidates``)."""
    existing = dict(Candidate.objects.filter(centre=centre).values_list("identity_key", "pk"))
    new: dict[str, Candidate] = {}
    for row in report.valid_rows:
        if row.key in existing or row.key in new:
            continue
        new[row.key] = Candidate(
            centre=centre,
            identity_key=row.key,
            birth_name=row.birth_name,
            usual_name=row.usual_name,
            given_names=row.given_names,
            birth_date=row.birth_date,
            birth_place=row.birth_place,
            email=row.email,
            phone=row.phone,
        )
    created = Candidate.objects.bulk_create(list(new.values()), batch_size=BATCH)
    ids = existing | {candidate.identity_key: candidate.pk for candidate in created}
    present_pathways = set(
        Pathway.objects.filter(candidate__centre=centre).values_list("candidate_id", "title_id", "route")
    )
    pathways = []
    for row in report.valid_rows:
        if row.title_id is None:
            continue
        identity = (ids[row.key], row.title_id, row.route)
        if identity in present_pathways:
            continue
        present_pathways.add(identity)
        pathways.append(
            Pathway(
                candidate_id=ids[row.key],
                title_id=row.title_id,
                route=row.route,
                provider_name=row.provider_name,
                started_on=row.started_on,
                ended_on=row.ended_on,
            )
        )
    Pathway.objects.bulk_create(pathways, batch_size=BATCH)
    report.created = len(created)
    report.already_present = len({row.key for row in report.valid_rows}) - len(created)
    report.pathways_created = len(pathways)
    report.committed = True
    return report


# --- export -------------------------------------------------------------------------


def _date_fr(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def export_rows(centre: ApprovedCentre, only: Iterable[int] | None = None) -> Iterator[list[str]]:
    """One row per pathway (one per candidate without any), in the import template's columns;
    ``only``: these candidates of the centre (a filtered list's)."""
    chosen = Candidate.objects.filter(centre=centre)
    if only is not None:
        chosen = chosen.filter(pk__in=list(only))
    pathways: dict[int, list[tuple[str, str, str, date | None, date | None]]] = {}
    for candidate_id, code, route, provider, started, ended in (
        Pathway.objects.filter(candidate__in=chosen)
        .values_list("candidate_id", "title__code", "route", "provider_name", "started_on", "ended_on")
        .order_by("pk")
    ):
        pathways.setdefault(candidate_id, []).append((code, route, provider, started, ended))
    for candidate in chosen.order_by("pk").iterator(chunk_size=BATCH):
        identity = [
            candidate.birth_name,
            candidate.usual_name,
            candidate.given_names,
            _date_fr(candidate.birth_date),
            candidate.birth_place,
            candidate.email,
            candidate.phone,
        ]
        for code, route, provider, started, ended in pathways.get(candidate.pk, [("", "", "", None, None)]):
            yield [
                *identity,
                code,
                WORD_OF_ROUTE.get(Route(route), "") if route else "",
                provider,
                _date_fr(started),
                _date_fr(ended),
            ]


def export_csv(centre: ApprovedCentre, only: Iterable[int] | None = None) -> bytes:
    """UTF-8 with a BOM and ``;``; cells a spreadsheet would evaluate are neutralised."""
    return csv_bytes(COLUMNS, export_rows(centre, only))


def export_xlsx(centre: ApprovedCentre, only: Iterable[int] | None = None) -> bytes:
    return xlsx_bytes("candidats", COLUMNS, export_rows(centre, only))
