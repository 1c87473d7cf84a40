"""parse(command, text): the parser chosen from the command line as typed."""

from __future__ import annotations

import datetime as dt
import pickle
from typing import cast

import pytest

from harness.parse import (
    CertificateRecord,
    ClockReading,
    ParseError,
    Parser,
    UnsupportedCommandError,
    parse,
    parser_for,
)
from harness.parse._command import CommandSpec
from tests.harness.parse.parse_fixtures import golden


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("show crypto ca certificates", "show crypto ca certificates"),
        ("sh cry ca cert", "show crypto ca certificates"),
        ("sh crypto ca certificates TP-VPN", "show crypto ca certificates"),
        ("sh cry ca trustp", "show crypto ca trustpoints"),
        ("show crypto ca trustpoint TP-SELF", "show crypto ca trustpoints"),
        ("sh ssl", "show ssl"),
        ("sh ssl cert", "show ssl certificate"),
        ("sh cry key myp rsa", "show crypto key mypubkey"),
        ("show crypto key mypubkey ec", "show crypto key mypubkey"),
        ("sh clo", "show clock"),
        ("show clock detail", "show clock"),
        ("sh vpn-sessiondb anyc", "show vpn-sessiondb anyconnect"),
        ("sh vpn-sessiondb anyconnect filter name alice", "show vpn-sessiondb anyconnect"),
        ("sh ver", "show version"),
        ("sh run", "show running-config"),
        ("sh run crypto ca trustpoint", "show running-config"),
        ("write terminal", "show running-config"),
        ("wr mem", "write memory"),
        ("asa-lab# show clock", "show clock"),
        ("asa-lab(config)#   wr mem  ", "write memory"),
        ("SH VER", "show version"),
    ],
)
def test_command_lines_pick_their_parser(typed: str, command: str) -> None:
    assert parser_for(typed).command == command


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("show ssl ciphers", "no parser"),
        ("show crypto key mypubkey dsa", "no parser"),
        ("show interface", "no parser"),
        ("show", "no parser"),
        ("", "no parser"),
        ("show version extra", "no parser"),
        ("show running-config | include crypto", "filtered"),
    ],
)
def test_unsupported_command_lines(typed: str, message: str) -> None:
    with pytest.raises(UnsupportedCommandError, match=message):
        parser_for(typed)


def test_ambiguous_abbreviation_is_refused() -> None:
    parsers = (
        Parser(CommandSpec("show clock"), lambda text, zones: ClockReading.__new__(ClockReading)),
        Parser(CommandSpec("show cluster"), lambda text, zones: ClockReading.__new__(ClockReading)),
    )
    with pytest.raises(
        UnsupportedCommandError, match="ambiguous: it could be 'show clock' or 'show cluster'"
    ):
        parser_for("sh cl", parsers)
    assert parser_for("sh clo", parsers).command == "show clock"


def test_parse_returns_the_command_records() -> None:
    records = parse("sh cry ca cert", golden("show_crypto_ca_certificates__9.23.txt").text)
    assert isinstance(records, list) and cast(CertificateRecord, records[0]).serial == "5e2b91c7"


def test_parse_passes_zone_offsets() -> None:
    reading = parse(
        "sh clock", "13:15:02.481 MSK Mon May 11 2026", zones={"MSK": dt.timedelta(hours=3)}
    )
    assert isinstance(reading, ClockReading)
    assert reading.time.as_utc() == dt.datetime(2026, 5, 11, 10, 15, 2, 481000, tzinfo=dt.UTC)


def test_parse_error_names_the_command_as_typed() -> None:
    with pytest.raises(ParseError) as caught:
        parse(
            "sh clo",
            "asa-lab# sh clo\n       ^\nERROR: % Invalid input detected at '^' marker.\nasa-lab# ",
        )
    error = caught.value
    assert (error.command, error.line_number) == ("sh clo", 3)
    assert str(error) == (
        "sh clo: line 3: \"ERROR: % Invalid input detected at '^' marker.\": "
        "expected the output of 'show clock', not an error answer"
    )


def test_parse_error_survives_pickling() -> None:
    """pytest-xdist ships exceptions between processes."""
    error = ParseError("show clock", 2, "junk", "a time")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.command, copy.line_number, copy.line, copy.expected) == (
        "show clock",
        2,
        "junk",
        "a time",
    )
    assert str(copy) == str(error)
    assert (
        str(ParseError("show clock", 0, "", "a time"))
        == "show clock: the output ended too early: expected a time"
    )
