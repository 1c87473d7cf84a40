"""Fixtures for the probe tests: certificates minted by the lab CA, and `openssl s_server`
(a TLS server none of us wrote) started on an ephemeral port.

Readiness is s_server's own ``ACCEPT host:port`` line, printed once it listens, read by a
thread that keeps draining its output; nothing sleeps.
"""

from __future__ import annotations

import re
import subprocess
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from harness.pki import IssuedIdentity

_ACCEPT = re.compile(rb"^ACCEPT (\S+):(\d+)\s*$")
START_TIMEOUT = 20.0


def pem(certificates: Sequence[x509.Certificate]) -> bytes:
    return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates)


@dataclass
class OpensslServer:
    host: str
    port: int
    process: subprocess.Popen[bytes]
    output: list[bytes]

    @property
    def log(self) -> str:
        return b"".join(self.output).decode(errors="replace")


StartServer = Callable[..., OpensslServer]


@pytest.fixture
def s_server(tool: Callable[[str], str], tmp_path: Path) -> Iterator[StartServer]:
    """``start(identity, *options, chain=None, client_cas=())``: serve ``identity`` (leaf
    plus ``chain``, default its CA chain, sent in the order given) with s_server options."""
    openssl = tool("openssl")
    running: list[OpensslServer] = []

    def start(
        identity: IssuedIdentity,
        *options: str,
        chain: Sequence[x509.Certificate] | None = None,
        client_cas: Sequence[x509.Certificate] = (),
    ) -> OpensslServer:
        folder = tmp_path / f"server{len(running)}"
        folder.mkdir()
        (folder / "cert.pem").write_bytes(identity.cert_pem)
        (folder / "key.pem").write_bytes(identity.key_pem())
        command = [
            openssl, "s_server", "-accept", "127.0.0.1:0", "-www",
            "-cert", str(folder / "cert.pem"), "-key", str(folder / "key.pem"),
        ]  # fmt: skip
        served_chain = identity.chain if chain is None else tuple(chain)
        if served_chain:
            (folder / "chain.pem").write_bytes(pem(served_chain))
            command += ["-cert_chain", str(folder / "chain.pem")]
        if client_cas:
            (folder / "client-cas.pem").write_bytes(pem(client_cas))
            command += ["-CAfile", str(folder / "client-cas.pem")]
        process = subprocess.Popen(
            [*command, *options],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        output: list[bytes] = []
        address: list[tuple[str, int]] = []
        ready = threading.Event()

        def drain() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                output.append(line)
                match = _ACCEPT.match(line)
                if match and not address:
                    address.append((match.group(1).decode(), int(match.group(2))))
                    ready.set()
            ready.set()

        threading.Thread(target=drain, daemon=True).start()
        server = OpensslServer("", 0, process, output)
        running.append(server)
        if not ready.wait(START_TIMEOUT) or not address:
            pytest.fail(f"openssl s_server did not start: {server.log}")
        server.host, server.port = address[0]
        return server

    yield start
    for server in running:
        server.process.kill()
        server.process.wait()
