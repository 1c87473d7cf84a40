"""Round trip through the virtual ASA: configure it over SSH, read it back with the parsers,
and compare with the certificates and keys it really holds.

A show command the virtual ASA does not render yet answers ``% Invalid input``: those tests
skip with that reason (capability check), so they start running when the renderer lands.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from harness.device import DeviceSession, LoginDetails
from harness.parse import (
    CertificateRecord,
    parse,
    parse_certificates,
    parse_clock,
    parse_keypairs,
    parse_running_config,
    parse_ssl,
    parse_ssl_certificate,
    parse_trustpoints,
    parse_version,
    parse_vpn_sessions,
    parse_write_memory,
)
from harness.pki import IssuedIdentity
from lab.emulator.device import Profile, VpnSession
from lab.emulator.embedded import EmbeddedASA
from tests.conftest import LabPki

_PEM = re.compile(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", re.DOTALL)
PASSPHRASE = "lab-secret"
SELF_SIGNED_SETUP = (
    "hostname asa-lab",
    "domain-name example.lab",
    "crypto key generate rsa label VPN-RSA modulus 2048 noconfirm",
    "crypto ca trustpoint TP-SELF",
    " enrollment self",
    " subject-name CN=vpn.example.lab,O=Example Lab,C=US",
    " fqdn vpn.example.lab",
    " keypair VPN-RSA",
    "crypto ca enroll TP-SELF noconfirm",
    "ssl trust-point TP-SELF outside",
)


@dataclass(frozen=True)
class LabDevice:
    asa: EmbeddedASA
    session: DeviceSession
    profile: str
    self_signed: x509.Certificate  # TP-SELF, enrolled by the device
    imported: IssuedIdentity  # TP-VPN, imported as PKCS#12 with its chain

    @property
    def certificates(self) -> list[x509.Certificate]:
        return [self.self_signed, self.imported.certificate, *self.imported.chain]

    def show(self, command: str) -> str:
        """The output of ``command``; skip when the virtual ASA does not know it yet."""
        answer = self.session.exec(command)
        if answer.error and "Invalid input" in answer.error:
            pytest.skip(f"the virtual ASA does not render '{command}' yet ({self.profile} profile)")
        return answer.output


def _configure(session: DeviceSession, lines: tuple[str, ...]) -> None:
    for output in session.configure(list(lines)):
        assert not output.failed, f"{output.command!r} failed: {output.error or output.unanswered}"


def _pkcs12_paste(identity: IssuedIdentity) -> list[str]:
    data = pkcs12.serialize_key_and_certificates(
        b"TP-VPN",
        identity.private_key,
        identity.certificate,
        list(identity.chain),
        serialization.BestAvailableEncryption(PASSPHRASE.encode()),
    )
    text = base64.b64encode(data).decode()
    return [text[i : i + 64] for i in range(0, len(text), 64)]


@pytest.fixture(scope="module", params=["9.23", "legacy"])
def lab_device(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, lab_ca: LabPki
) -> Iterator[LabDevice]:
    profile: Profile = request.param
    issuing = lab_ca.issuing
    imported: IssuedIdentity = issuing.issue_server(
        "vpn.example.lab", subject={"CN": "vpn.example.lab", "OU": "NetOps", "O": "Example Lab"}
    )
    state = tmp_path_factory.mktemp(f"asa-{profile}")
    with EmbeddedASA(profile=profile, state_dir=state) as asa:
        login = LoginDetails(
            asa.host, asa.ssh_port, asa.username, asa.password, asa.enable_password
        )
        with DeviceSession(login) as session:
            _configure(session, SELF_SIGNED_SETUP)
            answer = session.send(
                f"crypto ca import TP-VPN pkcs12 {PASSPHRASE}",
                mode="configuration",
                answers=[("replace", "yes")],
                paste=_pkcs12_paste(imported),
                paste_is_secret=True,
            )
            assert not answer.failed, answer.output
            exported = session.send(
                "crypto ca export TP-SELF identity-certificate", mode="configuration"
            )
            found = _PEM.search(exported.output)
            assert found, exported.output
            self_signed = x509.load_pem_x509_certificate(found.group(0).encode())
            yield LabDevice(asa, session, profile, self_signed, imported)


def _serial_hex(certificate: x509.Certificate) -> str:
    """The DER INTEGER content bytes in hex: a 00 byte in front when the top bit is set."""
    number = certificate.serial_number
    return number.to_bytes(number.bit_length() // 8 + 1, "big").hex()


def _printed_order(name: x509.Name) -> tuple[tuple[str, str], ...]:
    return tuple((a.oid.dotted_string, str(a.value)) for rdn in reversed(name.rdns) for a in rdn)


def _record_for(
    records: list[CertificateRecord], certificate: x509.Certificate
) -> CertificateRecord:
    matching = [r for r in records if int(r.serial, 16) == certificate.serial_number]
    assert len(matching) == 1, f"serial {certificate.serial_number:x} printed {len(matching)} times"
    return matching[0]


def _assert_describes(record: CertificateRecord, certificate: x509.Certificate) -> None:
    assert record.serial == _serial_hex(certificate)
    assert record.subject.oid_attributes() == _printed_order(certificate.subject)
    assert record.issuer.oid_attributes() == _printed_order(certificate.issuer)
    assert record.valid_from.as_utc() == certificate.not_valid_before_utc
    assert record.valid_to.as_utc() == certificate.not_valid_after_utc
    key = certificate.public_key()
    assert isinstance(key, rsa.RSAPublicKey | ec.EllipticCurvePublicKey)
    assert record.public_key_bits == key.key_size
    assert record.public_key_type == ("RSA" if isinstance(key, rsa.RSAPublicKey) else "ECDSA")
    digest = certificate.signature_hash_algorithm
    assert digest is not None
    assert record.signature == f"rsa-{digest.name}"
    assert record.self_signed == (certificate.issuer == certificate.subject)
    assert record.status == "Available"


def test_certificates_round_trip(lab_device: LabDevice) -> None:
    records = parse_certificates(lab_device.show("show crypto ca certificates"))
    assert len(records) == len(lab_device.certificates)
    for certificate in lab_device.certificates:
        _assert_describes(_record_for(records, certificate), certificate)
    self_signed = _record_for(records, lab_device.self_signed)
    assert (self_signed.kind, self_signed.associated_trustpoints) == ("identity", ("TP-SELF",))
    assert self_signed.validity_days == 3650
    imported = _record_for(records, lab_device.imported.certificate)
    assert (imported.kind, imported.associated_trustpoints) == ("identity", ("TP-VPN",))
    issuing = _record_for(records, lab_device.imported.chain[0])
    assert issuing.kind == "ca" and "TP-VPN" in issuing.associated_trustpoints
    keys = {key for record in records for key, _ in record.subject.printed}
    if lab_device.profile == "9.23":
        assert self_signed.signature_algorithm == "RSA-SHA256"
        assert keys <= {"CN", "OU", "O", "C", "unstructuredName"}
    else:
        assert self_signed.signature_algorithm == "SHA256 with RSA Encryption"
        assert keys <= {"cn", "ou", "o", "c", "hostname"}


def test_certificates_of_one_trustpoint_through_the_registry(lab_device: LabDevice) -> None:
    records = parse(
        "sh cry ca cert TP-SELF", lab_device.show("show crypto ca certificates TP-SELF")
    )
    assert isinstance(records, list) and len(records) == 1
    assert isinstance(records[0], CertificateRecord)
    _assert_describes(records[0], lab_device.self_signed)


def test_certificate_dates_in_a_configured_zone(lab_device: LabDevice) -> None:
    answer = lab_device.session.configure(["clock timezone MSK 3"])[-1]
    if answer.error and "Invalid input" in answer.error:
        pytest.skip("the virtual ASA does not accept 'clock timezone' yet")
    msk = {"MSK": dt.timedelta(hours=3)}
    try:
        text = lab_device.show("show crypto ca certificates TP-SELF")
        clock = parse_clock(lab_device.show("show clock"), zones=msk)
    finally:
        lab_device.session.configure(["no clock timezone"])
    (naive,) = parse_certificates(text)
    (aware,) = parse_certificates(text, zones=msk)
    start = lab_device.self_signed.not_valid_before_utc
    assert naive.valid_from.zone == "MSK" and not naive.valid_from.is_aware
    assert naive.valid_from.moment == (start + dt.timedelta(hours=3)).replace(tzinfo=None)
    assert aware.valid_from.as_utc() == start
    assert clock.time.zone == "MSK"
    assert abs(clock.time.as_utc() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=30)


def test_clock_round_trip(lab_device: LabDevice) -> None:
    reading = parse_clock(lab_device.show("show clock"))
    assert reading.time.zone == "UTC"
    assert abs(reading.time.as_utc() - dt.datetime.now(dt.UTC)) < dt.timedelta(seconds=30)


def test_running_config_and_write_memory_agree(lab_device: LabDevice) -> None:
    config = parse_running_config(lab_device.show("show running-config"))
    assert config.framed and config.checksum is not None and config.asa_version
    assert "hostname asa-lab" in config.lines
    assert "crypto ca trustpoint TP-SELF" in config.lines
    assert any(line.startswith("crypto ca certificate chain TP-VPN") for line in config.lines)
    section = parse_running_config(lab_device.show("show running-config crypto ca trustpoint"))
    assert not section.framed
    assert section.lines[0].startswith("crypto ca trustpoint ")
    saved = parse_write_memory(lab_device.show("write memory"))
    assert saved.ok and saved.bytes_written and saved.bytes_written > 0
    assert saved.checksum == config.checksum


def test_keypairs_round_trip(lab_device: LabDevice) -> None:
    by_name = {
        key.name: key for key in parse_keypairs(lab_device.show("show crypto key mypubkey rsa"))
    }
    expected = {
        "VPN-RSA": lab_device.self_signed.public_key(),
        "TP-VPN": lab_device.imported.certificate.public_key(),
    }
    assert set(expected) <= set(by_name)
    for name, public_key in expected.items():
        spki = public_key.public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        assert by_name[name].key_data == spki
        assert by_name[name].size_bits == by_name[name].key_bits == 2048


def test_trustpoints_round_trip(lab_device: LabDevice) -> None:
    trustpoints = parse_trustpoints(lab_device.show("show crypto ca trustpoints"))
    by_name = {tp.name: tp for tp in trustpoints}
    assert {"TP-SELF", "TP-VPN"} <= set(by_name)
    assert by_name["TP-SELF"].configured_for_self_signed
    assert by_name["TP-VPN"].authenticated


def test_ssl_round_trip(lab_device: LabDevice) -> None:
    status = parse_ssl(lab_device.show("show ssl"))
    assert status.interface_trustpoint("outside") == "TP-SELF"
    assert status.certificate_authentication is not None


def test_ssl_certificate_round_trip(lab_device: LabDevice) -> None:
    served = parse_ssl_certificate(lab_device.show("show ssl certificate"))
    outside = [s for s in served if s.binding is not None and s.binding.target == "outside"]
    assert len(outside) == 1 and outside[0].trustpoint == "TP-SELF"
    identity = outside[0].identity
    assert identity is not None
    _assert_describes(identity, lab_device.self_signed)


def test_version_round_trip(lab_device: LabDevice) -> None:
    version = parse_version(lab_device.show("show version"))
    config = parse_running_config(lab_device.show("show running-config"))
    assert version.hostname == "asa-lab"
    assert version.serial_number == config.serial_number
    assert version.hardware == config.hardware


def test_vpn_sessions_round_trip(lab_device: LabDevice) -> None:
    # Nobody has connected to this virtual ASA.
    assert parse_vpn_sessions(lab_device.show("show vpn-sessiondb anyconnect")) == []


def test_vpn_sessions_as_the_virtual_asa_renders_them(lab_device: LabDevice) -> None:
    login = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(hours=26)
    sessions = [
        VpnSession(
            index=7,
            username="alice",
            tunnel_group="TG-CORP",
            group_policy="GP-CORP",
            public_ip="192.0.2.50",
            login_time=login,
            session_token="token-7",
            protocol="AnyConnect-Parent SSL-Tunnel",
            assigned_ip="10.10.10.1",
            bytes_tx=15980,
            bytes_rx=3422,
        ),
        VpnSession(
            index=8,
            username="carol.longsurname-contractor@partner.example.lab",
            tunnel_group="TG-CONTRACTORS",
            group_policy="GroupPolicy_contractors-long-name",
            public_ip="198.51.100.7",
            login_time=login,
            session_token="token-8",
        ),
    ]
    device = lab_device.asa.device()
    lab_device.asa.call(lambda: device.sessions.extend(sessions))
    try:
        records = parse_vpn_sessions(lab_device.show("show vpn-sessiondb anyconnect"))
    finally:
        lab_device.asa.call(device.sessions.clear)
    alice, carol = records
    assert (alice.username, alice.index, alice.assigned_ip) == ("alice", 7, "10.10.10.1")
    assert alice.protocol == ("AnyConnect-Parent", "SSL-Tunnel")
    assert (alice.bytes_tx, alice.bytes_rx) == (15980, 3422)
    assert (alice.group_policy, alice.tunnel_group) == ("GP-CORP", "TG-CORP")
    assert alice.login_time.as_utc() == login
    assert dt.timedelta(hours=26) <= alice.duration < dt.timedelta(hours=26, minutes=1)
    assert (carol.username, carol.index) == ("carol.longsurname-contractor@partner.example.lab", 8)
    assert carol.assigned_ip is None and carol.protocol == ("AnyConnect-Parent",)
    assert (carol.group_policy, carol.tunnel_group) == (
        "GroupPolicy_contractors-long-name",
        "TG-CONTRACTORS",
    )
