"""The PingLabz article, Steps 1, 2a, 2b and 3, typed verbatim through scrapli into the
virtual ASA; then the same steps with abbreviated commands. Each response is checked
against what the article prints (layout; values such as serials and dates differ).

The article starts from an existing AnyConnect connection profile ("If you do not yet
have an AnyConnect connection profile, start with ..."): the test creates SSL_PROFILE and
CONTRACTOR_PROFILE first, and names the box ASA-PERIM as the article's prompts show.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TypedDict, Unpack

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from harness.device import DeviceSession
from harness.device.session import CONFIG_MODE, CommandOutput
from lab.emulator.embedded import EmbeddedASA
from tests.conftest import LabPki
from tests.lab.emulator.cli_console import assert_layout

CARET_ERROR = "ERROR: % Invalid input detected at '^' marker."

PREREQUISITES = [
    "hostname ASA-PERIM",
    "tunnel-group SSL_PROFILE type remote-access",
    "tunnel-group CONTRACTOR_PROFILE type remote-access",
]

#: show crypto ca certificates after Step 2a, as the article prints it (values aside).
ARTICLE_SELF_SIGNED = """\
Certificate
  Status: Available
  Certificate Serial Number: {hex8}
  Certificate Usage: General Purpose
  Public Key Type: RSA (2048 bits)
  Signature Algorithm: RSA-SHA256
  Issuer Name:
    unstructuredName=vpn.pinglabz.lab
    C=US
    O=PingLabz
    CN=vpn.pinglabz.lab
  Subject Name:
    unstructuredName=vpn.pinglabz.lab
    C=US
    O=PingLabz
    CN=vpn.pinglabz.lab
  Validity Date:
    start date: {date}
    end   date: {date}
  Storage: config
  Associated Trustpoints: PINGLABZ-SELFSIGNED"""

ARTICLE_ENROLL_TERMINAL = """\
% Start certificate enrollment ..
% The subject name in the certificate will be: CN=vpn.pinglabz.com,O=PingLabz,C=US
% The fully-qualified domain name in the certificate will be: vpn.pinglabz.com
% Include the device serial number in the subject name? [yes/no]: no

Display Certificate Request to terminal? [yes/no]: yes
-----BEGIN CERTIFICATE REQUEST-----
{...}
-----END CERTIFICATE REQUEST-----"""

ARTICLE_AUTHENTICATE = """\
Enter the base 64 encoded CA certificate.
End with the word "quit" on a line by itself
{...}
quit
INFO: Certificate has the following attributes:
Fingerprint:     {hex8} {hex8} {hex8} {hex8}
Do you accept this certificate? [yes/no]: yes
Trustpoint '{any}' is a subordinate CA and holds a non self-signed certificate.
Trustpoint CA certificate accepted."""

ARTICLE_IMPORT = """\
% The fully-qualified domain name in the certificate will be: vpn.pinglabz.com
Enter the base 64 encoded certificate.
End with the word "quit" on a line by itself
{...}
quit
INFO: Certificate successfully imported"""


@dataclass(frozen=True)
class Words:
    """The article's commands, verbatim or abbreviated."""

    domain: str
    keygen_rsa: str
    keygen_ec: str
    trustpoint: str
    enrollment: str
    fqdn: str
    subject: str
    keypair: str
    exit: str
    enroll: str
    ssl: str
    show_certs: str
    authenticate: str
    import_cert: str
    ikev2: str
    general: str
    authentication: str
    certificate_map: str
    attr_rule: str
    map_enable: str
    map_rule: str
    #: the misplaced ``authentication`` line is refused: with the caret when typed in full;
    #: ``auth`` is ambiguous there (authentication-server-group, authorization-server-group)
    authentication_error: str = CARET_ERROR


