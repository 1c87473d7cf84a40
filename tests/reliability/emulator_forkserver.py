"""Start ``asa-harness emulator`` processes in milliseconds: a fork server for the SIGKILL loop.

Interpreter start and imports take most of a second; a hundred restarts would take minutes.
This process imports ``harness.cli`` once, stays single-threaded, and for each request forks
a child that runs exactly what the ``asa-harness`` console script runs,
``harness.cli.main(["emulator", ...])``, in a fresh process of its own.

Protocol, one JSON object per line on stdin / stdout:

    {"spawn": [ARGS...], "stderr": PATH}  ->  {"pid": N, "ready": {...}} | {"pid": N, "exit": CODE}
    {"kill": N}                           ->  {"killed": N, "status": WAITSTATUS}

A child's stdout goes to the server (its ready line is passed on); its stderr to PATH.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

from harness.cli import main as harness_main


def _child(arguments: list[str], stderr_path: str, write_end: int) -> None:
    try:
        os.dup2(write_end, 1)
        err = os.open(stderr_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(err, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        sys.stdout = os.fdopen(1, "w", buffering=1)
        sys.stderr = os.fdopen(2, "w", buffering=1)
        code = harness_main(["emulator", *arguments])
    except BaseException:  # the child must never return into the server's loop
        code = 70
    os._exit(code)


def _spawn(request: dict[str, Any]) -> dict[str, Any]:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(list(request["spawn"]), str(request["stderr"]), write_end)
    os.close(write_end)
    with os.fdopen(read_end) as child_stdout:
        line = child_stdout.readline()
    if not line:
        _, status = os.waitpid(pid, 0)
        return {"pid": pid, "exit": os.waitstatus_to_exitcode(status)}
    return {"pid": pid, "ready": json.loads(line)}


def _kill(pid: int) -> dict[str, Any]:
    os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    return {"killed": pid, "status": status}


def main() -> int:
    print(json.dumps({"forkserver": os.getpid()}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        answer = _spawn(request) if "spawn" in request else _kill(int(request["kill"]))
        print(json.dumps(answer), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
