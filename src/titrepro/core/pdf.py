"""PDF documents rendered with Typst (docs/decisions/0032-typst-pdf-documents.md).

``render(template, data)`` compiles ``core/typst/<template>.typ`` into a PDF/A-2b file. The data
goes to Typst as one JSON string (``sys.inputs.data``, read with ``json(bytes(sys.inputs.data))``)
and is used there as strings only: no Typst source is ever built from data, so a name holding
``#``, ``*``, ``$`` or ``@`` prints as typed.

Every word the reader sees is in the data, already translated and formatted: dates in French by
``core.dating.document_date`` ("1er mars 2027", "lundi 8 mars 2027") and ``document_time``
("8 h 30"). The templates only lay it out. All templates import ``layout.typ`` (the Republic's
block, the issuing authority, the centre, the footer with the reference and "Page X sur Y"), and
read the keys of ``DocumentData``.

Fonts are the files shipped in ``core/fonts/`` (IBM Plex Sans, SIL Open Font License), and only
those: neither the system's fonts nor the ones built into Typst are searched, so a document is
the same on every machine. They are loaded once per process; each thread keeps its own compiler.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from collections.abc import Mapping
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal, NotRequired, TypedDict

import typst

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "typst"
FONTS = Path(__file__).resolve().parent / "fonts"
PDF_STANDARD: Final = "a-2b"  # PDF/A-2b: archivable, fonts embedded; veraPDF is not available to prove it
TEMPLATE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class PdfError(Exception):
    """A document could not be rendered: an unknown template, data that is not JSON, or an error
    reported by Typst (its message, where it happened and its hints are in the text)."""

    def __init__(self, template: str, message: str, *, diagnostic: str = "", hints: tuple[str, ...] = ()) -> None:
        self.template = template
        self.message = message
        self.diagnostic = diagnostic
        self.hints = hints
        # Typst's diagnostic repeats the message with where it happened (and the other errors).
        text = f"{template}: {message}" + ("\n" + diagnostic.rstrip() if diagnostic else "")
        text += "".join(f"\nhint: {hint}" for hint in hints if hint not in diagnostic)
        super().__init__(text)


# The data shapes. TypedDicts document what the templates read; ``render`` takes any mapping.


class Authority(TypedDict):
    ministry: str  # "Ministère chargé de l'emploi"
    name: str  # "DREETS Île-de-France — UD de Paris"
    address: str  # lines separated by "\n"; may be ""


class Centre(TypedDict):
    name: str
    address: str  # lines separated by "\n"
    email: str  # may be ""


class DocumentData(TypedDict):
    """What ``layout.typ`` reads, in every document."""

    title: str  # the PDF's title (metadata); the sign-in sheet also prints it
    reference: str  # printed in the footer of every page: "CONV-2027-075-0042-0007"
    page_label: str  # "Page {page} sur {pages}"
    authority: Authority
    centre: NotRequired[Centre | None]  # on the right of the header when given


class Recipient(TypedDict):
    name: str  # "Mme Chloé MOREAU"
    address: str  # lines separated by "\n"; may be ""
    role: Literal["candidate", "jury"]


class SessionInfo(TypedDict):
    number: str  # "2027-075-0042"
    kind_label: str  # "Session titre"
    title_label: str  # "Technicien supérieur systèmes et réseaux"
    title_code: str  # "TSSR"; may be ""
    version_label: str  # "version 2023 (RNCP37682)"; may be ""
    site: str  # "12 rue …, 75011 Paris"; may be ""
    days_label: str  # "du lundi 8 au mardi 9 mars 2027"
    remote: bool  # True: ``labels.remote`` is printed under the session summary


class TestSlot(TypedDict):
    day: str  # "lundi 8 mars 2027"
    start: str  # "8 h 30"; may be ""
    end: str  # "12 h 00"; may be ""
    label: str  # "Mise en situation professionnelle"
    detail: str  # the test's modalities; may be ""


class JuryNote(TypedDict):
    leave_note: str  # the leave-of-absence mention for a jury member's employer


class SessionFieldLabels(TypedDict):
    number: str  # "Numéro de session"
    kind: str  # "Nature"
    title: str  # "Titre professionnel"
    version: str  # "Version"
    days: str  # "Dates"
    site: str  # "Lieu"


class ConvocationColumns(TypedDict):
    day: str  # "Date"
    time: str  # "Horaire"
    test: str  # "Épreuve"


class ConvocationLabels(TypedDict):
    heading: str  # "Convocation" (printed in capitals)
    object: str  # "Objet\u00a0: convocation à la session d'examen n° 2027-075-0042"
    salutation: str  # "Madame,"; may be ""
    body: list[str]  # the letter's paragraphs
    session_fields: SessionFieldLabels
    remote: str  # "Session à distance : …"
    tests_heading: str  # "Vos épreuves"
    columns: ConvocationColumns
    bring_heading: str  # "À apporter"
    accommodations_heading: str  # "Aménagements d'épreuves accordés"
    jury_heading: str  # "Autorisation d'absence"
    regulation_heading: str  # "Règlement des sessions d'examen"
    closing: str  # "Veuillez agréer, Madame, l'expression de nos salutations distinguées."
    signatory: str  # "Le responsable du centre"
    signatory_name: str  # may be ""
    issued: str  # "Convocation émise le {date}" ({date} is ``issued_on``), in the footer; may be ""


class ConvocationData(DocumentData):
    """``render("convocation", data)``: a convocation to an exam session, for a candidate or a jury member.

    The sections "accommodations" and "jury" are left out when empty (``[]``, ``None``).
    """

    recipient: Recipient
    session: SessionInfo
    tests: list[TestSlot]
    bring: list[str]  # "Une pièce d'identité en cours de validité", …
    accommodations: list[str]  # "Temps majoré d'un tiers"; may be []
    regulation_note: str
    issued_on: str  # "2 décembre 2026"
    place_and_date: str  # "Paris, le 2 décembre 2026"
    jury: JuryNote | None
    labels: ConvocationLabels


class Member(TypedDict):
    name: str  # "M. Karim BENALI"
    email: str  # may be ""


class LeaveRequestLabels(TypedDict):
    heading: str  # "Demande d'autorisation d'absence" (printed in capitals)
    subheading: str  # "Membre de jury d'un titre professionnel — articles L. 3142-42 à L. 3142-45 du code du travail"
    sender: str  # "De"
    addressee: str  # "À l'attention de"
    object: str  # "Objet : demande d'autorisation d'absence du 8 au 9 mars 2027"
    salutation: str  # "Madame, Monsieur,"; may be ""
    body: list[str]  # the request's paragraphs
    session_fields: SessionFieldLabels
    remote: str  # "Session à distance : …"
    deadline: str  # "À remettre à l'employeur au plus tard le 21 février 2027 (15 jours avant la session)."
    deadline_note: str  # the same, short, in the footer; may be ""
    closing: str
    place_and_date: str  # "Fait à …………, le …………"
    signature: str  # "Signature du salarié"
    statement_heading: str  # "Attestation du centre"
    statement_signatory: str  # "Centre … — attestation émise le 2 décembre 2026"
    answer_heading: str  # "Réponse de l'employeur"
    answer_options: list[str]  # "Absence autorisée", "Absence refusée après avis du CSE (L. 3142-43), motif :"
    answer_signature: str  # "Date, nom, qualité et signature"


class LeaveRequestData(DocumentData):
    """``render("leave_request", data)``: a jury member's request for leave of absence to their employer (R-66).

    ``employer`` is "" when the member's current employer is not known: a line is left to fill in.
    """

    member: Member
    employer: str
    session: SessionInfo
    statement: str  # "Le centre … atteste que M. … est convoqué en qualité de membre du jury …"
    labels: LeaveRequestLabels


class Person(TypedDict):
    name: str  # "Mme Chloé MOREAU"
    detail: str  # "née le 3 avril 1990"; may be ""
    role: str  # "Candidat", "Membre du jury"


class SignInSheetColumns(TypedDict):
    name: str  # "Nom et prénom"
    role: str  # "Qualité"
    signature: str  # "Signature" (above each day)


class SignInSheetLabels(TypedDict):
    session_number: str  # "Session n° {number}"
    columns: SignInSheetColumns
    note: str  # printed under the table; may be ""


class SignInSheetData(DocumentData):
    """``render("sign_in_sheet", data)``: one row per person, one signature cell per day.

    Portrait for one or two days, landscape beyond; the table's header repeats on every page.
    """

    session: SessionInfo
    days: list[str]  # "lundi 8 mars 2027", …
    people: list[Person]
    labels: SignInSheetLabels


class PlanningRow(TypedDict):
    start: str  # "8 h 30"
    end: str  # "10 h 00"
    candidate: str  # "Mme Chloé MOREAU"
    detail: str  # "Temps majoré d'un tiers"; may be ""
    part: str  # "Mise en situation professionnelle — manipulations sur machines virtuelles"
    note: str  # "Écart accepté : attente de 1 h 30"; may be ""
    workstation: str  # "Poste 3"; may be ""
    jury: str  # "Karim BENALI, Sophie RENAUD"; may be ""


class PlanningDay(TypedDict):
    label: str  # "lundi 8 mars 2027"
    rows: list[PlanningRow]  # in time order


class PlanningColumns(TypedDict):
    time: str  # "Horaire"
    candidate: str  # "Candidat"
    part: str  # "Épreuve"
    workstation: str  # "Poste"
    jury: str  # "Jury"


class PlanningLabels(TypedDict):
    heading: str  # "Planning de la session" (printed in capitals)
    session_number: str  # "Session n° {number}"
    columns: PlanningColumns
    note: str  # printed under the tables; may be ""


class PlanningData(DocumentData):
    """``render("planning", data)``: a session's timetable, a table per day, landscape."""

    session: SessionInfo
    summary: str  # "Planning calculé le 2 décembre 2026 : fin au plus tôt prouvée"; may be ""
    days: list[PlanningDay]
    labels: PlanningLabels


