"""What-if for the SSH side of the shipped suite (not part of ``make bench``; ~2 minutes):
the serial suite as it is, then with two changes to the virtual ASA's SSH server applied as
patches in the run's process only, interleaved over ROUNDS rounds:

* ``quickack``: TCP_QUICKACK on the server's SSH sockets after every read. scrapli's
  libssh2 client writes small packets without TCP_NODELAY, so Nagle waits for the
  server's delayed ACK (40 ms on Linux) at each point where the client sends twice in a
  row (key exchange, password, enable password).
* ``+printable``: also cache asyncssh's line-editor regex of printable characters, which
  SSHLineEditor rebuilds by testing 65 000 code points once per session and again for
  each registered key (the emulator registers ``?``).

    .venv/bin/python bench/whatif_ssh.py
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import PYTHON, ROOT, figure, heading

ROUNDS = 2
VARIANTS = ("as is", "quickack", "quickack+printable")


def patch_quickack() -> None:
    import asyncssh.connection as connection

    made: Callable[..., None] = connection.SSHConnection.connection_made
    received: Callable[..., None] = connection.SSHConnection.data_received

    def connection_made(self: Any, transport: Any) -> None:
        made(self, transport)
        self._bench_socket = transport.get_extra_info("socket")

    def data_received(self: Any, data: bytes, datatype: Any = None) -> None:
        sock = getattr(self, "_bench_socket", None)
        if sock is not None:
            with contextlib.suppress(OSError):  # not Linux: nothing to do
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        received(self, data, datatype)

    setattr(connection.SSHConnection, "connection_made", connection_made)  # noqa: B010
    setattr(connection.SSHConnection, "data_received", data_received)  # noqa: B010


def patch_printable() -> None:
    import asyncssh.editor as editor

    build: Callable[[Any], None] = editor.SSHLineEditor._build_printable
    cache: dict[frozenset[str], re.Pattern[str]] = {}

    def cached(self: Any) -> None:
        key = frozenset(self._keymap)
        if key not in cache:
            build(self)
            cache[key] = self._printable
        self._printable = cache[key]

    setattr(editor.SSHLineEditor, "_build_printable", cached)  # noqa: B010


def child(variant: str, argv: list[str]) -> int:
    if "quickack" in variant:
        patch_quickack()
    if "printable" in variant:
        patch_printable()
    import suite_timing

    return suite_timing.main(argv)


def run(variant: str, folder: Path) -> tuple[float, dict[str, Any]]:
    timing = folder / "timing.json"
    started = time.perf_counter()
    subprocess.run(
        [
            str(PYTHON),
            __file__,
            "--child",
            variant,
            str(timing),
            "run",
            "scenarios",
            "--html",
            str(folder / "report.html"),
            "--junitxml",
            str(folder / "junit.xml"),
            "--results",
            str(folder / "results.json"),
            "-q",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    summary = json.loads((folder / "results.json").read_text())["summary"]
    if summary["passed"] != summary["total"]:
        raise RuntimeError(f"{variant}: the suite did not pass: {summary}")
    document: dict[str, Any] = json.loads(timing.read_text())
    return wall, document


def main() -> None:
    heading(f"serial shipped suite, SSH server what-ifs, {ROUNDS} interleaved rounds")
    walls: dict[str, list[float]] = {v: [] for v in VARIANTS}
    last: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="bench-whatif-") as scratch:
        for number in range(ROUNDS):
            for variant in VARIANTS:
                folder = Path(scratch) / f"{number}-{variant}"
                folder.mkdir()
                wall, last[variant] = run(variant, folder)
                walls[variant].append(wall)
                figure(f"round {number + 1}: {variant}", f"{wall:.2f} s")
    for variant in VARIANTS:
        totals, counts = last[variant]["totals"], last[variant]["counts"]
        login = totals["SSH login (scrapli open)"] / counts["SSH login (scrapli open)"]
        commands = totals["SSH commands (scrapli)"] / counts["SSH commands (scrapli)"]
        figure(
            f"{variant}: median wall",
            f"{statistics.median(walls[variant]):.2f} s (login {login * 1000:.0f} ms, "
            f"command {commands * 1000:.1f} ms each)",
        )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        raise SystemExit(child(sys.argv[2], sys.argv[3:]))
    main()
