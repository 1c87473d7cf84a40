"""``show clock [detail]`` (asa-cli.md section 13.1): ``10:15:02.481 UTC Mon May 11 2026``.

``detail`` adds ``Time source is ...`` (seen in a public ASA capture, not in the reference).
No capture shows IOS's leading ``*`` (clock not authoritative) on an ASA, so it is rejected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.parse._command import CommandSpec
from harness.parse._text import fail, non_blank, output_lines
from harness.parse._time import STAMP_TEXT, DeviceTime, ZoneOffsets, parse_stamp

COMMAND = CommandSpec("show clock", max_arguments=1, choices=("detail",))

TIME_SOURCE = re.compile(r"Time source is (?P<source>\S.*)")


@dataclass(frozen=True)
class ClockReading:
    time: DeviceTime
    time_source: str | None = None  # only with ``show clock detail``


def parse_clock(text: str, *, zones: ZoneOffsets | None = None) -> ClockReading:
    lines = list(non_blank(output_lines(text, COMMAND)))
    if not lines:
        raise fail(COMMAND, None, STAMP_TEXT)
    try:
        time = parse_stamp(lines[0].stripped, zones)
    except ValueError as error:
        raise fail(COMMAND, lines[0], str(error)) from None
    source: str | None = None
    for line in lines[1:]:
        match = TIME_SOURCE.fullmatch(line.stripped)
        if match is None or source is not None:
            raise fail(COMMAND, line, "nothing after the time but one 'Time source is ...' line")
        source = match["source"]
    return ClockReading(time, source)
