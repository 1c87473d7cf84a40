"""A minimal HTTP/1.1 request parser and response writer for the listener (no framework:
the AnyConnect exchange needs exact control over status lines and headers)."""

from __future__ import annotations

from dataclasses import dataclass, field

MAX_HEADER_BYTES = 32 * 1024
MAX_BODY_BYTES = 1024 * 1024


class HttpError(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status} {reason}")
        self.status = status
        self.reason = reason


@dataclass(frozen=True)
class HttpRequest:
    method: str
    target: str
    version: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    @property
    def path(self) -> str:
        return self.target.split("?", 1)[0]

    @property
    def cookies(self) -> dict[str, str]:
        jar: dict[str, str] = {}
        for part in self.header("cookie").split(";"):
            name, sep, value = part.strip().partition("=")
            if sep:
                jar[name] = value
        return jar

    @property
    def keep_alive(self) -> bool:
        connection = self.header("connection").lower()
        if self.version == "HTTP/1.0":
            return connection == "keep-alive"
        return connection != "close"


@dataclass
class HttpResponse:
    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    close: bool = False
    #: ``Transfer-Encoding: chunked`` (the framing captured from real ASAs), else Content-Length.
    chunked: bool = False

    def encode(self) -> bytes:
        headers = [(n, v) for n, v in self.headers if n.lower() not in _FRAMING_HEADERS]
        if self.close:
            headers = [(n, v) for n, v in headers if n.lower() != "connection"]
            headers.append(("Connection", "close"))
        body = self.body
        if self.chunked:
            headers.append(("Transfer-Encoding", "chunked"))
            chunk = f"{len(body):x}\r\n".encode("ascii") + body + b"\r\n" if body else b""
            body = chunk + b"0\r\n\r\n"
        else:
            headers.append(("Content-Length", str(len(body))))
        lines = [f"HTTP/1.1 {self.status} {self.reason}"]
        lines.extend(f"{name}: {value}" for name, value in headers)
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


_FRAMING_HEADERS = ("content-length", "transfer-encoding")


class RequestParser:
    """Feed bytes; take complete requests. Raises HttpError on malformed input."""

    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes) -> list[HttpRequest]:
        self._buffer += data
        requests: list[HttpRequest] = []
        while True:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > MAX_HEADER_BYTES:
                    raise HttpError(431, "Request Header Fields Too Large")
                return requests
            if end > MAX_HEADER_BYTES:
                raise HttpError(431, "Request Header Fields Too Large")
            head = self._buffer[:end].decode("latin-1")
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) != 3 or not parts[2].startswith("HTTP/"):
                raise HttpError(400, "Bad Request")
            headers: dict[str, str] = {}
            for line in lines[1:]:
                name, sep, value = line.partition(":")
                if not sep:
                    raise HttpError(400, "Bad Request")
                headers[name.strip().lower()] = value.strip()
            if "transfer-encoding" in headers:
                # Clients of an ASA send Content-Length; a chunked body is refused outright
                # rather than misread as the next request.
                raise HttpError(501, "Not Implemented")
            length_text = headers.get("content-length", "0") or "0"
            if not length_text.isdigit():
                raise HttpError(400, "Bad Request")
            length = int(length_text)
            if length > MAX_BODY_BYTES:
                raise HttpError(413, "Request Entity Too Large")
            if len(self._buffer) < end + 4 + length:
                return requests
            body = self._buffer[end + 4 : end + 4 + length]
            self._buffer = self._buffer[end + 4 + length :]
            requests.append(HttpRequest(parts[0], parts[1], parts[2], headers, body))
