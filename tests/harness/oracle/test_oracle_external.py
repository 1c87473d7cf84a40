"""The real-device path: ``asa-harness audit`` against a device that already runs (an
``asa-harness emulator`` process described in an inventory as ``kind: external``), login
from environment variables, expectations from its running-config, keys read with
``show crypto key mypubkey``."""

from __future__ import annotations

import json
import select
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.cli import main
from harness.device import DeviceSession, LoginDetails

PASSWORD = "external-audit-password"
SETUP = [
    "domain-name corp.example",
    "crypto key generate ecdsa label VPN-EC elliptic-curve 256 noconfirm",
    "crypto ca trustpoint VPN-TP",
    " enrollment self",
    " fqdn vpn.corp.example",
    " subject-name CN=vpn.corp.example",
    " keypair VPN-EC",
    " exit",
    "crypto ca enroll VPN-TP noconfirm",
    "ssl trust-point VPN-TP outside",
]


@dataclass(frozen=True)
class External:
    ssh: tuple[str, int]
    outside: str


@pytest.fixture
def external() -> Iterator[External]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "harness.cli",
            "emulator",
            "--listen",
            "outside=127.0.0.1:0",
            "--password",
            PASSWORD,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        readable, _, _ = select.select([process.stdout], [], [], 60.0)
        assert readable, "asa-harness emulator printed no ready line in 60 s"
        ready = json.loads(process.stdout.readline())
        host, port = ready["ssh"].rsplit(":", 1)
        yield External((host, int(port)), ready["interfaces"]["outside"])
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def test_audit_of_an_external_device(
    external: External,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host, port = external.ssh
    with DeviceSession(LoginDetails(host, port, "admin", PASSWORD, PASSWORD)) as session:
        outputs = session.configure(SETUP)
        assert not any(o.failed for o in outputs)
    inventory = tmp_path / "inventory.yaml"
    inventory.write_text(
        "targets:\n"
        "  - name: lab-fw\n"
        "    kind: external\n"
        f"    ssh: {host}:{port}\n"
        f"    interfaces: {{outside: '{external.outside}'}}\n"
        "    username_env: AUDIT_EXT_USER\n"
        "    password_env: AUDIT_EXT_PASSWORD\n"
        "    enable_password_env: AUDIT_EXT_PASSWORD\n"
    )
    monkeypatch.setenv("AUDIT_EXT_USER", "admin")
    monkeypatch.setenv("AUDIT_EXT_PASSWORD", PASSWORD)
    code = main(["audit", "--target", "lab-fw", "--inventory", str(inventory), "--json"])
    out = capsys.readouterr().out
    data = json.loads(out)
    assert code == 0 and data["summary"]["deviations"] == 0
    assert data["stand_ins"] is False
    served = {c["observed"]["served"] for c in data["cells"]}
    assert served == {"trustpoint VPN-TP"}
    assert PASSWORD not in out
