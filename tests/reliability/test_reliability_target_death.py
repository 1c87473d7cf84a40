"""A target that dies in the middle of a scenario fails that scenario with a message naming the
lost connection, quickly, and the run goes on with the next scenario.

The run is the real one (pytest with the plugin, in-process through pytester); the fault is
injected with a custom target whose virtual ASA is stopped right after the first step.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

import harness.run.runner as runner
import lab.targets as targets
from lab.targets import EmbeddedTarget, Target

pytest_plugins = ["pytester"]

DYING = """\
name: A device that dies between steps
target: dying
steps:
  - configure: hostname before-death
  - exec: show clock
  - configure: hostname after-death
"""

HEALTHY = """\
name: The next scenario runs normally
steps:
  - configure: hostname healthy
  - exec: show running-config
    expect: {contains: ["hostname healthy"]}
"""

#: A dead device must be noticed well before any operation timeout (60 s by default).
BOUND_S = 20.0


class DyingTarget(EmbeddedTarget):
    """The embedded virtual ASA, which ``kill`` stops as a crash would (SSH and HTTPS gone)."""

    def kill(self) -> None:
        if self.emulator is not None:
            self.emulator.stop()


@dataclass(frozen=True)
class RunOutcome:
    outcome: pytest.RunResult
    scenarios: dict[str, dict[str, Any]]
    elapsed: float


@pytest.fixture
def run_with_dying_target(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> RunOutcome:
    dying: list[DyingTarget] = []
    real_make_target: Callable[..., Target] = targets.make_target
    real_execute_step: Callable[..., Any] = runner.execute_step

    def make_target(name: str, inventory: Any = None) -> Target:
        if name == "dying":
            dying.append(DyingTarget("dying"))
            return dying[-1]
        return real_make_target(name, inventory)

    def execute_step(step: Any, ctx: Any, index: int) -> Any:
        result = real_execute_step(step, ctx, index)
        if index == 0 and ctx.access.name == "dying":
            dying[-1].kill()
        return result

    monkeypatch.setattr(targets, "make_target", make_target)
    monkeypatch.setattr(runner, "execute_step", execute_step)
    folder = pytester.mkdir("scenarios")
    (folder / "01_dying.yaml").write_text(DYING)
    (folder / "02_healthy.yaml").write_text(HEALTHY)
    results = pytester.path / "results.json"
    started = time.monotonic()
    outcome = pytester.runpytest_inprocess(
        "scenarios", f"--asa-results={results}", "-p", "no:cacheprovider"
    )
    elapsed = time.monotonic() - started
    assert dying, "the dying target was never used"
    document = json.loads(results.read_text())
    return RunOutcome(outcome, {s["name"]: s for s in document["scenarios"]}, elapsed)


@pytest.mark.slow
def test_a_target_dying_mid_scenario_fails_it_and_the_run_continues(
    run_with_dying_target: RunOutcome,
) -> None:
    run = run_with_dying_target
    run.outcome.assert_outcomes(passed=1, failed=1)
    died = run.scenarios["A device that dies between steps"]
    assert died["status"] in ("failed", "error")
    steps = died["steps"]
    assert [s["status"] for s in steps] in (
        ["passed", "error", "skipped"],
        ["passed", "failed", "skipped"],
    ), steps
    assert steps[1]["error"], "the failed step carries no message"
    assert run.scenarios["The next scenario runs normally"]["status"] == "passed"
    assert run.elapsed < BOUND_S, f"the dead target took {run.elapsed:.1f} s to be noticed"


@pytest.mark.slow
def test_the_failed_step_names_the_lost_connection(run_with_dying_target: RunOutcome) -> None:
    died = run_with_dying_target.scenarios["A device that dies between steps"]
    message = died["steps"][1]["error"] or ""
    assert "internal error" not in message, message
    assert "127.0.0.1:" in message, message
    assert any(word in message.lower() for word in ("connection", "closed", "no prompt")), message
