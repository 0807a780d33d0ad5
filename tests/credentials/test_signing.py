"""The documents' PAdES signature (titrepro.credentials.signing), read back by independent tools: poppler's
pdfsig (trusting the test CA through an NSS database), qpdf, asn1crypto for the CMS, and pyHanko's validator
through ``check``."""

from __future__ import annotations

import io
import re
import secrets
import subprocess
from pathlib import Path

import pypdf
import pytest
from asn1crypto import cms  # type: ignore[import-untyped]
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from tests.credentials import pki

from titrepro.credentials import keys, signing
from titrepro.credentials.signing import Verdict


@pytest.fixture
def folder(settings, tmp_path) -> Path:
    return pki.keys_folder(settings, tmp_path / "keys")


@pytest.fixture
def signed(folder) -> bytes:
    return signing.sign(
        pki.unsigned_pdf(),
        keys.signing_key("75"),
        name="Mme Claire DUVAL",
        reason="Parchemin n° 2027-075-0042-0007",
        location="DREETS Île-de-France — Unité départementale de Paris",
    )


def test_pdfsig_finds_the_signature_valid_and_the_ca_trusted(folder, signed, tmp_path) -> None:
    untrusting = pki.pdfsig(signed, tmp_path)
    assert "Signature is Valid." in untrusting
    assert "Certificate is Trusted." not in untrusting
    nss = pki.nss_database(tmp_path / "nss", folder / keys.CA_CERTIFICATE)
    report = pki.pdfsig(signed, tmp_path, nss)
    assert "Signature is Valid." in report
    assert "Certificate is Trusted." in report
    assert "Total document signed" in report
    assert "Signer Certificate Common Name: DREETS Île-de-France — Unité départementale de Paris" in report
    assert "Signature Type: ETSI.CAdES.detached" in report


def test_qpdf_finds_the_signed_file_sound(signed, tmp_path) -> None:
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    subprocess.run([pki.tool("qpdf"), "--check", str(path)], check=True, capture_output=True)  # noqa: S603


def test_an_incremental_update_that_stays_pdf_1_7(signed) -> None:
    assert signed.startswith(pki.unsigned_pdf())
    assert signed.startswith(b"%PDF-1.7\n")
    root = PdfFileReader(io.BytesIO(signed)).root
    assert "/Version" not in root
    assert list(root["/Extensions"]) == ["/ESIC"]  # no ISO/TS 32002, which means PDF 2.0
    assert root["/Extensions"]["/ESIC"]["/BaseVersion"] == "/1.7"


def test_the_cms_has_exactly_the_pades_signed_attributes(signed) -> None:
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    content = cms.ContentInfo.load(signature.pkcs7_content)
    signer_info = content["content"]["signer_infos"][0]
    attributes = [attribute["type"].native for attribute in signer_info["signed_attrs"]]
    assert attributes == ["content_type", "message_digest", "signing_certificate_v2"]  # no signing_time
    assert signer_info["signature_algorithm"]["algorithm"].native == "sha256_ecdsa"
    assert signer_info["digest_algorithm"]["algorithm"].native == "sha256"
    certificates = [c.chosen.subject.native["common_name"] for c in content["content"]["certificates"]]
    assert sorted(certificates) == ["DREETS Île-de-France — Unité départementale de Paris", keys.CA_NAME]


def test_the_cms_built_once_is_the_one_pyhanko_builds(folder) -> None:
    """The template signer splices the digest and the signature into the bytes pyHanko itself would write."""
    signer = signing._template_signer(keys.signing_key("75"))
    digest = secrets.token_bytes(32)
    own = signing._run(signers.Signer.async_sign(signer, digest, "sha256", use_pades=True))
    signature = own["content"]["signer_infos"][0]["signature"].native
    assert signer.cms(signer.signed_attributes(digest), signature) == own.dump()


def test_the_pdfa_metadata_are_kept_as_typst_wrote_them(signed) -> None:
    original = PdfFileReader(io.BytesIO(pki.unsigned_pdf()))
    reader = PdfFileReader(io.BytesIO(signed))
    xmp = reader.root["/Metadata"].data
    assert b"<pdfaid:part>2</pdfaid:part>" in xmp
    assert b"<pdfaid:conformance>B</pdfaid:conformance>" in xmp
    assert xmp == original.root["/Metadata"].data
    assert reader.trailer["/Info"] == original.trailer["/Info"]  # no producer, no modification date
    assert len(reader.root["/OutputIntents"]) == 1
    intent = reader.root["/OutputIntents"][0]
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].data[16:20] == b"RGB "  # the ICC profile's colour space
    annotation = reader.root["/AcroForm"]["/Fields"][0]
    assert annotation["/Rect"] == [0, 0, 0, 0]  # invisible: PDF/A asks no appearance of it
    assert annotation["/F"] & 4  # printed, as PDF/A requires of every annotation


