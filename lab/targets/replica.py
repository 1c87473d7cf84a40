"""``replica:PATH``: a virtual ASA booted from a production configuration saved with
``show running-config`` (docs/replica.md). PKCS#12 files for its trustpoints come from the
sidecar file next to the configuration (lab/targets/replica_sidecar.py); a trustpoint
without one serves a REPLICA STAND-IN. A fresh replica per start, like ``embedded``."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from lab.emulator.embedded import EmulatorStartError
from lab.emulator.replica import ReplicaPlan, plan_replica
from lab.emulator.replica_embedded import EmbeddedReplica
from lab.emulator.replica_keys import ReplicaKeyError
from lab.targets.base import TargetAccess, TargetStartError
from lab.targets.replica_sidecar import load_sidecar

PREFIX = "replica:"


class ReplicaTarget:
    exclusive = False  # a fresh replica per start

    def __init__(self, config: Path, *, name: str | None = None) -> None:
        self.config = config
        self.name = name or f"{PREFIX}{config}"
        self.plan: ReplicaPlan | None = None
        self._replica: EmbeddedReplica | None = None
        self._state_dir: Path | None = None

    @classmethod
    def from_name(cls, name: str) -> ReplicaTarget:
        return cls(Path(name.removeprefix(PREFIX)), name=name)

    def _plan(self) -> ReplicaPlan:
        try:
            text = self.config.read_text()
        except OSError as error:
            raise TargetStartError(
                f"target {self.name}: cannot read the configuration {self.config}: {error.strerror}"
            ) from None
        sidecar = load_sidecar(self.config)
        try:
            return plan_replica(text, sidecar.pkcs12, sidecar.passphrase(), profile=sidecar.profile)
        except ReplicaKeyError as error:
            raise TargetStartError(f"target {self.name}: {error}") from None

    def start(self) -> TargetAccess:
        plan = self._plan()
        self._state_dir = Path(tempfile.mkdtemp(prefix="asa-replica-"))
        replica = EmbeddedReplica(plan, state_dir=self._state_dir)
        try:
            replica.start()
        except EmulatorStartError as error:
            self.stop()
            raise TargetStartError(str(error)) from error
        self.plan, self._replica = plan, replica
        interfaces = {nameif: replica.interface_address(nameif) for nameif in replica.asa.listeners}
        return TargetAccess(
            name=self.name,
            ssh_host=replica.host,
            ssh_port=replica.ssh_port,
            username=replica.username,
            password=replica.password,
            enable_password=replica.enable_password,
            interfaces=interfaces,
            kind="replica",
            disposable=True,
        )

    @property
    def replica(self) -> EmbeddedReplica | None:
        return self._replica

    def stop(self) -> None:
        if self._replica is not None:
            self._replica.stop()
            self._replica = None
        if self._state_dir is not None:
            shutil.rmtree(self._state_dir, ignore_errors=True)
            self._state_dir = None
