"""``write_memory`` and ``reload``: persistence on the device, and a reboot from it."""

from __future__ import annotations

import contextlib
import time

from harness.errors import DeviceConnectionError, StepError
from harness.run.context import RunContext
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import ReloadStep, WriteMemoryStep

RELOAD_TIMEOUT_S = 600.0


def run_write_memory(step: WriteMemoryStep, ctx: RunContext) -> StepOutcome:
    output = ctx.session.exec("write memory")
    outcome = StepOutcome(summary="configuration saved")
    outcome.check(
        "write memory reports [OK]",
        True,
        "[OK]" in output.output and output.error is None,
        evidence=output.output,
    )
    return outcome


def run_reload(step: ReloadStep, ctx: RunContext) -> StepOutcome:
    outcome = StepOutcome()
    before = ctx.session.exec("show running-config").output
    if step.reload.save:
        saved = ctx.session.exec("write memory")
        outcome.check(
            "write memory reports [OK]", True, "[OK]" in saved.output, evidence=saved.output
        )
    # The device drops the session while it reboots.
    with contextlib.suppress(DeviceConnectionError):
        ctx.session.exec(
            "reload noconfirm", answers=[("Save?", "N"), ("confirm", "")], timeout_s=10
        )
    if ctx.reconnect is None:
        raise StepError("this target cannot be reconnected to after a reload")
    ctx.session.close()
    deadline = time.monotonic() + RELOAD_TIMEOUT_S
    last_error = ""
    while time.monotonic() < deadline:
        try:
            ctx.session = ctx.reconnect()
            break
        except DeviceConnectionError as error:
            last_error = str(error)
            time.sleep(0.2)  # polling a rebooting device: there is no readiness event to wait on
    else:
        raise StepError(
            f"the device did not come back within {RELOAD_TIMEOUT_S:.0f} s: {last_error}"
        )
    after = ctx.session.exec("show running-config").output
    outcome.facts["running_config_changed"] = before != after
    outcome.summary = "reloaded" + (" after saving" if step.reload.save else "")
    return outcome
