"""Golden layouts: show crypto ca certificates / trustpoints, show crypto key mypubkey,
show running-config certificate chains (asa-cli.md sections 3, 4, 6.3, 9.1)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from lab.emulator.device import Profile
from tests.lab.emulator.cli_console import Console, assert_layout
from tests.lab.emulator.conftest import ec_key, install_key, rsa_key
from tests.lab.emulator.pki_paste import csr_from, pem_lines, terminal_trustpoint

UTC = dt.UTC


def _ca(name: x509.Name, key: rsa.RSAPrivateKey) -> x509.Certificate:
    start = dt.datetime(2023, 10, 30, 15, 49, 5, tzinfo=UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(0x5A1C3E7B9D2F4A6C8E0B1D3F5A7C9E01)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=1827))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(key, hashes.SHA256())
    )


def _issue(csr_pem: str, ca: x509.Certificate, ca_key: rsa.RSAPrivateKey) -> x509.Certificate:
    """What AD CS does with the request: keeps its subject, adds a CRL distribution point."""
    csr = x509.load_pem_x509_csr(csr_pem.encode())
    start = dt.datetime(2023, 11, 1, 1, 20, 43, tzinfo=UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(csr.subject)
        .issuer_name(ca.subject)
        .public_key(csr.public_key())
        .serial_number(0x1100000014A3C5E7F9B1D3F5A7C90000000014)
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=730))
        .add_extension(
            x509.KeyUsage(True, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .add_extension(
            x509.CRLDistributionPoints(
                [
                    x509.DistributionPoint(
                        [x509.UniformResourceIdentifier("http://crl.example.lab/a.crl")],
                        None,
                        None,
                        None,
                    )
                ]
            ),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )


LEGACY_TP_VPN = """\
Certificate
  Status: Available
  Certificate Serial Number: 1100000014a3c5e7f9b1d3f5a7c90000000014
  Certificate Usage: General Purpose
  Public Key Type: RSA (2048 bits)
  Signature Algorithm: SHA256 with RSA Encryption
  Issuer Name:
    cn=CORP-ROOT-CA
    dc=example
    dc=lab
  Subject Name:
    cn=vpn.example.lab
    ou=NetOps
    o=Example Lab
    hostname=vpn.example.lab
    ipaddress=192.0.2.10
  CRL Distribution Points:
    [1]  http://crl.example.lab/a.crl
  Validity Date:
    start date: 09:20:43 GMT Nov 1 2023
    end   date: 09:20:43 GMT Oct 31 2025
  Associated Trustpoints: TP-VPN

CA Certificate
  Status: Available
  Certificate Serial Number: 5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01
  Certificate Usage: Signature
  Public Key Type: RSA (2048 bits)
  Signature Algorithm: SHA256 with RSA Encryption
  Issuer Name:
    cn=CORP-ROOT-CA
    dc=example
    dc=lab
  Subject Name:
    cn=CORP-ROOT-CA
    dc=example
    dc=lab
  Validity Date:
    start date: 23:49:05 GMT Oct 30 2023
    end   date: 23:49:05 GMT Oct 30 2028
  Associated Trustpoints: TP-OTHER TP-VPN

