"""HTTPS requests to an AnyConnect gateway: one TLS connection at a time, kept alive while
the server allows it, reopened when it closes; cookies carried like a browser session.

Cookie values (the ``webvpn`` session cookie among them) live only in this object, for
the duration of one probe; they are never part of a result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.utils import parsedate_to_datetime

from probes.deadline import Deadline
from probes.http11 import HttpProtocolError, HttpResponse, exchange, format_request
from probes.identity import ClientIdentity
from probes.network import format_peer, is_ip_address
from probes.tls import POST_HANDSHAKE_WAIT
from probes.tls_channel import ChannelError, TlsChannel, establish
from probes.tls_result import HandshakeResult

SESSION_COOKIE = "webvpn"


class GatewayError(Exception):
    """A request could not be completed; ``handshake`` is set when TLS itself failed."""

    def __init__(self, message: str, handshake: HandshakeResult | None = None) -> None:
        super().__init__(message)
        self.handshake = handshake


def _expired(attributes: str) -> bool:
    for attribute in attributes.split(";"):
        key, _, value = attribute.strip().partition("=")
        key = key.lower()
        if key == "max-age" and value.strip().lstrip("-").isdigit():
            return int(value) <= 0
        if key == "expires":
            try:
                when = parsedate_to_datetime(value.strip())
            except (TypeError, ValueError):
                continue
            aware = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
            return aware <= dt.datetime.now(dt.UTC)
    return False


def _cookie_update(jar: dict[str, str], header: str) -> None:
    pair, _, attributes = header.partition(";")
    name, sep, value = pair.strip().partition("=")
    if not sep or not name:
        return
    if not value or _expired(attributes):
        jar.pop(name.strip(), None)
    else:
        jar[name.strip()] = value.strip()


class Gateway:
    def __init__(
        self,
        host: str,
        port: int,
        *,
        sni: str | None,
        client_identity: ClientIdentity | None,
        user_agent: str,
        tls_versions: Sequence[str],
    ) -> None:
        self.host = host
        self.port = port
        self.sni = sni
        self.client_identity = client_identity
        self.user_agent = user_agent
        self.tls_versions = tuple(tls_versions)
        self.handshake: HandshakeResult | None = None
        self._channel: TlsChannel | None = None
        self._cookies: dict[str, str] = {}

    @property
    def authority(self) -> str:
        """``host[:port]`` as the client names the gateway (Host header, group-access URL)."""
        name = self.sni or self.host
        if is_ip_address(name) and ":" in name:
            name = f"[{name.strip('[]')}]"
        return name if self.port == 443 else f"{name}:{self.port}"

    @property
    def session_cookie(self) -> str | None:
        return self._cookies.get(SESSION_COOKIE)

    def connect(self, deadline: Deadline) -> HandshakeResult:
        """Open a new TLS connection (closing the current one); return its handshake."""
        self.close()
        self.handshake, self._channel = establish(
            self.host,
            self.port,
            sni=self.sni,
            client_identity=self.client_identity,
            deadline=deadline,
            tls_versions=self.tls_versions,
            post_handshake_wait=POST_HANDSHAKE_WAIT,
        )
        return self.handshake

    def _headers(
        self, body: bytes | None, extra: Sequence[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        headers = [
            ("Host", self.authority),
            ("User-Agent", self.user_agent),
            ("Accept", "*/*"),
            ("Accept-Encoding", "identity"),
            ("X-Transcend-Version", "1"),
            ("X-Aggregate-Auth", "1"),
            ("X-Support-HTTP-Auth", "true"),
        ]
        if body is not None:
            headers.append(("Content-Type", "application/x-www-form-urlencoded"))
        if self._cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self._cookies.items())))
        return [*headers, *extra]

    def request(
        self,
        method: str,
        path: str,
        deadline: Deadline,
        body: bytes | None = None,
        extra_headers: Sequence[tuple[str, str]] = (),
    ) -> HttpResponse:
        reused = self._channel is not None
        for attempt in range(2):
            if self._channel is None:
                handshake = self.connect(deadline)
                if self._channel is None:
                    message = handshake.failure.message if handshake.failure else "TLS failed"
                    raise GatewayError(message, handshake)
            assert self._channel is not None
            request = format_request(method, path, self._headers(body, extra_headers), body)
            try:
                response = exchange(self._channel, request, deadline)
            except (ChannelError, HttpProtocolError) as error:
                self.close()
                # A kept-alive connection the server dropped meanwhile: retry once, fresh.
                if reused and attempt == 0 and "without answering" in str(error):
                    continue
                raise GatewayError(str(error)) from None
            for header in response.all_headers("Set-Cookie"):
                _cookie_update(self._cookies, header)
            if response.closes:
                self.close()
            return response
        raise GatewayError("the server closed the connection without answering")

    def close(self) -> None:
        if self._channel is not None:
            self._channel.close()
            self._channel = None

    @property
    def peer(self) -> str:
        return format_peer(self.host, self.port)