VERBATIM = Words(
    domain="domain-name pinglabz.lab",
    keygen_rsa="crypto key generate rsa label PINGLABZ-RSA modulus 2048 noconfirm",
    keygen_ec="crypto key generate ecdsa label PINGLABZ-EC elliptic-curve 256 noconfirm",
    trustpoint="crypto ca trustpoint {tp}",
    enrollment=" enrollment {how}",
    fqdn=" fqdn {fqdn}",
    subject=" subject-name CN={fqdn},O=PingLabz,C=US",
    keypair=" keypair PINGLABZ-RSA",
    exit=" exit",
    enroll="crypto ca enroll {tp}",
    ssl="ssl trust-point {tp} outside",
    show_certs="show crypto ca certificates",
    authenticate="crypto ca authenticate {tp}",
    import_cert="crypto ca import {tp} certificate",
    ikev2="crypto ikev2 remote-access trustpoint {tp}",
    general="tunnel-group SSL_PROFILE general-attributes",
    authentication=" authentication {how}",
    certificate_map="crypto ca certificate map CONTRACTOR-MAP 10",
    attr_rule=" subject-name attr ou eq Contractors",
    map_enable="tunnel-group-map enable rules",
    map_rule="tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE",
)

ABBREVIATED = Words(
    domain="dom pinglabz.lab",
    keygen_rsa="cry key gen rsa lab PINGLABZ-RSA mod 2048 noc",
    keygen_ec="cry key gen ecd lab PINGLABZ-EC ell 256 noc",
    trustpoint="cry ca trustpoi {tp}",
    enrollment=" enr {how}",
    fqdn=" fq {fqdn}",
    subject=" subj CN={fqdn},O=PingLabz,C=US",
    keypair=" keyp PINGLABZ-RSA",
    exit=" exi",  # "ex" is ambiguous in the certificate-map mode (extended-key-usage)
    enroll="cry ca enr {tp}",
    ssl="ssl trust-p {tp} outside",
    show_certs="sh cry ca cert",
    authenticate="cry ca auth {tp}",
    import_cert="cry ca imp {tp} cert",
    ikev2="cry ikev2 rem trustpoint {tp}",
    general="tunnel-group SSL_PROFILE gen",
    authentication=" auth {how}",
    certificate_map="cry ca certificate map CONTRACTOR-MAP 10",
    attr_rule=" subj attr ou eq Contractors",
    map_enable="tunnel-group-map ena rul",
    map_rule="tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE",
    authentication_error='ERROR: % Ambiguous command:  "auth {how}"',
)


@pytest.fixture
def session(asa_session: DeviceSession) -> Iterator[DeviceSession]:
    for line in PREREQUISITES:
        assert not asa_session.send(line, mode=CONFIG_MODE).failed
    yield asa_session


class SendOptions(TypedDict, total=False):
    """The DeviceSession.send options the article's steps use."""

    answers: Sequence[tuple[str, str]]
    paste: Sequence[str] | None


def config(session: DeviceSession, line: str, **options: Unpack[SendOptions]) -> CommandOutput:
    return session.send(line, mode=CONFIG_MODE, **options)


def trustpoint_lines(words: Words, tp: str, how: str, fqdn: str) -> list[str]:
    return [
        words.trustpoint.format(tp=tp),
        words.enrollment.format(how=how),
        words.fqdn.format(fqdn=fqdn),
        words.subject.format(fqdn=fqdn),
        words.keypair,
        words.exit,
    ]


