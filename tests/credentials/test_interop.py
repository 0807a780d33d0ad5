"""Our badges checked by an independent verifier: the Digital Bazaar JS stack from npm (``tests/interop/``, its
lock file committed, installed by ``make interop``), with an offline document loader serving what our host
serves (the OB 3.0 context, the DID document, the status list): it accepts a badge, refuses a tampered copy,
and reports a revoked badge revoked (credentials.md: it still says ``verified`` then; the bit is in the status
results)."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from titrepro.core import dating
from titrepro.credentials import linked_data
from titrepro.credentials.models import Badge

pytestmark = pytest.mark.django_db

INTEROP = Path(__file__).resolve().parents[1] / "interop"
PUBLIC = "http://127.0.0.1:8000"
JSON = {"Accept": "application/ld+json"}


def _node() -> str:
    node = shutil.which("node")
    if node is None or not (INTEROP / "node_modules" / "@digitalbazaar" / "vc").is_dir():
        pytest.fail("the JS verifier is not installed: run `make interop` (Node 20 and npm)")
    return node


def served(client: Client, url: str) -> Any:
    """What our host serves at ``url`` (a did:web resolved as its DID document), as a verifier would fetch it."""
    if url.startswith("did:web:"):
        path = "/" + "/".join(url.removeprefix("did:web:").split(":")[1:]) + "/did.json"
    else:
        path = url.removeprefix(PUBLIC)
    answer = client.get(path, headers=JSON)
    assert answer.status_code == 200, (url, answer.status_code)
    return answer.json()


def js_verify(client: Client, credential: dict[str, Any]) -> dict[str, Any]:
    documents = {
        linked_data.OB_V3: linked_data.context(linked_data.OB_V3),
        credential["issuer"]["id"]: served(client, credential["issuer"]["id"]),
        credential["credentialStatus"]["statusListCredential"]: served(
            client, credential["credentialStatus"]["statusListCredential"]
        ),
    }
    done = subprocess.run(  # noqa: S603
        [_node(), str(INTEROP / "verify.mjs")],
        input=json.dumps({"credential": credential, "documents": documents}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=INTEROP,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def test_the_digital_bazaar_verifier_accepts_our_badges_and_refuses_a_tampered_copy(
    client: Client, issued: Any
) -> None:
    for badge in Badge.objects.order_by("pk"):
        result = js_verify(client, badge.credential)
        assert result["verified"] is True, result
        assert (result["statusVerified"], result["revoked"]) == (True, False)
    credential = Badge.objects.filter(kind="title").get().credential
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "DUPONT Jean"
    result = js_verify(client, tampered)
    assert result["verified"] is False
    assert "signature" in result["error"].lower() or "verif" in result["error"].lower(), result


def test_the_digital_bazaar_verifier_reports_a_revoked_badge(client: Client, issued: Any) -> None:
    from titrepro.deliberation import fraud

    first = issued.registrations[0]
    with dating.replaying(dating.today()):
        fraud.decide_fraud(issued.world.agent, first, sanction="ban", reason="Fraude.", withdraws=True)
    badge = Badge.objects.filter(holder=first.candidate, kind="title").get()
    result = js_verify(client, badge.credential)
    assert result["revoked"] is True, result


def _openbadgeslib_fetch(client: Client) -> Any:
    """openbadgeslib's ``download``, answered by our host through the test client: the DID document (did:web
    resolves to https://<host>/…/did.json) and the status list as a JWT, the only form it reads."""

    def download(url: str) -> bytes:
        path = url.split("://", 1)[-1].split("/", 1)[-1]
        accept = "application/vc+jwt" if "/badges/statuts/" in url else "application/json"
        answer = client.get("/" + path, headers={"Accept": accept})
        assert answer.status_code == 200, (url, answer.status_code)
        return bytes(answer.content)

    return download


def test_openbadgeslib_accepts_our_badges_refuses_a_tampered_copy_and_sees_the_revocation(
    client: Client, issued: Any
) -> None:
    from openbadgeslib.ob3.ldp import OB3LdpVerifier
    from openbadgeslib.ob3.verifier import OB3VerificationError

    from titrepro.deliberation import fraud

    download = _openbadgeslib_fetch(client)
    for badge in Badge.objects.order_by("pk"):
        verified = OB3LdpVerifier().verify(json.dumps(badge.credential), check_status=True, download=download)
        assert verified.issuer.id == badge.credential["issuer"]["id"]
    credential = Badge.objects.filter(kind="title").get().credential
    tampered = copy.deepcopy(credential)
    tampered["credentialSubject"]["identifier"][0]["identityHash"] = "DUPONT Jean"
    with pytest.raises(OB3VerificationError):
        OB3LdpVerifier().verify(json.dumps(tampered), check_status=True, download=download)

    with dating.replaying(dating.today()):
        fraud.decide_fraud(
            issued.world.agent, issued.registrations[0], sanction="ban", reason="Fraude.", withdraws=True
        )
    with pytest.raises(OB3VerificationError, match="status 'revocation' is set"):
        OB3LdpVerifier().verify(json.dumps(credential), check_status=True, download=download)
