"""Permission matrix of the documents' pages in the workspaces (tests/permissions.py): a candidate's own documents,
their PDFs and their badges (another candidate's: 404, another role: 403, the national administrator included, since a
document is personal); a session's documents for its centre's staff and the national administrator. The rows
are written directly for each request: our session held yesterday, its PV validated, our candidate's livret."""

from __future__ import annotations

import hashlib
from typing import Any, ClassVar

from django.core.files.base import ContentFile
from tests.deliberation.permission_world import held_yesterday
from tests.factories import today
from tests.permissions import Audience, PermissionMatrix, Row

from titrepro.candidates.models import Holding
from titrepro.catalogue.models import CCP
from titrepro.credentials import codes, content
from titrepro.credentials.models import Badge, IssuedDocument, StatusList
from titrepro.deliberation.models import DocumentToIssue, Minutes
from titrepro.sessions.models import Registration

CENTRE = Audience.CENTRE | Audience.NATIONAL
CANDIDATE = Audience.CANDIDATE
PDF = b"%PDF-1.7\n% a livret\n%%EOF\n"


def _facts(code: str) -> dict[str, Any]:
    """What a livret prints (``credentials.content.printed``'s shape): a duplicata is rendered from it."""
    return {
        "kind": "livret",
        "heading": "Livret de certification",
        "holder": {"name": "MARTIN Camille", "usual_name": "", "born": "Né(e) le 1er mars 1990 à Paris"},
        "title": {"label": "Titre fictif", "code": "TP-00000", "level": "Niveau 5", "rncp": "", "version": "2025"},
        "ccps": [
            {"number": 1, "label": "Activité type 1", "version": "2025", "obtained_on": "1er mars 2027", "source": "PV"}
        ],
        "ccs": None,
        "jury": {"day": "1er mars 2027", "session": "2027-069-0015", "centre": "Centre", "place": "Lyon"},
        "minutes": "PV-2027-069-0015",
        "authority": {"name": "DDETS", "signatory_name": "", "signatory_title": ""},
        "place_date": "Fait le 2 mars 2027",
        "issued_on": "2 mars 2027",
        "number": codes.grouped(code),
        "url": content.verification_url(code),
    }


def _document(w: Any) -> IssuedDocument:
    session = held_yesterday(w, "0015")
    found = IssuedDocument.objects.filter(registration__session=session).first()
    if found is not None:
        return found
    registration = Registration.objects.get_or_create(
        session=session, candidate=w.ours.candidate, defaults={"registered_on": today(), "attendance": "present"}
    )[0]
    minutes = Minutes.objects.create(session=session, revision=1, number=f"PV-{session.number}", status="validated")
    entry = DocumentToIssue.objects.create(
        minutes=minutes, registration=registration, kind="livret", data={}, status="issued"
    )
    code = codes.new_code()
    document = IssuedDocument(
        code=code,
        kind="livret",
        source=entry,
        holder=w.ours.candidate,
        registration=registration,
        minutes=minutes,
        title=session.version.title,
        version=session.version,
        authority=w.ours.authority,
        data=_facts(code),
        sha256=hashlib.sha256(PDF + code.encode()).hexdigest(),
    )
    document.pdf.save(f"{code}.pdf", ContentFile(PDF), save=False)
    document.save()
    return document


def own(w: Any) -> dict[str, str]:
    _document(w)
    return {}


def document(w: Any) -> list[int]:
    return [_document(w).pk]


def _badge(w: Any) -> Badge:
    """A badge of our candidate's CCP 1, issued with the livret (its credential reduced to what the files show)."""
    document = _document(w)
    found = Badge.objects.filter(document=document).first()
    if found is not None:
        return found
    ccp, _created = CCP.objects.get_or_create(version=document.version, number=1, defaults={"label": "Activité type 1"})
    holding = Holding.objects.create(
        candidate=w.ours.candidate, kind="ccp", version=document.version, ccp=ccp, obtained_on=today(), source="PV"
    )
    status_list, _created = StatusList.objects.get_or_create(authority=w.ours.authority, number=1)
    achieved = {"name": f"CCP 1 — {ccp.label}", "humanCode": ccp.rncp_block_code or "CCP 1"}
    return Badge.objects.create(
        code=codes.new_code(),
        kind="ccp",
        document=document,
        holding=holding,
        holder=w.ours.candidate,
        authority=w.ours.authority,
        version=document.version,
        ccp=ccp,
        credential={"credentialSubject": {"achievement": achieved}},
        status_list=status_list,
        status_index=7,
    )


def badge_json(w: Any) -> list[Any]:
    return [_badge(w).pk, "json"]


def badge_svg(w: Any) -> list[Any]:
    return [_badge(w).pk, "svg"]


def session(w: Any) -> list[int]:
    return [_document(w).registration.session_id]


class TestDocumentsPagesPermissions(PermissionMatrix):
    template_prefix = "credentials/"

    rows: ClassVar[list[Row]] = [
        Row("credentials_spaces:candidate_documents", CANDIDATE, query=own, is_list=True),
        Row("credentials_spaces:candidate_document_file", CANDIDATE, args=document),
        Row("credentials_spaces:candidate_duplicate", CANDIDATE, method="post", args=document, status=302),
        Row("credentials_spaces:candidate_badge_file", CANDIDATE, args=badge_json),
        Row("credentials_spaces:candidate_badge_file", CANDIDATE, args=badge_svg),
        Row("credentials_spaces:centre_session_documents", CENTRE, args=session),
        Row("credentials_spaces:centre_session_documents_zip", CENTRE, args=session),
    ]
