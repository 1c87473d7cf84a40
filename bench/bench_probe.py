"""Probe cost per check: ``handshake`` + ``analyse`` against a bare pyOpenSSL handshake loop
(the floor), ``openssl s_client`` and, where installed, ``testssl.sh -S``, all against the
same virtual ASA (a separate process serving root -> issuing -> RSA-2048 leaf).

    .venv/bin/python bench/bench_probe.py
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (
    Target,
    arguments,
    figure,
    finish,
    heading,
    interleaved,
    median_ms,
    spread_ms,
    timed,
)
from cryptography import x509
from emulator_process import SERVER_NAME, emulator, install_lab_chain
from OpenSSL import SSL

from harness.device import DeviceSession
from probes.chain import analyse
from probes.tls import DEFAULT_TLS_VERSIONS, handshake
from probes.tls_channel import build_context
from probes.tls_observer import HandshakeObserver

ITERATIONS = 300
WARMUP = 30
S_CLIENT_ITERATIONS = 20
PROBE_FLOOR_RATIO = 1.3
TESTSSL_SPEEDUP = 400.0


def bare_handshake(context: SSL.Context, address: tuple[str, int]) -> None:
    """The floor: connect, handshake with SNI, read the chain, close. Nothing else."""
    with socket.create_connection(address, timeout=5) as sock:
        sock.settimeout(None)  # OpenSSL drives a blocking socket
        connection = SSL.Connection(context, sock)
        connection.set_connect_state()
        connection.set_tlsext_host_name(SERVER_NAME.encode())
        connection.do_handshake()
        connection.get_peer_cert_chain()
        connection.shutdown()


def s_client(address: tuple[str, int]) -> None:
    completed = subprocess.run(
        [
            "openssl",
            "s_client",
            "-connect",
            f"{address[0]}:{address[1]}",
            "-servername",
            SERVER_NAME,
            "-showcerts",
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=30,
        check=False,
    )
    if b"BEGIN CERTIFICATE" not in completed.stdout:
        raise RuntimeError(f"openssl s_client saw no certificate: {completed.stderr[-400:]!r}")


def print_client_costs(root: x509.Certificate, address: tuple[str, int]) -> None:
    """Where the probe's own time goes, measured in-process without the network."""
    served = handshake(*address, sni=SERVER_NAME).served_chain
    parts = interleaved(
        {
            "analyse": lambda: analyse(served, hostname=SERVER_NAME, trust_anchors=[root]),
            "context": lambda: build_context(None, DEFAULT_TLS_VERSIONS, HandshakeObserver()),
        },
        ITERATIONS,
        WARMUP,
    )
    figure("  of which analyse() of the served chain", spread_ms(parts["analyse"]))
    figure("  of which a new client SSL.Context per check", spread_ms(parts["context"]))


def testssl_program() -> str | None:
    return shutil.which("testssl.sh") or shutil.which("testssl")


def main() -> list[Target]:
    heading("probe: handshake + chain analysis per check")
    targets: list[Target] = []
    with emulator() as asa:
        with DeviceSession(asa.login()) as session:
            chain = install_lab_chain(session)
        address = asa.interfaces["outside"]

        def probe_check() -> None:
            result = handshake(*address, sni=SERVER_NAME)
            report = analyse(result.served_chain, hostname=SERVER_NAME, trust_anchors=[chain.root])
            if not (result.ok and report.trusted and report.leaf_matches_hostname):
                raise RuntimeError(f"the probe did not see the lab chain: {result} {report}")

        context = SSL.Context(SSL.TLS_CLIENT_METHOD)
        context.set_verify(SSL.VERIFY_NONE)
        probe_check()  # fails loudly if the set-up is wrong
        samples = interleaved(
            {
                "floor": lambda: bare_handshake(context, address),
                "probe": probe_check,
            },
            ITERATIONS,
            WARMUP,
        )
        figure("bare pyOpenSSL handshake (floor)", spread_ms(samples["floor"]))
        figure("probe: handshake + analyse", spread_ms(samples["probe"]))
        ratio = median_ms(samples["probe"]) / median_ms(samples["floor"])
        figure("probe / floor", f"{ratio:.2f}x")
        overhead = median_ms(samples["probe"]) - median_ms(samples["floor"])
        figure("client-side cost of the probe over the floor", f"{overhead:.3f} ms")
        print_client_costs(chain.root, address)
        targets.append(
            Target("probe check vs bare pyOpenSSL handshake", ratio, PROBE_FLOOR_RATIO, "x")
        )

        if shutil.which("openssl"):
            s_client(address)
            s_client_samples = [
                timed(lambda: s_client(address)) for _ in range(S_CLIENT_ITERATIONS)
            ]
            figure("openssl s_client -showcerts per check", spread_ms(s_client_samples))
            speedup = median_ms(s_client_samples) / median_ms(samples["probe"])
            figure("probe speed-up over openssl s_client", f"{speedup:.1f}x faster")
        else:
            figure("openssl s_client", "not installed: not measured")

        program = testssl_program()
        if program is None:
            figure("testssl.sh -S", "not installed: not measured")
            targets.append(
                Target(
                    "probe speed-up over testssl.sh -S (certificate verdicts)",
                    None,
                    TESTSSL_SPEEDUP,
                    "x",
                    "at_least",
                    note="testssl.sh is not installed on this machine; nothing was measured",
                )
            )
        else:
            elapsed = timed(
                lambda: subprocess.run(
                    [program, "-S", "--quiet", "--color", "0", f"{address[0]}:{address[1]}"],
                    capture_output=True,
                    timeout=600,
                    check=False,
                )
            )
            figure("testssl.sh -S per host", f"{elapsed:.2f} s")
            speedup = elapsed * 1000 / median_ms(samples["probe"])
            targets.append(
                Target(
                    "probe speed-up over testssl.sh -S (certificate verdicts)",
                    speedup,
                    TESTSSL_SPEEDUP,
                    "x",
                    "at_least",
                )
            )
    return targets


if __name__ == "__main__":
    options = arguments(__doc__ or "")
    finish(main(), options.targets_json)
