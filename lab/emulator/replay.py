"""Boot = replay: feed a configuration text through the same CLI parser a user types into."""

from __future__ import annotations

from dataclasses import dataclass

from lab.emulator.cli.registry import CONFIG
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import ScriptTerminal, SessionClosedError
from lab.emulator.device import Device


@dataclass(frozen=True)
class ReplayProblem:
    line_number: int
    line: str
    message: str


_SKIPPED_PREFIXES = (":", "!", "ASA Version", "Cryptochecksum:", "Building configuration", "[OK]")


async def replay_config(device: Device, text: str) -> list[ReplayProblem]:
    """Apply a saved configuration. Lines the parser rejects are returned, not raised.

    A line that is not indented returns the session to global configuration first,
    so indentation decides which block a line belongs to, as in ``show running-config``.
    """
    lines = text.splitlines()
    problems: list[ReplayProblem] = []
    terminal = ScriptTerminal(lines)
    session = CliSession(device, terminal, privileged=True, replay=True)
    session.enter(CONFIG)
    line_number = 0
    while terminal.remaining:
        line_number = len(lines) - terminal.remaining + 1
        try:
            line = await terminal.read_line()
        except SessionClosedError:
            break
        stripped = line.strip()
        if not stripped or stripped.startswith(_SKIPPED_PREFIXES):
            continue
        if not line.startswith(" "):
            session.enter(CONFIG)
        before = len(terminal.output)
        try:
            await session.execute(line)
        except SessionClosedError:
            problems.append(ReplayProblem(line_number, line, "configuration ended inside a block"))
            break
        if session.last_error is not None:
            printed = "".join(terminal.output[before:]).strip().splitlines()
            problems.append(
                ReplayProblem(line_number, line, printed[-1] if printed else session.last_error)
            )
    return problems
