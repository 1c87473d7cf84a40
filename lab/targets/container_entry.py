"""The virtual-ASA image's entry point: ``python -m lab.targets.container_entry``.

It runs ``asa-harness emulator`` in this process with settings from the environment, so the
per-container credentials never appear on a command line (``ps`` shows none):

==============================  ==================================================
``ASA_HARNESS_USERNAME``        SSH login name (default ``admin``)
``ASA_HARNESS_PASSWORD``        SSH password (required)
``ASA_HARNESS_ENABLE_PASSWORD`` enable password (default: the SSH password)
``ASA_HARNESS_SSH``             ``HOST:PORT`` for SSH (default ``127.0.0.1:0``)
``ASA_HARNESS_LISTEN``          ``nameif=HOST:PORT,...`` HTTPS listeners
``ASA_HARNESS_PROFILE``         ``9.23`` or ``legacy``
``ASA_HARNESS_WATCH_STDIN``     ``1``: stop when stdin closes (the owner went away)
==============================  ==================================================

With ``--drop-root`` (the image's entry point) a process started as root first becomes
65534:65534 (nobody); the image has no USER instruction.

Port 0 means "any free port"; the emulator's ready line on stdout tells which were chosen.
With ``ASA_HARNESS_WATCH_STDIN=1`` the container is started with an open stdin that only its
owner holds (``stdin_once``): when the owner process ends, even by SIGKILL, stdin reaches
end-of-file and the emulator shuts down, so the (auto-removed) container goes too.
"""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from collections.abc import Mapping, Sequence
from types import FrameType

UNPRIVILEGED = 65534  # nobody:nogroup


def emulator_arguments(environ: Mapping[str, str], state_dir: str) -> list[str]:
    password = environ.get("ASA_HARNESS_PASSWORD", "")
    if not password:
        raise ValueError("ASA_HARNESS_PASSWORD is not set")
    host, _, port = environ.get("ASA_HARNESS_SSH", "127.0.0.1:0").rpartition(":")
    arguments = [
        "emulator",
        "--host",
        host or "127.0.0.1",
        "--ssh-port",
        port or "0",
        "--state-dir",
        state_dir,
        # NAME=VALUE form: a generated secret may start with "-"
        f"--username={environ.get('ASA_HARNESS_USERNAME', 'admin')}",
        f"--password={password}",
        f"--enable-password={environ.get('ASA_HARNESS_ENABLE_PASSWORD') or password}",
        "--profile",
        environ.get("ASA_HARNESS_PROFILE", "9.23"),
    ]
    for listen in filter(None, environ.get("ASA_HARNESS_LISTEN", "outside=127.0.0.1:0").split(",")):
        arguments += ["--listen", listen.strip()]
    return arguments


def _stop_when_stdin_closes() -> None:
    """Read stdin until end-of-file, then ask this process to stop (SIGTERM)."""
    try:  # the file descriptor, not sys.stdin: a daemon thread must hold no interpreter lock
        while os.read(0, 4096):
            pass
    except OSError:
        pass
    os.kill(os.getpid(), signal.SIGTERM)


def _exit_on_signal(signum: int, _frame: FrameType | None) -> None:
    # Before the emulator installs its own handlers (and after it removes them) a stop
    # request must still end the process: as PID 1 the default action would be ignored.
    raise SystemExit(128 + signum)


def _drop_root() -> None:
    """Run unprivileged: host networking shares the host's ports, and none below 1024 is needed."""
    if os.getuid() == 0:
        os.setgroups([])
        os.setgid(UNPRIVILEGED)
        os.setuid(UNPRIVILEGED)


def main(argv: Sequence[str] | None = None) -> int:
    options = sys.argv[1:] if argv is None else list(argv)
    if options not in ([], ["--drop-root"]):
        print(f"container entry: unknown arguments {options} (only --drop-root)", file=sys.stderr)
        return 2
    if options:
        _drop_root()
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    state_dir = tempfile.mkdtemp(prefix="asa-state-")
    try:
        arguments = emulator_arguments(os.environ, state_dir)
    except ValueError as error:
        print(f"container entry: {error}", file=sys.stderr, flush=True)
        return 2
    if os.environ.get("ASA_HARNESS_WATCH_STDIN") == "1":
        threading.Thread(target=_stop_when_stdin_closes, name="stdin-watch", daemon=True).start()
    from harness.cli import main as harness_main

    return harness_main(arguments)


if __name__ == "__main__":
    raise SystemExit(main())
