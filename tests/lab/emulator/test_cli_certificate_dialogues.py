"""Golden dialogues: crypto ca enroll, authenticate, import certificate / pkcs12, export,
in both output profiles (asa-cli.md section 8), and their refusals (nothing changes)."""

from __future__ import annotations

import base64

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from harness.pki import CertificateAuthority, IssuedIdentity, LabCA
from tests.conftest import LabPki
from tests.lab.emulator.cli_console import Console, assert_layout
from tests.lab.emulator.conftest import ec_key, install_key, rsa_key
from tests.lab.emulator.pki_paste import csr_from, pem_lines, terminal_trustpoint

SAVE_FAILED = "% Error in saving certificate: status = FAIL"


def ca_signed_trustpoint(
    console: Console, pki: CertificateAuthority, key: str = "rsa"
) -> x509.Certificate:
    """VPN trustpoint with its CA authenticated and a request made; returns the signed cert."""
    install_key(console, "VPN", rsa_key("vpn") if key == "rsa" else ec_key("vpn"))
    terminal_trustpoint(
        console,
        "VPN",
        "VPN",
        " fqdn vpn.example.lab",
        " subject-name CN=vpn.example.lab,O=Example Lab,C=US",
    )
    console.run("crypto ca authenticate VPN", *pem_lines(pki.certificate), "quit", "yes")
    return pki.sign_csr(csr_from(console.run("crypto ca enroll VPN noconfirm")))


# ---------------------------------------------------------------- enroll


def test_enroll_self_interactive_923(console: Console) -> None:
    install_key(console, "K", rsa_key())
    for line in [
        "crypto ca trustpoint SELF",
        " enrollment self",
        " fqdn vpn.example.lab",
        " keypair K",
        " exit",
    ]:
        console.run(line)
    out = console.run("crypto ca enroll SELF", "no", "yes")
    assert out.splitlines() == [
        "% The fully-qualified domain name in the certificate will be: vpn.example.lab",
        "",
        "% Include the device serial number in the subject name? [yes/no]: no",
        "",
        "Generate Self-Signed Certificate? [yes/no]: yes",
    ]
    certificate = console.device.trustpoints["SELF"].identity_certificate
    assert certificate is not None and certificate.issuer == certificate.subject


def test_enroll_self_answer_no_and_serial_number(console: Console) -> None:
    install_key(console, "K", rsa_key())
    for line in ["crypto ca trustpoint SELF", " enrollment self", " keypair K", " exit"]:
        console.run(line)
    console.run("crypto ca enroll SELF", "no", "no")
    assert console.device.trustpoints["SELF"].identity_certificate is None
    console.run("crypto ca enroll SELF", "yes", "yes")
    certificate = console.device.trustpoints["SELF"].identity_certificate
    assert certificate is not None
    assert "serialNumber=9ALAB0000A1" in console.exec("show crypto ca certificates")


def test_enroll_generates_a_missing_keypair(console: Console) -> None:
    for line in ["crypto ca trustpoint SELF", " enrollment self", " keypair NEW-KEY", " exit"]:
        console.run(line)
    out = console.run("crypto ca enroll SELF noconfirm")
    assert out.splitlines() == [
        "% The fully-qualified domain name in the certificate will be: ciscoasa",
        "INFO: The name for the keys will be: NEW-KEY",
        "Keypair generation process begin. Please wait...",
    ]
    assert "NEW-KEY" in console.device.keypairs


ENROLL_TERMINAL_LEGACY = """\
% Start certificate enrollment ..
% The subject name in the certificate will be: cn=vpn.example.lab,ou=NetOps,o=Example Lab

% The fully-qualified domain name in the certificate will be: vpn.example.lab

% Include the device serial number in the subject name? [yes/no]: no

% The IP address in the certificate is 192.0.2.10

Display Certificate Request to terminal? [yes/no]: yes
Certificate Request follows:
-----BEGIN CERTIFICATE REQUEST-----
{...}
-----END CERTIFICATE REQUEST-----

Redisplay enrollment request? [yes/no]: no

"""


