"""openconnect 9.01 against the virtual ASA, as anyconnect-protocol.md section 10 drives it."""

from __future__ import annotations

import datetime as dt
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding

from harness.device import DeviceSession
from harness.device.session import CONFIG_MODE
from lab.emulator.device import VpnSession
from lab.emulator.embedded import EmbeddedASA
from tests.lab.emulator.test_listener_support import (
    ANYCONNECT_UA,
    PARTNER_NAME,
    SERVER_NAME,
    AnyConnectClient,
    ClientFiles,
    ListenerPki,
    configure,
    install_ca,
    install_identity,
    listener_pki,
    set_clock_offset,
    spki_pin,
    write_identity,
)

__all__ = ["listener_pki"]  # a fixture: imported so that pytest finds it

FAILED = "Failed to complete authentication"


@dataclass(frozen=True)
class OpenconnectRun:
    returncode: int
    stdout: str
    stderr: str

    @property
    def webvpn_cookie(self) -> str | None:
        """The ``webvpn=`` part of ``COOKIE='...'`` (the strapkey part is never kept)."""
        for line in self.stdout.splitlines():
            if line.startswith("COOKIE="):
                for part in line.removeprefix("COOKIE=").strip("'").split("; "):
                    if part.startswith("webvpn="):
                        return part.removeprefix("webvpn=")
        return None

    def answered(self, element: str) -> list[str]:
        """Texts of ``<element>`` in the response bodies of ``--dump-http-traffic``."""
        opening, closing = f"< <{element}>", f"</{element}>"
        return [
            line.removeprefix(opening).removesuffix(closing)
            for line in self.stderr.splitlines()
            if line.startswith(opening) and line.endswith(closing)
        ]


@dataclass
class OpenconnectLab:
    asa: EmbeddedASA
    session: DeviceSession
    pki: ListenerPki
    folder: Path
    openconnect: str

    @property
    def port(self) -> int:
        return self.asa.interface_address("outside")[1]

    def identity(self, name: str, issuer: str = "issuing", **subject: str) -> ClientFiles:
        ca = self.pki.issuing if issuer == "issuing" else self.pki.stranger
        return write_identity(self.folder, name, ca.issue_client(**subject))

    def run(
        self,
        url: str,
        *,
        client: ClientFiles | None = None,
        pin: str | None = None,
        user: str | None = None,
        password: str | None = None,
        resolve: bool = True,
    ) -> OpenconnectRun:
        command = [
            self.openconnect,
            "--protocol=anyconnect",
            "--authenticate",
            "--non-inter",
            "--dump-http-traffic",
            "--useragent",
            ANYCONNECT_UA,
            "--servercert",
            pin or spki_pin(self.pki.server.certificate),
        ]
        if resolve:
            command += [
                "--resolve",
                f"{SERVER_NAME}:127.0.0.1",
                "--resolve",
                f"{PARTNER_NAME}:127.0.0.1",
            ]
        if client is not None:
            command += ["-c", str(client.certificate), "-k", str(client.key)]
        if user is not None:
            command += ["-u", user, "--passwd-on-stdin"]
        done = subprocess.run(
            [*command, url],
            input=(password + "\n").encode() if password is not None else b"",
            capture_output=True,
            timeout=60,
            check=False,
        )
        return OpenconnectRun(
            done.returncode,
            done.stdout.decode(errors="replace"),
            done.stderr.decode(errors="replace"),
        )

    def sessions(self) -> list[VpnSession]:
        return self.asa.call(lambda: list(self.asa.device().sessions))


@pytest.fixture
def lab(
    virtual_asa: EmbeddedASA,
    asa_session: DeviceSession,
    listener_pki: ListenerPki,
    tmp_path: Path,
    tool: Callable[[str], str],
) -> Iterator[OpenconnectLab]:
    openconnect = tool("openconnect")
    install_identity(
        virtual_asa, "TP-CORP", listener_pki.server, [listener_pki.issuing.certificate]
    )
    install_ca(virtual_asa, "CLIENT-CA", listener_pki.root.certificate)
    configure(asa_session, "ssl trust-point TP-CORP outside", "username alice password s3cret-pw")
    yield OpenconnectLab(virtual_asa, asa_session, listener_pki, tmp_path, openconnect)


def certificate_only_default_group(lab: OpenconnectLab) -> None:
    configure(
        lab.session,
        "tunnel-group DefaultWEBVPNGroup webvpn-attributes",
        "authentication certificate",
    )


