"""Name resolution and TCP connection, both bounded by a deadline.

``getaddrinfo`` cannot be interrupted, so a name that needs DNS is resolved in a daemon
thread that the probe stops waiting for when the deadline passes.
"""

from __future__ import annotations

import errno
import ipaddress
import math
import os
import select
import socket
import threading
from typing import Literal

from probes.deadline import Deadline

NetworkErrorKind = Literal["refused", "timeout", "reset", "dns"]

Address = tuple[int, tuple[str, int] | tuple[str, int, int, int]]


class NetworkError(Exception):
    def __init__(self, kind: NetworkErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind: NetworkErrorKind = kind
        self.message = message


def format_peer(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def is_ip_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def _getaddrinfo(host: str, port: int, flags: int = 0) -> list[Address]:
    results = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=flags)
    return [(family, sockaddr) for family, _, _, _, sockaddr in results]  # type: ignore[misc]


def resolve(host: str, port: int, deadline: Deadline) -> list[Address]:
    bare = host.strip("[]")
    if is_ip_address(bare):
        return _getaddrinfo(bare, port, socket.AI_NUMERICHOST)
    outcome: list[list[Address] | BaseException] = []
    done = threading.Event()

    def lookup() -> None:
        try:
            outcome.append(_getaddrinfo(bare, port))
        except BaseException as error:  # handed to the waiting thread
            outcome.append(error)
        done.set()

    threading.Thread(target=lookup, name=f"resolve-{bare}", daemon=True).start()
    if not done.wait(deadline.remaining()):
        raise NetworkError("timeout", f"resolving {bare} took longer than the timeout")
    result = outcome[0]
    if isinstance(result, BaseException):
        raise NetworkError("dns", f"cannot resolve {bare}: {_reason(result)}")
    if not result:
        raise NetworkError("dns", f"cannot resolve {bare}: no address")
    return result


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__


#: The events :meth:`SocketWaiter.wait` waits for.
READABLE = select.POLLIN
WRITABLE = select.POLLOUT


class SocketWaiter:
    """Waits, up to a deadline, until one socket is readable or writable.

    One per connection: a ``poll`` object, so there is no selector file descriptor to open
    and close, and each wait is a single system call. An error or hang-up on the socket
    also ends the wait (the caller's next operation then reports it).
    """

    def __init__(self, sock: socket.socket) -> None:
        self._poll = select.poll()
        self._fd = sock.fileno()
        self._events = 0

    def wait(self, events: int, deadline: Deadline) -> bool:
        """True when the socket is ready for ``events`` (READABLE or WRITABLE) in time."""
        if events != self._events:
            self._poll.register(self._fd, events)  # replaces the previous registration
            self._events = events
        return bool(self._poll.poll(math.ceil(deadline.remaining() * 1000)))


def _connect_one(family: int, sockaddr: tuple[object, ...], deadline: Deadline) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setblocking(False)
    try:
        code = sock.connect_ex(sockaddr)
        if code not in (0, errno.EINPROGRESS, errno.EWOULDBLOCK, errno.EAGAIN):
            raise OSError(code, errno.errorcode.get(code, str(code)))
        if code != 0:
            if not SocketWaiter(sock).wait(WRITABLE, deadline):
                raise TimeoutError
            code = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if code != 0:
                raise OSError(code, os.strerror(code))
    except BaseException:
        sock.close()
        raise
    return sock


def connect(host: str, port: int, deadline: Deadline) -> socket.socket:
    """A connected non-blocking TCP socket, or :class:`NetworkError`."""
    addresses = resolve(host, port, deadline)
    failures: list[NetworkError] = []
    for family, sockaddr in addresses:
        target = format_peer(str(sockaddr[0]), port)
        try:
            return _connect_one(family, sockaddr, deadline)
        except TimeoutError:
            failures.append(NetworkError("timeout", f"no answer from {target} within the timeout"))
            break
        except OSError as error:
            kind: NetworkErrorKind = "reset" if error.errno == errno.ECONNRESET else "refused"
            failures.append(NetworkError(kind, f"cannot connect to {target}: {_reason(error)}"))
        if deadline.expired:
            break
    if not failures:
        raise NetworkError("timeout", f"no time left to connect to {format_peer(host, port)}")
    raise failures[-1] if failures[-1].kind == "timeout" else failures[0]