def test_check_finds_a_signed_document_valid(signed) -> None:
    report = signing.check(signed)
    assert report.verdict == Verdict.VALID
    assert report.signer == "DREETS Île-de-France — Unité départementale de Paris"
    assert report.signed_at is not None  # the signature dictionary's /M: there is no signing time in the CMS


def test_a_byte_changed_in_the_signed_range_is_altered(signed) -> None:
    changed = signed.replace(b"<pdfaid:part>2</pdfaid:part>", b"<pdfaid:part>3</pdfaid:part>")
    assert len(changed) == len(signed)
    assert changed != signed
    assert signing.check(changed).verdict == Verdict.ALTERED


def test_a_changed_signature_is_altered(signed) -> None:
    signature = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0]
    content = cms.ContentInfo.load(signature.pkcs7_content)
    value = content["content"]["signer_infos"][0]["signature"].native
    last = value.hex().upper().encode()
    forged = last[:-2] + (b"00" if last[-2:] != b"00" else b"01")
    assert signed.count(last) == 1
    assert signing.check(signed.replace(last, forged)).verdict == Verdict.ALTERED


@pytest.mark.parametrize("appended", [b"\n", b"% a comment\n"])
def test_bytes_appended_after_the_signature_are_altered(signed, appended) -> None:
    report = signing.check(signed + appended)
    assert report.verdict == Verdict.ALTERED
    assert f"of {len(signed) + len(appended)}" in report.detail


def test_an_update_appended_after_the_signature_is_altered(signed) -> None:
    writer = pypdf.PdfWriter(io.BytesIO(signed), incremental=True)
    writer.add_metadata({"/Title": "Parchemin falsifié"})
    output = io.BytesIO()
    writer.write(output)
    assert output.getvalue().startswith(signed)
    assert signing.check(output.getvalue()).verdict == Verdict.ALTERED


def test_a_key_of_another_ca_is_an_unknown_signer(settings, folder, tmp_path) -> None:
    pki.keys_folder(settings, tmp_path / "elsewhere")  # its own CA, with a key for Paris
    stranger = signing.sign(pki.unsigned_pdf(), keys.signing_key("75"), name="X", reason="X", location="X")
    report = signing.check(stranger, pki.read_ca(folder)[1:])
    assert report.verdict == Verdict.UNKNOWN_SIGNER
    assert report.signer == "DREETS Île-de-France — Unité départementale de Paris"
    settings.TITREPRO_KEYS_DIR = folder
    assert signing.check(stranger).verdict == Verdict.UNKNOWN_SIGNER
    assert signing.check(stranger, []).verdict == Verdict.UNKNOWN_SIGNER


def test_trust_given_replaces_the_roots_of_the_keys_folder(folder, signed) -> None:
    assert signing.check(signed, pki.read_ca(folder)[1:]).verdict == Verdict.VALID


def test_an_unsigned_pdf() -> None:
    assert signing.check(pki.unsigned_pdf()).verdict == Verdict.UNSIGNED


@pytest.mark.parametrize("cut", [b"hello", b"", b"%PDF-1.7\n", "half"])
def test_what_is_not_a_pdf(signed, cut) -> None:
    content = signed[: len(signed) // 2] if cut == "half" else cut
    report = signing.check(content)
    assert report.verdict == Verdict.NOT_PDF
    assert report.detail


def test_an_encrypted_pdf(signed, tmp_path) -> None:
    source, encrypted = tmp_path / "signed.pdf", tmp_path / "encrypted.pdf"
    source.write_bytes(signed)
    command = [pki.tool("qpdf"), "--encrypt", "u", "o", "256", "--", str(source), str(encrypted)]
    subprocess.run(command, check=True, capture_output=True)  # noqa: S603
    assert signing.check(encrypted.read_bytes()).verdict == Verdict.ENCRYPTED


def test_the_signature_dictionary_says_who_why_and_where(signed) -> None:
    dictionary = PdfFileReader(io.BytesIO(signed)).embedded_signatures[0].sig_object
    assert dictionary["/Name"] == "Mme Claire DUVAL"
    assert dictionary["/Reason"] == "Parchemin n° 2027-075-0042-0007"
    assert dictionary["/SubFilter"] == "/ETSI.CAdES.detached"
    assert re.fullmatch(r"D:\d{14}.*", dictionary["/M"])
