"""What the oracle reads from a device, with ordinary show commands (works on a real ASA):
``show running-config``, the public keys of its keypairs (``show crypto key mypubkey rsa``
and ``ecdsa``: a configuration names keypairs but never holds keys) and ``show clock``
(client certificates are judged at the device's time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from harness.device import DeviceSession
from harness.device.readings import read_device_clock, read_running_config
from harness.errors import StepError
from harness.parse import (
    KeyPairRecord,
    ParseError,
    RunningConfig,
    parse,
    parse_running_config,
)

KEY_COMMANDS = ("show crypto key mypubkey rsa", "show crypto key mypubkey ecdsa")


@dataclass(frozen=True)
class DeviceSnapshot:
    config: RunningConfig
    #: The configuration as printed (frame included), so that line numbers in reports are
    #: those of the device's output or of the user's file.
    text: str
    source: str  # where the configuration came from, for the report
    #: keypair label -> public key; None when the keys could not be read.
    public_keys: Mapping[str, PublicKeyTypes] | None
    device_time: dt.datetime | None  # None when the device clock could not be read
    notes: tuple[str, ...] = ()


def _public_keys(
    session: DeviceSession, config: RunningConfig
) -> tuple[dict[str, PublicKeyTypes] | None, list[str]]:
    keys: dict[str, PublicKeyTypes] = {}
    notes: list[str] = []
    for command in KEY_COMMANDS:
        output = session.exec(command)
        if output.error or not output.output.strip():
            continue  # no keypair of that kind (or the kind is not supported)
        try:
            records = parse(command, output.output, zones=config.zone_offsets())
        except ParseError as error:
            notes.append(f"{command} could not be read ({error}); keys are not compared")
            return None, notes
        assert isinstance(records, list)
        for record in records:
            assert isinstance(record, KeyPairRecord)
            try:
                keys[record.name] = record.public_key()
            except ValueError as error:
                notes.append(f"keypair {record.name}: {error}")
    return keys, notes


def read_snapshot(
    session: DeviceSession, *, source: str = "the device's running-config"
) -> DeviceSnapshot:
    config, text = read_running_config(session)
    keys, notes = _public_keys(session, config)
    clock = read_device_clock(session, config.zone_offsets())
    return DeviceSnapshot(config, text, source, keys, clock, tuple(notes))


def with_config_file(snapshot: DeviceSnapshot, path: Path) -> DeviceSnapshot:
    """The same device (keys, clock), but the oracle believes the configuration in ``path``."""
    try:
        text = path.read_text()
    except OSError as error:
        raise StepError(f"cannot read configuration file {path}: {error.strerror}") from None
    return with_config_text(snapshot, text, f"configuration file {path}")


def with_config_text(snapshot: DeviceSnapshot, text: str, source: str) -> DeviceSnapshot:
    try:
        config = parse_running_config(text)
    except ParseError as error:
        raise StepError(f"cannot read {source}: {error}") from error
    return replace(snapshot, config=config, text=text, source=source)
