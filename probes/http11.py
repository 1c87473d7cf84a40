"""A minimal HTTP/1.1 client exchange over a :class:`~probes.tls_channel.TlsChannel`.

Only what the aggregate-auth exchange needs, with hard bounds: headers up to
``MAX_HEADER_BYTES``, bodies up to the caller's limit (Content-Length, chunked, or read
until close), every read bounded by the deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from probes.deadline import Deadline
from probes.tls_channel import TlsChannel

MAX_HEADER_BYTES = 32 * 1024
DEFAULT_MAX_BODY = 256 * 1024


class HttpProtocolError(Exception):
    """The server's answer is not HTTP/1.x, or exceeds a bound."""


@dataclass(frozen=True)
class HttpResponse:
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    #: The server will close (or has closed) the connection after this response.
    closes: bool

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        return next((v for k, v in self.headers if k.lower() == wanted), None)

    def all_headers(self, name: str) -> list[str]:
        wanted = name.lower()
        return [v for k, v in self.headers if k.lower() == wanted]


def format_request(
    method: str, target: str, headers: Sequence[tuple[str, str]], body: bytes | None = None
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", *(f"{k}: {v}" for k, v in headers)]
    if body is not None:
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


class _Reader:
    def __init__(self, channel: TlsChannel, deadline: Deadline) -> None:
        self._channel = channel
        self._deadline = deadline
        self.buffer = bytearray()
        self.eof = False

    def fill(self) -> bool:
        """Read more; False at end of stream."""
        if self.eof:
            return False
        data = self._channel.receive(self._deadline)
        if not data:
            self.eof = True
            return False
        self.buffer.extend(data)
        return True

    def take(self, count: int) -> bytes:
        data = bytes(self.buffer[:count])
        del self.buffer[:count]
        return data

    def line(self, limit: int) -> bytes:
        while (end := self.buffer.find(b"\r\n")) < 0:
            if len(self.buffer) > limit or not self.fill():
                raise HttpProtocolError("incomplete or oversized line in the HTTP answer")
        return self.take(end + 2)[:-2]

    def exactly(self, count: int) -> bytes:
        while len(self.buffer) < count:
            if not self.fill():
                raise HttpProtocolError("the server closed the connection mid-body")
        return self.take(count)


def _head(reader: _Reader) -> tuple[int, str, list[tuple[str, str]]]:
    while (end := reader.buffer.find(b"\r\n\r\n")) < 0:
        if len(reader.buffer) > MAX_HEADER_BYTES:
            raise HttpProtocolError(f"HTTP headers exceed {MAX_HEADER_BYTES} bytes")
        if not reader.fill():
            if not reader.buffer:
                raise HttpProtocolError("the server closed the connection without answering")
            raise HttpProtocolError("the server closed the connection inside the HTTP headers")
    head = reader.take(end + 4)[:-4].decode("latin-1")
    status_line, *header_lines = head.split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
        raise HttpProtocolError(f"not an HTTP/1.x answer: {status_line[:60]!r}")
    headers: list[tuple[str, str]] = []
    for line in header_lines:
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return int(parts[1]), (parts[2] if len(parts) > 2 else ""), headers


def _chunked(reader: _Reader, max_body: int) -> bytes:
    body = bytearray()
    while True:
        size_text = reader.line(1024).split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            raise HttpProtocolError(f"bad chunk size {size_text[:20]!r}") from None
        if size == 0:
            while reader.line(MAX_HEADER_BYTES):  # trailers
                pass
            return bytes(body)
        if len(body) + size > max_body:
            raise HttpProtocolError(f"HTTP body exceeds {max_body} bytes")
        body.extend(reader.exactly(size))
        reader.exactly(2)


def _until_close(reader: _Reader, max_body: int) -> bytes:
    while reader.fill():
        if len(reader.buffer) > max_body:
            raise HttpProtocolError(f"HTTP body exceeds {max_body} bytes")
    return reader.take(len(reader.buffer))


def exchange(
    channel: TlsChannel, request: bytes, deadline: Deadline, *, max_body: int = DEFAULT_MAX_BODY
) -> HttpResponse:
    """Send one request and read its response. Raises HttpProtocolError or ChannelError."""
    channel.send_all(request, deadline)
    reader = _Reader(channel, deadline)
    status, reason, headers = _head(reader)
    while 100 <= status < 200:
        status, reason, headers = _head(reader)
    response = HttpResponse(status, reason, tuple(headers), b"", False)
    encoding = (response.header("Transfer-Encoding") or "").lower()
    length = response.header("Content-Length")
    closes = (response.header("Connection") or "").lower() == "close"
    if status in (204, 304):
        body = b""
    elif "chunked" in encoding:
        body = _chunked(reader, max_body)
    elif length is not None:
        if not length.isdigit():
            raise HttpProtocolError(f"bad Content-Length {length[:20]!r}")
        if int(length) > max_body:
            raise HttpProtocolError(f"HTTP body of {length} bytes exceeds {max_body}")
        body = reader.exactly(int(length))
    else:
        body = _until_close(reader, max_body)
        closes = True
    return HttpResponse(status, reason, tuple(headers), body, closes or reader.eof)