def test_enroll_terminal_legacy_capture(legacy_console: Console) -> None:
    install_key(legacy_console, "K", rsa_key())
    terminal_trustpoint(
        legacy_console,
        "TP-VPN",
        "K",
        " fqdn vpn.example.lab",
        " subject-name cn=vpn.example.lab,ou=NetOps,o=Example Lab",
        " ip-address 192.0.2.10",
    )
    out = legacy_console.run("crypto ca enroll TP-VPN", "no", "yes", "no")
    assert_layout(out, ENROLL_TERMINAL_LEGACY)
    request = x509.load_pem_x509_csr(csr_from(out).encode())
    assert request.subject.rfc4514_string() == (
        "CN=vpn.example.lab,OU=NetOps,O=Example Lab,1.2.840.113549.1.9.2=vpn.example.lab,"
        "1.2.840.113549.1.9.8=192.0.2.10"
    )
    assert request.is_signature_valid


def test_enroll_terminal_ec_keypair_and_redisplay_switch(console: Console) -> None:
    install_key(console, "EC", ec_key())
    terminal_trustpoint(console, "TP", "EC", " subject-name CN=vpn.example.lab")
    console.device.enroll_redisplay_question = True
    out = console.run("crypto ca enroll TP", "no", "yes", "yes", "no")
    assert out.count("-----BEGIN CERTIFICATE REQUEST-----") == 2
    assert out.splitlines()[-1] == "Redisplay enrollment request? [yes/no]: no"
    request = x509.load_pem_x509_csr(csr_from(out).encode())
    assert request.public_key() == ec_key().public_key()


def test_enroll_terminal_noconfirm_prints_only_the_request(console: Console) -> None:
    install_key(console, "K", rsa_key())
    terminal_trustpoint(console, "TP", "K")
    out = console.run("crypto ca enroll TP noconfirm")
    assert out.startswith("-----BEGIN CERTIFICATE REQUEST-----\n")
    assert out.endswith("-----END CERTIFICATE REQUEST-----\n")


def test_enroll_refusals(console: Console) -> None:
    assert console.run("crypto ca enroll NOPE") == "ERROR: CA trustpoint 'NOPE' is not known.\n"
    console.run("crypto ca trustpoint BAD")
    console.run(" enrollment self")
    console.run(" subject-name CN=x,XX=y")
    console.run(" exit")
    before = console.show_run()
    out = console.run("crypto ca enroll BAD noconfirm")
    assert out.startswith("ERROR: invalid subject name component")
    assert console.show_run() == before and console.device.keypairs == {}


# ---------------------------------------------------------------- authenticate


AUTHENTICATE_LEGACY = """\
Enter the base 64 encoded CA certificate.
End with the word "quit" on a line by itself
{...}
quit

INFO: Certificate has the following attributes:
Fingerprint:     {hex8} {hex8} {hex8} {hex8}
Do you accept this certificate? [yes/no]: yes

Trustpoint CA certificate accepted.

% Certificate successfully imported"""


def test_authenticate_legacy_capture_and_md5_fingerprint(
    legacy_console: Console, lab_ca: LabPki
) -> None:
    root = lab_ca.root
    terminal_trustpoint(legacy_console, "TP", "K")
    out = legacy_console.run(
        "crypto ca authenticate TP", *pem_lines(root.certificate), "quit", "yes"
    )
    assert_layout(out, AUTHENTICATE_LEGACY)
    import hashlib

    digest = hashlib.md5(root.certificate.public_bytes(Encoding.DER)).hexdigest()
    fingerprint = next(line for line in out.splitlines() if line.startswith("Fingerprint:"))
    assert fingerprint == "Fingerprint:     " + " ".join(digest[i : i + 8] for i in range(0, 32, 8))


def test_authenticate_legacy_subordinate(legacy_console: Console, lab_ca: LabPki) -> None:
    issuing = lab_ca.issuing
    terminal_trustpoint(legacy_console, "TP", "K")
    out = legacy_console.run(
        "crypto ca authenticate TP", *pem_lines(issuing.certificate), "quit", "yes"
    )
    assert out.splitlines()[-7:] == [
        "Do you accept this certificate? [yes/no]: yes",
        "",
        "Trustpoint 'TP' is a subordinate CA and holds a non self-signed certificate.",
        "",
        "Trustpoint CA certificate accepted.",
        "",
        "% Certificate successfully imported",
    ]


