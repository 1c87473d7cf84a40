"""What a command handler receives, and the exceptions it raises to answer ASA-style."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lab.emulator.cli.terminal import Terminal
from lab.emulator.device import Device

if TYPE_CHECKING:
    from lab.emulator.cli.session import CliSession


@dataclass
class ModeState:
    """A CLI mode; a nested sub-mode (``crl configure``, group-policy ``webvpn``) knows its
    parent."""

    name: str
    context: dict[str, str] = field(default_factory=dict)
    parent: ModeState | None = None

    def chain(self) -> list[ModeState]:
        """This mode and its enclosing sub-modes, innermost first."""
        found: list[ModeState] = []
        current: ModeState | None = self
        while current is not None:
            found.append(current)
            current = current.parent
        return found


class CommandError(Exception):
    """Raised by a handler to print an ASA error line (or lines) and change nothing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidArgumentError(Exception):
    """Raised by a handler: answer with the caret under the token at ``column``."""

    def __init__(self, column: int) -> None:
        super().__init__(column)
        self.column = column


@dataclass
class CommandContext:
    device: Device
    session: CliSession
    term: Terminal

    def out(self, *lines: str) -> None:
        for line in lines:
            self.term.write(line + "\n")

    @property
    def mode(self) -> ModeState:
        return self.session.mode