def test_a_certificate_only_group_prints_the_cookie(lab: OpenconnectLab) -> None:
    certificate_only_default_group(lab)
    alice = lab.identity("alice", CN="alice", OU="Employees")
    run = lab.run(f"https://127.0.0.1:{lab.port}", client=alice, resolve=False)
    assert run.returncode == 0, run.stderr
    (session,) = lab.sessions()
    assert run.webvpn_cookie == session.session_token
    assert (session.username, session.tunnel_group, session.protocol) == (
        "alice",
        "DefaultWEBVPNGroup",
        "AnyConnect-Parent",
    )
    shown = lab.session.exec("show vpn-sessiondb anyconnect").output
    assert "Username     : alice" in shown
    assert "Tunnel Group : DefaultWEBVPNGroup" in shown
    assert "Protocol     : AnyConnect-Parent" in shown

    logout = AnyConnectClient(lab.asa.interface_address("outside")).request(
        "GET", "/+webvpn+/webvpn_logout.html", headers={"Cookie": f"webvpn={run.webvpn_cookie}"}
    )
    assert logout.status == 200 and lab.sessions() == []


def test_without_a_certificate_it_fails_as_against_an_asa(lab: OpenconnectLab) -> None:
    certificate_only_default_group(lab)
    run = lab.run(f"https://127.0.0.1:{lab.port}", resolve=False)
    assert run.returncode == 1
    assert "Server requested SSL client certificate; none was configured" in run.stderr
    assert FAILED in run.stderr
    assert lab.sessions() == []


def test_a_certificate_map_match_shows_its_group_in_the_auth_request(lab: OpenconnectLab) -> None:
    configure(
        lab.session,
        "tunnel-group TG-CONTRACTORS type remote-access",
        "tunnel-group TG-CONTRACTORS webvpn-attributes",
        "authentication aaa certificate",
        "group-alias CONTRACTORS enable",
        "crypto ca certificate map CM-SSL 10",
        "subject-name attr ou eq Contractors",
        "webvpn",
        "certificate-group-map CM-SSL 10 TG-CONTRACTORS",
    )
    carol = lab.identity("carol", CN="carol", OU="Contractors")
    url = f"https://{SERVER_NAME}:{lab.port}/"
    run = lab.run(url, client=carol, user="alice", password="s3cret-pw")
    assert run.returncode == 0, run.stderr
    assert run.answered("tunnel-group") == ["TG-CONTRACTORS"]
    assert run.answered("group-alias") == ["CONTRACTORS"]
    assert [(s.username, s.tunnel_group) for s in lab.sessions()] == [("alice", "TG-CONTRACTORS")]

    wrong = lab.run(url, client=carol, user="alice", password="guess")
    assert wrong.returncode == 1 and "Login failed." in wrong.stderr


def test_the_articles_tunnel_group_map_does_not_route_ssl_clients(lab: OpenconnectLab) -> None:
    """PingLabz routes with ``tunnel-group-map``; an SSL client still lands on the default."""
    configure(
        lab.session,
        "tunnel-group CONTRACTOR_PROFILE type remote-access",
        "tunnel-group CONTRACTOR_PROFILE webvpn-attributes",
        "authentication aaa certificate",
        "crypto ca certificate map CONTRACTOR-MAP 10",
        "subject-name attr ou eq Contractors",
        "tunnel-group-map enable rules",
        "tunnel-group-map CONTRACTOR-MAP 10 CONTRACTOR_PROFILE",
    )
    carol = lab.identity("carol", CN="carol", OU="Contractors")
    run = lab.run(
        f"https://{SERVER_NAME}:{lab.port}/", client=carol, user="alice", password="s3cret-pw"
    )
    assert run.answered("tunnel-group") == ["DefaultWEBVPNGroup"]
    assert [s.tunnel_group for s in lab.sessions()] == ["DefaultWEBVPNGroup"]


def test_the_group_url_path_chooses_the_group(lab: OpenconnectLab) -> None:
    configure(
        lab.session,
        "tunnel-group TG-CORP type remote-access",
        "tunnel-group TG-CORP webvpn-attributes",
        "group-alias CORP enable",
        f"group-url https://{SERVER_NAME}:{lab.port}/corp enable",
    )
    run = lab.run(f"https://{SERVER_NAME}:{lab.port}/corp", user="alice", password="s3cret-pw")
    assert run.returncode == 0, run.stderr
    assert run.answered("tunnel-group") == ["TG-CORP"]


def test_sni_through_resolve_gets_the_domain_certificate(lab: OpenconnectLab) -> None:
    install_identity(lab.asa, "TP-PARTNER", lab.pki.partner_server, [lab.pki.partner.certificate])
    configure(lab.session, f"ssl trust-point TP-PARTNER domain {PARTNER_NAME}")
    url = f"https://{PARTNER_NAME}:{lab.port}/"
    partner_pin = spki_pin(lab.pki.partner_server.certificate)
    run = lab.run(url, pin=partner_pin, user="alice", password="s3cret-pw")
    assert run.returncode == 0, run.stderr
    corp_pin = lab.run(url, user="alice", password="s3cret-pw")  # pinned to the other cert
    assert corp_pin.returncode == 1 and lab.sessions()[0].username == "alice"
    assert len(lab.sessions()) == 1


