"""The inventory: validation errors name file and line, secrets stay out of files and messages,
and make_target resolves inventory names."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from lab.targets import EmbeddedTarget, TargetStartError, make_target
from lab.targets.credentials import Credentials, credentials_from_env
from lab.targets.docker import DockerTarget
from lab.targets.external import ExternalTarget
from lab.targets.inventory import DockerEntry, ExternalEntry, InventoryError, load_inventory

GOOD = """\
targets:
  - name: container
    kind: docker
  - name: asav
    kind: docker
    variant: asav
    image: vrnetlab/cisco_asav:9-23-1
    ssh_port: 22
    interfaces: {management: 443}
    boot_timeout: 900
    privileged: true
    username_env: ASAV_USERNAME
    password_env: ASAV_PASSWORD
    env_from: {PASSWORD: ASAV_PASSWORD}
  - name: lab-fw
    kind: external
    ssh: 192.0.2.1:22
    interfaces:
      outside: 192.0.2.1:443
    profile: legacy
    tags: [lab, nightly]
    username_env: LAB_USERNAME
    password_env: LAB_PASSWORD
  - name: legacy-local
    kind: emulator
    profile: legacy
"""


def write(tmp_path: Path, text: str, name: str = "inventory.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def load_error(path: Path) -> str:
    with pytest.raises(InventoryError) as caught:
        load_inventory(path, reserved=("embedded", "embedded-legacy"))
    return str(caught.value)


def test_a_valid_inventory_loads_every_kind_with_defaults(tmp_path: Path) -> None:
    inventory = load_inventory(write(tmp_path, GOOD))
    container = inventory.get("container")
    assert isinstance(container, DockerEntry)
    assert container.variant == "virtual-asa" and container.image is None
    assert container.interfaces == {"outside": 0, "inside": 0}
    asav = inventory.get("asav")
    assert isinstance(asav, DockerEntry) and asav.boot_timeout == 900 and asav.privileged
    firewall = inventory.get("lab-fw")
    assert isinstance(firewall, ExternalEntry)
    assert firewall.shared is True  # a device is shared unless the inventory says otherwise
    assert firewall.profile == "legacy" and firewall.tags == ["lab", "nightly"]
    assert inventory.where("lab-fw") == f"{tmp_path / 'inventory.yaml'}:15"
    assert inventory.where("lab-fw", "ssh") == f"{tmp_path / 'inventory.yaml'}:17"


def test_a_literal_password_is_refused_with_file_line_and_the_fix_but_never_echoed(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "targets:\n"
        "  - name: lab-fw\n"
        "    kind: external\n"
        "    ssh: 192.0.2.1:22\n"
        "    username_env: LAB_USERNAME\n"
        "    password: Hunter2-very-secret\n",
    )
    message = load_error(path)
    assert f"{path}:6: targets[0].password:" in message
    assert "password_env" in message
    assert "Hunter2-very-secret" not in message


def test_a_secret_looking_container_variable_must_come_from_the_environment(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "targets:\n"
        "  - name: asav\n"
        "    kind: docker\n"
        "    variant: asav\n"
        "    image: vr-asav:9-23-1\n"
        "    ssh_port: 22\n"
        "    interfaces: {outside: 443}\n"
        "    username_env: U\n"
        "    password_env: P\n"
        "    env:\n"
        "      CONNECTION_MODE: tc\n"
        "      PASSWORD: CiscoAsa1-secret\n",
    )
    message = load_error(path)
    assert f"{path}:12: targets[0].env.PASSWORD:" in message
    assert "env_from" in message
    assert "CiscoAsa1-secret" not in message
    assert "CONNECTION_MODE" not in message  # the harmless variable is fine


def test_a_password_on_the_container_command_line_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "targets:\n"
        "  - name: asav\n"
        "    kind: docker\n"
        "    variant: asav\n"
        "    image: vr-asav:9-23-1\n"
        "    ssh_port: 22\n"
        "    interfaces: {outside: 443}\n"
        "    username_env: U\n"
        "    password_env: P\n"
        "    command: [--hostname, asa1, --password, Cisco-literal-1]\n",
    )
    message = load_error(path)
    assert f"{path}:10: targets[0].command[2]:" in message
    assert "Cisco-literal-1" not in message


def test_an_env_key_holding_a_secret_instead_of_a_variable_name_is_refused_unquoted(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        "targets:\n"
        "  - name: lab-fw\n"
        "    kind: external\n"
        "    ssh: 192.0.2.1:22\n"
        "    username_env: LAB_USERNAME\n"
        "    password_env: 'S3cret!pass'\n",
    )
    message = load_error(path)
    assert f"{path}:6: targets[0].password_env:" in message
    assert "names an environment variable" in message
    assert "S3cret!pass" not in message


@pytest.mark.parametrize(
    ("body", "line", "where", "words"),
    [
        (
            "  - name: a\n    kind: docker\n    imag: x\n",
            5,
            "targets[0].imag",
            "unknown key 'imag'",
        ),
        ("  - name: a\n    kind: vm\n", 4, "targets[0].kind", "kind must be one of"),
        ("  - name: a\n    ssh: h:22\n", 3, "targets[0]", "missing required key 'kind'"),
        (
            "  - name: a\n    kind: external\n    ssh: nohost\n"
            "    username_env: U\n    password_env: P\n",
            5,
            "targets[0].ssh",
            "expected HOST:PORT",
        ),
        (
            "  - name: a\n    kind: external\n    ssh: h:22\n",
            3,
            "targets[0]",
            "username_env and password_env",
        ),
        (
            "  - name: a\n    kind: docker\n    variant: asav\n    image: x\n    username_env: U\n"
            "    password_env: P\n",
            3,
            "targets[0]",
            "fixed ports",
        ),
        (
            "  - name: a\n    kind: docker\n    boot_timeout: 0\n",
            5,
            "targets[0].boot_timeout",
            "greater than 0",
        ),
        (
            "  - name: a\n    kind: docker\n  - name: a\n    kind: emulator\n",
            5,
            "targets[1].name",
            "duplicate",
        ),
        ("  - name: embedded\n    kind: emulator\n", 3, "targets[0].name", "built-in target name"),
    ],
)
def test_schema_errors_name_file_line_and_key(
    tmp_path: Path, body: str, line: int, where: str, words: str
) -> None:
    path = write(tmp_path, "# lab inventory\ntargets:\n" + body)
    message = load_error(path)
    assert f"{path}:{line}: {where}: " in message
    assert words in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "targets:\n  - name: a\n    kind: [docker\n")
    assert f"{path}:4: invalid YAML" in load_error(path)


def test_a_missing_environment_variable_is_named_with_where_the_inventory_asks_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = load_inventory(write(tmp_path, GOOD))
    entry = inventory.get("lab-fw")
    assert isinstance(entry, ExternalEntry)
    monkeypatch.setenv("LAB_USERNAME", "netops")
    monkeypatch.delenv("LAB_PASSWORD", raising=False)
    with pytest.raises(TargetStartError) as caught:
        credentials_from_env(entry, inventory)
    message = str(caught.value)
    assert "LAB_PASSWORD" in message and "is not set" in message
    assert f"{tmp_path / 'inventory.yaml'}:23" in message  # the password_env line
    monkeypatch.setenv("LAB_PASSWORD", "")
    with pytest.raises(TargetStartError, match=r"LAB_PASSWORD .* is empty"):
        credentials_from_env(entry, inventory)


def test_credentials_come_from_the_environment_and_never_show_in_a_repr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = load_inventory(write(tmp_path, GOOD))
    entry = inventory.get("lab-fw")
    assert isinstance(entry, ExternalEntry)
    monkeypatch.setenv("LAB_USERNAME", "netops")
    monkeypatch.setenv("LAB_PASSWORD", "pw-from-the-environment")
    credentials = credentials_from_env(entry, inventory)
    assert credentials == Credentials(
        "netops", "pw-from-the-environment", "pw-from-the-environment"
    )
    assert "pw-from-the-environment" not in repr(credentials)
    generated = Credentials.generate()
    assert generated.password != Credentials.generate().password
    assert generated.password not in repr(generated)


def test_make_target_resolves_inventory_names_and_lists_what_exists(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD)
    assert isinstance(make_target("embedded", None), EmbeddedTarget)
    assert isinstance(make_target("container", path), DockerTarget)
    assert isinstance(make_target("lab-fw", path), ExternalTarget)
    local = make_target("legacy-local", path)
    assert isinstance(local, EmbeddedTarget) and local.name == "legacy-local"
    with pytest.raises(TargetStartError) as caught:
        make_target("nope", path)
    message = str(caught.value)
    assert "unknown target 'nope'" in message
    assert "embedded, embedded-legacy" in message
    assert "asav, container, lab-fw, legacy-local" in message
    with pytest.raises(TargetStartError, match="--asa-inventory"):
        make_target("lab-fw", None)


def test_an_inventory_emulator_target_runs_with_its_profile(tmp_path: Path) -> None:
    target = make_target("legacy-local", write(tmp_path, GOOD))
    access = target.start()
    try:
        assert access.kind == "emulator" and access.name == "legacy-local"
        assert set(access.interfaces) >= {"outside"}
    finally:
        target.stop()


@pytest.fixture
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections and never says anything (no SSH there)."""
    server = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    for connection in accepted:
        connection.close()
    server.close()


def test_an_external_target_without_ssh_fails_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, silent_listener: int
) -> None:
    path = write(
        tmp_path,
        "targets:\n"
        "  - name: dead\n"
        "    kind: external\n"
        f"    ssh: 127.0.0.1:{silent_listener}\n"
        "    connect_timeout: 0.5\n"
        "    username_env: DEAD_USER\n"
        "    password_env: DEAD_PASSWORD\n",
    )
    monkeypatch.setenv("DEAD_USER", "u")
    monkeypatch.setenv("DEAD_PASSWORD", "p")
    with pytest.raises(TargetStartError) as caught:
        make_target("dead", path).start()
    assert f"nothing answers SSH at 127.0.0.1:{silent_listener} within 0.5 s ({path}:4)" in str(
        caught.value
    )
