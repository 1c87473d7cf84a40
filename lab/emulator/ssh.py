"""The SSH side of the virtual ASA (asyncssh): password login, then a CLI session."""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable

import asyncssh

from lab.emulator.cli.session import CliSession, Runtime
from lab.emulator.cli.terminal import SessionClosed
from lab.emulator.device import Device

log = logging.getLogger(__name__)


class _Terminal:
    """A Terminal over an asyncssh process (the line editor echoes and handles editing)."""

    def __init__(self, process: asyncssh.SSHServerProcess[str]) -> None:
        self._process = process

    def write(self, text: str) -> None:
        try:
            self._process.stdout.write(text)
        except (BrokenPipeError, ConnectionError, asyncssh.Error):
            pass

    async def read_line(self, *, hidden: bool = False) -> str:
        channel = self._process.channel
        if hidden:
            channel.set_echo(False)
        try:
            while True:
                try:
                    line: str = await self._process.stdin.readline()
                except asyncssh.BreakReceived:
                    continue
                except asyncssh.TerminalSizeChanged:
                    continue
                break
        except (asyncssh.Error, ConnectionError) as error:
            raise SessionClosed(str(error)) from error
        finally:
            if hidden:
                channel.set_echo(True)
        if not line:
            raise SessionClosed("end of input")
        return line.rstrip("\r\n")


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
    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

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
) -> asyncssh.SSHAcceptor:
    """Listen for SSH; every session drives whatever device ``device_provider`` returns now
    (after a reload it is a new one)."""

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
        try:
            await session.run()
        except SessionClosed:
            pass
        except Exception:
            log.exception("SSH session failed")
        finally:
            try:
                process.exit(0)
            except (OSError, asyncssh.Error):
                pass

    return await asyncssh.create_server(
        lambda: _Server(credentials),
        host,
        port,
        server_host_keys=[host_key],
        process_factory=handle,
        line_editor=True,
        keepalive_interval=0,
        login_timeout=30,
    )


def new_host_key() -> asyncssh.SSHKey:
    return asyncssh.generate_private_key("ssh-ed25519")


