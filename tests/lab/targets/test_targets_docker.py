"""The container target on the docker engine: our virtual-ASA image (built and cached by the
builder), the shipped suite in containers, and readiness failures with the container's logs."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Any

import pytest

from lab.targets import TargetStartError, make_target
from lab.targets.cleanup import LABEL, OWNER_LABEL, TARGET_LABEL, owner_id
from lab.targets.docker import DockerTarget
from lab.targets.images import (
    BASE_IMAGE,
    HASH_LABEL,
    IMAGE_REPOSITORY,
    ensure_virtual_asa_image,
)
from lab.targets.progress import Progress
from lab.targets.readiness import cli_prompt
from tests.lab.targets.targets_support import (
    docker_inventory,
    free_port,
    process_alive,
    run_suite,
    shipped_scenarios,
    unique_name,
    wait_for_container_event,
    wait_until_removed,
)

pytestmark = pytest.mark.slow


def test_the_image_is_labelled_with_its_source_hash(
    docker_engine: Any, virtual_asa_image: str
) -> None:
    image = docker_engine.images.get(virtual_asa_image)
    digest = image.labels[HASH_LABEL]
    assert virtual_asa_image == f"{IMAGE_REPOSITORY}:{digest[:16]}"
    assert f"{IMAGE_REPOSITORY}:latest" in image.tags


def test_an_up_to_date_image_is_reused_not_rebuilt(
    docker_engine: Any, virtual_asa_image: str
) -> None:
    with Progress("image check") as progress:
        report = ensure_virtual_asa_image(docker_engine, progress)
    assert (report.image, report.built) == (virtual_asa_image, False)
    assert report.seconds < 60


def test_a_container_target_is_ready_labelled_unprivileged_and_leaves_nothing(
    docker_engine: Any, virtual_asa_image: str, tmp_path: Path
) -> None:
    since = int(time.time()) - 1
    name = unique_name("box")
    target = make_target(name, docker_inventory(tmp_path, name, boot_timeout=60))
    assert isinstance(target, DockerTarget)
    access = target.start()
    container_id = target.container_id
    assert container_id is not None
    try:
        details = docker_engine.api.inspect_container(container_id)
        labels = details["Config"]["Labels"]
        assert labels[LABEL] == "1" and labels[TARGET_LABEL] == name
        assert labels[OWNER_LABEL] == owner_id()
        assert details["HostConfig"]["NetworkMode"] == "host"
        assert details["Config"]["Image"] == virtual_asa_image
        assert access.password not in str(details["Config"]["Cmd"])  # secrets by environment only
        emulator_pid = int(details["State"]["Pid"])
        uid_line = next(
            line
            for line in Path(f"/proc/{emulator_pid}/status").read_text().splitlines()
            if line.startswith("Uid:")
        )
        assert uid_line.split()[1] == "65534"  # the entry point dropped root
        assert access.kind == "docker" and access.disposable
        assert access.password not in repr(access)
        assert cli_prompt(access, 30).endswith("#")
        with socket.create_connection(access.interface("outside"), timeout=5):
            pass  # the HTTPS listener of outside accepts on the host (host networking)
    finally:
        target.stop()
        target.stop()  # safe twice
    wait_until_removed(docker_engine, container_id, since)
    assert not process_alive(emulator_pid)


def test_the_shipped_suite_in_containers_gives_the_embedded_results(
    docker_engine: Any, virtual_asa_image: str, tmp_path: Path, embedded_statuses: dict[str, str]
) -> None:
    since = int(time.time()) - 1
    name = unique_name("suite-box")
    inventory = docker_inventory(tmp_path, name, boot_timeout=120)
    in_containers = run_suite(
        shipped_scenarios(),
        tmp_path / "run",
        "--target",
        name,
        "--inventory",
        str(inventory),
    )
    assert in_containers == embedded_statuses
    started = docker_engine.events(
        since=since,
        until=int(time.time()) + 1,
        filters={"type": "container", "event": "start", "label": f"{TARGET_LABEL}={name}"},
        decode=True,
    )
    container_ids = {event["id"] for event in started}
    assert len(container_ids) == len(shipped_scenarios())  # a fresh container per scenario
    for container_id in container_ids:
        wait_until_removed(docker_engine, container_id, since)


def test_a_target_that_never_opens_ssh_fails_within_boot_timeout_quoting_its_logs(
    docker_engine: Any, virtual_asa_image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRETEND_USER", "admin")
    monkeypatch.setenv("PRETEND_PASSWORD", "not-used")
    port = free_port()
    name = unique_name("pretend-asav")
    inventory = docker_inventory(
        tmp_path,
        name,
        variant="asav",
        image=BASE_IMAGE,
        command=[
            "python3",
            "-u",
            "-c",
            "print('pretend ASAv: booting'); import time; time.sleep(600)",
        ],
        ssh_port=port,
        interfaces={"outside": port},
        boot_timeout=4,
        username_env="PRETEND_USER",
        password_env="PRETEND_PASSWORD",
    )
    since = int(time.time()) - 1
    target = make_target(name, inventory)
    assert isinstance(target, DockerTarget)
    started = time.monotonic()
    with pytest.raises(TargetStartError) as caught:
        target.start()
    elapsed = time.monotonic() - started
    message = str(caught.value)
    assert f"target {name} (docker, variant asav) was not ready" in message
    assert f"(boot_timeout 4 s, {inventory}:9)" in message
    assert f"no SSH banner on 127.0.0.1:{port}" in message
    assert "  | pretend ASAv: booting" in message
    assert elapsed >= 4  # it waited the whole boot_timeout ...
    assert elapsed < 4 + 60  # ... and not much longer (container creation included)
    event = wait_for_container_event(docker_engine, "start", since, 5, **{TARGET_LABEL: name})
    assert event is not None
    wait_until_removed(docker_engine, event["id"], since)


def test_a_container_that_exits_while_booting_fails_at_once_with_exit_code_and_logs(
    docker_engine: Any, virtual_asa_image: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PRETEND_USER", "admin")
    monkeypatch.setenv("PRETEND_PASSWORD", "not-used")
    port = free_port()
    inventory = docker_inventory(
        tmp_path,
        "broken-asav",
        variant="asav",
        image=BASE_IMAGE,
        command=[
            "python3",
            "-c",
            "import sys; print('no licence, giving up', flush=True); sys.exit(3)",
        ],
        ssh_port=port,
        interfaces={"outside": port},
        boot_timeout=300,
        username_env="PRETEND_USER",
        password_env="PRETEND_PASSWORD",
    )
    started = time.monotonic()
    with pytest.raises(TargetStartError) as caught:
        make_target("broken-asav", inventory).start()
    message = str(caught.value)
    assert time.monotonic() - started < 120  # the exit ends the wait; boot_timeout is 300 s
    assert "the container stopped (exit code 3) before it was ready" in message
    assert "  | no licence, giving up" in message


def test_an_image_that_is_not_on_this_host_is_named(docker_engine: Any, tmp_path: Path) -> None:
    inventory = docker_inventory(tmp_path, "ghost", image="asa-cert-harness/no-such-image:1")
    with pytest.raises(TargetStartError) as caught:
        make_target("ghost", inventory).start()
    assert f"image asa-cert-harness/no-such-image:1 ({inventory}:4) is not on this host" in str(
        caught.value
    )
