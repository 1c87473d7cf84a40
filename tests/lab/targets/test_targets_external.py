"""The real-device path end to end: an ``asa-harness emulator`` started on its own, described in
an inventory as an external device, credentials from environment variables only."""

from __future__ import annotations

from pathlib import Path

import pytest

from lab.targets import make_target
from lab.targets.external import ExternalTarget
from lab.targets.readiness import cli_prompt
from tests.lab.targets.targets_support import EmulatorProcess, run_suite, shipped_scenarios


def inventory_for(emulator: EmulatorProcess, folder: Path, *, shared: bool = False) -> Path:
    path = folder / "inventory.yaml"
    path.write_text("targets:\n" + emulator.inventory_entry("lab-emulator", shared=shared))
    return path


def test_an_external_target_logs_in_with_credentials_from_the_environment(
    external_emulator: EmulatorProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = inventory_for(external_emulator, tmp_path)
    assert external_emulator.password not in inventory.read_text()
    for variable, value in external_emulator.environment().items():
        monkeypatch.setenv(variable, value)
    target = make_target("lab-emulator", inventory)
    assert isinstance(target, ExternalTarget)
    access = target.start()
    try:
        assert (access.ssh_host, access.ssh_port) == external_emulator.ready.ssh
        assert access.interfaces == external_emulator.ready.interfaces
        assert access.kind == "external" and access.disposable  # shared: false
        assert access.username == "labadmin"
        assert external_emulator.password not in repr(access)
        assert cli_prompt(access, 20).endswith("#")
    finally:
        target.stop()
        target.stop()  # safe twice
    assert external_emulator.process.poll() is None  # stop() leaves the device running


def test_a_shared_device_is_not_disposable(
    external_emulator: EmulatorProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inventory = inventory_for(external_emulator, tmp_path, shared=True)
    for variable, value in external_emulator.environment().items():
        monkeypatch.setenv(variable, value)
    assert make_target("lab-emulator", inventory).start().disposable is False


@pytest.mark.slow
@pytest.mark.parametrize("scenario", shipped_scenarios(), ids=lambda p: p.stem)
def test_each_shipped_scenario_gives_the_embedded_result_on_an_external_device(
    scenario: Path,
    external_emulator: EmulatorProcess,
    tmp_path: Path,
    embedded_statuses: dict[str, str],
) -> None:
    inventory = inventory_for(external_emulator, tmp_path)
    external = run_suite(
        [scenario],
        tmp_path / "run",
        "--target",
        "lab-emulator",
        "--inventory",
        str(inventory),
        env=external_emulator.environment(),
    )
    assert external == {scenario.name: embedded_statuses[scenario.name]}
