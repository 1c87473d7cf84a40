"""No container outlives the run that started it.

* Every container carries ``asa-cert-harness=1``, the owner process (``PID:START-TIME``),
  the host name and the target name as labels.
* The targets remove their containers in ``stop()``; on top of that this module removes the
  containers of this process at exit and on SIGINT/SIGTERM (handlers installed when the first
  container starts, chaining to the previous handlers), and
* :func:`reap_orphans` removes containers whose owner process is gone (a run killed with
  SIGKILL), every time a docker target starts.
* The virtual-ASA image additionally stops by itself when the owner's attach connection
  closes (see ``lab.targets.container_entry``), so even SIGKILL leaves nothing running.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import signal
import socket
import threading
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

LABEL = "asa-cert-harness"
OWNER_LABEL = "asa-cert-harness.owner"
HOST_LABEL = "asa-cert-harness.host"
TARGET_LABEL = "asa-cert-harness.target"

_lock = threading.RLock()  # re-entrant: a signal may arrive while the main thread holds it
_tracked: set[str] = set()
_installed = False


def _start_time(pid: int) -> str:
    """The process's start time in clock ticks since boot (Linux), '' where unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return ""
    fields = stat[stat.rfind(")") + 2 :].split()
    return fields[19] if len(fields) > 19 else ""


def owner_id(pid: int | None = None) -> str:
    pid = os.getpid() if pid is None else pid
    return f"{pid}:{_start_time(pid)}"


def owner_alive(owner: str) -> bool:
    pid_text, _, started = owner.partition(":")
    if not pid_text.isdigit():
        return False
    pid = int(pid_text)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return not started or _start_time(pid) in ("", started)


def container_labels(target_name: str) -> dict[str, str]:
    return {
        LABEL: "1",
        OWNER_LABEL: owner_id(),
        HOST_LABEL: socket.gethostname(),
        TARGET_LABEL: target_name,
    }


def remove_container(client: Any, container_id: str, timeout_s: float = 60.0) -> None:
    """Kill and remove; returns once the container is gone (also if it already was)."""
    from docker.errors import APIError, NotFound

    try:
        client.api.remove_container(container_id, force=True)
    except NotFound:
        return
    except APIError as error:
        if error.status_code != 409:  # 409: the daemon's auto-remove is already at it
            raise
        with contextlib.suppress(NotFound):
            client.api.wait(container_id, timeout=timeout_s, condition="removed")


def discard_container(client: Any, container_id: str) -> None:
    """Kill an auto-removed container and let the daemon remove it in the background.

    With the vfs storage driver a removal takes seconds; nothing waits for it, and the
    container is gone even if this process exits right after.
    """
    from docker.errors import APIError, NotFound

    try:
        client.api.kill(container_id)
    except NotFound:
        return
    except APIError as error:
        if error.status_code != 409:
            raise
        # 409: not running: never started (auto-remove will not act) or already exiting
        remove_container(client, container_id)


def track(container_id: str) -> None:
    with _lock:
        _tracked.add(container_id)
    _install_handlers()


def untrack(container_id: str) -> None:
    with _lock:
        _tracked.discard(container_id)


def remove_own_containers() -> None:
    """Remove every container this process started (tracked, or labelled with this owner)."""
    with _lock:
        ids = set(_tracked)
    from lab.targets.engine import docker_client

    try:
        client = docker_client()
    except Exception:  # no daemon, nothing we could remove
        return
    try:
        labelled = client.api.containers(all=True, filters={"label": f"{OWNER_LABEL}={owner_id()}"})
        ids.update(str(entry["Id"]) for entry in labelled)
        for container_id in ids:
            with contextlib.suppress(Exception):
                remove_container(client, container_id)
            untrack(container_id)
    except Exception:  # the daemon went away during cleanup: nothing more can be done
        pass
    finally:
        client.close()


def reap_orphans(client: Any) -> list[str]:
    """Remove this host's harness containers whose owner process no longer exists."""
    filters = {"label": [f"{LABEL}=1", f"{HOST_LABEL}={socket.gethostname()}"]}
    removed: list[str] = []
    for entry in client.api.containers(all=True, filters=filters):
        owner = str(entry.get("Labels", {}).get(OWNER_LABEL, ""))
        if not owner_alive(owner):
            remove_container(client, str(entry["Id"]))
            removed.append(str(entry["Id"]))
    return removed


def _on_signal(
    previous: Callable[[int, FrameType | None], Any] | int | None,
    signum: int,
    frame: FrameType | None,
) -> None:
    remove_own_containers()
    if callable(previous):
        previous(signum, frame)
    elif previous == signal.SIG_IGN:
        return
    else:  # the default action (terminate): restore it and deliver the signal again
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def _install_handlers() -> None:
    global _installed
    with _lock:
        if _installed:
            return
        _installed = True
    atexit.register(remove_own_containers)
    if threading.current_thread() is not threading.main_thread():
        return  # signal handlers can only be set from the main thread; atexit still applies
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous = signal.getsignal(signum)

        def handler(number: int, frame: FrameType | None, previous: Any = previous) -> None:
            _on_signal(previous, number, frame)

        signal.signal(signum, handler)