def run_article(
    session: DeviceSession, words: Words, lab_ca: LabPki, virtual_asa: EmbeddedASA
) -> None:
    issuing = lab_ca.issuing
    # Step 1
    assert config(session, words.domain).output == ""
    out = config(session, words.keygen_rsa)
    assert out.lines == [
        "Keypair generation process begin. Please wait...",
        "The RSA keypairs were successfully generated.",
    ]
    out = config(session, words.keygen_ec)
    assert out.lines == [
        "Keypair generation process begin. Please wait...",
        "The ECDSA keypairs were successfully generated.",
    ]
    # Step 2a
    for line in trustpoint_lines(words, "PINGLABZ-SELFSIGNED", "self", "vpn.pinglabz.lab"):
        out = config(session, line)
        assert out.output == "" and not out.failed, (line, out.output)
    out = config(session, words.enroll.format(tp="PINGLABZ-SELFSIGNED") + " noconfirm")
    assert out.lines == [
        "% The fully-qualified domain name in the certificate will be: vpn.pinglabz.lab"
    ]
    assert config(session, words.ssl.format(tp="PINGLABZ-SELFSIGNED")).output == ""
    shown = session.exec(words.show_certs)
    assert_layout(shown.output, ARTICLE_SELF_SIGNED)
    # Step 2b: request, CA, identity
    for line in trustpoint_lines(words, "PINGLABZ-CA-SIGNED", "terminal", "vpn.pinglabz.com"):
        assert config(session, line).output == ""
    out = config(
        session,
        words.enroll.format(tp="PINGLABZ-CA-SIGNED"),
        answers=[("serial number", "no"), ("Display Certificate Request", "yes")],
    )
    assert_layout(out.output, ARTICLE_ENROLL_TERMINAL)
    csr = out.output[out.output.index("-----BEGIN") :]
    certificate = issuing.sign_csr(csr, sans=["vpn.pinglabz.com"])
    out = config(
        session,
        words.authenticate.format(tp="PINGLABZ-CA-SIGNED"),
        paste=issuing.certificate.public_bytes(Encoding.PEM).decode().splitlines(),
        answers=[("accept this certificate", "yes")],
    )
    assert_layout(out.output, ARTICLE_AUTHENTICATE.replace("{any}", "PINGLABZ-CA-SIGNED"))
    out = config(
        session,
        words.import_cert.format(tp="PINGLABZ-CA-SIGNED"),
        paste=certificate.public_bytes(Encoding.PEM).decode().splitlines(),
    )
    assert_layout(out.output, ARTICLE_IMPORT)
    assert config(session, words.ssl.format(tp="PINGLABZ-CA-SIGNED")).output == ""
    assert config(session, words.ikev2.format(tp="PINGLABZ-CA-SIGNED")).output == ""
    # Step 3: client CA, the misplaced authentication line, the certificate map
    assert config(session, words.trustpoint.format(tp="CLIENT-CA")).output == ""
    assert config(session, words.enrollment.format(how="terminal")).output == ""
    assert config(session, words.exit).output == ""
    out = config(
        session,
        words.authenticate.format(tp="CLIENT-CA"),
        paste=issuing.certificate.public_bytes(Encoding.PEM).decode().splitlines(),
        answers=[("accept this certificate", "yes")],
    )
    assert out.lines[-1] == "Trustpoint CA certificate accepted."
    before = session.exec("show running-config tunnel-group").output
    assert config(session, words.general).output == ""
    for how in ("certificate", "aaa certificate"):
        out = config(session, words.authentication.format(how=how))
        assert out.failed and out.lines[-1] == words.authentication_error.format(how=how)
        if words.authentication_error == CARET_ERROR:
            # The caret sits under "authentication": prompt + the typed leading space.
            assert out.lines[0].index("^") == len("ASA-PERIM(config-tunnel-general)# ") + 1
    assert session.exec("show running-config tunnel-group").output == before
    assert config(session, words.certificate_map).output == ""
    assert config(session, words.attr_rule).output == ""
    assert config(session, words.exit).output == ""
    assert config(session, words.map_enable).output == ""
    assert config(session, words.map_rule).output == ""
    # What the device now holds
    running = session.exec("show running-config").output
    for expected in [
        "hostname ASA-PERIM",
        "domain-name pinglabz.lab",
        "ssl trust-point PINGLABZ-CA-SIGNED outside",
        "crypto ikev2 remote-access trustpoint PINGLABZ-CA-SIGNED",
        " subject-name attr ou eq contractors",
        "tunnel-group-map enable rules",
        "tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE",
    ]:
        assert expected in running.splitlines(), expected
    assert " authentication certificate" not in running
    device = virtual_asa.device()
    tp = device.trustpoints["PINGLABZ-CA-SIGNED"]
    assert tp.identity_certificate == certificate
    assert tp.ca_certificates == [issuing.certificate]
    assert device.trustpoints["CLIENT-CA"].ca_certificates == [issuing.certificate]
    assert device.keypairs["PINGLABZ-EC"].kind == "ecdsa"
    served = virtual_asa.asa.served_identity("outside", "vpn.pinglabz.com")
    assert served.certificate == certificate


def test_article_steps_verbatim(
    session: DeviceSession, lab_ca: LabPki, virtual_asa: EmbeddedASA
) -> None:
    run_article(session, VERBATIM, lab_ca, virtual_asa)


def test_article_steps_abbreviated(
    session: DeviceSession, lab_ca: LabPki, virtual_asa: EmbeddedASA
) -> None:
    run_article(session, ABBREVIATED, lab_ca, virtual_asa)
