"""Boot = replay: feed a configuration text through the same CLI parser a user types into."""

from __future__ import annotations

from dataclasses import dataclass

from lab.emulator.cli.registry import CONFIG
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import ScriptTerminal, SessionClosedError
from lab.emulator.device import Device
from lab.emulator.replica_unmodelled import Sink, UnmodelledKeeper


@dataclass(frozen=True)
class ReplayProblem:
    line_number: int
    line: str
    message: str
    #: True when the line was kept verbatim (``keep_unmodelled``): it still shows in
    #: ``show running-config`` although the virtual ASA does not act on it.
    kept: bool = False


_SKIPPED_PREFIXES = (":", "!", "ASA Version", "Cryptochecksum:", "Building configuration", "[OK]")


@dataclass
class _Block:
    """The lines enclosing the current one, by indentation (outermost first)."""

    lines: list[tuple[int, str]]

    def enter(self, line: str) -> list[str]:
        """Account for ``line``; return its ancestors."""
        indent = len(line) - len(line.lstrip(" "))
        while self.lines and self.lines[-1][0] >= indent:
            self.lines.pop()
        ancestors = [text for _, text in self.lines]
        self.lines.append((indent, line.rstrip()))
        return ancestors


async def replay_config(
    device: Device, text: str, *, keep_unmodelled: bool = False
) -> list[ReplayProblem]:
    """Apply a saved configuration. Lines the parser rejects are returned, not raised.

    A line that is not indented returns the session to global configuration first,
    so indentation decides which block a line belongs to, as in ``show running-config``.

    With ``keep_unmodelled`` (a configuration from another device: replicas, the oracle)
    a rejected line is kept in the device so that ``show running-config`` still shows it:
    in its block's attribute lines when the model has them, else in
    ``Device.unmodelled_lines``; the lines indented under a rejected line are kept with it
    and never executed (they belong to a block the model does not know).
    """
    lines = text.splitlines()
    problems: list[ReplayProblem] = []
    terminal = ScriptTerminal(lines)
    session = CliSession(device, terminal, privileged=True, replay=True)
    session.enter(CONFIG)
    keeper = UnmodelledKeeper(device) if keep_unmodelled else None
    block = _Block([])
    kept: tuple[int, int, Sink] | None = None  # (line number, indentation, sink) of a kept line
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
        indent = len(line) - len(line.lstrip(" "))
        ancestors = block.enter(line)
        if kept is not None and indent > kept[1]:
            kept[2](line)
            problems.append(
                ReplayProblem(
                    line_number,
                    line,
                    f"inside the block of line {kept[0]}, which the virtual ASA does not model",
                    kept=True,
                )
            )
            continue
        kept = None
        if not indent:
            session.enter(CONFIG)
        before = len(terminal.output)
        try:
            await session.execute(line)
        except SessionClosedError:
            problems.append(ReplayProblem(line_number, line, "configuration ended inside a block"))
            break
        if session.last_error is not None:
            printed = "".join(terminal.output[before:]).strip().splitlines()
            message = printed[-1] if printed else session.last_error
            sink = keeper.keep(session.mode, ancestors, line) if keeper is not None else None
            if sink is not None:
                kept = (line_number, indent, sink)
            problems.append(ReplayProblem(line_number, line, message, kept=sink is not None))
    return problems
