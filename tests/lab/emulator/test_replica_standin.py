"""The REPLICA STAND-IN: an explicit, explained choice of lab/rules/server_identity, a
certificate that copies the configured subject and SANs under an obviously named CA, and the
key checks of a replica's PKCS#12 files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID

from harness.pki import IssuedIdentity, LabCA
from lab.emulator.device import Device, Interface, Keypair, Trustpoint
from lab.emulator.replica_keys import ReplicaKeyError, pkcs12_bytes, replica_keys
from lab.emulator.replica_standin import (
    STAND_IN_CA_NAME,
    StandInAuthority,
    is_stand_in_certificate,
    stands_in_for,
)
from lab.rules.server_identity import (
    choose_server_identity,
    device_key_lookup,
    select_server_identity,
)

PASSPHRASE = b"p12-passphrase-for-tests"


@pytest.fixture(scope="module")
def ca() -> LabCA:
    return LabCA("Replica Test Root", key="ec256")


@pytest.fixture(scope="module")
def server(ca: LabCA) -> IssuedIdentity:
    return ca.issue_server("vpn.corp.example", sans=["vpn2.corp.example"], key="ec256")


@pytest.fixture(scope="module")
def temporary(ca: LabCA) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    identity = ca.issue_server("temporary", key="ec256")
    assert isinstance(identity.private_key, ec.EllipticCurvePrivateKey)
    return identity.certificate, identity.private_key


def device_with(server: IssuedIdentity, ca: LabCA, *, key: bool) -> Device:
    device = Device()
    device.interfaces["Gi0/0"] = Interface("Gi0/0", nameif="outside")
    device.webvpn.enabled_interfaces.append("outside")
    tp = Trustpoint("VPN", keypair="VPN-KEY", identity_certificate=server.certificate)
    tp.ca_certificates.append(ca.certificate)
    device.trustpoints["VPN"] = tp
    device.ssl.interface_trustpoints["outside"] = "VPN"
    if key:
        now = dt.datetime.now(dt.UTC)
        device.keypairs["VPN-KEY"] = Keypair("VPN-KEY", server.private_key, now)
    return device


def test_without_stand_ins_a_trustpoint_without_its_key_is_skipped(
    server: IssuedIdentity,
    ca: LabCA,
    temporary: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
) -> None:
    device = device_with(server, ca, key=False)
    served = select_server_identity(device, "outside", None, temporary)
    assert served.source == "temporary" and not served.stand_in
    assert "keypair VPN-KEY does not exist" in served.explanation


def test_a_stand_in_is_an_explained_choice(
    server: IssuedIdentity,
    ca: LabCA,
    temporary: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
) -> None:
    device = device_with(server, ca, key=False)
    choice = choose_server_identity(
        device, "outside", None, keys=device_key_lookup(device), stand_ins={"VPN"}
    )
    assert choice.stand_in and choice.trustpoint == "VPN" and choice.source == "interface"
    assert choice.certificate == server.certificate
    assert "REPLICA STAND-IN" in choice.explanation and "private key" in choice.explanation
    stand_ins = StandInAuthority().stand_ins(device)
    served = select_server_identity(device, "outside", None, temporary, stand_ins=stand_ins)
    assert served.stand_in and served.configured_certificate == server.certificate
    assert served.chain == (stand_ins["VPN"].certificate, stand_ins["VPN"].ca_certificates[0])


def test_a_trustpoint_with_its_key_never_gets_a_stand_in(
    server: IssuedIdentity,
    ca: LabCA,
    temporary: tuple[x509.Certificate, ec.EllipticCurvePrivateKey],
) -> None:
    device = device_with(server, ca, key=True)
    assert StandInAuthority().stand_ins(device) == {}
    served = select_server_identity(device, "outside", None, temporary)
    assert served.certificate == server.certificate and not served.stand_in
    assert served.chain == (server.certificate, ca.certificate)


def test_the_stand_in_copies_subject_sans_eku_and_validity_under_the_stand_in_ca(
    server: IssuedIdentity, ca: LabCA
) -> None:
    device = device_with(server, ca, key=False)
    authority = StandInAuthority()
    stand_in = authority.stand_ins(device)["VPN"]
    certificate = stand_in.certificate
    assert certificate.subject == server.certificate.subject
    assert certificate.issuer == STAND_IN_CA_NAME
    assert "REPLICA STAND-IN" in certificate.issuer.rfc4514_string()
    san = certificate.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["vpn.corp.example", "vpn2.corp.example"]
    eku = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.SERVER_AUTH]
    assert certificate.not_valid_after_utc == server.certificate.not_valid_after_utc
    assert certificate != server.certificate
    certificate.verify_directly_issued_by(authority.ca_certificate)
    assert is_stand_in_certificate(certificate) and stands_in_for(certificate, server.certificate)
    assert not is_stand_in_certificate(server.certificate)
    # The same configured certificate gets the same stand-in (stable across reloads).
    assert authority.stand_ins(device)["VPN"] == stand_in


def write_p12(tmp_path: Path, identity: IssuedIdentity, name: str = "vpn.p12") -> Path:
    path = tmp_path / name
    path.write_bytes(identity.pkcs12(PASSPHRASE))
    return path


def test_a_matching_pkcs12_gives_the_trustpoint_its_key(
    tmp_path: Path, server: IssuedIdentity, ca: LabCA
) -> None:
    device = device_with(server, ca, key=False)
    keypairs, served = replica_keys(device, {"VPN": write_p12(tmp_path, server)}, PASSPHRASE)
    assert [k.label for k in keypairs] == ["VPN-KEY"]
    assert keypairs[0].private_key.public_key() == server.certificate.public_key()
    assert served[0].can_serve and served[0].pkcs12 == tmp_path / "vpn.p12"


def test_without_pkcs12_a_key_of_the_same_kind_is_generated(
    server: IssuedIdentity, ca: LabCA
) -> None:
    device = device_with(server, ca, key=False)
    keypairs, served = replica_keys(device, {}, None)
    key = keypairs[0].private_key
    assert isinstance(key, ec.EllipticCurvePrivateKey) and key.curve.name == "secp256r1"
    assert key.public_key() != server.certificate.public_key()
    assert not served[0].can_serve


def test_an_rsa_certificate_gets_an_rsa_key_of_its_size() -> None:
    issued = LabCA("RSA Root").issue_server("rsa.corp.example", key="rsa3072")
    device = device_with(issued, LabCA("Other", key="ec256"), key=False)
    keypairs, _ = replica_keys(device, {}, None)
    key = keypairs[0].private_key
    assert isinstance(key, rsa.RSAPrivateKey) and key.key_size == 3072


def test_a_pkcs12_of_another_certificate_is_refused_naming_both(
    tmp_path: Path, server: IssuedIdentity, ca: LabCA
) -> None:
    other = ca.issue_server("other.corp.example", key="ec256")
    device = device_with(server, ca, key=False)
    with pytest.raises(ReplicaKeyError) as error:
        replica_keys(device, {"VPN": write_p12(tmp_path, other)}, PASSPHRASE)
    message = str(error.value)
    assert "other.corp.example" in message and "vpn.corp.example" in message
    assert "trustpoint VPN" in message


def test_a_wrong_passphrase_is_named_without_the_passphrase(
    tmp_path: Path, server: IssuedIdentity, ca: LabCA
) -> None:
    device = device_with(server, ca, key=False)
    wrong = b"not-the-passphrase-42"
    with pytest.raises(ReplicaKeyError) as error:
        replica_keys(device, {"VPN": write_p12(tmp_path, server)}, wrong)
    assert "wrong passphrase" in str(error.value)
    assert wrong.decode() not in str(error.value) and PASSPHRASE.decode() not in str(error.value)


def test_a_pkcs12_for_an_unknown_trustpoint_is_refused(
    tmp_path: Path, server: IssuedIdentity, ca: LabCA
) -> None:
    device = device_with(server, ca, key=False)
    with pytest.raises(ReplicaKeyError, match=r"NOPE.*trustpoints: VPN"):
        replica_keys(device, {"NOPE": write_p12(tmp_path, server)}, PASSPHRASE)


def test_the_text_of_an_asa_pkcs12_export_is_accepted(server: IssuedIdentity) -> None:
    import base64
    import textwrap

    der = server.pkcs12(PASSPHRASE)
    body = "\n".join(textwrap.wrap(base64.b64encode(der).decode(), 64))
    exported = f"\nExported pkcs12 follows:\n-----BEGIN PKCS12-----\n{body}\n-----END PKCS12-----\n"
    assert pkcs12_bytes(exported.encode()) == der
    assert pkcs12_bytes(der) == der
