"""Issuing the documents of a validated PV (R-73) on a real TSSR 2023 session, by the real task worker: a
parchemin for the title awarded, a livret for the partial success, each after the attestation de réussite that
stands for it until it is issued; each signed PDF checked by independent tools (pdfsig, qpdf, zbarimg, pdftotext),
sent to its holder, registered once however often issuance runs."""

from __future__ import annotations

import datetime
import hashlib
import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django_tasks_db.management.commands.db_worker import Worker
from tests.deliberation.world import held_session, validated
from tests.session_world import TSSR_FIRST_DAY
from tests.sessions.test_convocation_delivery import run_worker

from titrepro.audit.models import AuditEntry
from titrepro.core import dating
from titrepro.credentials import content, keys, services, signing, tasks
from titrepro.credentials.models import IssuedDocument, Kind, Status
from titrepro.deliberation.models import DocumentToIssue, IssuanceStatus

pytestmark = pytest.mark.django_db(transaction=True)

# Words of the access routes, which a certificate never prints (R-73: the document is the same whatever the route).
ROUTES = ("VAE", "validation des acquis", "formation continue", "apprentissage", "contrat de professionnalisation")


def tool(*command: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=60, check=False)  # noqa: S603


def text_of(path: Path) -> str:
    return tool("pdftotext", "-layout", path, "-").stdout


@pytest.fixture
def issued(builtin_catalogue: Any) -> tuple[Any, dict[str, IssuedDocument]]:
    """The session validated, then every queued task run: the documents issued and sent."""
    held = held_session()
    validated(held)
    mail.outbox.clear()
    run_worker()
    documents = {d.kind: d for d in IssuedDocument.objects.exclude(kind=Kind.ATTESTATION).select_related("holder")}
    return held, documents


