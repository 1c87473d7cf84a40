"""The SSH side of the virtual ASA (asyncssh): password login, then a CLI session."""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import Callable

import asyncssh

from lab.emulator.cli.runtime import Runtime
from lab.emulator.cli.session import CliSession
from lab.emulator.cli.terminal import SessionClosedError
from lab.emulator.device import Device
from lab.emulator.ssh_transport import QuickAckListener

log = logging.getLogger(__name__)

#: Longest line the CLI reads; the rest of a longer line is dropped (the ASA's own limit is
#: not documented; 10 000 characters of junk must still get an error and a prompt).
MAX_LINE = 16384


class _Terminal:
    """A Terminal over an asyncssh process (the line editor echoes and handles editing).

    Output is collected until the CLI waits for input, then sent as one SSH packet: a
    command's whole answer and the next prompt travel together (``show running-config``
    line by line cost one packet, and one network round of latency, per line)."""

    def __init__(self, process: asyncssh.SSHServerProcess[str]) -> None:
        self._process = process
        self._pending: list[str] = []

    def write(self, text: str) -> None:
        self._pending.append(text)

    def flush(self) -> None:
        if not self._pending:
            return
        text = "".join(self._pending)
        self._pending.clear()
        with contextlib.suppress(BrokenPipeError, ConnectionError, asyncssh.Error):
            self._process.stdout.write(text)

    def _set_echo(self, echo: bool) -> None:
        channel = self._process.channel
        set_echo: Callable[[bool], None] | None = getattr(channel, "set_echo", None)
        if set_echo is not None:
            set_echo(echo)

    async def read_line(self, *, hidden: bool = False) -> str:
        self.flush()
        if hidden:
            self._set_echo(False)
        try:
            while True:
                try:
                    line: str = await self._process.stdin.readline()
                except (asyncssh.BreakReceived, asyncssh.TerminalSizeChanged):
                    continue
                break
        except (asyncssh.Error, ConnectionError, UnicodeDecodeError) as error:
            raise SessionClosedError(str(error)) from error
        finally:
            if hidden:
                self._set_echo(True)
        if not line:
            raise SessionClosedError("end of input")
        text = line.rstrip("\r\n")[:MAX_LINE]
        # The line editor runs with line_echo=False: the line is echoed when the CLI reads
        # it, as a device does. Typed ahead before the prompt (scrapli's first Enter), it
        # then appears after that prompt instead of leaving two prompts on one line.
        self.write(("" if hidden else text) + "\n")
        return text


class Credentials:
    """The one local login the virtual ASA accepts over SSH (compared in constant time)."""

    def __init__(self, username: str, password: str, enable_password: str) -> None:
        self.username = username
        self._password = password
        self._enable_password = enable_password

    def check_login(self, username: str, password: str) -> bool:
        return hmac.compare_digest(username.encode(), self.username.encode()) & hmac.compare_digest(
            password.encode(), self._password.encode()
        )

    def check_enable(self, password: str) -> bool:
        return hmac.compare_digest(password.encode(), self._enable_password.encode())


class _Server(asyncssh.SSHServer):
    def __init__(
        self, credentials: Credentials, connections: set[asyncssh.SSHServerConnection]
    ) -> None:
        self._credentials = credentials
        self._connections = connections
        self._connection: asyncssh.SSHServerConnection | None = None

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._connection = conn
        self._connections.add(conn)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._connection is not None:
            self._connections.discard(self._connection)

    def begin_auth(self, username: str) -> bool:
        return True

    def password_auth_supported(self) -> bool:
        return True

    def validate_password(self, username: str, password: str) -> bool:
        return self._credentials.check_login(username, password)


async def start_ssh_server(
    host: str,
    port: int,
    device_provider: Callable[[], Device],
    credentials: Credentials,
    runtime: Runtime,
    host_key: asyncssh.SSHKey,
    on_config_change: Callable[[], None] | None = None,
    connections: set[asyncssh.SSHServerConnection] | None = None,
) -> asyncssh.SSHAcceptor:
    """Listen for SSH; every session drives whatever device ``device_provider`` returns now
    (after a reload it is a new one). ``connections`` is kept up to date with the open
    connections (a reload closes them all)."""
    open_connections: set[asyncssh.SSHServerConnection] = (
        connections if connections is not None else set()
    )

    async def handle(process: asyncssh.SSHServerProcess[str]) -> None:
        terminal = _Terminal(process)
        session = CliSession(
            device_provider(),
            terminal,
            username=credentials.username,
            check_enable_password=credentials.check_enable,
            runtime=runtime,
            on_config_change=on_config_change,
        )
        _register_help_key(process, terminal, session)
        try:
            await session.run()
        except SessionClosedError:
            pass
        except Exception:
            log.exception("SSH session failed")
        finally:
            terminal.flush()
            with contextlib.suppress(OSError, asyncssh.Error):
                process.exit(0)

    return await asyncssh.create_server(
        lambda: _Server(credentials, open_connections),
        host,
        port,
        server_host_keys=[host_key],
        process_factory=handle,
        line_editor=True,
        line_echo=False,
        keepalive_interval=0,
        login_timeout=30,
        encoding="utf-8",
        errors="replace",
        tunnel=QuickAckListener(),
    )


def _register_help_key(
    process: asyncssh.SSHServerProcess[str], terminal: _Terminal, session: CliSession
) -> None:
    """``?`` answers at once, as on the ASA: help for what is typed so far, then the prompt
    and the line again. In a dialogue (answers, pastes, passwords) ``?`` is just a character."""

    def on_question_mark(line: str, position: int) -> tuple[str, int] | bool:
        if not session.at_prompt:
            return True
        terminal.write("?\n" + session.help_text(line[:position]) + session.prompt)
        terminal.flush()
        return line, position

    register: Callable[[str, Callable[[str, int], tuple[str, int] | bool]], None] | None = getattr(
        process.channel, "register_key", None
    )
    if register is not None:
        register("?", on_question_mark)


def new_host_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")
