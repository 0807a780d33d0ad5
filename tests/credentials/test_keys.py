"""The authorities' signing keys (titrepro.credentials.keys) and ``titrepro keys``."""

from __future__ import annotations

import stat
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.core.management import CommandError, call_command
from tests.credentials import pki
from tests.factories import make_authority

from titrepro.credentials import keys

pytestmark = pytest.mark.django_db

PARIS_FILES = [
    "ca.key.pem",
    "ca.crt.pem",
    "authority-75.key.pem",
    "authority-75.crt.pem",
    "authority-75.ed25519.pem",
]


@pytest.fixture
def folder(settings, tmp_path):
    return pki.keys_folder(settings, tmp_path / "keys")


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_init_makes_a_ca_and_a_key_per_authority_then_nothing(tmp_path) -> None:
    folder = tmp_path / "keys"
    written = keys.init_keys([pki.PARIS], folder=folder)
    assert [path.name for path in written] == PARIS_FILES
    assert mode(folder) == 0o700
    assert mode(folder / "ca.key.pem") == mode(folder / "authority-75.key.pem") == 0o600
    assert mode(folder / "authority-75.ed25519.pem") == 0o600
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    assert keys.init_keys([pki.PARIS], folder=folder) == []
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before
    # A new authority is issued by the CA kept.
    assert [path.name for path in keys.init_keys([pki.PARIS, pki.LYON], folder=folder)] == [
        "authority-69.key.pem",
        "authority-69.crt.pem",
        "authority-69.ed25519.pem",
    ]
    assert (folder / "ca.crt.pem").read_bytes() == before["ca.crt.pem"]
    # An authority given its PDF key before the credentials existed gets its Ed25519 key alone.
    (folder / "authority-75.ed25519.pem").unlink()
    assert [path.name for path in keys.init_keys([pki.PARIS], folder=folder)] == ["authority-75.ed25519.pem"]
    assert (folder / "authority-75.key.pem").read_bytes() == before["authority-75.key.pem"]


def test_the_credential_key_is_read_once_and_refused_when_it_is_not_ed25519(folder) -> None:
    from titrepro.credentials import data_integrity

    key = keys.credential_key("75")
    assert keys.credential_key("75") is key
    assert data_integrity.multikey(key.public_key).startswith("z6Mk")
    (folder / "authority-69.ed25519.pem").write_bytes((folder / "authority-75.key.pem").read_bytes())  # P-256
    keys.clear_cache()
    with pytest.raises(keys.NoSigningKey, match="not an Ed25519 key"):
        keys.credential_key("69")
    with pytest.raises(keys.NoSigningKey, match=r"no authority-13\.ed25519\.pem"):
        keys.credential_key("13")
    with pytest.raises(keys.NoSigningKey, match="not a département code"):
        keys.credential_key("../x")


def test_the_certificates_carry_the_extensions_validators_accept(folder) -> None:
    key = keys.signing_key("75")
    [ca] = key.chain
    now = datetime.now(UTC)
    assert ca.subject == ca.issuer
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).critical
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.path_length == 0
    usage = ca.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert (usage.value.key_cert_sign, usage.value.crl_sign, usage.value.digital_signature) == (True, True, False)
    assert ca.not_valid_after_utc - now > timedelta(days=9 * 365)

    signer = key.certificate
    assert signer.issuer == ca.subject
    assert signer.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == pki.PARIS[1]
    assert signer.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "Ministère chargé de l’emploi"
    assert signer.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "FR"
    assert not signer.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    usage = signer.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical
    assert (usage.value.digital_signature, usage.value.content_commitment, usage.value.key_cert_sign) == (
        True,
        True,
        False,
    )
    identifier = signer.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value.key_identifier
    assert identifier == ca.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
    with pytest.raises(x509.ExtensionNotFound):
        signer.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert timedelta(days=2 * 365) < signer.not_valid_after_utc - now < timedelta(days=4 * 365)
    assert isinstance(key.private_key.curve, ec.SECP256R1)


def test_a_long_authority_name_is_cut_to_what_a_certificate_holds(tmp_path) -> None:
    name = "Direction départementale de l’emploi, du travail et des solidarités des Bouches-du-Rhône"
    keys.init_keys([("13", name)], folder=tmp_path)
    certificate = x509.load_pem_x509_certificate((tmp_path / "authority-13.crt.pem").read_bytes())
    common_name = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert isinstance(common_name, str)
    assert name.startswith(common_name)
    assert 60 < len(common_name.encode()) <= 64  # bytes of UTF-8: "é" and "’" count for two and three


def test_a_key_is_read_once(folder) -> None:
    assert keys.signing_key("75") is keys.signing_key("75")
    keys.clear_cache()
    assert keys.signing_key("75").certificate == keys.signing_key("75").certificate


def test_a_missing_key_names_the_departement_and_the_files(folder) -> None:
    with pytest.raises(
        keys.NoSigningKey,
        match=r"département 69: no authority-69\.p12, and authority-69\.key\.pem and authority-69\.crt\.pem missing",
    ) as raised:
        keys.signing_key("69")
    assert raised.value.departement == "69"
    (folder / "authority-75.crt.pem").unlink()
    keys.clear_cache()
    with pytest.raises(keys.NoSigningKey, match=r"département 75: .* authority-75\.crt\.pem missing"):
        keys.signing_key("75")


