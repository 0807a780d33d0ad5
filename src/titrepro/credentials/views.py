"""The public verification of a document (/verifier/...), open to anyone without an account: type the number
printed on the document, or follow its QR code, and see what it certifies and whether it still stands.

Only what the document prints is shown (``IssuedDocument.data``), with its status and the SHA-256 of the PDF
issued; every look is counted for the holder (``Consultation``), never who looked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import NameOID
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from titrepro.accounts.throttle import client_ip
from titrepro.core.forms import DsfrForm
from titrepro.core.pages import crumbs
from titrepro.credentials import codes, keys, queries, verification
from titrepro.credentials.models import Consultation, IssuedDocument, Status

# A one-page document weighs tens of kilobytes; a request body is capped at TITREPRO_MAX_BODY_BYTES anyway.
MAX_FILE_BYTES = 2 * 1024 * 1024


class CodeForm(DsfrForm):
    code = forms.CharField(
        label=gettext_lazy("Document number"),
        help_text=gettext_lazy(
            "The 28 characters printed beside the QR code, for example 7KQ2-M9XH-…; dashes and spaces are optional."
        ),
        max_length=60,
    )


def bad_code_message(reason: str) -> str:
    if reason == "typo":
        return _("This number has a typing mistake: check each character against the document.")
    return _("A document number has 28 letters and digits, in seven groups of four.")


def status_line(document: IssuedDocument) -> dict[str, Any]:
    """The verdict in plain French, and its DSFR tone."""
    return {
        "tone": "success" if document.status == Status.VALID else "warning",
        "text": verification.status_message(document),
    }


def limited(request: HttpRequest) -> HttpResponse:
    """The answer past the rate limit of the public verification (``TITREPRO_VERIFY_RATE``): 429."""
    response = render(
        request, "credentials/limited.html", {"breadcrumb": crumbs((_("Verify a document"), ""))}, status=429
    )
    response["Retry-After"] = "60"
    return response


def _by_address(group: str, request: HttpRequest) -> str:
    return client_ip(request)


def per_address[V: Callable[..., HttpResponse]](group: str, setting: str) -> Callable[[V], V]:
    """django-ratelimit's counter per client address (read through the trusted proxies), at the rate the setting
    ``setting`` names; the view answers ``limited`` itself when ``request.limited`` is set."""
    decorator = ratelimit(group=group, key=_by_address, rate=lambda g, request: getattr(settings, setting), block=False)
    return cast(Callable[[V], V], decorator)


def _page(request: HttpRequest, form: CodeForm, *, status: int = 200, error: str = "") -> HttpResponse:
    return render(
        request,
        "credentials/verify.html",
        {
            "form": form,
            "errors": form.error_list(),
            "error": error,
            "breadcrumb": crumbs((_("Verify a document"), "")),
        },
        status=status,
    )


@require_GET
@per_address("verify", "TITREPRO_VERIFY_RATE")
def verify(request: HttpRequest) -> HttpResponse:
    """The form: a number typed leads to its page (``?code=``)."""
    if getattr(request, "limited", False):
        return limited(request)
    if "code" not in request.GET:
        return _page(request, CodeForm())
    form = CodeForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        code = codes.normalise(form.cleaned_data["code"])
    except codes.BadCode as bad:
        form.add_error("code", bad_code_message(bad.reason))
        return _page(request, form, status=400)
    return redirect("credentials:verify_code", codes.grouped(code))


@require_GET
@per_address("verify", "TITREPRO_VERIFY_RATE")
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What the document numbered ``code`` certifies and its status; a number that is no document: 404."""
    if getattr(request, "limited", False):
        return limited(request)
    try:
        normalised = codes.normalise(code)
    except codes.BadCode as bad:
        form = CodeForm({"code": code})
        form.is_valid()
        form.add_error("code", bad_code_message(bad.reason))
        return _page(request, form, status=404)
    document = queries.by_code(normalised)
    if document is None:
        form = CodeForm({"code": code})
        return _page(request, form, status=404, error=_("No document issued by titrepro has this number."))
    with transaction.atomic():
        Consultation.objects.create(document=document, channel=Consultation.Channel.CODE)
    return render(request, "credentials/document.html", _document_context(document))


