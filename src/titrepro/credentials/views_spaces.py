"""The documents in the workspaces (/espace/..., namespace ``credentials_spaces``): the candidate's own documents
(their status, the signed PDF, how many times and when each was verified) and digital badges (the credential as
JSON, baked into a PNG or an SVG); for the centre, a session's documents (how far their issuance is, the ZIP of
those issued).

A candidate sees only their documents and badges (``queries.own_documents``, ``own_badges``: another's 404,
another role 403); the centre's staff only their sessions' (``sessions.queries.managed_sessions``).
"""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import error, success
from django.db.models import Count, Max
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.credentials import baking, queries, services
from titrepro.credentials.models import Badge, IssuedDocument
from titrepro.credentials.views import status_line
from titrepro.deliberation.models import DocumentToIssue, IssuanceStatus
from titrepro.sessions import queries as session_queries

app_name = "credentials_spaces"

RECENT_CONSULTATIONS = 10


def _pdf(document: IssuedDocument) -> FileResponse:
    response = FileResponse(
        document.pdf.open("rb"),
        as_attachment=True,
        filename=f"{document.kind}-{document.printed_code}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def candidate_documents(request: HttpRequest) -> HttpResponse:
    """Every document the candidate was issued, the ones that no longer stand too, with their verifications."""
    documents = (
        queries.own_documents(request.user)
        .select_related("superseded_by", "duplicate_of")
        .annotate(verified=Count("consultations"), last_verified=Max("consultations__at"))
        .order_by("-issued_at", "pk")
    )
    badges: dict[int, list[Badge]] = {}
    for badge in queries.own_badges(request.user).select_related("ccp", "ccs").order_by("kind", "ccp__number", "pk"):
        badges.setdefault(badge.document_id, []).append(badge)
    rows = [
        {
            "document": document,
            "verdict": status_line(document),
            "recent": [c.at for c in document.consultations.all()[:RECENT_CONSULTATIONS]],
            "url": reverse("credentials:verify_code", args=[document.printed_code]),
            "badges": [
                {"badge": badge, "name": badge.credential["credentialSubject"]["achievement"]["name"]}
                for badge in badges.get(document.pk, [])
            ],
        }
        for document in documents
    ]
    return render(
        request,
        "credentials/spaces/candidate_documents.html",
        {"rows": rows, "breadcrumb": crumbs((_("My documents"), ""))},
    )


@login_required
@require_GET
def candidate_document_file(request: HttpRequest, pk: int) -> FileResponse:
    return _pdf(get_scoped_or_404(queries.own_documents(request.user), pk=pk))


BADGE_FORMATS = {
    "json": ("application/ld+json", "json"),
    "png": ("image/png", "png"),
    "svg": ("image/svg+xml", "svg"),
}


@login_required
@require_GET
def candidate_badge_file(request: HttpRequest, pk: int, file_format: str) -> HttpResponse:
    """One of the candidate's badges: the signed credential as JSON, or baked into its picture (PNG, SVG)."""
    badge = get_scoped_or_404(queries.own_badges(request.user).select_related("ccp", "authority"), pk=pk)
    if file_format not in BADGE_FORMATS:
        raise Http404("no such format")
    content_type, extension = BADGE_FORMATS[file_format]
    if file_format == "json":
        content = json.dumps(badge.credential, ensure_ascii=False, indent=2).encode("utf-8")
    else:
        content = baking.baked_png(badge) if file_format == "png" else baking.baked_svg(badge)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="badge-{badge.kind}-{badge.printed_code}.{extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    if file_format == "svg":
        response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


@login_required
@require_POST
def candidate_duplicate(request: HttpRequest, pk: int) -> HttpResponse:
    """A duplicata of one of the candidate's valid documents (``services.duplicate``)."""
    document = get_scoped_or_404(queries.own_documents(request.user), pk=pk)
    try:
        copy = services.duplicate(request.user, document)
    except Refused as refused:
        error(request, refused.message)
    except services.IssuanceError:
        error(request, _("The duplicate cannot be signed at the moment: try again later."))
    else:
        success(request, _("Your duplicate no. %(number)s is issued.") % {"number": copy.printed_code})
    return redirect("credentials_spaces:candidate_documents")


def _progress(session: Any) -> dict[str, int]:
    entries = DocumentToIssue.objects.filter(minutes__session=session).exclude(status=IssuanceStatus.CANCELLED)
    total = entries.count()
    issued = entries.filter(status=IssuanceStatus.ISSUED).count()
    return {"total": total, "issued": issued, "percent": round(100 * issued / total) if total else 0}


@login_required
@require_GET
def centre_session_documents(request: HttpRequest, pk: int) -> HttpResponse:
    """The session's documents: how far the worker is (the page polls its own progress with htmx, and reads the
    same without JavaScript on a reload), and each document issued."""
    session = get_scoped_or_404(session_queries.managed_sessions(request.user), pk=pk)
    progress = _progress(session)
    context = {
        "session": session,
        "progress": progress,
        "done": progress["issued"] == progress["total"],
        "documents": IssuedDocument.objects.filter(registration__session=session)
        .select_related("holder")
        .order_by("holder__birth_name", "holder__given_names", "kind", "pk"),
        "breadcrumb": crumbs(
            (_("Sessions"), reverse("sessions:centre_session_list")),
            (session.number, reverse("sessions:centre_session_detail", args=[session.pk])),
            (_("Documents"), ""),
        ),
    }
    if request.headers.get("HX-Request"):
        return render(request, "credentials/spaces/progress.html", context)
    return render(request, "credentials/spaces/centre_session_documents.html", context)


@login_required
@require_GET
def centre_session_documents_zip(request: HttpRequest, pk: int) -> HttpResponse:
    """The signed PDFs of the session's documents issued, in one ZIP (the ones that no longer stand too, named
    so: the centre keeps the record)."""
    session = get_scoped_or_404(session_queries.managed_sessions(request.user), pk=pk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:  # PDFs are compressed already
        for document in IssuedDocument.objects.filter(registration__session=session).select_related("holder"):
            holder = document.holder
            name = f"{holder.birth_name}-{holder.given_names}-{document.kind}-{document.printed_code}"
            if document.status != "valid":
                name += f"-{document.status}"
            with document.pdf.open("rb") as file:
                archive.writestr(f"{_safe(name)}.pdf", file.read())
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="documents-{session.number}.zip"'
    return response


def _safe(name: str) -> str:
    """A file name any system accepts: letters, digits, dashes."""
    from django.utils.text import slugify

    return slugify(name) or "document"


urlpatterns = [
    path("candidat/documents/", candidate_documents, name="candidate_documents"),
    path("candidat/documents/<int:pk>/pdf/", candidate_document_file, name="candidate_document_file"),
    path("candidat/documents/<int:pk>/duplicata/", candidate_duplicate, name="candidate_duplicate"),
    path("candidat/badges/<int:pk>/<str:file_format>/", candidate_badge_file, name="candidate_badge_file"),
    path("centre/sessions/<int:pk>/documents/", centre_session_documents, name="centre_session_documents"),
    path("centre/sessions/<int:pk>/documents/zip/", centre_session_documents_zip, name="centre_session_documents_zip"),
]
