"""The documents in the workspaces (/espace/..., namespace ``credentials_spaces``): the candidate's own documents
(their status, the signed PDF, how many times and when each was verified); for the centre, a session's documents
(how far their issuance is, the ZIP of those issued).

A candidate sees only their documents (``queries.own_documents``: another's 404, another role 403); the centre's
staff only their sessions' (``sessions.queries.managed_sessions``).
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.messages import error, success
from django.db.models import Count, Max
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from titrepro.accounts.permissions import get_scoped_or_404
from titrepro.core.pages import crumbs
from titrepro.core.refusals import Refused
from titrepro.credentials import queries, services
from titrepro.credentials.models import IssuedDocument
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
    rows = [
        {
            "document": document,
            "verdict": status_line(document),
            "recent": [c.at for c in document.consultations.all()[:RECENT_CONSULTATIONS]],
            "url": reverse("credentials:verify_code", args=[document.printed_code]),
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
    path("centre/sessions/<int:pk>/documents/", centre_session_documents, name="centre_session_documents"),
    path("centre/sessions/<int:pk>/documents/zip/", centre_session_documents_zip, name="centre_session_documents_zip"),
]
