"""show version."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.parse import ParseError, parse_version
from harness.parse.version import parse_uptime
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise

MODERN = golden("show_version__9.23.txt").text
LEGACY = golden("show_version__legacy.txt").text


def test_923_layout() -> None:
    version = parse_version(MODERN)
    assert version.software_version == "9.23(1)"
    assert version.device_manager_version == "7.23(1)"
    assert version.compiled == "Thu 05-Dec-24 10:12 GMT by builders"
    assert version.system_image == "boot:/asa9-23-1-smp-k8.bin"
    assert version.boot_config == "startup-config"
    assert (version.hostname, version.uptime_text) == ("asa-lab", "2 days 3 hours")
    assert version.uptime == dt.timedelta(days=2, hours=3)
    assert (
        version.hardware
        == "ASAv, 8192 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz, 1 CPU (2 cores)"
    )
    assert version.model_id == "ASAv10"
    assert version.serial_number == "9ALAB0000A1"
    assert version.last_modified_by == "enable_15"
    assert version.last_modified_at is not None
    assert version.last_modified_at.moment == dt.datetime(
        2026, 5, 11, 10, 1, 33, 120000, tzinfo=dt.UTC
    )
    assert version.licensed_features[0] == ("Maximum VLANs", "50")
    assert ("Cluster", "Disabled") in version.licensed_features
    assert len(version.licensed_features) == 10
    assert parse_version(with_terminal_noise(MODERN)) == version


def test_legacy_layout_with_tabs_and_failover_uptime() -> None:
    assert "\tInside Hosts" in LEGACY, "fixture lost its tab-indented feature lines"
    version = parse_version(LEGACY)
    assert version.software_version == "9.8(4)10"
    assert (version.hostname, version.uptime) == ("asa-lab", dt.timedelta(days=388))
    assert version.model_id is None
    assert version.hardware.startswith("ASA5516, 8192 MB RAM")
    assert version.serial_number == "JAD200000AB"
    assert ("Inside Hosts", "Unlimited      perpetual") in version.licensed_features
    assert len(version.licensed_features) == 6
    assert version.last_modified_at is not None and version.last_modified_at.zone == "GMT/BST"


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("2 days 3 hours", dt.timedelta(days=2, hours=3)),
        ("1 year 23 days", dt.timedelta(days=388)),
        ("45 mins 12 secs", dt.timedelta(minutes=45, seconds=12)),
        ("1 hour 1 min 1 sec", dt.timedelta(hours=1, minutes=1, seconds=1)),
    ],
)
def test_uptime(text: str, delta: dt.timedelta) -> None:
    assert parse_uptime(text) == delta


@pytest.mark.parametrize("text", ["2 fortnights", "3", "2 days 3"])
def test_bad_uptime(text: str) -> None:
    with pytest.raises(ValueError, match="an uptime like"):
        parse_uptime(text)


@pytest.mark.parametrize(
    ("text", "line_number", "expected"),
    [
        ("", 0, "Software Version"),
        ("asa-lab up 2 days\n", 1, "Software Version"),
        (MODERN.replace("Serial Number: 9ALAB0000A1\n", ""), 0, "Serial Number"),
        (
            MODERN.replace("asa-lab up 2 days 3 hours", "asa-lab up 2 days 3 eons"),
            9,
            "an uptime like",
        ),
        (MODERN.replace("10:01:33.120 UTC Mon", "10:01:33.120 UTC Sun"), 44, "is a Mon"),
    ],
)
def test_garbage_is_an_error(text: str, line_number: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_version(text)
    assert caught.value.line_number == line_number
    assert expected in caught.value.expected
