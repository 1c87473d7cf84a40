"""TCP details of the virtual ASA's SSH listener.

SSH clients such as scrapli's libssh2 send small packets without TCP_NODELAY, so Nagle holds
each second back-to-back packet (key exchange, password, enable password) until the first is
acknowledged, and Linux delays that ACK by 40 ms. A device answers at once, so the listener
acknowledges every segment immediately (TCP_QUICKACK, which Linux resets after each ACK and
so is set again on every read). Measured with bench/whatif_ssh.py: login 152 ms -> 17 ms.

asyncssh accepts any object with ``create_server(factory, host, port)`` as its ``tunnel``
option; this one is a plain local listener whose connections set TCP_QUICKACK.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Callable
from typing import Any

_QUICKACK = getattr(socket, "TCP_QUICKACK", None)  # Linux only; elsewhere nothing to do


class _QuickAckProtocol(asyncio.Protocol):
    def __init__(self, inner: Any) -> None:
        self._inner = inner
        self._socket: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        sock = transport.get_extra_info("socket")  # an asyncio.TransportSocket
        if sock is not None and _QUICKACK is not None:
            self._socket = sock
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._acknowledge()
        self._inner.connection_made(transport)

    def _acknowledge(self) -> None:
        if self._socket is not None and _QUICKACK is not None:
            with contextlib.suppress(OSError):
                self._socket.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)

    def data_received(self, data: bytes) -> None:
        self._acknowledge()
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        result: bool | None = self._inner.eof_received()
        return result

    def connection_lost(self, exc: Exception | None) -> None:
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()


class QuickAckListener:
    """Passed as asyncssh's ``tunnel``: listens on (host, port) itself."""

    async def create_server(
        self, session_factory: Callable[[str, int], Any], host: str, port: int
    ) -> asyncio.Server:
        loop = asyncio.get_running_loop()
        return await loop.create_server(
            lambda: _QuickAckProtocol(session_factory(host, port)), host, port
        )