def test_the_worker_issues_one_signed_document_per_entry_and_sends_it(
    issued: tuple[Any, dict[str, IssuedDocument]], tmp_path: Path, signing_keys: Path
) -> None:
    held, documents = issued
    first, second = held.registrations
    assert set(documents) == {Kind.PARCHEMIN, Kind.LIVRET}
    assert {(d.registration_id, d.kind) for d in documents.values()} == {
        (first.pk, Kind.PARCHEMIN),
        (second.pk, Kind.LIVRET),
    }
    assert set(DocumentToIssue.objects.values_list("status", flat=True)) == {IssuanceStatus.ISSUED}
    # Each result's attestation was issued first, then superseded by the document it stood for.
    attestations = IssuedDocument.objects.filter(kind=Kind.ATTESTATION).order_by("pk")
    assert [(a.registration_id, a.status, a.superseded_by) for a in attestations] == [
        (first.pk, Status.SUPERSEDED, documents[Kind.PARCHEMIN]),
        (second.pk, Status.SUPERSEDED, documents[Kind.LIVRET]),
    ]
    assert max(a.source_id or 0 for a in attestations) < min(d.source_id or 0 for d in documents.values())

    nss = tmp_path / "nss"
    nss.mkdir()
    assert tool("certutil", "-N", "-d", f"sql:{nss}", "--empty-password").returncode == 0
    assert (
        tool(
            "certutil", "-A", "-d", f"sql:{nss}", "-n", "ca", "-t", "CT,C,C", "-i", signing_keys / "ca.crt.pem"
        ).returncode
        == 0
    )
    for document in [*documents.values(), *attestations]:
        path = tmp_path / f"{document.kind}-{document.registration_id}.pdf"
        data = document.pdf.read()
        document.pdf.close()
        path.write_bytes(data)
        assert hashlib.sha256(data).hexdigest() == document.sha256
        assert data.startswith(b"%PDF-1.7")

        checked = tool("pdfsig", "-nssdir", f"sql:{nss}", path)
        assert "Signature is Valid." in checked.stdout, checked.stdout + checked.stderr
        assert "Certificate is Trusted." in checked.stdout, checked.stdout
        assert tool("qpdf", "--check", path).returncode == 0
        assert signing.check(data).verdict == signing.Verdict.VALID

        png = tmp_path / f"{document.kind}-{document.registration_id}"
        assert tool("pdftoppm", "-r", "150", "-png", "-singlefile", path, png).returncode == 0
        scanned = tool("zbarimg", "--quiet", "--raw", png.with_suffix(".png"))
        assert scanned.stdout.strip() == content.verification_url(document.code)

        text = text_of(path)
        for mention in (
            "RÉPUBLIQUE FRANÇAISE",
            "Ministère chargé de l’emploi",
            document.authority.name,
            "Technicien supérieur systèmes et réseaux",
            "Niveau 5",
            "TP-01351",
            "2023",
            document.holder.birth_name.upper(),
            document.holder.given_names,
            document.holder.birth_place,
            document.printed_code,
            document.minutes.number,
        ):
            assert mention in text, mention
        assert not [word for word in ROUTES if word.lower() in text.lower()]
        assert document.data["number"] == document.printed_code

    livret = text_of(tmp_path / f"livret-{second.pk}.pdf")
    assert "LIVRET DE CERTIFICATION" in livret
    assert "CCP 1" in livret
    assert "CCP 2" not in livret  # the partial success gave CCP 1 only
    assert "TITRE PROFESSIONNEL" in text_of(tmp_path / f"parchemin-{first.pk}.pdf")
    title_attested = " ".join(text_of(tmp_path / f"attestation-{first.pk}.pdf").split())
    assert "ATTESTATION DE RÉUSSITE" in title_attested
    assert "le titre professionnel" in title_attested
    assert "Provisoire" in title_attested
    ccps_attested = " ".join(text_of(tmp_path / f"attestation-{second.pk}.pdf").split())
    assert "CCP 1" in ccps_attested
    assert "CCP 2" not in ccps_attested

    # Each holder received theirs, the signed PDF attached; not the attestation, superseded by then.
    assert [m.subject for m in mail.outbox if m.subject.startswith("Votre")] == [
        "Votre titre professionnel",
        "Votre livret de certification",
    ]
    for document in documents.values():
        sent = [m for m in mail.outbox if document.printed_code in m.body]
        assert len(sent) == 1
        assert sent[0].to == [document.holder.email]
        (_name, attached, mimetype) = sent[0].attachments[0]
        assert (mimetype, hashlib.sha256(attached).hexdigest()) == ("application/pdf", document.sha256)
        document.refresh_from_db()
        assert document.notified_at is not None
    assert AuditEntry.objects.filter(action="document.issued").count() == 4


def test_issuing_twice_creates_nothing_the_second_time(issued: tuple[Any, dict[str, IssuedDocument]]) -> None:
    _held, documents = issued
    before = sorted(IssuedDocument.objects.values_list("pk", "sha256"))
    for entry in DocumentToIssue.objects.all():
        assert services.issue(entry.pk) == IssuedDocument.objects.get(source=entry)
    tasks.issue_documents.enqueue(documents[Kind.LIVRET].minutes_id)
    run_worker()
    assert sorted(IssuedDocument.objects.values_list("pk", "sha256")) == before
    assert AuditEntry.objects.filter(action="document.issued").count() == 4


