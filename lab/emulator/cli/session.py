"""One CLI session on the virtual ASA: modes, prompts, dispatch, ASA-style errors.

The same session type serves SSH users and startup-config replay (boot = replay).
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
from collections.abc import Callable
from typing import Protocol

from lab.emulator.cli import commands as _commands  # noqa: F401  (registers every command)
from lab.emulator.cli.grammar import (
    AmbiguousCommand,
    IncompleteCommand,
    InvalidInput,
    Match,
    MatchError,
)
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgument, ModeState
from lab.emulator.cli.registry import CONFIG, EXEC, PRIVILEGED, HandlerFunction, grammar
from lab.emulator.cli.terminal import SessionClosed, Terminal
from lab.emulator.device import Device

log = logging.getLogger(__name__)

INVALID_INPUT = "ERROR: % Invalid input detected at '^' marker."
INCOMPLETE = "ERROR: % Incomplete command"
BANNER = "Type help or '?' for a list of available commands."


class Runtime(Protocol):
    """What commands may ask of the running virtual ASA beyond its configuration."""

    def save_startup_config(self) -> int:
        """Persist the running configuration; return the number of bytes written."""

    def startup_config(self) -> str | None:
        """The saved configuration text, or None if nothing was ever saved."""

    def request_reload(self) -> None:
        """Reboot from the startup configuration after the current command."""


class CliSession:
    def __init__(
        self,
        device: Device,
        term: Terminal,
        *,
        username: str = "enable_15",
        check_enable_password: Callable[[str], bool] | None = None,
        privileged: bool = False,
        replay: bool = False,
        on_config_change: Callable[[], None] | None = None,
        runtime: Runtime | None = None,
    ) -> None:
        self.runtime = runtime
        self.last_error: str | None = None
        self.device = device
        self.term = term
        self.username = username
        self.check_enable_password = check_enable_password or (lambda _password: True)
        self.mode = ModeState(PRIVILEGED if privileged else EXEC)
        self.replay = replay
        self.closed = False
        self.on_config_change = on_config_change
        self.pager_lines = 24
        self.width = 80

    # ------------------------------------------------------------ modes

    @property
    def prompt(self) -> str:
        name = self.device.hostname
        if self.mode.name == EXEC:
            return f"{name}> "
        if self.mode.name == PRIVILEGED:
            return f"{name}# "
        return f"{name}({self.mode.name})# "

    def enter(self, mode: str, **context: str) -> None:
        self.mode = ModeState(mode, dict(context))

    def exit_mode(self) -> None:
        if self.mode.name in (EXEC, PRIVILEGED):
            self.closed = True
        elif self.mode.name == CONFIG:
            self.mode = ModeState(PRIVILEGED)
        else:
            self.mode = ModeState(CONFIG)

    def end(self) -> None:
        if self.mode.name not in (EXEC, PRIVILEGED):
            self.mode = ModeState(PRIVILEGED)

    # ------------------------------------------------------------ running

    async def run(self, *, banner: bool = True) -> None:
        """The interactive loop: prompt, read, execute, until logout or EOF."""
        if banner:
            self.term.write(BANNER + "\n")
        while not self.closed:
            self.term.write(self.prompt)
            try:
                line = await self.term.read_line()
            except SessionClosed:
                return
            await self.execute(line)

    async def execute(self, line: str) -> None:
        """Run one typed line; every failure is answered ASA-style, never raised."""
        self.last_error = None
        text = line.replace("\t", " ").rstrip("\r\n")
        if not text.strip() or text.lstrip().startswith(("!", ":")):
            return
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in text):
            text = "".join(ch if 32 <= ord(ch) != 127 else " " for ch in text)
        if text.rstrip().endswith("?"):
            self._help(text.rstrip()[:-1])
            return
        resolved = self._resolve(text)
        if isinstance(resolved, tuple):
            mode_name, match, handler = resolved
            if mode_name == CONFIG and self.mode.name != CONFIG:
                self.mode = ModeState(CONFIG)
            await self._run_handler(mode_name, match, handler)
        else:
            self._report(resolved, text)

    def _candidate_modes(self) -> list[str]:
        if self.mode.name == EXEC:
            return [EXEC]
        if self.mode.name == PRIVILEGED:
            return [PRIVILEGED]
        if self.mode.name == CONFIG:
            return [CONFIG, PRIVILEGED]
        return [self.mode.name, CONFIG, PRIVILEGED]

    def _resolve(self, text: str) -> tuple[str, Match, HandlerFunction] | MatchError:
        best: MatchError | None = None
        for mode_name in self._candidate_modes():
            result = grammar(mode_name).match(text)
            if isinstance(result, tuple):
                return mode_name, result[0], result[1]
            if best is None or _error_rank(result) > _error_rank(best):
                best = result
        assert best is not None
        return best

    async def _run_handler(self, mode_name: str, match: Match, handler: HandlerFunction) -> None:
        context = CommandContext(self.device, self, self.term)
        try:
            outcome = handler(context, match)
            if inspect.isawaitable(outcome):
                await outcome
        except SessionClosed:
            self.closed = True
            raise
        except CommandError as error:
            self.last_error = error.message.strip().splitlines()[-1]
            self.term.write(error.message.rstrip("\n") + "\n")
            return
        except InvalidArgument as error:
            self._report(InvalidInput(error.column), match.line)
            return
        except Exception:
            log.exception("command failed: %r", match.line)
            self.term.write("ERROR: % Internal error while processing the command.\n")
            return
        if mode_name not in (EXEC, PRIVILEGED) and not getattr(handler, "readonly", False):
            self._touch()

    def _touch(self) -> None:
        self.device.last_modified = (self.username, dt.datetime.now(dt.UTC))
        if self.on_config_change is not None:
            self.on_config_change()

    def _report(self, error: MatchError, text: str) -> None:
        self.last_error = type(error).__name__
        if isinstance(error, IncompleteCommand):
            self.term.write(INCOMPLETE + "\n")
        elif isinstance(error, AmbiguousCommand):
            self.term.write(f'ERROR: % Ambiguous command:  "{text.strip()}"\n')
        else:
            self.term.write(" " * (len(self.prompt) + error.column) + "^\n" + INVALID_INPUT + "\n")

    def _help(self, text: str) -> None:
        words: set[str] = set()
        for mode_name in self._candidate_modes():
            words.update(grammar(mode_name).completions(text))
        if not words:
            self._report(InvalidInput(len(text)), text + "?")
            return
        partial = text and not text.endswith(" ")
        if partial:
            stem = text.split()[-1].lower()
            base = text[: len(text) - len(stem)]
            candidates = {w for w in _help_words(self, base) if w.startswith(stem)}
            self.term.write("  ".join(sorted(candidates)) + "\n")
            return
        for word in sorted(words, key=lambda w: (w == "<cr>", w)):
            self.term.write(f"  {word}\n")


def _help_words(session: CliSession, base: str) -> set[str]:
    words: set[str] = set()
    for mode_name in session._candidate_modes():
        words.update(grammar(mode_name).completions(base))
    return words


def _error_rank(error: MatchError) -> tuple[int, int]:
    """Prefer the error that got furthest into the line; an incomplete line got furthest."""
    if isinstance(error, IncompleteCommand):
        return (1 << 30, 0)
    if isinstance(error, AmbiguousCommand):
        return (error.column, 1)
    return (error.column, 0)
