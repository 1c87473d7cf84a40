"""Shared tools of the listener, AnyConnect and openconnect tests (no tests in here).

Certificates are installed on the device model directly: that is the state ``crypto ca
authenticate`` / ``crypto ca import`` leave behind. Everything else is configured through
the CLI, as a user would.
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import socket
import ssl
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, tostring

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from defusedxml.ElementTree import fromstring

from harness.device import DeviceSession
from harness.pki import CertificateAuthority, IssuedIdentity, LabCA
from lab.emulator.device import Keypair, Trustpoint
from lab.emulator.embedded import EmbeddedASA

SERVER_NAME = "vpn.example.lab"
PARTNER_NAME = "partner.example.lab"
ANYCONNECT_UA = "AnyConnect Linux_64 4.10.07061"


# ---------------------------------------------------------------- certificates


@dataclass(frozen=True)
class ListenerPki:
    """The corporate root and issuing CA, a partner CA, and a CA the ASA never heard of."""

    root: LabCA
    issuing: CertificateAuthority
    partner: LabCA
    stranger: LabCA
    server: IssuedIdentity  # vpn.example.lab, issued by ``issuing``
    partner_server: IssuedIdentity  # partner.example.lab, issued by ``partner``


@pytest.fixture(scope="session")
def listener_pki() -> ListenerPki:
    root = LabCA("Listener Root CA")
    issuing = root.intermediate("Listener Issuing CA")
    partner = LabCA("Partner Root CA")
    return ListenerPki(
        root,
        issuing,
        partner,
        LabCA("Stranger Root CA"),
        issuing.issue_server(SERVER_NAME),
        partner.issue_server(PARTNER_NAME),
    )


# ---------------------------------------------------------------- device state


def install_identity(
    asa: EmbeddedASA,
    trustpoint: str,
    identity: IssuedIdentity,
    cas: Sequence[x509.Certificate] = (),
) -> None:
    """A trustpoint holding ``identity`` (its key as keypair ``<trustpoint>-KEY``) and the
    CA certificates ``cas`` (what ``crypto ca authenticate`` imported)."""

    def install() -> None:
        device = asa.device()
        label = f"{trustpoint}-KEY"
        device.keypairs[label] = Keypair(label, identity.private_key, dt.datetime.now(dt.UTC))
        device.trustpoints[trustpoint] = Trustpoint(
            trustpoint,
            enrollment="terminal",
            keypair=label,
            identity_certificate=identity.certificate,
            ca_certificates=list(cas),
        )

    asa.call(install)


def install_ca(asa: EmbeddedASA, trustpoint: str, *cas: x509.Certificate) -> None:
    """A CA-only trustpoint, as ``crypto ca trustpoint X`` + ``crypto ca authenticate X``."""

    def install() -> None:
        asa.device().trustpoints[trustpoint] = Trustpoint(
            trustpoint, enrollment="terminal", ca_certificates=list(cas)
        )

    asa.call(install)


def set_clock_offset(asa: EmbeddedASA, offset: dt.timedelta) -> None:
    """What ``clock set`` does to the device clock."""

    def move() -> None:
        asa.device().clock.offset = offset

    asa.call(move)


def configure(session: DeviceSession, *lines: str) -> None:
    """Configuration lines through the CLI; any error fails the test with the device's text."""
    for output in session.configure(lines):
        assert not output.failed, f"{output.command!r} failed: {output.output}"


# ---------------------------------------------------------------- files and pins


@dataclass(frozen=True)
class ClientFiles:
    certificate: Path
    key: Path


