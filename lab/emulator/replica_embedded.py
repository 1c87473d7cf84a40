"""A replica running in a background thread of this process (tests, the ``replica:`` target).

plan = plan_replica(text, {"VPN": Path("vpn.p12")}, passphrase)
with EmbeddedReplica(plan) as replica:
    replica.ssh_port, replica.interface_address("outside")
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from lab.emulator.embedded import EmbeddedASA
from lab.emulator.replica import ReplicaPlan, replica_options
from lab.emulator.replica_standin import StandInAuthority


class EmbeddedReplica(EmbeddedASA):
    def __init__(
        self,
        plan: ReplicaPlan,
        *,
        state_dir: Path | None = None,
        host: str = "127.0.0.1",
        start_timeout: float = 30.0,
    ) -> None:
        super().__init__(
            state_dir=state_dir,
            nameifs=plan.nameifs,
            profile=plan.profile,
            host=host,
            start_timeout=start_timeout,
        )
        self.plan = plan
        self.stand_in_authority = StandInAuthority()
        options = replica_options(
            plan,
            username=self.username,
            password=self.password,
            enable_password=self.enable_password,
            ssh_host=host,
            state_dir=state_dir,
            stand_ins=self.stand_in_authority,
        )
        # Same thread and lifecycle as the embedded ASA; only the options differ.
        self._options = dataclasses.replace(options, listen=self._options.listen)
