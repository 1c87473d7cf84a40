"""The probe against ocserv 1.1.6, a real AnyConnect-compatible gateway (reference section 11).

ocserv runs as root in the foreground with certificate authentication and groups taken from
the client certificate's OU. Its workers run as ``nobody`` and must reach the sec-mod
socket, which therefore lives in its own world-traversable temporary folder: pytest's base
folder is mode 0700. Readiness: ocserv's "listening" and "sec-mod initialized" lines, then
a TLS handshake, never a sleep.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization

from harness.pki import IssuedIdentity
from probes.anyconnect import discover
from probes.identity import ClientIdentity
from probes.tls import handshake
from tests.conftest import LabPki

HOST = "vpn.example.lab"
START_TIMEOUT = 20.0


@dataclass
class Ocserv:
    port: int
    process: subprocess.Popen[bytes]
    log: list[str]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _config(folder: Path, socket_folder: Path, port: int) -> str:
    return f"""
auth = "certificate"
listen-host = 127.0.0.1
tcp-port = {port}
udp-port = 0
server-cert = {folder}/server.pem
server-key = {folder}/server.key
ca-cert = {folder}/ca.pem
cert-user-oid = 2.5.4.3
cert-group-oid = 2.5.4.11
select-group = TG-CORP[CORP]
select-group = TG-CONTRACTORS[CONTRACTORS]
cisco-client-compat = true
isolate-workers = false
socket-file = {socket_folder}/ocserv-socket
pid-file = {folder}/ocserv.pid
run-as-user = nobody
run-as-group = nogroup
device = vpns
ipv4-network = 192.168.77.0
ipv4-netmask = 255.255.255.0
"""


@pytest.fixture
def ocserv(tool: Callable[[str], str], tmp_path: Path, lab_ca: LabPki) -> Iterator[Ocserv]:
    binary = tool("ocserv")
    if os.geteuid() != 0:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("ocserv needs root; CI must run the suite as root")
        pytest.skip("ocserv needs root (privilege separation)")
    server = lab_ca.issuing.issue_server(HOST)
    (tmp_path / "server.pem").write_bytes(
        server.cert_pem + lab_ca.issuing.certificate.public_bytes(serialization.Encoding.PEM)
    )
    (tmp_path / "server.key").write_bytes(server.key_pem())
    (tmp_path / "ca.pem").write_bytes(lab_ca.issuing.identity.chain_pem)
    socket_folder = Path(tempfile.mkdtemp(prefix="ocserv-test-"))
    socket_folder.chmod(0o711)
    port = _free_port()
    (tmp_path / "ocserv.conf").write_text(_config(tmp_path, socket_folder, port))
    process = subprocess.Popen(
        [binary, "-f", "-d", "1", "-c", str(tmp_path / "ocserv.conf")],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    log: list[str] = []
    listening, sec_mod = threading.Event(), threading.Event()

    def drain() -> None:
        assert process.stdout is not None
        for raw in process.stdout:
            line = raw.decode(errors="replace")
            log.append(line)
            if f"listening (TCP) on 127.0.0.1:{port}" in line:
                listening.set()
            if "sec-mod initialized" in line:
                sec_mod.set()
        listening.set()
        sec_mod.set()

    threading.Thread(target=drain, daemon=True).start()
    try:
        if not (listening.wait(START_TIMEOUT) and sec_mod.wait(START_TIMEOUT)):
            pytest.fail("ocserv did not start:\n" + "".join(log))
        if process.poll() is not None or not handshake("127.0.0.1", port, sni=HOST).served_chain:
            pytest.fail("ocserv does not answer:\n" + "".join(log))
        yield Ocserv(port, process, log)
    finally:
        # SIGKILL to ocserv's own process group (main, sec-mod, workers): its graceful
        # SIGTERM shutdown takes 1-2 s and there is nothing to save.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        shutil.rmtree(socket_folder, ignore_errors=True)


def _identity(issued: IssuedIdentity) -> ClientIdentity:
    return ClientIdentity.from_objects(issued.certificate, issued.private_key, issued.chain)


@pytest.fixture(scope="module")
def alice(lab_ca: LabPki) -> ClientIdentity:
    return _identity(lab_ca.issuing.issue_client(CN="alice", OU="TG-CORP"))


@pytest.fixture(scope="module")
def bob(lab_ca: LabPki) -> ClientIdentity:
    return _identity(lab_ca.issuing.issue_client(CN="bob"))


def test_served_chain_and_certificate_request(
    ocserv: Ocserv, lab_ca: LabPki, alice: ClientIdentity
) -> None:
    result = handshake("127.0.0.1", ocserv.port, sni=HOST, client_identity=alice)

    assert result.ok, result.failure
    assert [c.subject for c in result.served_chain][1:] == [lab_ca.issuing.certificate.subject]
    assert result.client_cert_requested is True and result.client_cert_sent is True
    assert result.client_ca_names == (
        lab_ca.issuing.certificate.subject.rfc4514_string(),
        lab_ca.root.certificate.subject.rfc4514_string(),
    )


def test_certificate_with_groups_gets_the_group_list(ocserv: Ocserv, alice: ClientIdentity) -> None:
    result = discover("127.0.0.1", ocserv.port, sni=HOST, client_identity=alice)

    assert result.outcome == "auth-request", result
    assert result.group_list == ("CORP", "CONTRACTORS")
    assert result.form_fields == ("group_list",)
    assert result.message == "Please select your group."
    assert result.tunnel_group is None  # ocserv never sends <opaque> (reference 11.3)
    assert result.session_token_present is False and result.logged_out is None


def test_selecting_a_group_of_the_certificate_completes(
    ocserv: Ocserv, alice: ClientIdentity
) -> None:
    result = discover(
        "127.0.0.1", ocserv.port, sni=HOST, client_identity=alice, group_select="CORP"
    )

    assert result.outcome == "complete", result
    assert result.auth_methods == ("certificate",)
    assert result.session_token_present is True
    # ocserv 1.1.6 has no HTTP logout for a session that never connected: not acknowledged.
    assert result.logged_out is False
    assert result.handshake is not None
    assert result.handshake.client_cert_sent is True


def test_selecting_a_group_not_on_the_certificate_is_refused(
    ocserv: Ocserv, alice: ClientIdentity
) -> None:
    result = discover(
        "127.0.0.1", ocserv.port, sni=HOST, client_identity=alice, group_select="CONTRACTORS"
    )

    assert result.outcome == "error" and result.http_status == 401
    assert result.error == "HTTP 401 Authentication failed"


def test_certificate_without_groups_completes_straight_away(
    ocserv: Ocserv, bob: ClientIdentity
) -> None:
    result = discover("127.0.0.1", ocserv.port, sni=HOST, client_identity=bob)

    assert result.outcome == "complete" and result.auth_methods == ("certificate",)
    assert result.certificate_round is False


def test_no_certificate(ocserv: Ocserv) -> None:
    result = discover("127.0.0.1", ocserv.port, sni=HOST)

    assert result.outcome == "error" and result.error == "HTTP 401 No certificate"
    assert result.handshake is not None
    assert (
        result.handshake.client_cert_requested is True
        and result.handshake.client_cert_sent is False
    )
