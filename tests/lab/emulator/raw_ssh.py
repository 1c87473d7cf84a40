"""A bare SSH terminal client (asyncssh) for tests that scrapli cannot express: binary junk,
a connection dropped mid-dialogue, several sessions at once, a reload that drops them."""

from __future__ import annotations

import asyncio
import re
from types import TracebackType
from typing import Self

import asyncssh

PROMPT = re.compile(r"(?m)^[\w./-]{1,63}(\([\w-]{0,40}\))?[#>] $")


class RawTerminal:
    def __init__(
        self, connection: asyncssh.SSHClientConnection, process: asyncssh.SSHClientProcess[bytes]
    ) -> None:
        self.connection = connection
        self.process = process
        self.buffer = ""

    @classmethod
    async def open(cls, host: str, port: int, username: str, password: str) -> Self:
        connection = await asyncssh.connect(
            host, port, username=username, password=password, known_hosts=None
        )
        process = await connection.create_process(
            term_type="vt100", term_size=(511, 24), encoding=None
        )
        terminal = cls(connection, process)
        await terminal.read_until(PROMPT)
        return terminal

    async def read_until(self, pattern: re.Pattern[str], timeout: float = 10) -> str:
        """Everything up to and including the first match of ``pattern``."""
        async with asyncio.timeout(timeout):
            while True:
                found = pattern.search(self.buffer)
                if found is not None:
                    text, self.buffer = self.buffer[: found.end()], self.buffer[found.end() :]
                    return text
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    raise EOFError(self.buffer)
                self.buffer += _text(chunk)

    async def read_all(self, timeout: float = 10) -> str:
        """Everything until the server closes the connection."""
        async with asyncio.timeout(timeout):
            while True:
                chunk = await self.process.stdout.read(4096)
                if not chunk:
                    text, self.buffer = self.buffer, ""
                    return text
                self.buffer += _text(chunk)

    def send(self, line: str) -> None:
        self.process.stdin.write(line.encode() + b"\r")

    def send_bytes(self, data: bytes) -> None:
        self.process.stdin.write(data)

    async def command(self, line: str) -> str:
        """Type a line and return what came back before the next prompt (echo removed)."""
        self.send(line)
        text = await self.read_until(PROMPT)
        prompt = PROMPT.search(text)
        assert prompt is not None  # read_until returns once the prompt has arrived
        body = text[: prompt.start()]
        return body.split("\n", 1)[1] if "\n" in body else ""

    async def __aenter__(self) -> RawTerminal:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        self.connection.close()


def _text(chunk: bytes) -> str:
    return chunk.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "")


async def privileged(
    host: str, port: int, username: str, password: str, enable: str
) -> RawTerminal:
    terminal = await RawTerminal.open(host, port, username, password)
    terminal.send("enable")
    await terminal.read_until(re.compile(r"Password: $"))
    terminal.send(enable)
    await terminal.read_until(PROMPT)
    return terminal


_CURSOR_LEFT = re.compile(r"\x1b\[(\d*)D")


def screen(text: str) -> str:
    """What a terminal shows for ``text`` (trailing blanks dropped): the line editor redraws
    input with cursor-left sequences and blanks; replay them to compare what a user sees."""
    shown: list[str] = []
    for raw_line in text.split("\n"):
        cells: list[str] = []
        cursor = 0
        position = 0
        while position < len(raw_line):
            move = _CURSOR_LEFT.match(raw_line, position)
            if move is not None:
                cursor = max(0, cursor - int(move.group(1) or 1))
                position = move.end()
                continue
            character = raw_line[position]
            if cursor < len(cells):
                cells[cursor] = character
            else:
                cells.append(character)
            cursor += 1
            position += 1
        shown.append("".join(cells).rstrip(" "))
    return "\n".join(shown)
