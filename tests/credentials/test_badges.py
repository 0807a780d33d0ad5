"""The digital badges (Open Badges 3.0, eddsa-rdfc-2022) issued with the documents of a validated TSSR 2023 PV:
one per title and CCP obtained, signed by the authority's Ed25519 key, resolvable on our host (the DID document,
the achievements, the status list), revoked at once when the result is withdrawn."""

from __future__ import annotations

import base64
import gzip
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from tests.deliberation.world import candidate_user
from tests.helpers import login_as

from titrepro.candidates.models import Holding
from titrepro.core import dating
from titrepro.credentials import badges, data_integrity, services
from titrepro.credentials.data_integrity import Check
from titrepro.credentials.models import Badge, Consultation, IssuedDocument, Kind
from titrepro.deliberation.models import DocumentToIssue

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/ld+json"}
PUBLIC = "http://127.0.0.1:8000"  # TITREPRO_PUBLIC_URL in the tests


def test_a_badge_per_title_and_ccp_obtained_signed_by_the_authority(issued: Any) -> None:
    first, second = issued.registrations
    parchemin = IssuedDocument.objects.get(kind=Kind.PARCHEMIN)
    livret = IssuedDocument.objects.get(kind=Kind.LIVRET)
    title_badges = Badge.objects.filter(holder=first.candidate).order_by("kind", "ccp__number")
    # The title and the CCPs it was awarded with (the world's session: CCP 1 and 2), with the parchemin; CCP 1
    # alone with the livret.
    assert [(b.kind, b.ccp.number if b.ccp else None) for b in title_badges] == [
        ("ccp", 1),
        ("ccp", 2),
        ("title", None),
    ]
    assert {b.document_id for b in title_badges} == {parchemin.pk}
    assert [(b.kind, b.ccp.number if b.ccp else None, b.document_id) for b in second.candidate.badges.all()] == [
        ("ccp", 1, livret.pk)
    ]
    assert not Badge.objects.filter(document__kind=Kind.ATTESTATION).exists()
    assert {b.holding.candidate_id for b in Badge.objects.all()} == {first.candidate_id, second.candidate_id}

    title = title_badges.get(kind="title")
    credential = title.credential
    assert credential["@context"] == badges.CONTEXT
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credential["id"] == badges.credential_url(title.code)
    assert credential["issuer"]["id"] == badges.did(parchemin.authority.departement)
    assert credential["issuer"]["id"].startswith("did:web:127.0.0.1%3A8000:badges:autorites:")
    achieved = credential["credentialSubject"]["achievement"]
    assert (achieved["achievementType"], achieved["humanCode"]) == ("Certification", "RNCP37682")
    assert achieved["name"] == "Titre professionnel Technicien supérieur systèmes et réseaux"
    assert [a["targetCode"] for a in achieved["alignment"]] == ["RNCP37682", "5"]
    assert credential["credentialSubject"]["identifier"][0]["identityHash"] == parchemin.data["holder"]["name"]
    assert credential["evidence"][0]["id"] == parchemin.data["url"]
    # What the PDF does not print is not in the badge either.
    text = str(credential)
    holder = first.candidate
    assert holder.email not in text
    assert holder.birth_date.isoformat() not in text
    ccp = title_badges.get(kind="ccp", ccp__number=1).credential["credentialSubject"]["achievement"]
    assert ccp["humanCode"] == ccp["alignment"][0]["targetCode"]
    assert ccp["humanCode"].startswith("RNCP37682BC")
    assert any(a["targetType"] == "ceasn:Competency" for a in ccp["alignment"])

    for badge in Badge.objects.all():
        assert data_integrity.verify(badge.credential, badges.known_key).check is Check.VALID


def test_issuing_twice_makes_no_second_badge(issued: Any) -> None:
    before = sorted(Badge.objects.values_list("pk", "code"))
    for entry in DocumentToIssue.objects.all():
        services.issue(entry.pk)
    assert sorted(Badge.objects.values_list("pk", "code")) == before


