"""What a document prints (R-73), from the "to be issued" entry of the validated PV and the candidate's record.

``printed`` gives the facts as the document writes them, in French (``core.dating.document_date``): the holder's
names, date and place of birth; the title's label, level, RNCP code and version; the CCPs for a livret, each with
the day it was obtained and where; the jury's day, session and place; the authority that issues it and its
signatory; the document's number (its verification code) and the URL to verify it. The register keeps exactly
this (``IssuedDocument.data``): the public verification shows it and nothing more. The access route (VAE,
training, apprenticeship) is never read here, so it cannot be printed.

``pdf_data`` adds what only the layout needs (the labels, the QR code) for ``core/typst/certificate.typ``.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import segno
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from titrepro.candidates.models import Holding, HoldingKind
from titrepro.core.dating import document_date
from titrepro.credentials.codes import grouped
from titrepro.credentials.models import Kind
from titrepro.deliberation.models import DocumentToIssue
from titrepro.sessions.convocations import page_label

TOWN = re.compile(r"^\s*\d{5}\s+(?P<town>.+?)\s*$")
QR_MASK = 4  # a fixed mask: segno does not search for the best one for every code (credentials.md: 1.5x faster)


def verification_url(code: str) -> str:
    return settings.TITREPRO_PUBLIC_URL + reverse("credentials:verify_code", args=[grouped(code)])


def _town(address: str) -> str:
    """The town of a French address: its last line "69625 Villeurbanne" gives "Villeurbanne"; "" when none."""
    for line in reversed(address.splitlines()):
        found = TOWN.match(line)
        if found:
            return found["town"]
    return ""


def _day(value: str | None) -> str:
    return document_date(datetime.date.fromisoformat(value)) if value else ""


def _heading(kind: str) -> str:
    return {
        Kind.ATTESTATION: _("Attestation de réussite"),
        Kind.PARCHEMIN: _("Titre professionnel"),
        Kind.LIVRET: _("Livret de certification"),
        Kind.CCS: _("Certificat complémentaire de spécialisation"),
    }[Kind(kind)]


def _livret_ccps(entry: DocumentToIssue) -> list[dict[str, Any]]:
    """Every CCP of the title the candidate holds today (any version of the title, withdrawn ones excepted), in
    the order of their numbers, each with the day it was obtained and where: the livret is rebuilt from the
    record, not from the session alone."""
    holdings = (
        Holding.objects.filter(
            candidate=entry.registration.candidate_id,
            kind=HoldingKind.CCP,
            version__title=entry.registration.session.version.title_id,
            withdrawn_on=None,
        )
        .select_related("ccp", "version")
        .order_by("ccp__number", "obtained_on", "pk")
    )
    return [
        {
            "number": holding.ccp.number,
            "label": holding.ccp.label,
            "version": holding.version.label,
            "obtained_on": document_date(holding.obtained_on),
            "source": holding.source,
        }
        for holding in holdings
        if holding.ccp is not None
    ]


def _awarded(entry: DocumentToIssue) -> str:
    """What an attestation attests: "title", "ccs" or "ccps" (those of this session); for the other kinds, the
    kind itself says it."""
    if entry.data.get("result") == "title_awarded":
        return "title"
    return "ccs" if entry.data.get("ccs") else "ccps"


def _session_ccps(entry: DocumentToIssue) -> list[dict[str, Any]]:
    """The CCPs awarded by this session, as ``_livret_ccps`` writes them: an attestation states this session's
    result only."""
    data = entry.data
    source = _("PV %(number)s, session %(session)s") % {
        "number": data["minutes"]["number"],
        "session": data["session"]["number"],
    }
    return [
        {
            "number": ccp["number"],
            "label": ccp["label"],
            "version": data["title"].get("version") or "",
            "obtained_on": _day(data.get("obtained_on")),
            "source": source,
        }
        for ccp in data.get("ccps", [])
    ]


def _ccps(entry: DocumentToIssue, awarded: str) -> list[dict[str, Any]]:
    if entry.kind == Kind.LIVRET:
        return _livret_ccps(entry)
    if entry.kind == Kind.ATTESTATION and awarded == "ccps":
        return _session_ccps(entry)
    return []


def printed(entry: DocumentToIssue, code: str, issued_on: datetime.date) -> dict[str, Any]:
    """The facts the document prints (the register keeps them as they are), for the entry ``entry`` numbered
    ``code``, issued on ``issued_on``."""
    data = entry.data
    session = entry.registration.session
    candidate = data["candidate"]
    title = data["title"]
    authority = data["authority"]
    born = _("Born on %(day)s in %(place)s") % {
        "day": _day(candidate.get("birth_date")),
        "place": candidate.get("birth_place", ""),
    }
    town = _town(session.centre.authority.address)
    place_date = (
        _("Issued in %(town)s on %(day)s") % {"town": town, "day": document_date(issued_on)}
        if town
        else _("Issued on %(day)s") % {"day": document_date(issued_on)}
    )
    ccs = data.get("ccs")
    awarded = _awarded(entry) if entry.kind == Kind.ATTESTATION else ""
    shows_ccs = entry.kind == Kind.CCS or awarded == "ccs"
    return {
        "kind": entry.kind,
        "heading": _heading(entry.kind),
        "awarded": awarded,
        "holder": {
            "name": f"{candidate['birth_name'].upper()} {candidate['given_names']}".strip(),
            "usual_name": _("usual name %(name)s") % {"name": candidate["usual_name"]}
            if candidate.get("usual_name")
            else "",
            "born": born,
        },
        "title": {
            "label": title["label"],
            "code": title["code"],
            "level": _("Level %(level)s of the national framework of vocational qualifications")
            % {"level": title["level"]},
            "rncp": title.get("rncp") or "",
            "version": title.get("version") or "",
        },
        "ccps": _ccps(entry, awarded),
        "ccs": {"code": ccs["code"], "label": ccs["label"]} if shows_ccs and ccs else None,
        "jury": {
            "day": _day(data.get("obtained_on")),
            "session": data["session"]["number"],
            "centre": data["session"]["centre"],
            "place": session.site_address,
        },
        "minutes": data["minutes"]["number"],
        "authority": {
            "name": authority["name"],
            "signatory_name": authority.get("signatory_name", ""),
            "signatory_title": authority.get("signatory_title", ""),
        },
        "place_date": place_date,
        "issued_on": document_date(issued_on),
        "number": grouped(code),
        "url": verification_url(code),
    }


def qr_svg(url: str) -> str:
    """The QR code of the verification URL, as SVG (medium error correction: survives a crease or a stain)."""
    qr = segno.make(url, error="m", mask=QR_MASK, micro=False)
    return str(qr.svg_inline(scale=1, border=0, dark="#161616"))


SHAPES = {"title": Kind.PARCHEMIN, "ccps": Kind.LIVRET, "ccs": Kind.CCS}


def shape(facts: dict[str, Any]) -> Kind:
    """The layout a document takes: its kind's, or for an attestation that of the document it stands for."""
    kind = Kind(facts["kind"])
    return SHAPES[facts.get("awarded") or "ccps"] if kind == Kind.ATTESTATION else kind


