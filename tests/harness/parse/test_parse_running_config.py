"""show running-config frame helpers and write memory."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.parse import ParseError, parse_running_config, parse_write_memory
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise

FRAMED = golden("show_running-config__any.txt").text


def test_frame_is_removed() -> None:
    config = parse_running_config(FRAMED)
    assert config.framed
    assert config.checksum == "6f1d2c3b4a5968778695a4b3c2d1e0f9"
    assert config.serial_number == "9ALAB0000A1"
    assert (
        config.hardware
        == "ASAv, 8192 MB RAM, CPU Xeon 4100/6100/8100 series 2200 MHz, 1 CPU (2 cores)"
    )
    assert config.asa_version == "9.23(1)"
    assert config.lines == (
        "ASA Version 9.23(1)",
        "!",
        "hostname asa-lab",
        "domain-name example.lab",
        "...",
    )
    assert config.zone_offsets() == {}
    assert parse_running_config(with_terminal_noise(FRAMED)) == config


def test_section_has_no_frame() -> None:
    config = parse_running_config(golden("show_running-config__any__section.txt").text)
    assert not config.framed and config.checksum is None and config.asa_version is None
    assert config.lines[0] == "crypto ca trustpoint TP-VPN"
    assert config.lines[1] == " enrollment terminal"
    assert len(config.lines) == 11
    assert config.text.endswith(" crl configure")


def test_write_terminal_ok_and_clock_timezone() -> None:
    config = parse_running_config(golden("show_running-config__legacy__write-terminal.txt").text)
    assert config.framed and config.checksum == "0123456789abcdef0123456789abcdef"
    assert config.asa_version == "9.5(1)"
    assert config.zone_offsets() == {"GMT": dt.timedelta(hours=8)}


@pytest.mark.parametrize(
    ("line", "offset"),
    [
        ("clock timezone EST -5", dt.timedelta(hours=-5)),
        ("clock timezone NST -3 30", dt.timedelta(hours=-3, minutes=-30)),
        ("clock timezone IST 5 30", dt.timedelta(hours=5, minutes=30)),
    ],
)
def test_zone_offsets(line: str, offset: dt.timedelta) -> None:
    name = line.split()[2]
    assert parse_running_config(f"hostname a\n{line}\n").zone_offsets() == {name: offset}


@pytest.mark.parametrize(
    ("text", "line_number", "expected"),
    [
        (FRAMED.split("Cryptochecksum")[0], 0, "truncated"),
        (FRAMED.replace(": end", ": end\nhostname b"), 15, "nothing after ': end'"),
        (FRAMED.replace(": end", ": end\n[OK]\n[OK]"), 16, "nothing after ': end'"),
        (FRAMED.replace(": end\n", ""), 0, "': end'"),
        (FRAMED.replace(": end", "end"), 14, "': end'"),
        (
            "show running-config crypto ca trustpoin\n"
            "             ^\n"
            "ERROR: % Invalid input detected at '^' marker.",
            3,
            "error answer",
        ),
    ],
)
def test_running_config_garbage_is_an_error(text: str, line_number: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_running_config(text)
    assert caught.value.line_number == line_number
    assert expected in caught.value.expected


def test_write_memory() -> None:
    result = parse_write_memory(golden("write_memory__any.txt").text)
    assert result.ok
    assert result.checksum == "6f1d2c3b4a5968778695a4b3c2d1e0f9"
    assert (result.bytes_written, result.seconds) == (7180, 0.15)
    assert result.error is None and result.messages == ()


def test_write_memory_older_rate_and_trailing_space() -> None:
    result = parse_write_memory(golden("write_memory__legacy__rate.txt").text)
    assert result.ok
    assert result.checksum == "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d"
    assert (result.bytes_written, result.seconds) == (6854, 1.2)


def test_write_memory_failure_is_a_result_not_an_exception() -> None:
    text = (
        "Building configuration...\n"
        "%Error writing disk0:/.private/startup-config (No space left on device)\n"
    )
    result = parse_write_memory(text)
    assert not result.ok
    assert result.error == "%Error writing disk0:/.private/startup-config (No space left on device)"
    assert result.checksum is None
    refused = parse_write_memory(
        "ERROR: no startup configuration storage is attached to this device."
    )
    assert not refused.ok and refused.error is not None


def test_write_memory_without_ok_is_not_ok() -> None:
    text = golden("write_memory__any.txt").text.replace("[OK]\n", "")
    result = parse_write_memory(text)
    assert not result.ok and result.error is None and result.checksum is not None


@pytest.mark.parametrize(
    ("text", "line_number", "expected"),
    [
        ("", 0, "Building configuration"),
        ("7180 bytes copied in 0.150 secs\n", 1, "Building configuration"),
        ("Building configuration...\nSomething else\n", 2, "bytes copied"),
        ("Building configuration...\n[OK]\n[OK]\n", 3, "each once"),
        ("wr mem\n      ^\nERROR: % Invalid input detected at '^' marker.", 3, "error answer"),
    ],
)
def test_write_memory_garbage_is_an_error(text: str, line_number: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_write_memory(text)
    assert caught.value.line_number == line_number
    assert expected in caught.value.expected
