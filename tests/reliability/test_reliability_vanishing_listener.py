"""A probe against a listener that disappears fails fast and says why: a classified failure
(refused, reset, closed) well before its timeout, never an exception or a hang."""

from __future__ import annotations

import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import lab.emulator.webapp as webapp
from harness.device import DeviceSession
from lab.emulator.anyconnect import AnyConnectService
from lab.emulator.device import Device
from lab.emulator.embedded import EmbeddedASA
from lab.emulator.http import HttpRequest, HttpResponse
from lab.emulator.tls import TlsSession
from probes.anyconnect import discover
from probes.tls import HandshakeResult, handshake
from tests.reliability.reliability_support import emulator_process, login_for

#: Every probe below has this much time; a vanished listener must be noticed far sooner.
TIMEOUT = 10.0
FAST = 2.0
GONE_KINDS = ("refused", "reset", "closed")


def test_a_stopped_virtual_asa_is_refused_at_once() -> None:
    with EmbeddedASA() as asa:
        host, port = asa.interface_address("outside")
        assert handshake(host, port, timeout=TIMEOUT).ok
    started = time.monotonic()
    result = handshake(host, port, timeout=TIMEOUT)
    answer = discover(host, port, timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    assert result.failure is not None and result.failure.kind == "refused", result.failure
    assert answer.outcome == "error" and answer.error, answer
    assert elapsed < FAST


def test_an_interface_disabled_by_configuration_is_refused_at_once(
    virtual_asa: EmbeddedASA,
) -> None:
    host, port = virtual_asa.interface_address("outside")
    assert handshake(host, port, timeout=TIMEOUT).ok
    with DeviceSession(login_for(virtual_asa)) as session:
        assert not any(o.failed for o in session.configure(["webvpn", " no enable outside"]))
    started = time.monotonic()
    result = handshake(host, port, timeout=TIMEOUT)
    assert result.failure is not None and result.failure.kind == "refused", result.failure
    assert time.monotonic() - started < FAST


def test_a_listener_vanishing_during_the_anyconnect_exchange_fails_fast(
    virtual_asa: EmbeddedASA, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The listener goes away (every connection aborted, no more accepting) while the
    gateway is answering the first aggregate-auth POST."""
    listener = virtual_asa.asa.listeners["outside"]
    answering = webapp.handle_request
    requests: list[object] = []

    def vanish(
        device: Device, request: HttpRequest, session: TlsSession, anyconnect: AnyConnectService
    ) -> HttpResponse:
        requests.append(request)
        for transport in list(listener.connections):
            transport.abort()
        listener.set_accepting(False)
        return answering(device, request, session, anyconnect)

    monkeypatch.setattr(webapp, "handle_request", vanish)
    host, port = virtual_asa.interface_address("outside")
    started = time.monotonic()
    answer = discover(host, port, timeout=TIMEOUT)
    elapsed = time.monotonic() - started
    assert len(requests) == 1, "the first POST must reach the gateway (handshake done)"
    assert answer.outcome == "error", answer
    assert answer.error and f"{host}:{port}" in answer.error, answer
    assert elapsed < FAST


@pytest.mark.slow
def test_probes_running_when_the_emulator_process_is_killed_fail_fast(tmp_path: Path) -> None:
    """Eight probe loops against an ``asa-harness emulator`` process; once they have made
    forty handshakes between them it is SIGKILLed. Every loop's next failure is a
    classified connection failure, quickly."""
    loops, before_kill = 8, 40
    succeeded = threading.Semaphore(0)
    lock = threading.Lock()
    count = [0]
    enough = threading.Event()

    with emulator_process(tmp_path / "state", "kill-pw", "kill-enable") as running:
        interfaces = running.ready["interfaces"]
        assert isinstance(interfaces, dict)
        host, port = str(interfaces["outside"]).rsplit(":", 1)

        def probe_until_failure() -> tuple[HandshakeResult, float]:
            while True:
                started = time.monotonic()
                result = handshake(host, int(port), timeout=TIMEOUT)
                elapsed = time.monotonic() - started
                if not result.ok:
                    return result, elapsed
                succeeded.release()
                with lock:
                    count[0] += 1
                    if count[0] >= before_kill:
                        enough.set()

        with ThreadPoolExecutor(max_workers=loops) as pool:
            futures = [pool.submit(probe_until_failure) for _ in range(loops)]
            assert enough.wait(60), "the probes never got going"
            running.process.send_signal(signal.SIGKILL)
            outcomes = [future.result(timeout=TIMEOUT * 2) for future in futures]

    for result, elapsed in outcomes:
        assert result.failure is not None and result.failure.kind in GONE_KINDS, result.failure
        assert result.failure.message
        assert elapsed < FAST, f"{result.failure.kind} took {elapsed:.2f} s"
