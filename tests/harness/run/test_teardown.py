"""Shared devices: scenarios without cleanup are refused; bindings and config are restored."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from harness.device import DeviceSession
from harness.run.context import login_for
from harness.run.runner import run_scenario
from harness.scenario import Scenario
from lab.targets import EmbeddedTarget, TargetAccess

BASELINE = [
    "crypto key generate rsa label BASE-KEY modulus 2048 noconfirm",
    "crypto ca trustpoint BASE",
    " enrollment self",
    " keypair BASE-KEY",
    " exit",
    "crypto ca enroll BASE noconfirm",
    "ssl trust-point BASE outside",
]


class SharedDevice:
    """An embedded virtual ASA presented as a shared device that already has a binding."""

    exclusive = True  # one device, as lab.targets.ExternalTarget: completes the Target protocol

    def __init__(self) -> None:
        self.name = "lab-box"
        self._inner = EmbeddedTarget(self.name)
        self.final_config = ""

    def start(self) -> TargetAccess:
        access = self._inner.start()
        with DeviceSession(login_for(access)) as session:
            session.configure(BASELINE)
        self._access = dataclasses.replace(access, kind="external", disposable=False)
        return self._access

    def stop(self) -> None:
        with DeviceSession(login_for(self._access)) as session:
            self.final_config = session.exec("show running-config").output
        self._inner.stop()


def scenario(cleanup: list[str]) -> Scenario:
    return Scenario.model_validate(
        {
            "name": "rebinds outside",
            "cleanup": cleanup,
            "steps": [
                {
                    "configure": "\n".join(
                        [
                            "crypto key generate rsa label NEW-KEY modulus 2048 noconfirm",
                            "crypto ca trustpoint NEW",
                            " enrollment self",
                            " keypair NEW-KEY",
                            " exit",
                            "crypto ca enroll NEW noconfirm",
                            "ssl trust-point NEW outside",
                        ]
                    )
                },
                {"probe": {"interface": "outside", "expect": {"served_trustpoint": "NEW"}}},
            ],
        }
    )


def test_a_scenario_without_cleanup_is_refused_on_a_shared_device() -> None:
    device = SharedDevice()
    result = run_scenario(scenario([]), Path("x.yaml"), device)
    assert result.status == "error"
    assert result.error is not None and "shared device" in result.error
    assert "cleanup" in result.error
    assert result.steps == ()
    assert "ssl trust-point BASE outside" in device.final_config


def test_prior_bindings_are_restored_and_cleanup_runs() -> None:
    device = SharedDevice()
    cleanup = [
        "no crypto ca trustpoint NEW noconfirm",
        "crypto key zeroize rsa label NEW-KEY noconfirm",
    ]
    result = run_scenario(scenario(cleanup), Path("x.yaml"), device)
    assert result.status == "passed", result
    teardown = result.steps[-1]
    assert teardown.kind == "teardown" and teardown.status == "passed"
    assert "ssl trust-point BASE outside" in device.final_config
    assert "ssl trust-point NEW" not in device.final_config
    assert "crypto ca trustpoint NEW" not in device.final_config


def test_a_session_opened_before_the_with_block_is_not_opened_twice() -> None:
    target = EmbeddedTarget()
    access = target.start()
    try:
        session = DeviceSession(login_for(access)).open()
        first = session.cli
        with session as same:
            assert same.cli is first
            assert "UTC" in same.exec("show clock").output
        assert session._cli is None
    finally:
        target.stop()
