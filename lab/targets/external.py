"""A device that already runs: a real ASA (shared or disposable), or a separately started
``asa-harness emulator``. Nothing is started or stopped; the login comes from the
environment variables the inventory names, and start() checks that SSH answers.
"""

from __future__ import annotations

from lab.targets import readiness
from lab.targets.base import TargetAccess, TargetStartError
from lab.targets.credentials import credentials_from_env
from lab.targets.inventory import ExternalEntry, Inventory, split_host_port


class ExternalTarget:
    exclusive = True  # one device, whatever the number of scenarios

    def __init__(self, entry: ExternalEntry, inventory: Inventory) -> None:
        self.name = entry.name
        self.entry = entry
        self._inventory = inventory

    @property
    def profile(self) -> str:
        return self.entry.profile

    @property
    def shared(self) -> bool:
        return self.entry.shared

    def start(self) -> TargetAccess:
        credentials = credentials_from_env(self.entry, self._inventory)
        host, port = split_host_port(self.entry.ssh)
        if readiness.ssh_banner(host, port, self.entry.connect_timeout) is None:
            raise TargetStartError(
                f"target {self.name}: nothing answers SSH at {host}:{port} within "
                f"{self.entry.connect_timeout:g} s ({self._inventory.where(self.name, 'ssh')}); "
                "is the device up and reachable from here?"
            )
        return TargetAccess(
            name=self.name,
            ssh_host=host,
            ssh_port=port,
            username=credentials.username,
            password=credentials.password,
            enable_password=credentials.enable_password,
            interfaces={
                nameif: split_host_port(address)
                for nameif, address in self.entry.interfaces.items()
            },
            kind="external",
            disposable=not self.entry.shared,
        )

    def stop(self) -> None:
        """Nothing to release: the device keeps running (a scenario cleans up by its own steps)."""
