"""An interrupted run leaves no container, no emulator process and no temporary state behind:
Ctrl-C or SIGTERM while a target boots or runs, SIGKILL of the owner, and the reaper for
containers whose owner is gone."""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from lab.targets.cleanup import HOST_LABEL, LABEL, OWNER_LABEL, TARGET_LABEL, reap_orphans
from lab.targets.images import BASE_IMAGE
from tests.lab.targets.targets_support import (
    HARNESS,
    docker_inventory,
    free_port,
    process_alive,
    unique_name,
    wait_for_container_event,
    wait_until_removed,
)

pytestmark = pytest.mark.slow

HOLDER = """\
import json, sys
from pathlib import Path
from lab.targets import make_target
target = make_target(sys.argv[1], Path(sys.argv[2]))
target.start()
print(json.dumps({"container": target.container_id}), flush=True)
sys.stdin.read()  # hold the target until the test acts
target.stop()
"""


def child_environment(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """The environment for a child run, with its own empty temporary folder to inspect."""
    temporary = tmp_path / "child-tmp"
    temporary.mkdir()
    return {**os.environ, "TMPDIR": str(temporary)}, temporary


def read_json_line(process: subprocess.Popen[str], timeout_s: float) -> dict[str, Any]:
    assert process.stdout is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if selector.select(timeout_s):
            line = process.stdout.readline()
            if line.startswith("{"):
                return dict(json.loads(line))
    process.kill()
    _, errors = process.communicate()
    raise AssertionError(f"the child did not report its container: {errors[-3000:]}")


@pytest.mark.parametrize(
    "signum", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name
)
def test_a_ready_container_goes_when_its_owner_is_interrupted_or_killed(
    signum: signal.Signals, docker_engine: Any, virtual_asa_image: str, tmp_path: Path
) -> None:
    name = unique_name(f"held-{signum.name.lower()}")
    inventory = docker_inventory(tmp_path, name, boot_timeout=60)
    environment, temporary = child_environment(tmp_path)
    since = int(time.time()) - 1
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, name, str(inventory)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        container_id = str(read_json_line(child, 300)["container"])
        emulator_pid = int(docker_engine.api.inspect_container(container_id)["State"]["Pid"])
        assert process_alive(emulator_pid)
        child.send_signal(signum)
        child.communicate(timeout=60)
        assert child.returncode != 0
    finally:
        if child.poll() is None:
            child.kill()
            child.communicate()
    # SIGINT/SIGTERM: the handlers remove it; SIGKILL: stdin closes, the emulator stops and
    # the daemon auto-removes the container.
    wait_until_removed(docker_engine, container_id, since)
    assert not process_alive(emulator_pid)
    assert list(temporary.iterdir()) == []


def test_ctrl_c_while_a_target_boots_stops_the_run_and_removes_the_container(
    docker_engine: Any, virtual_asa_image: str, tmp_path: Path
) -> None:
    port = free_port()
    name = unique_name("slow-asav")
    inventory = docker_inventory(
        tmp_path,
        name,
        variant="asav",
        image=BASE_IMAGE,
        command=["python3", "-u", "-c", "print('booting slowly'); import time; time.sleep(600)"],
        ssh_port=port,
        interfaces={"outside": port},
        boot_timeout=600,
        username_env="SLOW_USER",
        password_env="SLOW_PASSWORD",
    )
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    (scenarios / "clock.yaml").write_text("name: clock\nsteps:\n  - exec: show clock\n")
    environment, temporary = child_environment(tmp_path)
    environment.update({"SLOW_USER": "admin", "SLOW_PASSWORD": "not-used"})
    since = int(time.time()) - 1
    run = subprocess.Popen(
        [*HARNESS, "run", str(scenarios), "--target", name, "--inventory", str(inventory)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        started = wait_for_container_event(
            docker_engine, "start", since, 300, **{TARGET_LABEL: name}
        )
        assert started is not None, "the run never started its container"
        container_id = str(started["id"])
        command_pid = int(docker_engine.api.inspect_container(container_id)["State"]["Pid"])
        interrupted = time.monotonic()
        run.send_signal(signal.SIGINT)
        output, errors = run.communicate(timeout=120)
        assert time.monotonic() - interrupted < 60, "the run did not stop promptly on Ctrl-C"
        assert run.returncode != 0, output + errors
    finally:
        if run.poll() is None:
            run.kill()
            run.communicate()
    wait_until_removed(docker_engine, container_id, since)
    assert not process_alive(command_pid)
    assert list(temporary.iterdir()) == []


def test_the_reaper_removes_containers_whose_owner_is_gone(
    docker_engine: Any, virtual_asa_image: str
) -> None:
    dead_owner = "4194305:0"  # above the kernel's largest pid: no such process can exist
    since = int(time.time()) - 1
    created = docker_engine.api.create_container(
        BASE_IMAGE,
        command=["python3", "-c", "import time; time.sleep(600)"],
        labels={
            LABEL: "1",
            OWNER_LABEL: dead_owner,
            HOST_LABEL: socket.gethostname(),
            TARGET_LABEL: "orphan",
        },
        host_config=docker_engine.api.create_host_config(network_mode="host"),
    )
    container_id = str(created["Id"])
    try:
        docker_engine.api.start(container_id)
        reap_orphans(docker_engine)
        wait_until_removed(docker_engine, container_id, since, timeout_s=30)
    finally:
        if docker_engine.api.containers(all=True, filters={"id": container_id}):
            docker_engine.api.remove_container(container_id, force=True)