def _intro(facts: dict[str, Any]) -> str:
    if facts["kind"] == Kind.ATTESTATION:
        return {
            Kind.PARCHEMIN: _(
                "The authority attests that, in view of the deliberation of the jury, the titre professionnel"
            ),
            Kind.LIVRET: _(
                "The authority attests that, in view of the deliberation of the jury, the certificates of professional "
                "competence (CCP) below"
            ),
            Kind.CCS: _(
                "The authority attests that, in view of the deliberation of the jury, the certificate of specialisation"
            ),
        }[shape(facts)]
    return {
        Kind.PARCHEMIN: _("In view of the deliberation of the jury, the titre professionnel"),
        Kind.LIVRET: _(
            "In view of the deliberations of the juries, the certificates of professional competence (CCP) below"
        ),
        Kind.CCS: _("In view of the deliberation of the jury, the certificate of specialisation"),
    }[shape(facts)]


def pdf_data(facts: dict[str, Any], *, duplicate_of: str = "") -> dict[str, Any]:
    """The data of ``core/typst/certificate.typ``: the keys of ``core.pdf.DocumentData``, the facts, the layout
    (``shape``), the QR code and the labels. ``duplicate_of`` (the original's number) marks a duplicata."""
    authority = facts["authority"]
    title, jury, ccs = facts["title"], facts["jury"], facts["ccs"]
    layout = shape(facts)
    return {
        "title": f"{facts['heading']} — {facts['holder']['name']}",
        "reference": facts["number"],
        "page_label": page_label(),
        "authority": {"ministry": _("Ministry in charge of employment"), "name": authority["name"], "address": ""},
        "facts": facts,
        "shape": layout.value,
        "qr": qr_svg(facts["url"]),
        "duplicate": _("Duplicate of the document no. %(number)s") % {"number": duplicate_of} if duplicate_of else "",
        "provisional": _(
            "Provisional: it stands until the parchemin, the livret de certification or the CCS certificate is "
            "issued; the verification of this number then leads to it."
        )
        if facts["kind"] == Kind.ATTESTATION
        else "",
        "labels": {
            "awarded_to": _("are awarded to") if layout == Kind.LIVRET else _("is awarded to"),
            "intro": _intro(facts),
            "of_title": _("of the titre professionnel"),
            "rncp": _("Registered in the national directory of vocational qualifications under no. %(rncp)s")
            % {"rncp": title["rncp"]}
            if title["rncp"]
            else "",
            "version": _("Version %(version)s of the title, code %(code)s")
            % {"version": title["version"], "code": title["code"]},
            "ccs_code": _("code %(code)s") % {"code": ccs["code"]} if ccs else "",
            "jury": _("Jury of %(day)s, session %(session)s, %(centre)s")
            % {"day": jury["day"], "session": jury["session"], "centre": jury["centre"]},
            "minutes": _("Minutes %(number)s") % {"number": facts["minutes"]},
            "ccp_columns": {
                "ccp": _("Certificate of professional competence"),
                "obtained_on": _("Obtained on"),
                "source": _("Session"),
            },
            "signatory": _("For the minister and by delegation"),
            "signed": _("Signed electronically by the issuing authority: any PDF reader can check the signature."),
            "verify": _("Verify this document"),
            "number": _("Document no."),
        },
    }
