"""What a command handler may do with the user's terminal, independent of SSH or replay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol


class SessionClosedError(Exception):
    """The user's connection went away (EOF) while a command waited for input."""


class Terminal(Protocol):
    def write(self, text: str) -> None:
        """Write text; ``\\n`` ends a line."""

    async def read_line(self, *, hidden: bool = False) -> str:
        """Read one line (without its end) and echo it (a newline only when ``hidden``).
        Raises SessionClosedError at EOF."""


async def ask(term: Terminal, question: str, *, hidden: bool = False) -> str:
    term.write(question)
    answer = await term.read_line(hidden=hidden)
    return answer.strip()


async def ask_yes_no(term: Terminal, question: str) -> bool:
    """Ask ``question [yes/no]: `` until the answer is yes/y or no/n, as the ASA does."""
    while True:
        answer = (await ask(term, question)).lower()
        if answer in ("y", "yes"):
            return True
        if answer in ("n", "no"):
            return False
        term.write("%Please answer 'yes' or 'no'.\n")


async def read_until_quit(term: Terminal) -> list[str]:
    """Read pasted lines until a line that is exactly ``quit``."""
    lines: list[str] = []
    while True:
        line = await term.read_line()
        if line.strip().lower() == "quit":
            return lines
        lines.append(line)


class ScriptTerminal:
    """Feeds lines from a script (startup-config replay, tests); collects what is written."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = list(lines)
        self._position = 0
        self.output: list[str] = []

    def write(self, text: str) -> None:
        self.output.append(text)

    async def read_line(self, *, hidden: bool = False) -> str:
        if self._position >= len(self._lines):
            raise SessionClosedError("end of script")
        line = self._lines[self._position]
        self._position += 1
        return line

    @property
    def remaining(self) -> int:
        return len(self._lines) - self._position

    def text(self) -> str:
        return "".join(self.output)