def test_a_worker_stopped_in_the_middle_leaves_the_rest_to_the_next_one(
    builtin_catalogue: Any, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    """The worker dies while it signs the second document: the batch's transaction rolls back, and the worker
    stops there (as a killed one would, the batch's task never finishes). Started again, a worker finishes the
    PV from the successor the batch queued first: no document lost, none doubled, no file left behind."""
    held = held_session()
    real_sign = signing.sign
    calls: list[int] = []

    def dies_on_the_second(*args: Any, **kwargs: Any) -> bytes:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_sign(*args, **kwargs)

    monkeypatch.setattr(signing, "sign", dies_on_the_second)
    run_worker()  # the convocations queued when the session was convened
    validated(held)
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=2,  # the result notices, then the batch that dies
        worker_id="stopped",
        excluded_queue_names=[],
    )
    worker.run()
    # The four documents (two attestations, then the parchemin and the livret) were in one batch (one
    # transaction): all rolled back, the first's file deleted with it.
    assert IssuedDocument.objects.count() == 0
    assert DocumentToIssue.objects.filter(status=IssuanceStatus.TO_ISSUE).count() == 4
    assert not list((Path(settings.MEDIA_ROOT) / "documents").rglob("*.pdf"))
    run_worker()  # another worker, later
    assert IssuedDocument.objects.count() == 4
    assert set(DocumentToIssue.objects.values_list("status", flat=True)) == {IssuanceStatus.ISSUED}
    assert sorted(IssuedDocument.objects.values_list("source", flat=True)) == sorted(
        DocumentToIssue.objects.values_list("pk", flat=True)
    )
    assert len(list((Path(settings.MEDIA_ROOT) / "documents").rglob("*.pdf"))) == 4


def test_a_document_that_cannot_be_signed_is_not_issued(
    builtin_catalogue: Any, settings: Any, tmp_path: Path, signing_keys: Path
) -> None:
    held = held_session()
    settings.TITREPRO_KEYS_DIR = tmp_path / "no-keys"
    keys.clear_cache()
    validated(held)
    entry = DocumentToIssue.objects.order_by("pk").first()
    assert entry is not None
    with pytest.raises(services.IssuanceError, match=held.session.centre.authority.departement):
        services.issue(entry.pk)
    run_worker()  # the batch fails, is tried once more, then stops: the entries stay to be issued
    assert not IssuedDocument.objects.exists()
    assert set(DocumentToIssue.objects.values_list("status", flat=True)) == {IssuanceStatus.TO_ISSUE}
    assert not list((Path(settings.MEDIA_ROOT) / "documents").rglob("*.pdf"))
    # The keys put in place, the operator issues what was left.
    settings.TITREPRO_KEYS_DIR = signing_keys
    keys.clear_cache()
    out = io.StringIO()
    call_command("documents", "issue", stdout=out)
    assert "4 documents délivrés, 0 non délivrés" in out.getvalue()
    assert set(DocumentToIssue.objects.values_list("status", flat=True)) == {IssuanceStatus.ISSUED}
    call_command("documents", "issue", stdout=out)  # nothing more
    assert IssuedDocument.objects.count() == 4


def test_a_withdrawal_after_fraud_changes_the_status_at_once(
    issued: tuple[Any, dict[str, IssuedDocument]],
) -> None:
    from titrepro.deliberation import fraud

    held, documents = issued
    first = held.registrations[0]
    with dating.replaying(dating.today()):
        fraud.decide_fraud(held.world.agent, first, sanction="ban", reason="Fraude avérée.", withdraws=True)
    parchemin = IssuedDocument.objects.get(pk=documents[Kind.PARCHEMIN].pk)
    assert (parchemin.status, parchemin.status_reason) == (Status.WITHDRAWN, "Fraude avérée.")
    assert IssuedDocument.objects.get(pk=documents[Kind.LIVRET].pk).status == Status.VALID
    assert AuditEntry.objects.filter(action="document.withdrawn", object_id=str(parchemin.pk)).exists()


def test_an_appeal_that_completes_the_title_supersedes_the_livret_with_the_parchemin(
    issued: tuple[Any, dict[str, IssuedDocument]],
) -> None:
    """R-82, R-73: the livret of CCP 1 stays authentic, superseded by the parchemin of the corrective PV."""
    from tests.deliberation.world import ALL, file

    from titrepro.deliberation import appeals

    held, documents = issued
    second = held.registrations[1]
    appeal = file(second, TSSR_FIRST_DAY + datetime.timedelta(days=10))
    with dating.replaying(TSSR_FIRST_DAY + datetime.timedelta(days=20)):
        appeals.decide_appeal(
            held.world.agent, appeal, upheld=True, answer="Le CCP 2 était acquis.", result="title_awarded", ccps=ALL
        )
    run_worker()
    livret = IssuedDocument.objects.get(pk=documents[Kind.LIVRET].pk)
    parchemin = IssuedDocument.objects.get(holder=second.candidate, kind=Kind.PARCHEMIN)
    assert (livret.status, livret.superseded_by) == (Status.SUPERSEDED, parchemin)
    assert parchemin.printed_code in livret.status_reason
    assert parchemin.minutes.revision == 2
    assert parchemin.status == Status.VALID


