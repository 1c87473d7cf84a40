"""A one-line progress spinner on stderr (rich) for slow target work: image builds, boots.

On a terminal it shows ``⠋ target asav: waiting for the CLI prompt (42 s of 900 s)``. Under
pytest (``asa-harness run``) stderr is captured, so the spinner goes to the controlling
terminal (``/dev/tty``) when there is one, except in xdist workers (several would draw over
each other). Without a terminal (CI logs) rich draws nothing and nothing is lost.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.status import Status


class Progress:
    def __init__(
        self, subject: str, *, limit_s: float | None = None, console: Console | None = None
    ) -> None:
        self.subject = subject
        self.limit_s = limit_s
        self.started = time.monotonic()
        self._tty: TextIO | None = None
        if console is None:
            self._tty = _terminal()
            console = Console(file=self._tty) if self._tty is not None else Console(stderr=True)
        self._console = console
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
        if self._tty is not None:
            self._tty.close()
            self._tty = None


def _terminal() -> TextIO | None:
    """The controlling terminal when stderr is not one (captured), else None (use stderr)."""
    if sys.stderr.isatty() or os.environ.get("PYTEST_XDIST_WORKER"):
        return None
    try:
        return Path("/dev/tty").open("w", encoding="utf-8")  # closed in __exit__
    except OSError:  # no controlling terminal
        return None
