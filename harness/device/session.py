"""One SSH CLI session to an ASA through scrapli's ``Cli`` with the ``cisco_asa`` definition.

Every line goes through :meth:`DeviceSession.send`, which also answers the ASA's questions
(``[yes/no]:``, ``[confirm]``), pastes PEM/base64 blocks ending with ``quit`` when the device
asks for them, and records a redacted transcript.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from harness.device.transcript import Transcript
from harness.errors import DeviceConnectionError

__all__ = [
    "CommandOutput",
    "DeviceConnectionError",
    "DeviceSession",
    "LoginDetails",
]

#: Any ASA prompt: ``host>``, ``host#``, ``host(config...)#``, with failover/context forms.
PROMPT_PATTERN = r"(?m)^[\w\./-]{1,63}(\([\w-]{0,40}\))?[#>] ?$"
_PROMPT_LINE = re.compile(r"^[\w\./-]{1,63}(\([\w-]{0,40}\))?[#>] ?$")
_ERROR_LINE = re.compile(
    r"^(ERROR:|% ?Error|%Error|% Invalid input|% Incomplete command|% Ambiguous command|"
    r"% Unknown command|Access denied)"
)
_QUESTION = re.compile(r"(\[yes/no\]:?|\[confirm\]|\[Y\]es/\[N\]o|\[Y\]es, \[N\]o)\s*$")
_PASTE_REQUEST = "on a line by itself"

CONFIG_MODE = "configuration"
PRIVILEGED_MODE = "privileged_exec"


@dataclass(frozen=True)
class LoginDetails:
    host: str
    port: int
    username: str
    password: str
    enable_password: str
    timeout_s: float = 60.0

    @property
    def secrets(self) -> list[str]:
        return [self.password, self.enable_password]


@dataclass(frozen=True)
class CommandOutput:
    command: str
    output: str
    error: str | None = None
    questions: tuple[tuple[str, str], ...] = ()
    unanswered: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.error is not None or bool(self.unanswered)

    @property
    def lines(self) -> list[str]:
        return self.output.splitlines()


@dataclass
class _Dialogue:
    answers: Sequence[tuple[str, str]]
    paste: Sequence[str] | None
    questions: list[tuple[str, str]] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)
    pasted: bool = False


def error_line(output: str) -> str | None:
    """The first line of ``output`` that a real ASA uses to report a failure."""
    for line in output.splitlines():
        if _ERROR_LINE.match(line.strip()):
            return line.strip()
    return None


class DeviceSession:
    def __init__(self, login: LoginDetails, transcript: Transcript | None = None) -> None:
        self.login = login
        self.transcript = transcript or Transcript()
        for secret in login.secrets:
            if secret and secret not in self.transcript.secrets:
                self.transcript.secrets.append(secret)
        self._cli: Any = None

    # ------------------------------------------------------------ connection

    def open(self) -> DeviceSession:
        from scrapli import AuthOptions, Cli, LookupKeyValue, SessionOptions
        from scrapli.transport import Ssh2Options

        self._cli = Cli(
            definition_file_or_name="cisco_asa",
            host=self.login.host,
            port=self.login.port,
            auth_options=AuthOptions(
                username=self.login.username,
                password=self.login.password,
                lookups=[LookupKeyValue(key="enable", value=self.login.enable_password)],
            ),
            session_options=SessionOptions(operation_timeout_s=int(self.login.timeout_s)),
            transport_options=Ssh2Options(),
        )
        try:
            self._cli.open()
        except Exception as error:  # scrapli raises its own exception types from the FFI layer
            self._cli = None
            raise DeviceConnectionError(
                f"cannot open an SSH CLI session to {self.login.host}:{self.login.port} as "
                f"{self.login.username}: {_describe(error)}"
            ) from error
        return self

    def close(self) -> None:
        if self._cli is not None:
            # The session may already be gone; closing must never fail a test.
            with contextlib.suppress(Exception):
                self._cli.close()
            self._cli = None

    def __enter__(self) -> DeviceSession:
        # ``with DeviceSession(...).open() as s`` must not open a second, leaked session.
        return self if self._cli is not None else self.open()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def cli(self) -> Any:
        if self._cli is None:
            raise DeviceConnectionError("the device session is not open")
        return self._cli

    # ------------------------------------------------------------ sending

    def send(
        self,
        line: str,
        *,
        mode: str = PRIVILEGED_MODE,
        answers: Sequence[tuple[str, str]] = (),
        paste: Sequence[str] | None = None,
        paste_is_secret: bool = False,
        timeout_s: float | None = None,
    ) -> CommandOutput:
        """Send one line in ``mode`` and read until the next prompt, answering questions.

        ``answers`` are (question substring, answer) pairs; a question none of them
        matches is answered ``no`` and reported in ``unanswered``. ``paste`` is sent,
        line by line and followed by ``quit``, when the device asks for it.
        """
        from scrapli import ReadCallback

        cli = self.cli
        self._enter(mode)
        dialogue = _Dialogue(answers, paste)

        def on_paste(c: Any, _buffer: str, _raw: Any) -> None:
            if dialogue.paste is None:
                dialogue.unanswered.append("the device asked for pasted data")
                c.write_and_return("quit")
                return
            for pasted_line in dialogue.paste:
                c.write_and_return(pasted_line)
            c.write_and_return("quit")
            dialogue.pasted = True

        def on_question(c: Any, buffer: str, _raw: Any) -> None:
            question = _last_line(buffer)
            for fragment, answer in dialogue.answers:
                if fragment.lower() in question.lower():
                    dialogue.questions.append((question, answer))
                    c.write_and_return(answer)
                    return
            dialogue.unanswered.append(question)
            c.write_and_return("n" if "[Y]es" in question else "no")

        def on_prompt(_c: Any, _buffer: str, _raw: Any) -> None:
            return None

        callbacks = [
            ReadCallback(name="paste", contains=_PASTE_REQUEST, once=True, callback=on_paste),
            ReadCallback(
                name="question",
                contains_pattern=r"(\[yes/no\]:?|\[confirm\]|\[Y\]es)\s*$",
                callback=on_question,
            ),
            ReadCallback(
                name="prompt", contains_pattern=PROMPT_PATTERN, completes=True, callback=on_prompt
            ),
        ]
        timeout = timeout_s if timeout_s is not None else self.login.timeout_s
        try:
            result = cli.read_with_callbacks(
                callbacks, initial_input=line, operation_timeout_ns=int(timeout * 1e9)
            )
        except Exception as error:
            raise DeviceConnectionError(
                f"no prompt from {self.login.host}:{self.login.port} after {line!r}: "
                f"{_describe(error)}"
            ) from error
        output = _clean(result.result, line)
        if dialogue.pasted and paste is not None and paste_is_secret:
            for pasted_line in paste:
                output = output.replace(pasted_line, "")
        command_output = CommandOutput(
            line,
            output,
            error_line(output),
            tuple(dialogue.questions),
            tuple(dialogue.unanswered),
        )
        recorded = "<pasted data redacted>" if paste_is_secret else output
        self.transcript.record(
            line, recorded if paste_is_secret else output, failed=command_output.failed
        )
        return command_output

    def exec(self, command: str, **options: Any) -> CommandOutput:
        return self.send(command, mode=PRIVILEGED_MODE, **options)

    def configure(
        self,
        lines: Sequence[str],
        *,
        answers: Sequence[tuple[str, str]] = (),
        stop_on_error: bool = True,
    ) -> list[CommandOutput]:
        """Send configuration lines one by one (sub-mode lines included, as typed)."""
        outputs: list[CommandOutput] = []
        for line in lines:
            if not line.strip():
                continue
            output = self.send(line, mode=CONFIG_MODE, answers=answers)
            outputs.append(output)
            if output.failed and stop_on_error:
                break
        return outputs

    def _enter(self, mode: str) -> None:
        try:
            self._enter_mode(mode)
        except DeviceConnectionError:
            raise
        except Exception as error:  # scrapli's transport errors come from its FFI layer
            raise DeviceConnectionError(
                f"lost the SSH CLI session to {self.login.host}:{self.login.port} "
                f"(the connection closed or the device stopped answering): {_describe(error)}"
            ) from error

    def _enter_mode(self, mode: str) -> None:
        cli = self.cli
        prompt = str(cli.get_prompt().result).strip()
        in_config = "(" in prompt and prompt.endswith("#")
        if mode == CONFIG_MODE and in_config:
            return
        if mode == PRIVILEGED_MODE and in_config:
            cli.send_input("end")
            return
        if mode == PRIVILEGED_MODE and prompt.endswith("#"):
            return
        cli.enter_mode(mode)


def _last_line(buffer: str) -> str:
    lines = [line for line in buffer.replace("\r", "").split("\n") if line.strip()]
    return lines[-1].strip() if lines else ""


def _clean(result: str, command: str) -> str:
    lines = result.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if lines and lines[0].strip() == command.strip():
        lines = lines[1:]
    while lines and (not lines[-1].strip() or _PROMPT_LINE.match(lines[-1].strip())):
        lines = lines[:-1]
    return "\n".join(lines)


def _describe(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]