def test_authenticate_nointeractive_asdm_form(console: Console, lab_ca: LabPki) -> None:
    issuing = lab_ca.issuing
    terminal_trustpoint(console, "x3", "K")
    out = console.run(
        "crypto ca authenticate x3 nointeractive", *pem_lines(issuing.certificate), "quit"
    )
    assert_layout(
        out,
        """\
Enter the certificate in base64 representation....
End with the word "quit" on a line by itself.
{...}
quit
.
INFO: Certificate has the following attributes:
Fingerprint:     {hex8} {hex8} {hex8} {hex8}{space}

Trustpoint 'x3' is a subordinate CA and holds a non self-signed certificate.

Trustpoint CA certificate accepted.""",
    )


def test_authenticate_a_pasted_chain_keeps_the_first_certificate(
    console: Console, lab_ca: LabPki
) -> None:
    issuing = lab_ca.issuing
    root = lab_ca.root
    terminal_trustpoint(console, "TP", "K")
    paste = pem_lines(issuing.certificate) + pem_lines(root.certificate)
    out = console.run("crypto ca authenticate TP", *paste, "quit", "yes")
    assert "Trustpoint 'TP' is a subordinate CA" in out
    assert console.device.trustpoints["TP"].ca_certificates == [issuing.certificate]


def test_authenticate_answer_no_and_already_authenticated(console: Console, lab_ca: LabPki) -> None:
    root = lab_ca.root
    terminal_trustpoint(console, "TP", "K")
    console.run("crypto ca authenticate TP", *pem_lines(root.certificate), "quit", "no")
    assert console.device.trustpoints["TP"].ca_certificates == []
    console.run("crypto ca authenticate TP", *pem_lines(root.certificate), "quit", "yes")
    assert console.run("crypto ca authenticate TP") == (
        "TrustPoint 'TP' name is already assigned with CA certificate.\n"
    )
    assert (
        console.run("crypto ca authenticate NOPE") == "ERROR: CA trustpoint 'NOPE' is not known.\n"
    )


BROKEN_PASTES = {
    "junk": ["this is not base64 at all", "%%%"],
    "half pem": [
        "-----BEGIN CERTIFICATE-----",
        "MIIDMzCCAhugAwIBAgIQePjOGK9VMV+sRbEiron9pDANBgkqhkiG9w0BAQsFADAg",
    ],
    "truncated der": [
        "-----BEGIN CERTIFICATE-----",
        "MIIDMzCCAhugAwIBAgIQePjOGK9VMV+s",
        "-----END CERTIFICATE-----",
    ],
    "private key": ["-----BEGIN PRIVATE KEY-----", "MIIB", "-----END PRIVATE KEY-----"],
    "binary": ["\x00\x01\x02\xff\xfe", "\x1b[2J"],
    "nothing": [],
}


@pytest.mark.parametrize("name", sorted(BROKEN_PASTES))
def test_authenticate_refuses_what_is_not_a_certificate(console: Console, name: str) -> None:
    terminal_trustpoint(console, "TP", "K")
    before = console.show_run()
    out = console.run("crypto ca authenticate TP", *BROKEN_PASTES[name], "quit")
    assert out.splitlines()[-1] == SAVE_FAILED
    assert console.show_run() == before


def test_authenticate_refuses_a_certificate_request(console: Console) -> None:
    install_key(console, "K", rsa_key())
    terminal_trustpoint(console, "TP", "K")
    request = csr_from(console.run("crypto ca enroll TP noconfirm"))
    out = console.run("crypto ca authenticate TP", *request.splitlines(), "quit")
    assert out.splitlines()[-1] == SAVE_FAILED
    assert console.device.trustpoints["TP"].ca_certificates == []


def test_dropped_connection_mid_paste_changes_nothing(console: Console, lab_ca: LabPki) -> None:
    terminal_trustpoint(console, "TP", "K")
    before = console.show_run()
    half = pem_lines(lab_ca.root.certificate)[:5]
    out = console.run("crypto ca authenticate TP", *half)  # then the connection goes away
    assert out.endswith("<connection closed>\n")
    assert console.show_run() == before