@cache
def _fonts() -> typst.Fonts:
    """The shipped fonts, scanned once per process: nothing from the system, nothing built into Typst."""
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS)])


_local = threading.local()


def _compiler() -> typst.Compiler:
    """This thread's compiler: it keeps the parsed templates and the fonts between renders."""
    compiler: typst.Compiler | None = getattr(_local, "compiler", None)
    if compiler is None:
        compiler = typst.Compiler(root=str(TEMPLATES), font_paths=_fonts(), ignore_system_fonts=True)
        _local.compiler = compiler
    return compiler


def template_path(template: str) -> Path:
    if not TEMPLATE_NAME.match(template) or template == "layout":
        raise PdfError(template, "not a template name")
    path = TEMPLATES / f"{template}.typ"
    if not path.is_file():
        raise PdfError(template, f"no template {path.name} in {TEMPLATES}")
    return path


def render(template: str, data: Mapping[str, Any], *, timestamp: datetime | None = None) -> bytes:
    """The PDF/A-2b bytes of ``core/typst/<template>.typ`` filled with ``data``.

    ``data`` must be JSON (strings, numbers, booleans, lists, dicts, None): a ``date`` left in it is
    refused, format it first (``core.dating.document_date``). ``timestamp`` is the creation date
    written in the PDF's metadata (now when omitted); two renders with the same data and timestamp
    give the same bytes. Raises ``PdfError``.
    """
    path = template_path(template)
    try:
        payload = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise PdfError(template, f"the data is not JSON: {error}") from error
    try:
        pdf, warnings = _compiler().compile_with_warnings(
            input=str(path),
            format="pdf",
            sys_inputs={"data": payload},
            pdf_standards=[PDF_STANDARD],
            timestamp=timestamp,
        )
    except typst.TypstError as error:
        raise PdfError(template, error.message, diagnostic=error.diagnostic, hints=tuple(error.hints)) from error
    for warning in warnings:
        logger.warning("Typst warning in %s: %s\n%s", template, warning.message, warning.diagnostic)
    if not isinstance(pdf, bytes):  # a PDF is one file; only PNG and SVG give one per page
        raise PdfError(template, "Typst returned no PDF")
    return pdf


def render_image(
    template: str, data: Mapping[str, Any], *, image_format: Literal["png", "svg"], ppi: float = 144
) -> bytes:
    """The first page of ``core/typst/<template>.typ`` filled with ``data``, as a PNG (at ``ppi``) or an SVG
    image: a picture rather than a document (the digital badges). Raises ``PdfError``, as ``render``."""
    path = template_path(template)
    try:
        payload = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as error:
        raise PdfError(template, f"the data is not JSON: {error}") from error
    try:
        pages = _compiler().compile(input=str(path), format=image_format, ppi=ppi, sys_inputs={"data": payload})
    except typst.TypstError as error:
        raise PdfError(template, error.message, diagnostic=error.diagnostic, hints=tuple(error.hints)) from error
    first = pages[0] if isinstance(pages, list) else pages
    if not isinstance(first, bytes):
        raise PdfError(template, f"Typst returned no {image_format}")
    return first
