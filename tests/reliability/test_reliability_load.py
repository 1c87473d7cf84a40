"""Load: 20 SSH sessions configure one virtual ASA at the same time while 200 probe handshakes
run against it. No error, no lost line: every session's trustpoint and tunnel-group are in
the running configuration afterwards, with every attribute it typed."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from harness.device import CommandOutput, DeviceSession
from lab.emulator.embedded import EmbeddedASA
from probes.tls import HandshakeResult, handshake
from tests.reliability.reliability_support import login_for

SESSIONS = 20
HANDSHAKES = 200


def session_lines(number: int) -> list[str]:
    return [
        f"crypto ca trustpoint LOAD-TP-{number:02d}",
        " enrollment terminal",
        f" fqdn vpn{number}.load.lab",
        f" subject-name CN=vpn{number}.load.lab,O=Load Lab",
        " exit",
        f"tunnel-group LOAD-TG-{number:02d} type remote-access",
        f"tunnel-group LOAD-TG-{number:02d} webvpn-attributes",
        " authentication certificate",
        f" group-alias LOAD{number:02d} enable",
        " exit",
    ]


def expected_config(number: int) -> list[str]:
    """Lines of ``show running-config`` that session ``number`` must have produced."""
    return [
        f"crypto ca trustpoint LOAD-TP-{number:02d}",
        f" fqdn vpn{number}.load.lab",
        f" subject-name CN=vpn{number}.load.lab,O=Load Lab",
        f"tunnel-group LOAD-TG-{number:02d} type remote-access",
        f"tunnel-group LOAD-TG-{number:02d} webvpn-attributes",
        " authentication certificate",
        f" group-alias LOAD{number:02d} enable",
    ]


@pytest.mark.slow
def test_concurrent_sessions_and_handshakes_lose_nothing(virtual_asa: EmbeddedASA) -> None:
    login = login_for(virtual_asa)
    address = virtual_asa.interface_address("outside")
    start = threading.Barrier(SESSIONS + HANDSHAKES)

    def configure(number: int) -> list[CommandOutput]:
        start.wait()
        with DeviceSession(login) as session:
            return session.configure(session_lines(number), stop_on_error=False)

    def probe(_number: int) -> HandshakeResult:
        start.wait()
        return handshake(*address, sni="vpn.load.lab", timeout=60)

    with ThreadPoolExecutor(max_workers=SESSIONS + HANDSHAKES) as pool:
        sessions = [pool.submit(configure, n) for n in range(SESSIONS)]
        probes = [pool.submit(probe, n) for n in range(HANDSHAKES)]
        outputs = [future.result() for future in sessions]
        results = [future.result() for future in probes]

    for number, session_outputs in enumerate(outputs):
        sent = [o.command for o in session_outputs]
        assert sent == session_lines(number), f"session {number} sent {sent}"
        failed = [(o.command, o.output) for o in session_outputs if o.failed]
        assert not failed, f"session {number}: {failed}"
    failures = [r.failure for r in results if not r.ok]
    assert not failures, f"{len(failures)} of {HANDSHAKES} handshakes failed: {failures[:3]}"

    with DeviceSession(login) as session:
        running = session.exec("show running-config").lines
    for number in range(SESSIONS):
        for line in expected_config(number):
            assert line in running, f"session {number}: {line!r} missing from running-config"
    trustpoints = [line for line in running if line.startswith("crypto ca trustpoint LOAD-TP-")]
    assert len(trustpoints) == SESSIONS
