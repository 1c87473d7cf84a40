"""A one-line progress spinner on stderr (rich) for slow target work: image builds, boots.

On a terminal it shows ``⠋ target asav: waiting for the CLI prompt (42 s of 900 s)``; when
stderr is not a terminal (CI logs, captured output) rich draws nothing and nothing is lost.
"""

from __future__ import annotations

import time
from types import TracebackType

from rich.console import Console
from rich.status import Status


class Progress:
    def __init__(
        self, subject: str, *, limit_s: float | None = None, console: Console | None = None
    ) -> None:
        self.subject = subject
        self.limit_s = limit_s
        self.started = time.monotonic()
        self._console = console or Console(stderr=True)
        self._status: Status | None = None
        self._phase = "starting"

    @property
    def elapsed_s(self) -> float:
        return time.monotonic() - self.started

    @property
    def phase(self) -> str:
        return self._phase

    def _text(self) -> str:
        limit = f" of {self.limit_s:.0f} s" if self.limit_s is not None else ""
        return f"{self.subject}: {self._phase} ({self.elapsed_s:.0f} s{limit})"

    def update(self, phase: str | None = None) -> None:
        if phase is not None:
            self._phase = phase
        if self._status is not None:
            self._status.update(self._text())

    def __enter__(self) -> Progress:
        self._status = self._console.status(self._text())
        self._status.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._status is not None:
            self._status.stop()
            self._status = None
