"""``show running-config [section]`` / ``write terminal`` (asa-cli.md section 9.3).

The whole configuration comes in a frame: ``: Saved`` and ``:``-comment lines, the body,
``Cryptochecksum:<32 hex>``, ``: end`` (and ``[OK]`` after ``write terminal`` on some
releases). A section (``show running-config crypto ca trustpoint``) has no frame.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from harness.parse._command import CommandSpec
from harness.parse._text import Line, fail, output_lines

COMMAND = CommandSpec("show running-config", max_arguments=None, aliases=("write terminal",))

SAVED = re.compile(r": Saved")
COMMENT = re.compile(r":(?: (?P<text>.*))?")
HEADER_FIELD = re.compile(r"(?P<label>Serial Number|Hardware):\s+(?P<value>\S.*)")
VERSION = re.compile(r"ASA Version (?P<version>\S+)(?: .*)?")
CHECKSUM = re.compile(r"Cryptochecksum:\s?(?P<digest>[0-9a-fA-F]{8}(?: ?[0-9a-fA-F]{8}){3})")
END = re.compile(r": end")
OK = re.compile(r"\[OK\]")
CLOCK_TIMEZONE = re.compile(r"clock timezone (?P<name>\S+) (?P<hours>-?\d+)(?: (?P<minutes>\d+))?")


@dataclass(frozen=True)
class RunningConfig:
    lines: tuple[str, ...]  # the body as printed (indentation kept), frame removed
    checksum: str | None = None  # 32 lower-case hex digits; None for a section
    framed: bool = False  # the whole configuration (``: Saved`` ... ``: end``)
    serial_number: str | None = None  # from the ``: Serial Number:`` comment
    hardware: str | None = None
    asa_version: str | None = None  # from ``ASA Version 9.23(1)``

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def zone_offsets(self) -> dict[str, dt.timedelta]:
        """The configured standard time zone (``clock timezone GMT 8`` -> {"GMT": +8h}).

        Pass it to the parsers of timed output. A ``clock summer-time`` name is left
        out: its offset depends on the date.
        """
        for line in self.lines:
            match = CLOCK_TIMEZONE.fullmatch(line.strip())
            if match:
                hours = int(match["hours"])
                minutes = int(match["minutes"] or 0)
                sign = -1 if match["hours"].startswith("-") else 1
                return {match["name"]: dt.timedelta(hours=hours, minutes=sign * minutes)}
        return {}


def parse_running_config(text: str) -> RunningConfig:
    lines = output_lines(text, COMMAND)
    if not lines or not SAVED.fullmatch(lines[0].text):
        return RunningConfig(tuple(line.text for line in lines))
    return _framed(lines)


def _framed(lines: list[Line]) -> RunningConfig:
    header: dict[str, str] = {}
    position = 1
    while position < len(lines) and (
        lines[position].blank or COMMENT.fullmatch(lines[position].text)
    ):
        comment = COMMENT.fullmatch(lines[position].text)
        field = HEADER_FIELD.fullmatch((comment["text"] or "") if comment else "")
        if field:
            header[field["label"]] = field["value"]
        position += 1
    body: list[str] = []
    checksum: str | None = None
    for index in range(position, len(lines)):
        match = CHECKSUM.fullmatch(lines[index].text)
        if match:
            checksum = match["digest"].replace(" ", "").lower()
            _trailer(lines[index + 1 :])
            break
        body.append(lines[index].text)
    if checksum is None:
        raise fail(
            COMMAND,
            None,
            "'Cryptochecksum:<32 hex digits>' and ': end' (the output looks truncated)",
        )
    version = next(filter(None, map(VERSION.fullmatch, body)), None)
    return RunningConfig(
        lines=tuple(body),
        checksum=checksum,
        framed=True,
        serial_number=header.get("Serial Number"),
        hardware=header.get("Hardware"),
        asa_version=version["version"] if version else None,
    )


def _trailer(lines: list[Line]) -> None:
    """After the checksum: ``: end``, then optionally ``[OK]``; nothing else."""
    printed = [line for line in lines if not line.blank]
    if not printed:
        raise fail(COMMAND, None, "': end' after the Cryptochecksum line")
    if not END.fullmatch(printed[0].text):
        raise fail(COMMAND, printed[0], "': end' after the Cryptochecksum line")
    extra = printed[1:]
    if extra and OK.fullmatch(extra[0].text):
        extra = extra[1:]
    if extra:
        raise fail(COMMAND, extra[0], "nothing after ': end' (but '[OK]' after write terminal)")
