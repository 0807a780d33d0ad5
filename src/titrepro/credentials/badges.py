"""What the digital badges say: Open Badges 3.0 credentials (W3C VC 2.0, context 3.0.3) of the titles, CCS and
CCPs obtained, their issuers and their achievements, as JSON-LD (docs/decisions/0044).

Every identifier resolves on our host (``settings.TITREPRO_PUBLIC_URL``):

- the issuer is the authority, ``did:web:<host>:badges:autorites:<département>`` (its DID document at
  ``/badges/autorites/<département>/did.json``), its key ``<did>#<Multikey>``;
- an achievement is a title version, one of its CCPs or CCSs, at ``/badges/realisations/<code>/<version>/``
  (``ccp/<n>/``, ``ccs/<code>/``): JSON-LD for a program, the catalogue's page for a person;
- a credential's ``id`` is its verification URL, ``/verifier/badges/<code>/``, which only its code finds;
- its status is a bit of the authority's status list, ``/badges/statuts/<département>/<n>/``.

The subject is the holder named as the PDF prints it (an ``IdentityObject`` of type name, not hashed: the
document prints it too), nothing more: no date of birth, no e-mail, never the access route.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from titrepro.catalogue.models import CCP, CCS, TitleVersion
from titrepro.core.dating import document_date
from titrepro.credentials import data_integrity, keys, linked_data
from titrepro.credentials.codes import grouped
from titrepro.credentials.models import BadgeKind

CONTEXT = [linked_data.VC_V2, linked_data.OB_V3]
RNCP_SEARCH = "https://www.francecompetences.fr/recherche/rncp/{number}/"
LEVELS_FRAMEWORK = "Cadre national des certifications professionnelles"
LEVELS_URL = "https://www.legifrance.gouv.fr/loda/id/JORFTEXT000037964754"  # décret n° 2019-14, the levels


def public(path: str) -> str:
    return str(settings.TITREPRO_PUBLIC_URL) + path


def did(departement: str) -> str:
    """The authority's ``did:web``: the host of the public URL (a port written %3A), then the path of its DID
    document, the ``did.json`` dropped."""
    parts = urlsplit(str(settings.TITREPRO_PUBLIC_URL))
    segments = [quote(parts.netloc, safe="")]
    path = reverse("credentials:did_document", args=[departement]).removesuffix("/did.json")
    segments += [quote(segment, safe="") for segment in (parts.path + path).split("/") if segment]
    return "did:web:" + ":".join(segments)


def verification_method(departement: str, key: Any) -> str:
    return f"{did(departement)}#{data_integrity.multikey(key)}"


def did_document(departement: str, key: Any) -> dict[str, Any]:
    """The authority's DID document: its Ed25519 key as a Multikey, for assertions (the credentials' proofs)."""
    identifier = did(departement)
    method = verification_method(departement, key)
    return {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": identifier,
        "alsoKnownAs": [public("/")],
        "verificationMethod": [
            {
                "id": method,
                "type": "Multikey",
                "controller": identifier,
                "publicKeyMultibase": data_integrity.multikey(key),
            }
        ],
        "assertionMethod": [method],
        "service": [{"id": f"{identifier}#site", "type": "LinkedDomains", "serviceEndpoint": public("/")}],
    }


def issuer(departement: str, name: str) -> dict[str, Any]:
    return {"id": did(departement), "type": ["Profile"], "name": name, "url": public("/")}


def achievement_url(version: TitleVersion, ccp: CCP | None = None, ccs: CCS | None = None) -> str:
    code, label = version.title.code, version.label
    if ccp is not None:
        return public(reverse("credentials:achievement_ccp", args=[code, label, ccp.number]))
    if ccs is not None:
        return public(reverse("credentials:achievement_ccs", args=[code, label, ccs.code]))
    return public(reverse("credentials:achievement_title", args=[code, label]))


def _rncp_alignment(code: str, name: str, kind: str) -> dict[str, Any]:
    number = code.removeprefix("RNCP").split("BC")[0]
    return {
        "type": ["Alignment"],
        "targetName": name,
        "targetCode": code,
        "targetFramework": _("National directory of vocational qualifications (RNCP)"),
        "targetType": kind,
        "targetUrl": RNCP_SEARCH.format(number=number),
    }


def _level_alignment(level: int) -> dict[str, Any]:
    return {
        "type": ["Alignment"],
        "targetName": _("Level %(level)s of the national framework of vocational qualifications") % {"level": level},
        "targetCode": str(level),
        "targetFramework": LEVELS_FRAMEWORK,
        "targetUrl": LEVELS_URL,
    }


def achievement(version: TitleVersion, ccp: CCP | None = None, ccs: CCS | None = None) -> dict[str, Any]:
    """The Achievement of a title version, or of one of its CCPs or CCSs (with its competences)."""
    title = version.title
    url = achievement_url(version, ccp, ccs)
    alignments: list[dict[str, Any]] = []
    part: CCP | CCS | None = ccp if ccp is not None else ccs
    if part is not None:
        competences = list(part.competences.order_by("position", "pk"))
        heading = f"CCP {part.number}" if isinstance(part, CCP) else f"CCS {part.code}"
        name = f"{heading} — {part.label}"
        description = _("%(part)s of the titre professionnel %(title)s (version %(version)s).") % {
            "part": heading,
            "title": title.label,
            "version": version.label,
        }
        narrative = "\n".join(
            [
                _(
                    "Awarded by the jury of a session of the titre professionnel, in view of the evaluations of the "
                    "competences of the block:"
                ),
                *(f"- {c.code} {c.label}" for c in competences),
            ]
        )
        human_code = part.rncp_block_code or f"{title.code} {heading}"
        if part.rncp_block_code:
            alignments.append(_rncp_alignment(part.rncp_block_code, name, "ext:RNCPBlock"))
        alignments += [
            {
                "type": ["Alignment"],
                "targetName": f"{c.code} {c.label}",
                "targetCode": c.code,
                "targetFramework": _("Reference framework of the titre professionnel %(title)s")
                % {"title": title.code},
                "targetType": "ceasn:Competency",
                "targetUrl": f"{url}#{c.code}",
            }
            for c in competences
        ]
        kind = "Certificate"
    else:
        name = f"{_('Titre professionnel')} {title.label}"
        description = title.description or name
        narrative = _(
            "Awarded by the jury of a session of the titre professionnel, to a candidate who obtained every "
            "certificate of professional competence (CCP) of the title and passed the final interview, or by the "
            "accumulation of the CCPs."
        )
        human_code = version.rncp_code or title.code
        if version.rncp_code:
            alignments.append(_rncp_alignment(version.rncp_code, name, "ceterms:Credential"))
        kind = "Certification"
    alignments.append(_level_alignment(title.level))
    return {
        "id": url,
        "type": ["Achievement"],
        "achievementType": kind,
        "name": name,
        "description": description,
        "criteria": {"id": url, "narrative": narrative},
        "humanCode": human_code,
        "version": version.label,
        "inLanguage": "fr",
        "alignment": alignments,
    }


def credential_url(code: str) -> str:
    return public(reverse("credentials:badge_verify", args=[grouped(code)]))


def status_list_url(departement: str, number: int) -> str:
    return public(reverse("credentials:status_list", args=[departement, number]))


def timestamp(moment: datetime.datetime) -> str:
    """An XML Schema dateTime in UTC to the second: "2026-12-04T10:00:00Z"."""
    return moment.astimezone(datetime.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def credential(
    *,
    code: str,
    kind: str,
    holder_name: str,
    departement: str,
    authority_name: str,
    achieved: dict[str, Any],
    awarded_on: datetime.date,
    evidence_url: str,
    minutes: str,
    status: tuple[int, int],
    issued_at: datetime.datetime | None = None,
) -> dict[str, Any]:
    """The unsigned ``OpenBadgeCredential`` of one title, CCS or CCP obtained: ``achieved`` its Achievement,
    ``evidence_url`` the verification URL of the PDF document issued with it (which names the PV ``minutes``),
    ``status`` (list number, index) its revocation entry."""
    moment = issued_at or timezone.now()
    heading = {BadgeKind.TITLE: _("Titre professionnel"), BadgeKind.CCP: "CCP", BadgeKind.CCS: "CCS"}[BadgeKind(kind)]
    list_url = status_list_url(departement, status[0])
    return {
        "@context": CONTEXT,
        "id": credential_url(code),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer(departement, authority_name),
        "validFrom": timestamp(moment),
        "awardedDate": timestamp(moment),
        "name": achieved["name"],
        "description": _("%(heading)s obtained on %(day)s (minutes %(minutes)s).")
        % {"heading": heading, "day": document_date(awarded_on), "minutes": minutes},
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": holder_name}
            ],
            "achievement": achieved,
        },
        "evidence": [
            {
                "id": evidence_url,
                "type": ["Evidence"],
                "name": _("Signed PDF document, minutes %(minutes)s") % {"minutes": minutes},
            }
        ],
        "credentialStatus": {
            "id": f"{list_url}#{status[1]}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status[1]),
            "statusListCredential": list_url,
        },
    }


def known_key(method: str) -> Any:
    """The public key of a verification method of ours (``<did>#<Multikey>`` of an authority with a credential
    key), or None: a badge signed by any other key is not ours."""
    identifier, _sep, fragment = method.partition("#")
    departement = identifier.rsplit(":", 1)[-1]
    if not fragment or not identifier.startswith("did:web:") or identifier != did(departement):
        return None
    try:
        key = keys.credential_key(departement).public_key
    except keys.NoSigningKey:
        return None
    return key if data_integrity.multikey(key) == fragment else None