"""

CA_NAME = x509.Name(
    [
        x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "lab"),
        x509.NameAttribute(NameOID.DOMAIN_COMPONENT, "example"),
        x509.NameAttribute(NameOID.COMMON_NAME, "CORP-ROOT-CA"),
    ]
)


def _enrolled_pair(console: Console) -> None:
    """TP-OTHER and TP-VPN share the CA; TP-VPN holds the identity (the ADCS capture)."""
    ca_key = rsa_key("corp-root")
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    ca = _ca(CA_NAME, ca_key)
    install_key(console, "VPN-RSA", rsa_key("vpn"))
    console.run("clock timezone GMT 8")
    terminal_trustpoint(console, "TP-OTHER", "VPN-RSA")
    terminal_trustpoint(
        console,
        "TP-VPN",
        "VPN-RSA",
        " fqdn vpn.example.lab",
        " subject-name cn=vpn.example.lab,ou=NetOps,o=Example Lab",
        " ip-address 192.0.2.10",
    )
    for tp in ("TP-OTHER", "TP-VPN"):
        console.run(f"crypto ca authenticate {tp}", *pem_lines(ca), "quit", "yes")
    request = csr_from(console.run("crypto ca enroll TP-VPN noconfirm"))
    identity = _issue(request, ca, ca_key)
    out = console.run("crypto ca import TP-VPN certificate", *pem_lines(identity), "quit")
    assert "INFO: Certificate successfully imported" in out


def test_legacy_layout_matches_the_adcs_capture(legacy_console: Console) -> None:
    _enrolled_pair(legacy_console)
    assert_layout(legacy_console.exec("show crypto ca certificates TP-VPN"), LEGACY_TP_VPN)


NEWER_ORDER = """\
CA Certificate
  Status: Available
  Certificate Serial Number: 5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01
  Certificate Usage: Signature
  Public Key Type: RSA (2048 bits)
  Signature Algorithm: RSA-SHA256
  Issuer Name:
    CN=CORP-ROOT-CA
    DC=example
    DC=lab
  Subject Name:
    CN=CORP-ROOT-CA
    DC=example
    DC=lab
  Validity Date:
    start date: 23:49:05 GMT Oct 30 2023
    end   date: 23:49:05 GMT Oct 30 2028
  Storage: config
  Associated Trustpoints: TP-OTHER TP-VPN

Certificate
  Status: Available
  Certificate Serial Number: 1100000014a3c5e7f9b1d3f5a7c90000000014
  Certificate Usage: General Purpose
  Public Key Type: RSA (2048 bits)
  Signature Algorithm: RSA-SHA256
  Issuer Name:
    CN=CORP-ROOT-CA
    DC=example
    DC=lab
  Subject Name:
    unstructuredAddress=192.0.2.10
    unstructuredName=vpn.example.lab
    O=Example Lab
    OU=NetOps
    CN=vpn.example.lab
  CRL Distribution Points:
    [1]  http://crl.example.lab/a.crl
  Validity Date:
    start date: 09:20:43 GMT Nov 1 2023
    end   date: 09:20:43 GMT Oct 31 2025
  Storage: config
  Associated Trustpoints: TP-VPN

"""


def test_923_layout_prints_the_ca_first_with_storage_lines(console: Console) -> None:
    _enrolled_pair(console)
    assert_layout(console.exec("show crypto ca certificates TP-VPN"), NEWER_ORDER)
    # the shared CA is printed once for the whole box, in the first trustpoint's turn
    everything = console.exec("show crypto ca certificates")
    assert everything.count("CA Certificate") == 1
    assert everything.index("Associated Trustpoints: TP-OTHER TP-VPN") < everything.index(
        "Associated Trustpoints: TP-VPN\n"
    )


def test_trustpoint_with_nothing_installed_prints_nothing(console: Console) -> None:
    terminal_trustpoint(console, "EMPTY", "NONE")
    assert console.exec("show crypto ca certificates EMPTY") == ""
    assert console.exec("show crypto ca certificates NO-SUCH") == ""


def test_ecdsa_identity_certificate(console: Console) -> None:
    install_key(console, "EC", ec_key())
    for line in ["crypto ca trustpoint EC-SELF", " enrollment self", " keypair EC", " exit"]:
        console.run(line)
    console.run("crypto ca enroll EC-SELF noconfirm")
    shown = console.exec("show crypto ca certificates")
    assert "  Public Key Type: ECDSA (256 bits)\n" in shown
    assert "  Signature Algorithm: ecdsa-with-SHA256\n" in shown


TRUSTPOINTS = """\

Trustpoint SELF:
    Configured for self-signed certificate generation.

Trustpoint TP-OTHER:
    Subject Name:
    CN=CORP-ROOT-CA
    DC=example
    DC=lab
          Serial Number: 5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01
    Certificate configured.

Trustpoint TP-VPN:
    Subject Name:
    CN=CORP-ROOT-CA
    DC=example
    DC=lab
          Serial Number: 5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01
    Certificate configured.

