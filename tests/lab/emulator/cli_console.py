"""Drive a CliSession in-process (no SSH): type a line, feed the answers and pasted lines
it asks for, get back what a terminal would show (answers echoed, as the line editor does).

``layout(template)`` turns a reference sample into a regular expression: lines are literal
except for placeholders standing for the values that must differ between two runs.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from lab.emulator.cli.registry import CONFIG, PRIVILEGED
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import SessionClosedError
from lab.emulator.device import Device, Profile
from lab.emulator.render.running_config import running_config
from lab.emulator.replay import replay_config
from lab.emulator.server import LAB_BASELINE, _new_device


@dataclass
class FeedTerminal:
    """Answers read_line from a queue; an empty queue is a dropped connection."""

    pending: list[str] = field(default_factory=list)
    output: list[str] = field(default_factory=list)

    def write(self, text: str) -> None:
        self.output.append(text)

    async def read_line(self, *, hidden: bool = False) -> str:
        if not self.pending:
            raise SessionClosedError("input ended")
        line = self.pending.pop(0)
        self.output.append(("" if hidden else line) + "\n")
        return line


class Console:
    def __init__(self, device: Device | None = None, *, profile: Profile = "9.23") -> None:
        self.loop = asyncio.new_event_loop()
        if device is None:
            device = _new_device(profile)
            problems = self.loop.run_until_complete(replay_config(device, LAB_BASELINE))
            assert not problems
        self.device = device
        self.term = FeedTerminal()
        self.session = CliSession(device, self.term, privileged=True)
        self.session.enter(CONFIG)

    def close(self) -> None:
        self.loop.close()

    def run(self, line: str, *inputs: str) -> str:
        """Type ``line``; ``inputs`` answer the questions and pastes, in order."""
        self.term.pending = list(inputs)
        self.term.output.clear()
        try:
            self.loop.run_until_complete(self.session.execute(line))
        except SessionClosedError:
            self.term.output.append("<connection closed>\n")
        left = self.term.pending
        assert not left, f"{line!r} did not read {left!r}"
        return "".join(self.term.output)

    def runs(self, lines: Iterable[str]) -> list[str]:
        return [self.run(line) for line in lines]

    def exec(self, line: str, *inputs: str) -> str:
        """Run a privileged command and come back to the mode the console was in."""
        mode = self.session.mode
        self.session.mode = type(mode)(PRIVILEGED)
        try:
            return self.run(line, *inputs)
        finally:
            self.session.mode = mode

    @property
    def prompt(self) -> str:
        return self.session.prompt

    def show_run(self) -> str:
        return "\n".join(running_config(self.device))


# ---------------------------------------------------------------- layout templates

_PLACEHOLDERS = {
    "hex": r"[0-9a-f]+",
    "hex8": r"[0-9a-f]{8}",
    "date": r"\d\d:\d\d:\d\d [A-Za-z+\-0-9]+ [A-Z][a-z]{2} \d{1,2} \d{4}",
    "b64": r"[A-Za-z0-9+/=]+",
    "any": r".+",
    "int": r"\d+",
    "space": " ",  # a trailing space the ASA prints (kept visible in templates)
}


def layout(template: str) -> re.Pattern[str]:
    """A line ``{...}`` stands for any number of lines (at least one); ``{name}`` inside a
    line for a value (see _PLACEHOLDERS); everything else is literal, spaces included."""
    parts: list[str] = []
    for line in template.split("\n"):
        if line == "{...}":
            parts.append(r"(?:[^\n]*\n)+?")
            continue
        pieces = re.split(r"\{(\w+)\}", line)
        regex = "".join(
            _PLACEHOLDERS[piece] if index % 2 else re.escape(piece)
            for index, piece in enumerate(pieces)
        )
        parts.append(regex + "\n")
    return re.compile("".join(parts))


def assert_layout(actual: str, template: str) -> None:
    """``actual`` has exactly the template's lines (placeholders aside)."""
    text = actual if actual.endswith("\n") else actual + "\n"
    body = template if template.endswith("\n") else template + "\n"
    pattern = layout(body[:-1])
    if pattern.fullmatch(text) is None:
        raise AssertionError(_first_difference(text, body[:-1]))


def _first_difference(text: str, template: str) -> str:
    actual_lines = text.rstrip("\n").split("\n")
    for number, expected in enumerate(template.split("\n")):
        if expected == "{...}":
            return f"layout differs after line {number} (inside a multi-line placeholder)\n{text}"
        got = actual_lines[number] if number < len(actual_lines) else "<missing>"
        if layout(expected).fullmatch(got + "\n") is None:
            return f"line {number + 1}: expected {expected!r}, got {got!r}\n--- actual ---\n{text}"
    return f"extra lines after the template:\n{text}"
