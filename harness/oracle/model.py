"""The oracle's model of a device: its running-config replayed into a Device with the very
parser the virtual ASA boots with (lab/emulator/replay.py), in the mode for configurations
from another device: the interfaces it names are created and the lines the virtual ASA
does not model are kept and listed (lab/emulator/replica_config.py)."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from harness.oracle.records import IgnoredLine
from harness.oracle.snapshot import DeviceSnapshot
from lab.emulator.device import Device
from lab.emulator.replica_config import (
    redact_secrets,
    replay_foreign_config,
    saved_config_text,
)
from lab.rules.server_identity import KeyLookup


@dataclass(frozen=True)
class OracleModel:
    device: Device  # read-only by convention: the rules never change it
    keys: KeyLookup
    at: dt.datetime  # the device's time (client certificates are judged at it)
    stand_ins: frozenset[str]  # trustpoints that may serve a REPLICA STAND-IN (replicas)
    ignored: tuple[IgnoredLine, ...]
    notes: tuple[str, ...]


def _lookup(keys: Mapping[str, PublicKeyTypes]) -> KeyLookup:
    def lookup(label: str) -> PublicKeyTypes | None:
        return keys.get(label)

    return lookup


def _assumed_keys(device: Device) -> dict[str, PublicKeyTypes]:
    """When the keys cannot be read: each trustpoint's keypair is assumed to hold the key
    of its certificate."""
    assumed: dict[str, PublicKeyTypes] = {}
    for tp in device.trustpoints.values():
        if tp.identity_certificate is not None:
            assumed.setdefault(tp.keypair_label, tp.identity_certificate.public_key())
    return assumed


def _replay(text: str) -> tuple[Device, tuple[IgnoredLine, ...]]:
    """The device a configuration describes; clear-text secrets (a file saved with
    ``more system:running-config``) are masked before anything can show them."""
    device = Device()
    masked = redact_secrets(saved_config_text(text)).text
    problems = asyncio.run(replay_foreign_config(device, masked))
    return device, tuple(IgnoredLine(p.line_number, p.line, p.message) for p in problems)


def build_model(snapshot: DeviceSnapshot, *, stand_ins: bool = False) -> OracleModel:
    """The model the expectations are computed from.

    ``stand_ins``: the target is a replica, which serves a REPLICA STAND-IN for a trustpoint
    whose key it does not have (docs/replica.md)."""
    device, ignored = _replay(snapshot.text + "\n")
    notes = list(snapshot.notes)
    if snapshot.public_keys is None:
        keys = _assumed_keys(device)
        notes.append(
            "the device's keys could not be read: every trustpoint is assumed to hold the key "
            "of its certificate"
        )
    else:
        keys = dict(snapshot.public_keys)
    at = snapshot.device_time
    if at is None:
        at = dt.datetime.now(dt.UTC)
        notes.append(
            "the device clock could not be read: certificates are judged at this host's time"
        )
    names = frozenset(device.trustpoints) if stand_ins else frozenset()
    return OracleModel(device, _lookup(keys), at, names, ignored, tuple(notes))