def write_identity(folder: Path, name: str, identity: IssuedIdentity) -> ClientFiles:
    certificate = folder / f"{name}.pem"
    key = folder / f"{name}.key"
    certificate.write_bytes(identity.certificate.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(
        identity.private_key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key.chmod(0o600)
    return ClientFiles(certificate, key)


def spki_pin(certificate: x509.Certificate) -> str:
    """openconnect's ``--servercert pin-sha256:`` value (RFC 7469 SPKI pin)."""
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = hashes.Hash(hashes.SHA256())
    digest.update(spki)
    return "pin-sha256:" + base64.b64encode(digest.finalize()).decode()


# ---------------------------------------------------------------- openssl s_client


_AFTER_CA_NAMES = ("Requested Signature Algorithms", "Client Certificate Types", "---", "Shared")


_PEM_END = "-----END CERTIFICATE-----"


@dataclass(frozen=True)
class SClientResult:
    chain: tuple[x509.Certificate, ...]  # as served, leaf first
    acceptable_ca_names: tuple[str, ...] | None  # None: no CertificateRequest
    output: str

    @property
    def chain_subjects(self) -> tuple[str, ...]:
        return tuple(c.subject.rfc4514_string() for c in self.chain)


def _served_chain(output: str) -> tuple[x509.Certificate, ...]:
    blocks = [block + _PEM_END for block in output.split(_PEM_END)[:-1]]
    return tuple(
        x509.load_pem_x509_certificate(b[b.index("-----BEGIN") :].encode()) for b in blocks
    )


def s_client(
    openssl: str,
    address: tuple[str, int],
    *,
    servername: str | None,
    client: ClientFiles | None = None,
    ca_file: Path | None = None,
) -> SClientResult:
    """``openssl s_client -showcerts`` (``-servername`` or ``-noservername``)."""
    host, port = address
    command = [openssl, "s_client", "-connect", f"{host}:{port}", "-showcerts"]
    command += ["-servername", servername] if servername else ["-noservername"]
    if client is not None:
        command += ["-cert", str(client.certificate), "-key", str(client.key)]
    if ca_file is not None:
        command += ["-CAfile", str(ca_file)]
    done = subprocess.run(command, input=b"", capture_output=True, timeout=30, check=False)
    output = done.stdout.decode(errors="replace")
    lines = output.splitlines()
    names: tuple[str, ...] | None = None
    if "Acceptable client certificate CA names" in lines:
        start = lines.index("Acceptable client certificate CA names") + 1
        block = []
        for line in lines[start:]:
            if not line.strip() or line.startswith(_AFTER_CA_NAMES):
                break
            block.append(line.strip())
        names = tuple(block)
    return SClientResult(
        _served_chain(output), names, output + done.stderr.decode(errors="replace")
    )


# ---------------------------------------------------------------- an AnyConnect client in Python


class _Connection(http.client.HTTPSConnection):
    """HTTPS to ``address`` with SNI and ``Host:`` set to ``server_name``."""

    def __init__(self, server_name: str, address: tuple[str, int], context: ssl.SSLContext) -> None:
        super().__init__(server_name, address[1], context=context, timeout=30)
        self._address = address
        self._tls_context = context

    def connect(self) -> None:
        raw = socket.create_connection(self._address, self.timeout)
        self.sock = self._tls_context.wrap_socket(raw, server_hostname=self.host)


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def xml(self) -> Element:
        root: Element = fromstring(self.body)
        return root

    def text(self, path: str) -> str | None:
        element = self.xml.find(path)
        return None if element is None else element.text or ""

    @property
    def opaque(self) -> bytes:
        element = self.xml.find("opaque")
        assert element is not None, self.body.decode()
        return tostring(element)


class AnyConnectClient:
    """Speaks aggregate-auth like openconnect, over one keep-alive connection."""

    def __init__(
        self,
        address: tuple[str, int],
        *,
        server_name: str = SERVER_NAME,
        client: ClientFiles | None = None,
        user_agent: str = ANYCONNECT_UA,
    ) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the tests judge the server, not trust it
        if client is not None:
            context.load_cert_chain(client.certificate, client.key)
        self.server_name = server_name
        self.port = address[1]
        self.user_agent = user_agent
        self._connection = _Connection(server_name, address, context)

    def close(self) -> None:
        self._connection.close()

    def request(
        self,
        method: str,
        path: str,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
    ) -> Reply:
        sent = {"User-Agent": self.user_agent, **(headers or {})}
        self._connection.request(method, path, body=body, headers=sent)
        response = self._connection.getresponse()
        data = response.read()
        return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def post(self, body: bytes, path: str = "/", content_type: str = "application/xml") -> Reply:
        headers = {
            "Content-Type": content_type,
            "X-Aggregate-Auth": "1",
            "X-Transcend-Version": "1",
        }
        return self.request("POST", path, body, headers)

    def url(self, path: str = "/") -> str:
        return f"https://{self.server_name}:{self.port}{path}"


def init_message(
    group_access: str | None = None,
    group_select: str | None = None,
    *,
    client_cert_fail: bool = False,
) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<config-auth client="vpn" type="init" aggregate-auth-version="2">',
        '<version who="vpn">v9.01</version>',
        "<device-id>linux-64</device-id>",
    ]
    if client_cert_fail:
        parts.append("<client-cert-fail/>")
    if group_select is not None:
        parts.append(f"<group-select>{group_select}</group-select>")
    if group_access is not None:
        parts.append(f"<group-access>{group_access}</group-access>")
    parts.append("</config-auth>")
    return "\n".join(parts).encode()


def auth_reply(
    opaque: bytes, username: str, password: str, group_select: str | None = None
) -> bytes:
    select = f"<group-select>{group_select}</group-select>" if group_select else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<config-auth client="vpn" type="auth-reply" aggregate-auth-version="2">\n'
        '<version who="vpn">v9.01</version>\n'
        + opaque.decode()
        + f"\n<auth><username>{username}</username><password>{password}</password></auth>"
        + select
        + "\n</config-auth>"
    ).encode()


def logout_message(token: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<config-auth client="vpn" type="logout">'
        f"<session-token>{token}</session-token></config-auth>"
    ).encode()