def test_an_appeal_that_takes_a_ccp_back_withdraws_the_livret(
    issued: tuple[Any, dict[str, IssuedDocument]],
) -> None:
    from tests.deliberation.world import file

    from titrepro.deliberation import appeals

    held, documents = issued
    second = held.registrations[1]
    appeal = file(second, TSSR_FIRST_DAY + datetime.timedelta(days=10))
    with dating.replaying(TSSR_FIRST_DAY + datetime.timedelta(days=20)):
        appeals.decide_appeal(
            held.world.agent,
            appeal,
            upheld=True,
            answer="Le CCP 1 n’était pas acquis.",
            result="failure",
            reason="Aucune compétence démontrée.",
        )
    livret = IssuedDocument.objects.get(pk=documents[Kind.LIVRET].pk)
    assert (livret.status, livret.status_reason) == (Status.WITHDRAWN, "Le CCP 1 n’était pas acquis.")


def test_an_annulled_session_annuls_its_documents(issued: tuple[Any, dict[str, IssuedDocument]]) -> None:
    from titrepro.deliberation import fraud

    held, _documents = issued
    with dating.replaying(dating.today()):
        fraud.annul_session(held.world.agent, held.session, reason="Sujets divulgués avant l’épreuve.")
    assert set(IssuedDocument.objects.values_list("status", "status_reason")) == {
        (Status.ANNULLED, "Sujets divulgués avant l’épreuve.")
    }


def test_a_livret_rebuilt_after_a_second_ccp_lists_both_and_supersedes_the_first(
    issued: tuple[Any, dict[str, IssuedDocument]],
) -> None:
    """R-73: the livret lists every CCP held, each with its day and session; a new one supersedes the earlier."""
    from titrepro.candidates.models import Holding
    from titrepro.catalogue.models import CCP
    from titrepro.deliberation.models import Minutes
    from titrepro.sessions.models import ExamSession, Registration

    held, documents = issued
    first_livret = documents[Kind.LIVRET]
    second = held.registrations[1]
    later = TSSR_FIRST_DAY + datetime.timedelta(days=120)
    ccp2 = CCP.objects.get(version=held.session.version, number=2)
    Holding.objects.create(
        candidate=second.candidate,
        kind="ccp",
        version=held.session.version,
        ccp=ccp2,
        obtained_on=later,
        source="PV PV-LATER, session 2026-999-0001",
    )
    # What a later CCP session's validated PV queues for the candidate (written directly here).
    session = ExamSession.objects.get(pk=held.session.pk)
    session.pk, session.number, session.kind = None, "2026-999-0001", "ccp"
    session.first_day = session.last_day = later
    session.save()
    registration = Registration.objects.create(session=session, candidate=second.candidate, registered_on=later)
    minutes = Minutes.objects.create(session=session, revision=1, number="PV-LATER", status="validated")
    assert first_livret.source is not None
    entry = DocumentToIssue.objects.create(
        minutes=minutes, registration=registration, kind="livret", data=first_livret.source.data
    )
    rebuilt = services.issue(entry.pk)
    assert rebuilt is not None
    assert [(c["number"], c["source"]) for c in rebuilt.data["ccps"]] == [
        (1, first_livret.data["ccps"][0]["source"]),
        (2, "PV PV-LATER, session 2026-999-0001"),
    ]
    first_livret.refresh_from_db()
    assert (first_livret.status, first_livret.superseded_by) == (Status.SUPERSEDED, rebuilt)
    text = rebuilt.pdf.read().decode("latin-1", errors="ignore")
    rebuilt.pdf.close()
    assert text.startswith("%PDF-1.7")
