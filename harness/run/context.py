"""What every step of one scenario shares: the target, the device session, the lab PKI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from harness.device import DeviceSession, LoginDetails
from harness.run.pki_store import PkiStore
from harness.scenario.model import Scenario
from lab.targets import TargetAccess


@dataclass
class RunContext:
    scenario: Scenario
    scenario_file: Path
    access: TargetAccess
    session: DeviceSession
    pki: PkiStore
    captures: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    reconnect: Callable[[], DeviceSession] | None = None

    @property
    def login(self) -> LoginDetails:
        return login_for(self.access)

    def resolve_path(self, relative: str) -> Path:
        path = Path(relative)
        return path if path.is_absolute() else (self.scenario_file.parent / path)

    def add_secret(self, secret: str) -> None:
        if secret and secret not in self.secrets:
            self.secrets.append(secret)
            self.session.transcript.secrets.append(secret)


def login_for(access: TargetAccess) -> LoginDetails:
    return LoginDetails(
        access.ssh_host, access.ssh_port, access.username, access.password, access.enable_password
    )
