"""A production replica: a virtual ASA booted from a configuration saved with
``show running-config`` (or ``more system:running-config``) on another ASA.

    plan = plan_replica(Path("running-config.txt").read_text(), {"VPN": Path("vpn.p12")}, pw)
    options = replica_options(plan, password=..., enable_password=...)

The plan is made before anything listens: the configuration is read (capture lines blanked,
clear-text secrets masked), replayed once into a scratch device to learn its trustpoints
and the lines the virtual ASA does not model, and the keys are loaded or generated. The
replica then boots from the same text (boot = replay), keeping those lines, and serves a
REPLICA STAND-IN for each trustpoint whose key was not given. docs/replica.md.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from lab.emulator.device import Device, Keypair, Profile
from lab.emulator.replay import ReplayProblem
from lab.emulator.replica_config import redact_secrets, replay_foreign_config, saved_config_text
from lab.emulator.replica_keys import TrustpointKey, display_name, replica_keys
from lab.emulator.replica_standin import StandInAuthority
from lab.emulator.server import EmulatorOptions


@dataclass(frozen=True)
class ReplicaPlan:
    config_text: str  # what the replica boots from: capture lines blanked, secrets masked
    masked_lines: tuple[int, ...]  # lines of the file where a clear-text secret was masked
    keypairs: tuple[Keypair, ...]
    trustpoints: tuple[TrustpointKey, ...]  # every trustpoint with an identity certificate
    ignored: tuple[ReplayProblem, ...]  # lines the virtual ASA does not act on
    nameifs: tuple[str, ...]
    webvpn_nameifs: tuple[str, ...]
    profile: Profile

    @property
    def stand_in_trustpoints(self) -> tuple[str, ...]:
        return tuple(t.trustpoint for t in self.trustpoints if not t.can_serve)


def _scratch_device(text: str, profile: Profile) -> tuple[Device, list[ReplayProblem]]:
    device = Device(profile=profile)
    problems = asyncio.run(replay_foreign_config(device, text))
    return device, problems


def plan_replica(
    text: str,
    pkcs12: Mapping[str, Path] | None = None,
    passphrase: bytes | None = None,
    *,
    profile: Profile = "9.23",
) -> ReplicaPlan:
    """Read a saved configuration and prepare the replica's keys.

    Raises ReplicaKeyError (lab.emulator.replica_keys) when a PKCS#12 file does not fit."""
    redacted = redact_secrets(saved_config_text(text))
    device, problems = _scratch_device(redacted.text, profile)
    keypairs, trustpoints = replica_keys(device, dict(pkcs12 or {}), passphrase)
    return ReplicaPlan(
        config_text=redacted.text,
        masked_lines=redacted.masked_lines,
        keypairs=keypairs,
        trustpoints=trustpoints,
        ignored=tuple(problems),
        nameifs=tuple(device.nameifs()),
        webvpn_nameifs=tuple(device.webvpn_nameifs()),
        profile=profile,
    )


def replica_options(
    plan: ReplicaPlan,
    *,
    password: str,
    enable_password: str,
    username: str = "admin",
    ssh_host: str = "127.0.0.1",
    ssh_port: int = 0,
    listen: Mapping[str, tuple[str, int]] | None = None,
    state_dir: Path | None = None,
    stand_ins: StandInAuthority | None = None,
) -> EmulatorOptions:
    """Options for a VirtualASA that boots as the replica; by default one listener per
    nameif of the configuration on ``ssh_host``, port 0."""
    return EmulatorOptions(
        ssh_host=ssh_host,
        ssh_port=ssh_port,
        listen=dict(listen) if listen else {nameif: (ssh_host, 0) for nameif in plan.nameifs},
        state_dir=state_dir,
        username=username,
        password=password,
        enable_password=enable_password,
        profile=plan.profile,
        baseline=plan.config_text,
        baseline_keypairs=plan.keypairs,
        foreign_config=True,
        stand_ins=stand_ins or StandInAuthority(),
    )


def describe_ignored(problem: ReplayProblem) -> str:
    """One line of the ignored-lines list (the line text is already masked)."""
    where = "kept in the running configuration" if problem.kept else "NOT kept"
    return f"line {problem.line_number}: {problem.line.rstrip()}  -- {problem.message} ({where})"


def describe_serving(key: TrustpointKey) -> str:
    subject = display_name(key.certificate.subject)
    if key.can_serve:
        return (
            f"trustpoint {key.trustpoint}: serves its own certificate ({subject}), "
            f"key from {key.pkcs12}"
        )
    return (
        f"trustpoint {key.trustpoint}: certificate shown, cannot serve (no PKCS#12 file): "
        f"serves a REPLICA STAND-IN with subject {subject}, issued by the REPLICA STAND-IN CA"
    )
