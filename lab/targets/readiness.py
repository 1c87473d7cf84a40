"""Is a target ready? Probes, never sleeps: the emulator's ready line, SSH banner, CLI prompt."""

from __future__ import annotations

import json
import socket
from dataclasses import dataclass

from lab.targets.base import TargetAccess


@dataclass(frozen=True)
class ReadyLine:
    """``{"event": "ready", "ssh": "HOST:PORT", "interfaces": {nameif: "HOST:PORT"}}``."""

    ssh: tuple[str, int]
    interfaces: dict[str, tuple[str, int]]


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def parse_ready_line(line: str) -> ReadyLine | None:
    """The emulator's ready event, or None for any other line."""
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        document = json.loads(text)
        if not isinstance(document, dict) or document.get("event") != "ready":
            return None
        interfaces = {
            str(k): _address(str(v)) for k, v in dict(document.get("interfaces", {})).items()
        }
        return ReadyLine(_address(str(document["ssh"])), interfaces)
    except (ValueError, KeyError, TypeError):
        return None


def ssh_banner(host: str, port: int, timeout: float) -> str | None:
    """The server's SSH identification line, or None if nothing SSH answers there (yet)."""
    try:
        with socket.create_connection((host, port), timeout=max(timeout, 0.05)) as connection:
            data = b""
            while b"\n" not in data and len(data) < 512:
                chunk = connection.recv(256)
                if not chunk:
                    break
                data += chunk
    except OSError:
        return None
    for line in data.decode("latin-1").splitlines():
        if line.startswith("SSH-"):
            return line.strip()
    return None


def cli_prompt(access: TargetAccess, timeout: float) -> str:
    """Log in over SSH (scrapli, as the scenarios will) and return the prompt.

    Raises :class:`harness.errors.DeviceConnectionError` when the login or the prompt fails.
    """
    from harness.device import DeviceSession, LoginDetails

    login = LoginDetails(
        access.ssh_host,
        access.ssh_port,
        access.username,
        access.password,
        access.enable_password,
        timeout_s=max(timeout, 1.0),
    )
    with DeviceSession(login) as session:
        return str(session.cli.get_prompt().result).strip()
