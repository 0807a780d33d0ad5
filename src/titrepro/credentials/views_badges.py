"""What a verifier of our digital badges reads on our host, without an account (docs/decisions/0044): the
authorities' DID documents, the achievements as JSON-LD, the status lists, and each badge at its verification
URL (its ``id``: the credential as JSON for a program, its page for a person, only with its code).

A URL that serves a page and JSON chooses by the ``Accept`` header (``request.get_preferred_type``).
"""

from __future__ import annotations

import base64
import gzip
import json
from typing import Any

import jwt
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from titrepro.catalogue.models import CCP, CCS, TitleVersion
from titrepro.core.pages import crumbs
from titrepro.credentials import badges, codes, data_integrity, keys, linked_data
from titrepro.credentials.models import Badge, Consultation, StatusList
from titrepro.credentials.views import bad_code_message, limited, per_address
from titrepro.directory.models import Authority

JSON_LD = "application/ld+json"
JSON_TYPES = [JSON_LD, "application/json"]
JWT_TYPES = ["application/vc+jwt", "application/jwt"]


def wants_json(request: HttpRequest) -> bool:
    """Whether the client prefers JSON(-LD) to a page: a browser asks for HTML first, a verifier for JSON."""
    return request.get_preferred_type(["text/html", *JSON_TYPES]) in JSON_TYPES


