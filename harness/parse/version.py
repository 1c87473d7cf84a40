"""``show version`` (asa-cli.md section 13.2).

Only the lines the harness uses are read; the many licence and interface lines are
skipped, except the ``Licensed features`` table, kept as printed pairs.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from harness.parse._command import CommandSpec
from harness.parse._text import Line, fail, non_blank, output_lines
from harness.parse._time import DeviceTime, ZoneOffsets, parse_stamp

COMMAND = CommandSpec("show version")

SOFTWARE = re.compile(
    r"Cisco Adaptive Security Appliance Software Version (?P<version>\S+)(?: .*)?"
)
DEVICE_MANAGER = re.compile(r"Device Manager Version (?P<version>\S+)")
COMPILED = re.compile(r"Compiled on (?P<compiled>\S.*)")
IMAGE = re.compile(r'System image file is "(?P<image>[^"]+)"')
BOOT_CONFIG = re.compile(r'Config file at boot was "(?P<config>[^"]+)"')
UPTIME = re.compile(r"(?P<hostname>\S+) up (?P<uptime>\d.*)")
HARDWARE = re.compile(r"Hardware:\s+(?P<hardware>\S.*?),?")
MODEL = re.compile(r"Model Id:\s+(?P<model>\S+)")
SERIAL = re.compile(r"Serial Number:\s+(?P<serial>\S+)")
LAST_MODIFIED = re.compile(r"Configuration last modified by (?P<user>\S+) at (?P<stamp>\S.*)")
FEATURES = re.compile(r"Licensed features for this platform:")
FEATURE = re.compile(r"(?P<name>[^:]*\S)\s*:\s*(?P<value>\S.*)")
UPTIME_PART = re.compile(r"(?P<amount>\d+) (?P<unit>years?|days?|hours?|mins?|secs?)")

_UNITS = {
    "year": dt.timedelta(days=365),
    "day": dt.timedelta(days=1),
    "hour": dt.timedelta(hours=1),
    "min": dt.timedelta(minutes=1),
    "sec": dt.timedelta(seconds=1),
}


@dataclass(frozen=True)
class VersionRecord:
    software_version: str  # "9.23(1)"
    hostname: str
    uptime: dt.timedelta
    uptime_text: str  # as printed: "2 days 3 hours"
    hardware: str  # "ASAv, 8192 MB RAM, CPU Xeon ..."
    serial_number: str
    device_manager_version: str | None = None
    compiled: str | None = None
    system_image: str | None = None
    boot_config: str | None = None
    model_id: str | None = None
    last_modified_by: str | None = None
    last_modified_at: DeviceTime | None = None
    licensed_features: tuple[tuple[str, str], ...] = ()


def parse_uptime(text: str) -> dt.timedelta:
    """``2 days 3 hours``, ``1 year 23 days``, ``45 mins 12 secs``."""
    words = text.split()
    parts = [UPTIME_PART.fullmatch(" ".join(words[i : i + 2])) for i in range(0, len(words), 2)]
    total = dt.timedelta()
    for match in parts if parts else [None]:
        if match is None:
            raise ValueError(
                "an uptime like '2 days 3 hours' (units: years, days, hours, mins, secs)"
            )
        total += int(match["amount"]) * _UNITS[match["unit"].removesuffix("s")]
    return total


_SINGLE_LINES = {
    "software": SOFTWARE,
    "device manager": DEVICE_MANAGER,
    "compiled": COMPILED,
    "image": IMAGE,
    "boot config": BOOT_CONFIG,
    "uptime": UPTIME,
    "hardware": HARDWARE,
    "model": MODEL,
    "serial": SERIAL,
    "last modified": LAST_MODIFIED,
}
_REQUIRED = {
    "uptime": "'<hostname> up <uptime>'",
    "hardware": "'Hardware:   <platform>, <memory>, <cpu>'",
    "serial": "'Serial Number: <serial>'",
}


def parse_version(text: str, *, zones: ZoneOffsets | None = None) -> VersionRecord:
    lines = output_lines(text, COMMAND)
    printed = list(non_blank(lines))
    if not printed or not SOFTWARE.fullmatch(printed[0].stripped):
        first = printed[0] if printed else None
        raise fail(COMMAND, first, "'Cisco Adaptive Security Appliance Software Version <version>'")
    found: dict[str, tuple[Line, re.Match[str]]] = {}
    features: list[tuple[str, str]] = []
    in_features = False
    for line in lines:
        feature = FEATURE.fullmatch(line.stripped)
        if in_features and feature:
            features.append((feature["name"], feature["value"]))
            continue
        in_features = FEATURES.fullmatch(line.stripped) is not None
        for name, pattern in _SINGLE_LINES.items():
            match = pattern.fullmatch(line.text)
            if match and name not in found:
                found[name] = (line, match)
                break
    for name, shape in _REQUIRED.items():
        if name not in found:
            raise fail(COMMAND, None, shape)
    uptime_line, uptime = found["uptime"]
    try:
        uptime_value = parse_uptime(uptime["uptime"])
    except ValueError as error:
        raise fail(COMMAND, uptime_line, str(error)) from None
    modified_at: DeviceTime | None = None
    if "last modified" in found:
        modified_line, modified = found["last modified"]
        try:
            modified_at = parse_stamp(modified["stamp"], zones)
        except ValueError as error:
            raise fail(COMMAND, modified_line, str(error)) from None

    def value(name: str, group: str) -> str | None:
        return found[name][1][group] if name in found else None

    return VersionRecord(
        software_version=found["software"][1]["version"],
        hostname=uptime["hostname"],
        uptime=uptime_value,
        uptime_text=uptime["uptime"],
        hardware=found["hardware"][1]["hardware"],
        serial_number=found["serial"][1]["serial"],
        device_manager_version=value("device manager", "version"),
        compiled=value("compiled", "compiled"),
        system_image=value("image", "image"),
        boot_config=value("boot config", "config"),
        model_id=value("model", "model"),
        last_modified_by=value("last modified", "user"),
        last_modified_at=modified_at,
        licensed_features=tuple(features),
    )