def test_what_is_not_a_departement_is_no_file_name(folder) -> None:
    with pytest.raises(keys.NoSigningKey, match="not a département code"):
        keys.signing_key("../75")


def test_a_pkcs12_file_is_opened_with_the_password(settings, folder) -> None:
    pem = keys.signing_key("75")
    for name in ("authority-75.key.pem", "authority-75.crt.pem"):
        (folder / name).unlink()
    encryption = serialization.BestAvailableEncryption(b"mot de passe")
    p12 = pkcs12.serialize_key_and_certificates(b"75", pem.private_key, pem.certificate, list(pem.chain), encryption)
    (folder / "authority-75.p12").write_bytes(p12)
    settings.TITREPRO_KEYS_PASSWORD = "mot de passe"
    keys.clear_cache()
    key = keys.signing_key("75")
    assert key.certificate == pem.certificate
    assert key.chain == pem.chain
    settings.TITREPRO_KEYS_PASSWORD = "autre chose"
    keys.clear_cache()
    with pytest.raises(keys.NoSigningKey, match=r"département 75: its files .* cannot be read"):
        keys.signing_key("75")


def write_pair(folder, departement: str, key, certificate: x509.Certificate) -> None:
    (folder / f"authority-{departement}.key.pem").write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    (folder / f"authority-{departement}.crt.pem").write_bytes(pki.pem(certificate))


def test_a_key_on_another_curve_is_refused(folder) -> None:
    ca_key, ca = pki.read_ca(folder)
    key = ec.generate_private_key(ec.SECP384R1())
    write_pair(folder, "69", key, pki.issue(key, ca_key, ca, "DDETS du Rhône"))
    with pytest.raises(keys.NoSigningKey, match="not an ECDSA P-256 key"):
        keys.signing_key("69")


def test_a_key_that_is_not_the_certificates_is_refused(folder) -> None:
    ca_key, ca = pki.read_ca(folder)
    certified = ec.generate_private_key(ec.SECP256R1())
    write_pair(
        folder, "69", ec.generate_private_key(ec.SECP256R1()), pki.issue(certified, ca_key, ca, "DDETS du Rhône")
    )
    with pytest.raises(keys.NoSigningKey, match="does not match the certificate"):
        keys.signing_key("69")


def test_the_chain_file_comes_before_the_ca_file(folder) -> None:
    ca_key, ca = pki.read_ca(folder)
    intermediate_key = ec.generate_private_key(ec.SECP256R1())
    intermediate = pki.issue(intermediate_key, ca_key, ca, "Intermediate")
    (folder / "chain.pem").write_bytes(pki.pem(intermediate) + pki.pem(ca))
    assert keys.signing_key("75").chain == (intermediate, ca)


def test_the_roots_trusted_and_the_chain_published(folder, tmp_path) -> None:
    _, ca = pki.read_ca(folder)
    keys.init_keys([pki.LYON], folder=tmp_path / "other")  # another CA: its root is added to ours
    other = pki.read_ca(tmp_path / "other")[1]
    (folder / "roots").mkdir()
    (folder / "roots" / "other.pem").write_bytes(pki.pem(other))
    assert keys.trust_roots() == [ca, other]
    published = x509.load_pem_x509_certificates(keys.published_chain_pem())
    assert published == [ca, other, keys.signing_key("75").certificate]


def test_the_command_makes_the_keys_of_the_authorities_in_the_database(settings, tmp_path, capsys) -> None:
    settings.TITREPRO_KEYS_DIR = tmp_path / "keys"
    make_authority(departement="75", name=pki.PARIS[1])
    make_authority(departement="69", name=pki.LYON[1])
    call_command("keys", "init")
    out = capsys.readouterr().out
    for name in ["ca.crt.pem", "authority-69.key.pem", "authority-69.crt.pem", "authority-75.crt.pem"]:
        assert str(tmp_path / "keys" / name) in out
    assert keys.signing_key("69").certificate.subject.rfc4514_string().startswith("C=FR,O=Ministère")
    call_command("keys", "init")
    assert str(tmp_path / "keys") in capsys.readouterr().out  # nothing written, said so
    call_command("keys", "show")
    shown = capsys.readouterr().out.splitlines()
    assert shown[0].startswith(f"69 {pki.LYON[1]}: C=FR,O=Ministère chargé de l’emploi,CN={pki.LYON[1]}")
    assert shown[1].startswith(f"75 {pki.PARIS[1]}: ")
    assert "; clé des badges numériques z6Mk" in shown[1]


def test_the_command_writes_where_it_is_told(tmp_path, capsys) -> None:
    make_authority(departement="75", name=pki.PARIS[1])
    call_command("keys", "init", "--dir", str(tmp_path / "elsewhere"))
    assert (tmp_path / "elsewhere" / "authority-75.key.pem").is_file()


def test_the_command_shows_an_authority_that_cannot_sign(settings, tmp_path, capsys) -> None:
    settings.TITREPRO_KEYS_DIR = tmp_path / "keys"
    make_authority(departement="69", name=pki.LYON[1])
    call_command("keys", "show")
    assert "authority-69.key.pem" in capsys.readouterr().out


def test_the_command_refuses_development_keys_in_production(settings, tmp_path) -> None:
    settings.ENV = "production"
    settings.TITREPRO_KEYS_DIR = tmp_path / "keys"
    make_authority(departement="75", name=pki.PARIS[1])
    with pytest.raises(CommandError):
        call_command("keys", "init")
    assert not (tmp_path / "keys").exists()