# ---------------------------------------------------------------- import certificate


IMPORT_LEGACY = """\

% The fully-qualified domain name in the certificate will be: vpn.example.lab


Enter the base 64 encoded certificate.
End with the word "quit" on a line by itself
{...}
quit
INFO: Certificate successfully imported

"""


def test_import_certificate_both_profiles(
    console: Console, legacy_console: Console, lab_ca: LabPki
) -> None:
    issuing = lab_ca.issuing
    certificate = ca_signed_trustpoint(console, issuing)
    out = console.run("crypto ca import VPN certificate", *pem_lines(certificate), "quit")
    assert_layout(
        out,
        """\
% The fully-qualified domain name in the certificate will be: vpn.example.lab
Enter the base 64 encoded certificate.
End with the word "quit" on a line by itself
{...}
quit
INFO: Certificate successfully imported""",
    )
    assert console.device.trustpoints["VPN"].identity_certificate == certificate
    certificate = ca_signed_trustpoint(legacy_console, issuing)
    out = legacy_console.run("crypto ca import VPN certificate", *pem_lines(certificate), "quit")
    assert_layout(out, IMPORT_LEGACY)


def test_import_refusals_change_nothing(console: Console, lab_ca: LabPki) -> None:
    issuing = lab_ca.issuing
    certificate = ca_signed_trustpoint(console, issuing)
    stranger = LabCA("Stranger CA")
    cases = {
        "another key": issuing.issue_server("vpn.example.lab").certificate,
        "another CA": stranger.sign_csr(csr_from(console.run("crypto ca enroll VPN noconfirm"))),
        "the CA itself": issuing.certificate,
    }
    before = console.show_run()
    for name, candidate in cases.items():
        out = console.run("crypto ca import VPN certificate", *pem_lines(candidate), "quit")
        assert out.splitlines()[-1] == SAVE_FAILED, name
        assert console.show_run() == before, name
    terminal_trustpoint(console, "NO-CA", "VPN")
    out = console.run("crypto ca import NO-CA certificate", *pem_lines(certificate), "quit")
    assert out.splitlines()[-1] == SAVE_FAILED


# ---------------------------------------------------------------- pkcs12


def _bundle(identity: IssuedIdentity, passphrase: bytes) -> list[str]:
    data = identity.pkcs12(passphrase)
    text = base64.b64encode(data).decode()
    return [text[i : i + 64] for i in range(0, len(text), 64)]


PKCS12_REPLACE = """\

Enter the base 64 encoded pkcs12.
End with the word "quit" on a line by itself:
{...}
quit
% You already have RSA or ECDSA keys named TP-VPN.
% If you replace them, all device certs issued using these keys
% will be removed.
% Do you really want to replace them? [yes/no]: yes

Trustpoint 'TP-VPN' is a subordinate CA and holds a non self-signed certificate.

Trustpoint CA certificate accepted.
INFO: Import PKCS12 operation completed successfully

"""


def test_pkcs12_import_caleb_capture(console: Console, lab_ca: LabPki) -> None:
    issuing = lab_ca.issuing
    identity = issuing.issue_server("vpn.example.lab")
    install_key(console, "TP-VPN", rsa_key("old"))
    terminal_trustpoint(console, "TP-VPN", "TP-VPN")
    out = console.run(
        'crypto ca import TP-VPN pkcs12 "secret"', *_bundle(identity, b"secret"), "quit", "yes"
    )
    assert_layout(out, PKCS12_REPLACE)
    tp = console.device.trustpoints["TP-VPN"]
    assert tp.identity_certificate == identity.certificate
    assert tp.ca_certificates == [issuing.certificate]
    assert (
        console.device.keypairs["TP-VPN"].private_key.public_key()
        == identity.private_key.public_key()
    )
    # the root above the issuing CA got a trustpoint of its own
    assert console.device.trustpoints["TP-VPN-1"].ca_certificates == [lab_ca.root.certificate]
    assert "crypto ca trustpoint TP-VPN-1" in console.show_run()