def _json(document: dict[str, Any], content_type: str = JSON_LD) -> JsonResponse:
    response = JsonResponse(document, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"  # read by verifiers' scripts from any site: public data
    response["Vary"] = "Accept"
    return response


def _authority_key(departement: str) -> tuple[Authority, keys.CredentialKey]:
    authority = Authority.objects.filter(departement=departement).first()
    if authority is None:
        raise Http404("no such authority")
    try:
        return authority, keys.credential_key(departement)
    except keys.NoSigningKey as error:
        raise Http404("the authority has no credential key") from error


@require_GET
def did_document(request: HttpRequest, departement: str) -> HttpResponse:
    """The authority's DID document (``did:web``): the key its badges are signed with."""
    _authority, key = _authority_key(departement)
    return _json(badges.did_document(departement, key.public_key), "application/did+json")


def _version(code: str, label: str) -> TitleVersion:
    version = TitleVersion.objects.select_related("title").filter(title__code=code, label=label).first()
    if version is None:
        raise Http404("unknown title version")
    return version


def _achievement(request: HttpRequest, version: TitleVersion, ccp: CCP | None, ccs: CCS | None) -> HttpResponse:
    if not wants_json(request):
        page = reverse("catalogue:version_detail", args=[version.title.code, version.label])
        response = redirect(page)
        response["Vary"] = "Accept"
        return response
    return _json({"@context": badges.CONTEXT, **badges.achievement(version, ccp, ccs)})


@require_GET
def achievement_title(request: HttpRequest, code: str, label: str) -> HttpResponse:
    return _achievement(request, _version(code, label), None, None)


@require_GET
def achievement_ccp(request: HttpRequest, code: str, label: str, number: int) -> HttpResponse:
    version = _version(code, label)
    return _achievement(request, version, get_object_or_404(CCP, version=version, number=number), None)


@require_GET
def achievement_ccs(request: HttpRequest, code: str, label: str, ccs: str) -> HttpResponse:
    version = _version(code, label)
    return _achievement(request, version, None, get_object_or_404(CCS, version=version, code=ccs))


def encoded_list(bits: bytes) -> str:
    """The Bitstring Status List's ``encodedList``: "u" and the base64url (no padding) of the GZIP of the bits."""
    compressed = gzip.compress(bits, compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def status_list_credential(status_list: StatusList, key: keys.CredentialKey) -> dict[str, Any]:
    """The signed ``BitstringStatusListCredential`` of ``status_list``, as of its last change."""
    departement = status_list.authority.departement
    url = badges.status_list_url(departement, status_list.number)
    changed = badges.timestamp(status_list.changed_at)
    unsigned = {
        "@context": [linked_data.VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": badges.did(departement),
        "validFrom": changed,
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(bytes(status_list.bits)),
        },
    }
    method = badges.verification_method(departement, key.public_key)
    return data_integrity.sign(unsigned, key.private_key, method, changed)


def status_list_jwt(status_list: StatusList, key: keys.CredentialKey) -> str:
    """The same list secured as a JWT, the OB 3.0 way (header ``alg``, ``kid``, ``typ: JWT``; the payload is the
    credential with ``iss``, ``jti``, ``nbf`` and ``sub``): some verifiers read only this form (credentials.md)."""
    credential = {k: v for k, v in status_list_credential(status_list, key).items() if k != "proof"}
    departement = status_list.authority.departement
    payload = {
        **credential,
        "iss": credential["issuer"],
        "jti": credential["id"],
        "nbf": int(status_list.changed_at.timestamp()),
        "sub": credential["credentialSubject"]["id"],
    }
    method = badges.verification_method(departement, key.public_key)
    return jwt.encode(payload, key.private_key, algorithm="EdDSA", headers={"kid": method, "typ": "JWT"})


@require_GET
def status_list(request: HttpRequest, departement: str, number: int) -> HttpResponse:
    """An authority's status list, signed: a badge whose bit is set is revoked. JSON-LD with its Data Integrity
    proof, or a JWT for a client that asks for one (``Accept: application/vc+jwt``)."""
    authority, key = _authority_key(departement)
    found = StatusList.objects.select_related("authority").filter(authority=authority, number=number).first()
    if found is None:
        raise Http404("no such status list")
    preferred = request.get_preferred_type([*JSON_TYPES, *JWT_TYPES])
    if preferred in JWT_TYPES:
        response = HttpResponse(status_list_jwt(found, key), content_type=preferred)
        response["Access-Control-Allow-Origin"] = "*"
        response["Vary"] = "Accept"
    else:
        response = _json(status_list_credential(found, key))
    response["Cache-Control"] = "public, max-age=60"  # a revocation shows within a minute at most
    return response


def badge_status(badge: Badge) -> dict[str, Any]:
    if badge.revoked_on is None:
        return {"tone": "success", "text": _("Authentic and valid.")}
    return {"tone": "warning", "text": _("Authentic, but revoked by the authority.")}


@require_GET
@per_address("verify", "TITREPRO_VERIFY_RATE")
def badge_verify(request: HttpRequest, code: str) -> HttpResponse:
    """The badge whose code is in the URL: its credential as issued (JSON), or its page; 404 for any other."""
    if getattr(request, "limited", False):
        return limited(request)
    try:
        normalised = codes.normalise(code)
    except codes.BadCode as bad:
        raise Http404(bad_code_message(bad.reason)) from bad
    badge = Badge.objects.select_related("document", "authority", "version__title").filter(code=normalised).first()
    if badge is None:
        raise Http404("no such badge")
    with transaction.atomic():  # a look at the badge is a look at the result: counted for the holder
        Consultation.objects.create(document=badge.document, channel=Consultation.Channel.CODE)
    if wants_json(request):
        return _json(
            badge.credential, "application/vc+ld+json" if "vc" in request.headers.get("Accept", "") else JSON_LD
        )
    credential = badge.credential
    achieved = credential["credentialSubject"]["achievement"]
    return render(
        request,
        "credentials/badge.html",
        {
            "badge": badge,
            "achievement": achieved,
            "holder": credential["credentialSubject"]["identifier"][0]["identityHash"],
            "issuer": credential["issuer"],
            "verdict": badge_status(badge),
            "document_url": reverse("credentials:verify_code", args=[badge.document.printed_code]),
            # What the title version asks of a holder, in the public catalogue (issue 16: the badge page links it).
            "catalogue_url": reverse("catalogue:version_detail", args=[badge.version.title.code, badge.version.label]),
            "credential_json": json.dumps(credential, ensure_ascii=False, indent=2),
            "breadcrumb": crumbs((_("Verify a document"), reverse("credentials:verify")), (badge.printed_code, "")),
        },
    )