Trustpoint NEW:
    Not authenticated."""


@pytest.mark.parametrize("profile", ["9.23", "legacy"])
def test_show_crypto_ca_trustpoints_layout(profile: Profile) -> None:
    console = Console(profile=profile)
    for line in ["crypto ca trustpoint SELF", " enrollment self", " exit"]:
        console.run(line)
    _enrolled_pair(console)
    terminal_trustpoint(console, "NEW", "VPN-RSA")
    expected = TRUSTPOINTS
    if profile == "legacy":
        expected = expected.replace("CN=", "cn=").replace("DC=", "dc=")
    assert_layout(console.exec("show crypto ca trustpoints"), expected)
    assert console.exec("show crypto ca trustpoints NEW").splitlines() == [
        "",
        "Trustpoint NEW:",
        "    Not authenticated.",
    ]


MYPUBKEY = """\
Key pair was generated at: {date}
Key name: <Default-RSA-Key>
 Usage: General Purpose Key
 Modulus Size (bits): 2048
 Key Data:

  30820122 300d0609 2a864886 f70d0101 01050003 82010f00 3082010a 02820101
{...}
  {hex8} {hex8} {hex8} {hex8} {hex8} {hex8} {hex8} {hex8}
  {hex8} 0001

Key pair was generated at: {date}
Key name: VPN-RSA
 Usage: General Purpose Key
 Modulus Size (bits): 2048
 Key Data:

  30820122 300d0609 2a864886 f70d0101 01050003 82010f00 3082010a 02820101
{...}
  {hex8} 0001"""


def test_show_crypto_key_mypubkey_layouts(console: Console) -> None:
    install_key(console, "<Default-RSA-Key>", rsa_key("default"))
    install_key(console, "VPN-RSA", rsa_key("vpn"))
    install_key(console, "VPN-EC", ec_key())
    assert_layout(console.exec("show crypto key mypubkey rsa"), MYPUBKEY)
    assert_layout(
        console.exec("show crypto key mypubkey ecdsa"),
        """\
Key pair was generated at: {date}
Key name: VPN-EC
 Usage: General Purpose Key
 Key Size (bits): 256
 Key Data:

  30593013 06072a86 48ce3d02 0106082a 8648ce3d 03010703 420004{hex} {hex8}
  {hex8} {hex8} {hex8} {hex8} {hex8} {hex8} {hex8} {hex8}
  {hex8} {hex8} {hex8} {hex8} {hex8} {hex8} {hex}""",
    )


def test_generation_time_is_shown_in_the_configured_zone(console: Console) -> None:
    console.exec("clock set 10:00:00 May 11 2026")
    console.run("crypto key generate ecdsa label EC elliptic-curve 256 noconfirm")
    console.run("clock timezone CEST 2")
    first = console.exec("show crypto key mypubkey ecdsa").splitlines()[0]
    assert first.startswith("Key pair was generated at: 12:00:")
    assert first.endswith(" CEST May 11 2026")


@pytest.mark.parametrize("profile", ["9.23", "legacy"])
def test_certificate_chain_hex_layout_in_running_config(profile: Profile) -> None:
    console = Console(profile=profile)
    _enrolled_pair(console)
    section = console.exec("show running-config crypto ca certificate chain TP-VPN").splitlines()
    assert section[0] == "crypto ca certificate chain TP-VPN"
    assert section[1] == " certificate 1100000014a3c5e7f9b1d3f5a7c90000000014"
    ca_line = section.index(" certificate ca 5a1c3e7b9d2f4a6c8e0b1d3f5a7c9e01")
    assert section[ca_line - 1] == "  quit" and section[-1] == "  quit"
    data = section[2 : ca_line - 1]
    for line in data[:-1]:
        assert line.startswith("    ") and len(line.split()) == 8
        assert all(len(group) == 8 for group in line.split())
    assert 1 <= len(data[-1].split()) <= 8 and data[-1].startswith("    ")
    joined = "".join("".join(line.split()) for line in data)
    identity_certificate = console.device.trustpoints["TP-VPN"].identity_certificate
    assert identity_certificate is not None
    assert bytes.fromhex(joined) == identity_certificate.public_bytes(
        __import__(
            "cryptography.hazmat.primitives.serialization", fromlist=["Encoding"]
        ).Encoding.DER
    )
    console.close()