def _document_context(document: IssuedDocument) -> dict[str, Any]:
    replacement = document.superseded_by
    return {
        "document": document,
        "facts": document.data,
        "verdict": status_line(document),
        "replacement": replacement,
        "replacement_url": reverse("credentials:verify_code", args=[replacement.printed_code]) if replacement else "",
        "breadcrumb": crumbs((_("Verify a document"), reverse("credentials:verify")), (document.printed_code, "")),
    }


class FileForm(DsfrForm):
    file = forms.FileField(
        label=gettext_lazy("The document's PDF file, or a digital badge"),
        help_text=gettext_lazy(
            "The file as you received it, 2 MB at most: a PDF, or a digital badge (its JSON file, or its PNG or SVG "
            "picture)."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,application/json,application/ld+json,.json,image/png,image/svg+xml"}
        ),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        if file.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB: it is not a document issued by titrepro."))
        return file


@require_http_methods(["GET", "POST"])
@per_address("verify-file", "TITREPRO_VERIFY_FILE_RATE")
def verify_file(request: HttpRequest) -> HttpResponse:
    """Upload a PDF or a digital badge: its signature is checked and it is looked up in the register
    (``verification.verify_any``)."""
    if request.method == "POST" and getattr(request, "limited", False):
        return limited(request)
    form = FileForm(request.POST, request.FILES) if request.method == "POST" else FileForm()
    verdict = None
    if request.method == "POST" and form.is_valid():
        verdict = verification.verify_any(form.cleaned_data["file"].read())
        if verdict.document is not None:
            with transaction.atomic():
                Consultation.objects.create(document=verdict.document, channel=Consultation.Channel.UPLOAD)
    errors = form.error_list()
    return render(
        request,
        "credentials/verify_file.html",
        {
            "form": form,
            "errors": errors,
            "verdict": verdict,
            "tone": _tone(verdict),
            "document_url": reverse("credentials:verify_code", args=[verdict.document.printed_code])
            if verdict is not None and verdict.document is not None
            else "",
            "badge_url": reverse("credentials:badge_verify", args=[verdict.badge.printed_code])
            if verdict is not None and verdict.badge is not None
            else "",
            "breadcrumb": crumbs((_("Verify a document"), reverse("credentials:verify")), (_("Check a file"), "")),
        },
        status=400 if errors else 200,
    )


def _tone(verdict: verification.FileVerdict | None) -> str:
    if verdict is None:
        return ""
    return {verification.Outcome.VALID: "success", verification.Outcome.NO_LONGER_VALID: "warning"}.get(
        verdict.outcome, "error"
    )


def _certificate_row(certificate: x509.Certificate) -> dict[str, Any]:
    def common_name(name: x509.Name) -> str:
        found = name.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(found[0].value) if found else name.rfc4514_string()

    return {
        "subject": common_name(certificate.subject),
        "issuer": common_name(certificate.issuer),
        "root": certificate.subject == certificate.issuer,
        "not_after": certificate.not_valid_after_utc,
        "fingerprint": certificate.fingerprint(hashes.SHA256()).hex(":").upper(),
    }


@require_GET
def certificates(request: HttpRequest) -> HttpResponse:
    """The certificates the documents are signed with, to check a signature in a PDF reader or with any tool."""
    chain = x509.load_pem_x509_certificates(keys.published_chain_pem()) if keys.trust_roots() else []
    return render(
        request,
        "credentials/certificates.html",
        {
            "certificates": [_certificate_row(c) for c in chain],
            "breadcrumb": crumbs((_("Verify a document"), reverse("credentials:verify")), (_("Certificates"), "")),
        },
    )


@require_GET
def certificates_pem(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(keys.published_chain_pem(), content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="titrepro-certificats.pem"'
    return response
