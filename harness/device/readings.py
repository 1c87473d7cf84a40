"""Facts read from a device with ordinary show commands (so a real ASA answers them too)."""

from __future__ import annotations

import datetime as dt

from harness.device.session import DeviceSession
from harness.errors import StepError
from harness.parse import ClockReading, ParseError, RunningConfig, ZoneOffsets, parse


def read_running_config(session: DeviceSession) -> tuple[RunningConfig, str]:
    """``show running-config`` parsed, and the text as the device printed it."""
    output = session.exec("show running-config")
    if output.error:
        raise StepError(f"show running-config failed: {output.error}")
    try:
        parsed = parse("show running-config", output.output)
    except ParseError as error:
        raise StepError(f"cannot read the device's running-config: {error}") from error
    assert isinstance(parsed, RunningConfig)
    return parsed, output.output


def read_device_clock(session: DeviceSession, zones: ZoneOffsets | None) -> dt.datetime | None:
    """``show clock`` as UTC; None when the zone's offset is unknown or the answer unreadable.

    ``zones`` maps configured zone names to offsets (``RunningConfig.zone_offsets()``)."""
    output = session.exec("show clock")
    try:
        reading = parse("show clock", output.output, zones=zones)
    except ParseError:
        return None
    assert isinstance(reading, ClockReading)
    return reading.time.as_utc() if reading.time.is_aware else None