def test_the_verifier_finds_the_key_the_achievement_and_the_status_on_our_host(client: Client, issued: Any) -> None:
    badge = Badge.objects.filter(kind="ccp").select_related("authority").first()
    assert badge is not None
    credential = badge.credential
    departement = badge.authority.departement
    did = client.get(reverse("credentials:did_document", args=[departement]))
    assert did.status_code == 200
    document = did.json()
    assert document["id"] == credential["issuer"]["id"]
    [method] = document["verificationMethod"]
    assert method["id"] == credential["proof"]["verificationMethod"]
    assert method["controller"] == document["id"]
    assert document["assertionMethod"] == [method["id"]]
    assert data_integrity.public_key(method["publicKeyMultibase"]) is not None

    achieved = credential["credentialSubject"]["achievement"]
    path = achieved["id"].removeprefix(PUBLIC)
    answer = client.get(path, headers=JSON)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/ld+json")
    assert {k: v for k, v in answer.json().items() if k != "@context"} == achieved
    page = client.get(path, headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert page.status_code == 302
    assert page["Location"] == reverse("catalogue:version_detail", args=["TP-01351", badge.version.label])

    status = credential["credentialStatus"]
    listed = client.get(status["statusListCredential"].removeprefix(PUBLIC), headers=JSON).json()
    assert data_integrity.verify(listed, badges.known_key).check is Check.VALID
    bits = gzip.decompress(base64.urlsafe_b64decode(listed["credentialSubject"]["encodedList"][1:] + "=="))
    assert len(bits) * 8 == 131_072
    index = int(status["statusListIndex"])
    assert not bits[index // 8] & (0x80 >> (index % 8))

    import jwt

    token = client.get(
        status["statusListCredential"].removeprefix(PUBLIC), headers={"Accept": "application/vc+jwt"}
    ).content.decode()
    assert jwt.get_unverified_header(token) == {"alg": "EdDSA", "kid": method["id"], "typ": "JWT"}
    claims = jwt.decode(token, data_integrity.public_key(method["publicKeyMultibase"]), algorithms=["EdDSA"])
    assert (claims["iss"], claims["jti"], claims["sub"]) == (document["id"], listed["id"], listed["id"] + "#list")
    assert claims["credentialSubject"]["encodedList"] == listed["credentialSubject"]["encodedList"]

    mine = client.get(credential["id"].removeprefix(PUBLIC), headers=JSON)
    assert mine.json() == credential
    shown = client.get(credential["id"].removeprefix(PUBLIC)).content.decode()
    assert 'data-revoked="false"' in shown
    assert achieved["name"] in shown
    # The page links the title version in the public catalogue: what the holder's badge stands for.
    assert f'href="{reverse("catalogue:version_detail", args=["TP-01351", badge.version.label])}"' in shown
    # Each look at the badge counts, for its holder, as a verification of the document it came with.
    assert Consultation.objects.filter(document=badge.document_id, channel="code").count() == 2


def test_a_withdrawal_revokes_the_badges_at_once(client: Client, issued: Any) -> None:
    from titrepro.deliberation import fraud

    first = issued.registrations[0]
    with dating.replaying(dating.today()):
        fraud.decide_fraud(issued.world.agent, first, sanction="ban", reason="Fraude avérée.", withdraws=True)
    revoked = Badge.objects.filter(holder=first.candidate)
    assert revoked.count() == 3
    assert set(revoked.values_list("revoked_reason", flat=True)) == {"Fraude avérée."}
    assert not Holding.objects.filter(candidate=first.candidate, withdrawn_on=None).exists()
    other = Badge.objects.get(holder=issued.registrations[1].candidate)
    assert other.revoked_on is None
    for badge in revoked:
        status = badge.credential["credentialStatus"]
        listed = client.get(status["statusListCredential"].removeprefix(PUBLIC), headers=JSON).json()
        assert data_integrity.verify(listed, badges.known_key).check is Check.VALID
        bits = gzip.decompress(base64.urlsafe_b64decode(listed["credentialSubject"]["encodedList"][1:] + "=="))
        index = int(status["statusListIndex"])
        assert bits[index // 8] & (0x80 >> (index % 8))
    index = other.status_index
    assert not bits[index // 8] & (0x80 >> (index % 8))
    page = client.get(revoked[0].credential["id"].removeprefix(PUBLIC)).content.decode()
    assert 'data-revoked="true"' in page
    assert "Authentique, mais révoqué" in page


def test_the_holder_downloads_each_badge_as_json_and_baked_into_a_png_and_an_svg(client: Client, issued: Any) -> None:
    from titrepro.credentials import baking

    second = issued.registrations[1]
    badge = Badge.objects.get(holder=second.candidate)
    learner = login_as(client, candidate_user(second))
    html = learner.get(reverse("credentials_spaces:candidate_documents")).content.decode()
    assert f'id="badge-{badge.pk}" data-revoked="false"' in html
    assert badge.credential["credentialSubject"]["achievement"]["name"] in html
    files = {
        name: learner.get(reverse("credentials_spaces:candidate_badge_file", args=[badge.pk, name]))
        for name in ("json", "png", "svg")
    }
    assert {name: answer.status_code for name, answer in files.items()} == {"json": 200, "png": 200, "svg": 200}
    assert files["json"].json() == badge.credential
    png, svg = files["png"].content, files["svg"].content
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert b"iTXt" in png
    assert svg.lstrip().startswith(b"<svg") or b"<svg" in svg[:200]
    assert b'xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"' in svg
    for baked in (png, svg):
        credential = baking.unbake(baked)
        assert credential == badge.credential
        assert data_integrity.verify(credential, badges.known_key).check is Check.VALID
    assert baking.unbake(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20) is None
    assert baking.unbake(b"<svg></svg>") is None
    # Another holder's badge, or a format that is none: 404.
    other = Badge.objects.filter(holder=issued.registrations[0].candidate).first()
    assert other is not None
    assert learner.get(reverse("credentials_spaces:candidate_badge_file", args=[other.pk, "json"])).status_code == 404
    assert learner.get(reverse("credentials_spaces:candidate_badge_file", args=[badge.pk, "gif"])).status_code == 404


def _verify_command(path: Any) -> tuple[int, str]:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    with pytest.raises(SystemExit) as ended:
        call_command("verify", str(path), stdout=out, stderr=out)
    return int(str(ended.value.code)), out.getvalue()


def test_titrepro_verify_and_the_upload_page_answer_for_a_badge(client: Client, issued: Any, tmp_path: Any) -> None:
    """The same words and exit codes as for a PDF: valid 0, revoked 1, another key 2, altered 3, not a badge 4."""
    import copy
    import json

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from django.core.files.uploadedfile import SimpleUploadedFile

    from titrepro.credentials import baking

    badge = Badge.objects.filter(kind="title").select_related("authority").get()
    credential = badge.credential

    def write(name: str, value: Any) -> Any:
        path = tmp_path / name
        path.write_bytes(value if isinstance(value, bytes) else json.dumps(value).encode())
        return path

    altered = copy.deepcopy(credential)
    altered["credentialSubject"]["identifier"][0]["identityHash"] = "DUPONT Jean"
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    stranger = data_integrity.sign(
        unsigned, Ed25519PrivateKey.generate(), "did:web:example.org#z6MkStranger", credential["proof"]["created"]
    )
    answers = {
        name: _verify_command(write(name, value))
        for name, value in {
            "valid.json": credential,
            "altered.json": altered,
            "stranger.json": stranger,
            "unsigned.json": unsigned,
            "broken.json": b'{"@context": [',
            "not-a-credential.json": {"hello": "world"},
            "baked.svg": baking.baked_svg(badge),
        }.items()
    }
    assert {name: code for name, (code, _out) in answers.items()} == {
        "valid.json": 0,
        "altered.json": 3,
        "stranger.json": 2,
        "unsigned.json": 2,
        "broken.json": 4,
        "not-a-credential.json": 4,
        "baked.svg": 0,
    }
    assert "Authentique et valide." in answers["valid.json"][1]
    assert badge.printed_code in answers["valid.json"][1]
    assert "modifié après sa signature" in answers["altered.json"][1]
    assert "pas par une autorité de titrepro" in answers["stranger.json"][1]

    page = client.post(
        reverse("credentials:verify_file"),
        {"file": SimpleUploadedFile("badge.png", baking.baked_png(badge), content_type="image/png")},
    ).content.decode()
    assert 'data-code="valid" data-outcome="0"' in page
    assert reverse("credentials:badge_verify", args=[badge.printed_code]) in page
    page = client.post(
        reverse("credentials:verify_file"),
        {"file": SimpleUploadedFile("badge.json", json.dumps(altered).encode(), content_type="application/json")},
    ).content.decode()
    assert 'data-code="altered" data-outcome="3"' in page

    # Withdrawn after fraud: the badge is revoked, and says so.
    from titrepro.deliberation import fraud

    with dating.replaying(dating.today()):
        fraud.decide_fraud(
            issued.world.agent, issued.registrations[0], sanction="ban", reason="Fraude.", withdraws=True
        )
    code, out = _verify_command(write("revoked.json", credential))
    assert code == 1
    assert "révoqué" in out


def test_an_annulled_session_and_an_appeal_that_takes_a_ccp_back_revoke_the_badges(issued: Any) -> None:
    import datetime

    from tests.deliberation.world import file
    from tests.session_world import TSSR_FIRST_DAY

    from titrepro.deliberation import appeals, fraud

    second = issued.registrations[1]
    appeal = file(second, TSSR_FIRST_DAY + datetime.timedelta(days=10))
    with dating.replaying(TSSR_FIRST_DAY + datetime.timedelta(days=20)):
        appeals.decide_appeal(
            issued.world.agent,
            appeal,
            upheld=True,
            answer="Le CCP 1 n’était pas acquis.",
            result="failure",
            reason="Aucune compétence démontrée.",
        )
    ccp = Badge.objects.get(holder=second.candidate)
    assert (ccp.revoked_on, ccp.revoked_reason) == (
        TSSR_FIRST_DAY + datetime.timedelta(days=20),
        "Le CCP 1 n’était pas acquis.",
    )
    assert Badge.objects.filter(revoked_on=None).count() == 3  # the other candidate's title and CCPs

    with dating.replaying(dating.today()):
        fraud.annul_session(issued.world.agent, issued.session, reason="Sujets divulgués avant l’épreuve.")
    assert set(Badge.objects.values_list("revoked_reason", flat=True)) == {
        "Le CCP 1 n’était pas acquis.",
        "Sujets divulgués avant l’épreuve.",
    }
    assert not Badge.objects.filter(revoked_on=None).exists()
