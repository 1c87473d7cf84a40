"""Whether the URL a client asked for is a tunnel-group's ``group-url``.

anyconnect-protocol.md section 9: the emulator compares scheme, host, port and path (ICS23
shows an ASA rejecting a URL that omits a non-standard port in use). Host and scheme ignore
case, the port defaults from the scheme, and a trailing ``/`` on the path does not count;
the path itself is case-sensitive. Those normalisations are [INFERENCE].
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

_DEFAULT_PORTS = {"https": 443, "http": 80}


@dataclass(frozen=True)
class GroupUrl:
    scheme: str
    host: str
    port: int
    path: str

    def __str__(self) -> str:
        default = _DEFAULT_PORTS.get(self.scheme)
        port = "" if self.port == default else f":{self.port}"
        return f"{self.scheme}://{self.host}{port}{self.path or '/'}"


def parse_group_url(text: str) -> GroupUrl | None:
    """The normalised URL, or None when ``text`` is not an absolute http(s) URL."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    return GroupUrl(
        scheme, parts.hostname.lower(), port or _DEFAULT_PORTS[scheme], parts.path.rstrip("/")
    )


def request_url(host_header: str, path: str) -> str:
    """The URL a request reached, from its ``Host:`` header and path (the listener is HTTPS)."""
    return f"https://{host_header}{path}"