@pytest.mark.parametrize(
    ("issuer", "clock_days"),
    [("stranger", 0), ("issuing", 800), ("issuing", -2)],
    ids=["unknown-ca", "expired-by-device-clock", "not-yet-valid-by-device-clock"],
)
def test_an_invalid_client_certificate_is_rejected(
    lab: OpenconnectLab, issuer: str, clock_days: int
) -> None:
    """Section 5.3: the certificate-only group answers with the group list and the error;
    openconnect prints the raw text, retries once and gives up."""
    certificate_only_default_group(lab)
    configure(
        lab.session,
        "tunnel-group DefaultWEBVPNGroup webvpn-attributes",
        "group-alias CERT enable",
        "webvpn",
        "tunnel-group-list enable",
    )
    eve = lab.identity(f"eve-{issuer}", issuer, CN="eve")
    url = f"https://127.0.0.1:{lab.port}"
    if issuer == "issuing":  # control: the same certificate is fine at the real time
        assert lab.run(url, client=eve, resolve=False).returncode == 0
        lab.asa.call(lambda: lab.asa.device().sessions.clear())
    set_clock_offset(lab.asa, dt.timedelta(days=clock_days))
    run = lab.run(url, client=eve, resolve=False)
    assert run.returncode == 1
    printed = [line for line in run.stderr.splitlines() if not line.startswith(("< ", "> "))]
    assert "Certificate Validation Failure" in printed
    assert FAILED in printed
    assert lab.sessions() == []


def test_the_articles_workflow_typed_at_the_cli_then_openconnect(
    virtual_asa: EmbeddedASA,
    asa_session: DeviceSession,
    listener_pki: ListenerPki,
    tmp_path: Path,
    tool: Callable[[str], str],
) -> None:
    """Keypair, CSR, CA import, identity import, binding, client CA, certificate-only group:
    all through the CLI; then a real client, then ``clock set`` two years ahead."""
    issuing, session = listener_pki.issuing, asa_session

    def pasted(line: str, pem: bytes) -> None:
        output = session.send(
            line,
            mode=CONFIG_MODE,
            paste=pem.decode().splitlines(),
            answers=[("accept this certificate", "yes")],
        )
        assert not output.failed, output.output

    configure(
        session,
        "crypto key generate rsa label VPN-RSA modulus 2048 noconfirm",
        "crypto ca trustpoint TP-VPN",
        " enrollment terminal",
        f" fqdn {SERVER_NAME}",
        f" subject-name CN={SERVER_NAME},O=PingLabz,C=US",
        " keypair VPN-RSA",
        " exit",
    )
    request = session.send("crypto ca enroll TP-VPN noconfirm", mode=CONFIG_MODE).output
    csr = request[request.index("-----BEGIN CERTIFICATE REQUEST-----") :]
    signed = issuing.sign_csr(csr, sans=[SERVER_NAME])
    pasted("crypto ca authenticate TP-VPN", issuing.certificate.public_bytes(Encoding.PEM))
    pasted("crypto ca import TP-VPN certificate", signed.public_bytes(Encoding.PEM))
    configure(
        session,
        "ssl trust-point TP-VPN outside",
        "crypto ca trustpoint CLIENT-CA",
        " enrollment terminal",
        " exit",
    )
    pasted(
        "crypto ca authenticate CLIENT-CA", listener_pki.root.certificate.public_bytes(Encoding.PEM)
    )
    configure(
        session, "tunnel-group DefaultWEBVPNGroup webvpn-attributes", "authentication certificate"
    )

    lab = OpenconnectLab(virtual_asa, session, listener_pki, tmp_path, tool("openconnect"))
    alice = lab.identity("alice", CN="alice")
    url = f"https://{SERVER_NAME}:{lab.port}/"
    accepted = lab.run(url, client=alice, pin=spki_pin(signed))
    assert accepted.returncode == 0, accepted.stderr
    assert [s.username for s in lab.sessions()] == ["alice"]

    later = virtual_asa.call(lambda: virtual_asa.device().clock.now_local()) + dt.timedelta(
        days=800
    )
    clock = session.exec(f"clock set {later:%H:%M:%S} {later:%b} {later.day} {later.year}")
    assert not clock.failed, clock.output
    rejected = lab.run(url, client=alice, pin=spki_pin(signed))
    assert rejected.returncode == 1 and FAILED in rejected.stderr
    assert "Certificate Validation Failure" in rejected.stderr
    assert len(lab.sessions()) == 1
