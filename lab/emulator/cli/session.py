"""One CLI session on the virtual ASA: modes, prompts, dispatch, ASA-style errors.

The same session type serves SSH users and startup-config replay (boot = replay).
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable

from lab.emulator.cli import commands as _commands  # noqa: F401  (registers every command)
from lab.emulator.cli.context import CommandContext, CommandError, InvalidArgumentError, ModeState
from lab.emulator.cli.grammar import (
    AmbiguousCommand,
    IncompleteCommand,
    InvalidInput,
    Match,
    MatchError,
)
from lab.emulator.cli.registry import CONFIG, EXEC, PRIVILEGED, HandlerFunction, grammar
from lab.emulator.cli.runtime import Runtime
from lab.emulator.cli.terminal import SessionClosedError, Terminal
from lab.emulator.device import Device

log = logging.getLogger(__name__)

INVALID_INPUT = "ERROR: % Invalid input detected at '^' marker."
INCOMPLETE = "ERROR: % Incomplete command"
BANNER = "Type help or '?' for a list of available commands."


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
        #: True while the session waits for a command (not for an answer or a paste)
        self.at_prompt = False

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

    def push(self, mode: str, **context: str) -> None:
        """Enter a sub-mode nested in the current one (``exit`` comes back here)."""
        self.mode = ModeState(mode, dict(context), parent=self.mode)

    def exit_mode(self) -> None:
        if self.mode.name in (EXEC, PRIVILEGED):
            self.closed = True
        elif self.mode.name == CONFIG:
            self.mode = ModeState(PRIVILEGED)
        elif self.mode.parent is not None:
            self.mode = self.mode.parent
        else:
            self.mode = ModeState(CONFIG)

    def end(self) -> None:
        if self.mode.name not in (EXEC, PRIVILEGED):
            self.mode = ModeState(PRIVILEGED)

    # ------------------------------------------------------------ running

    async def run(self, *, banner: bool = True) -> None:
        """The interactive loop: prompt, read, execute, until logout or EOF."""
        if banner:
            self.device.logins += 1
            self.term.write(
                f"User {self.username} logged in to {self.device.hostname}\n"
                f"Logins over the last 1 days: {self.device.logins}.\n"
                "Failed logins since the last login: 0.\n"
                f"{BANNER}\n"
            )
        while not self.closed:
            self.term.write(self.prompt)
            self.at_prompt = True
            try:
                line = await self.term.read_line()
            except SessionClosedError:
                return
            finally:
                self.at_prompt = False
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
            self._leave_to(mode_name)
            await self._run_handler(mode_name, match, handler)
        else:
            self._report(resolved, text)

    def _leave_to(self, mode_name: str) -> None:
        """A line that matched in an enclosing mode leaves the sub-modes below it (as IOS does);
        exec commands typed in a configuration mode run without leaving it."""
        if mode_name in (EXEC, PRIVILEGED) or mode_name == self.mode.name:
            return
        if mode_name == CONFIG:
            self.mode = ModeState(CONFIG)
            return
        for state in self.mode.chain():
            if state.name == mode_name:
                self.mode = state
                return

    def _candidate_modes(self) -> list[str]:
        if self.mode.name == EXEC:
            return [EXEC]
        if self.mode.name == PRIVILEGED:
            return [PRIVILEGED]
        if self.mode.name == CONFIG:
            return [CONFIG, PRIVILEGED]
        return [state.name for state in self.mode.chain()] + [CONFIG, PRIVILEGED]

    def _resolve(self, text: str) -> tuple[str, Match, HandlerFunction] | MatchError:
        best: MatchError | None = None
        for position, mode_name in enumerate(self._candidate_modes()):
            result = grammar(mode_name).match(text)
            if isinstance(result, tuple):
                return mode_name, result[0], result[1]
            if position == 0 and isinstance(result, AmbiguousCommand):
                return result  # ambiguous where it was typed: no enclosing mode guesses instead
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
        except SessionClosedError:
            self.closed = True
            raise
        except CommandError as error:
            self.last_error = error.message.strip().splitlines()[-1]
            self.term.write(error.message.rstrip("\n") + "\n")
            return
        except InvalidArgumentError as error:
            self._report(InvalidInput(error.column), match.line)
            return
        except Exception:
            log.exception("command failed: %r", match.line)
            self.term.write("ERROR: % Internal error while processing the command.\n")
            return
        if mode_name not in (EXEC, PRIVILEGED) and not getattr(handler, "readonly", False):
            self._touch()

    def _touch(self) -> None:
        self.device.last_modified = (self.username, self.device.clock.now_utc())
        if self.on_config_change is not None:
            self.on_config_change()

    def _report(self, error: MatchError, text: str) -> None:
        self.last_error = type(error).__name__
        self.term.write(self._error_text(error, text))

    def _error_text(self, error: MatchError, text: str) -> str:
        if isinstance(error, IncompleteCommand):
            return INCOMPLETE + "\n"
        if isinstance(error, AmbiguousCommand):
            return f'ERROR: % Ambiguous command:  "{text.strip()}"\n'
        return " " * (len(self.prompt) + error.column) + "^\n" + INVALID_INPUT + "\n"

    def _help(self, text: str) -> None:
        self.term.write(self.help_text(text))

    def help_text(self, text: str) -> str:
        """What ``?`` prints after ``text``: the words that may come next (or, after a partial
        word, the words it may be completed to), from the modes the line would run in."""
        if text and not text.endswith(" "):
            stem = text.split()[-1].lower()
            base = text[: len(text) - len(stem)]
            candidates = {w for w in self._help_words(base) if w.startswith(stem)}
            if not candidates:
                return self._error_text(InvalidInput(len(base)), text)
            return "  ".join(sorted(candidates)) + "\n"
        words = self._help_words(text)
        if not words:
            return self._error_text(InvalidInput(len(text)), text + "?")
        return "".join(f"  {word}\n" for word in sorted(words, key=lambda w: (w == "<cr>", w)))

    def _help_words(self, text: str) -> set[str]:
        """A sub-mode offers its own words when it has any; global configuration offers
        its words and the exec commands it also runs."""
        words: set[str] = set()
        for mode_name in self._candidate_modes():
            words.update(grammar(mode_name).completions(text))
            if words and mode_name not in (CONFIG,) and self.mode.name != CONFIG:
                break
        return words


def _error_rank(error: MatchError) -> tuple[int, int]:
    """Prefer the error that got furthest into the line; an incomplete line got furthest."""
    if isinstance(error, IncompleteCommand):
        return (1 << 30, 0)
    if isinstance(error, AmbiguousCommand):
        return (error.column, 1)
    return (error.column, 0)