def test_pkcs12_nointeractive_and_new_trustpoint(console: Console, lab_ca: LabPki) -> None:
    issuing = lab_ca.issuing
    identity = issuing.issue_server("vpn.example.lab")
    install_key(console, "other", identity.private_key)
    out = console.run(
        "crypto ca import tp1 pkcs12 cisco nointeractive", *_bundle(identity, b"cisco"), "quit"
    )
    assert out.splitlines()[-6:] == [
        "quit",
        "..WARNING: Identical public key already exists as other",
        "WARNING: CA certificates can be used to validate VPN connections,",
        "by default.  Please adjust the validation-usage of this",
        "trustpoint to limit the validation scope, if necessary.",
        "INFO: Import PKCS12 operation completed successfully.",
    ]
    assert console.device.trustpoints["tp1"].keypair == "tp1"


def test_pkcs12_wrong_passphrase_or_junk_changes_nothing(console: Console, lab_ca: LabPki) -> None:
    identity = lab_ca.issuing.issue_server("vpn.example.lab")
    before = console.show_run()
    for paste in (
        _bundle(identity, b"right"),
        ["bm90IGEgcGtjczEy"],
        ["-----BEGIN CERTIFICATE-----"],
    ):
        out = console.run("crypto ca import TP pkcs12 wrong", *paste, "quit")
        assert out.splitlines()[-1] == "ERROR: Import PKCS12 operation failed"
    assert console.show_run() == before and "TP" not in console.device.keypairs


def test_pkcs12_replace_answer_no(console: Console, lab_ca: LabPki) -> None:
    identity = lab_ca.issuing.issue_server("vpn.example.lab")
    install_key(console, "TP", rsa_key("old"))
    console.run("crypto ca import TP pkcs12 pw", *_bundle(identity, b"pw"), "quit", "no")
    assert console.device.keypairs["TP"].private_key is rsa_key("old")
    assert "TP" not in console.device.trustpoints


# ---------------------------------------------------------------- export


def test_export_pkcs12_and_identity_round_trip(console: Console, lab_ca: LabPki) -> None:
    issuing = lab_ca.issuing
    certificate = ca_signed_trustpoint(console, issuing)
    console.run("crypto ca import VPN certificate", *pem_lines(certificate), "quit")
    out = console.run("crypto ca export VPN pkcs12 changeme")
    assert_layout(
        out,
        """\

Exported pkcs12 follows:
-----BEGIN PKCS12-----
{...}
-----END PKCS12-----""",
    )
    body = "".join(out.splitlines()[3:-1])
    key, exported, extra = pkcs12.load_key_and_certificates(base64.b64decode(body), b"changeme")
    assert exported == certificate and extra == [issuing.certificate]
    assert key is not None and key.public_key() == rsa_key("vpn").public_key()
    out = console.run("crypto ca export VPN identity-certificate")
    assert x509.load_pem_x509_certificate(out.encode()) == certificate
    # another box imports what this one exported
    other = Console()
    other.run("crypto ca import VPN pkcs12 changeme", *out_lines(console), "quit")
    assert other.device.trustpoints["VPN"].identity_certificate == certificate


def out_lines(console: Console) -> list[str]:
    return console.run("crypto ca export VPN pkcs12 changeme").splitlines()[2:]


def test_export_without_identity_is_refused(console: Console) -> None:
    terminal_trustpoint(console, "TP", "K")
    assert console.run("crypto ca export TP pkcs12 x") == (
        "ERROR: A required certificate or keypair was not found\n"
    )
    assert console.run("crypto ca export NOPE identity-certificate") == (
        "ERROR: CA trustpoint 'NOPE' is not known.\n"
    )


def test_private_key_never_appears_in_the_configuration(console: Console, lab_ca: LabPki) -> None:
    identity = lab_ca.issuing.issue_server("vpn.example.lab")
    console.run("crypto ca import TP pkcs12 pw", *_bundle(identity, b"pw"), "quit")
    der = identity.private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    assert der.hex()[:64] not in "".join(console.show_run().split())
