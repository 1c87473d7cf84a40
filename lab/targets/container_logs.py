"""Follow a container's output in a background thread: wait for a line, keep the tail.

The stream is attached before the container starts, so no line is missed, and the lines
survive the container (which is auto-removed): a readiness error can always quote them.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

T = TypeVar("T")

MAX_LINES = 5000


class LogFollower:
    def __init__(self, stream: Iterable[bytes], *, closer: Callable[[], Any] | None = None) -> None:
        self._stream = stream
        self._closer = closer
        self._lines: list[str] = []
        self._dropped = 0  # lines removed from the front to stay under MAX_LINES
        self._partial = ""
        self._condition = threading.Condition()
        self.ended = threading.Event()
        self._thread = threading.Thread(target=self._run, name="container-logs", daemon=True)

    def start(self) -> LogFollower:
        self._thread.start()
        return self

    def _add(self, text: str) -> None:
        with self._condition:
            parts = (self._partial + text).replace("\r\n", "\n").split("\n")
            self._partial = parts.pop()
            self._lines.extend(parts)
            excess = len(self._lines) - MAX_LINES
            if excess > 0:
                del self._lines[:excess]
                self._dropped += excess
            self._condition.notify_all()

    def _run(self) -> None:
        try:
            for chunk in self._stream:
                self._add(chunk.decode("utf-8", "replace"))
        except Exception:  # the connection closed under us (stop()): the stream simply ends
            pass
        finally:
            with self._condition:
                if self._partial:
                    self._lines.append(self._partial)
                    self._partial = ""
                self.ended.set()
                self._condition.notify_all()

    def wait_for(self, parse: Callable[[str], T | None], timeout_s: float) -> T | None:
        """The first line ``parse`` accepts; None when the stream ends or the time is up."""
        deadline = time.monotonic() + timeout_s
        seen = 0  # absolute line number: lines dropped from the front are not seen twice
        with self._condition:
            while True:
                for line in self._lines[max(seen - self._dropped, 0) :]:
                    found = parse(line)
                    if found is not None:
                        return found
                seen = self._dropped + len(self._lines)
                remaining = deadline - time.monotonic()
                if self.ended.is_set() or remaining <= 0:
                    return None
                self._condition.wait(remaining)

    def tail(self, count: int = 20) -> list[str]:
        with self._condition:
            lines = [*self._lines, self._partial] if self._partial else list(self._lines)
        return [line for line in lines if line.strip()][-count:]

    def close(self) -> None:
        if self._closer is not None:
            with contextlib.suppress(Exception):  # already closed by the daemon
                self._closer()
        self._thread.join(timeout=5)
