"""show clock [detail]."""

from __future__ import annotations

import datetime as dt

import pytest

from harness.parse import ParseError, parse_clock
from tests.harness.parse.parse_fixtures import golden, with_terminal_noise


def test_reference_output() -> None:
    text = golden("show_clock__any.txt").text
    reading = parse_clock(text)
    assert reading.time.moment == dt.datetime(2026, 5, 11, 10, 15, 2, 481000, tzinfo=dt.UTC)
    assert reading.time.zone == "UTC"
    assert reading.time_source is None
    assert parse_clock(with_terminal_noise(text)) == reading


def test_without_milliseconds_and_with_a_configured_zone() -> None:
    reading = parse_clock("09:15:45 GMT Wed Nov 1 2023")
    assert reading.time.moment == dt.datetime(2023, 11, 1, 9, 15, 45, tzinfo=dt.UTC)
    local = parse_clock("13:15:02.481 MSK Mon May 11 2026")
    assert local.time.moment == dt.datetime(2026, 5, 11, 13, 15, 2, 481000)
    assert not local.time.is_aware
    with pytest.raises(ValueError, match="MSK"):
        local.time.as_utc()
    known = parse_clock("13:15:02.481 MSK Mon May 11 2026", zones={"MSK": dt.timedelta(hours=3)})
    assert known.time.as_utc() == dt.datetime(2026, 5, 11, 10, 15, 2, 481000, tzinfo=dt.UTC)


def test_detail_time_source() -> None:
    reading = parse_clock("15:58:33.269 UTC Tue Jul 2 2013\nTime source is hardware calendar\n")
    assert reading.time_source == "hardware calendar"


@pytest.mark.parametrize(
    ("text", "line_number", "expected"),
    [
        ("", 0, "a time like"),
        ("10:15:02.481 UTC Tue May 11 2026", 1, "May 11 2026 is a Mon"),
        ("*10:15:02.481 UTC Mon May 11 2026", 1, "a time like"),
        (
            "10:15:02.481 UTC Mon May 11 2026\n10:15:03.000 UTC Mon May 11 2026",
            2,
            "nothing after the time",
        ),
        (
            "asa-lab# show clock\n          ^\nERROR: % Invalid input detected at '^' marker.",
            3,
            "error answer",
        ),
    ],
)
def test_garbage_is_an_error(text: str, line_number: int, expected: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_clock(text)
    assert caught.value.line_number == line_number
    assert expected in caught.value.expected
