"""The default target: a fresh virtual ASA in this process, with a temporary state folder."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from lab.emulator.embedded import EmbeddedASA, EmulatorStartError
from lab.targets.base import TargetAccess, TargetStartError


class EmbeddedTarget:
    exclusive = False

    def __init__(self, name: str = "embedded", *, profile: str = "9.23") -> None:
        self.name = name
        self._profile = profile
        self._asa: EmbeddedASA | None = None
        self._state_dir: Path | None = None

    def start(self) -> TargetAccess:
        self._state_dir = Path(tempfile.mkdtemp(prefix="asa-state-"))
        asa = EmbeddedASA(state_dir=self._state_dir, profile=self._profile)  # type: ignore[arg-type]
        try:
            asa.start()
        except EmulatorStartError as error:
            self.stop()
            raise TargetStartError(str(error)) from error
        self._asa = asa
        interfaces = {nameif: asa.interface_address(nameif) for nameif in asa.asa.listeners}
        return TargetAccess(
            name=self.name,
            ssh_host=asa.host,
            ssh_port=asa.ssh_port,
            username=asa.username,
            password=asa.password,
            enable_password=asa.enable_password,
            interfaces=interfaces,
            kind="emulator",
            disposable=True,
        )

    @property
    def emulator(self) -> EmbeddedASA | None:
        return self._asa

    def stop(self) -> None:
        if self._asa is not None:
            self._asa.stop()
            self._asa = None
        if self._state_dir is not None:
            shutil.rmtree(self._state_dir, ignore_errors=True)
            self._state_dir = None
