"""Run one scenario against one target: start it, log in, run the steps in order, report.

A failing step stops the scenario (later steps would act on a device in an unknown
state); the remaining steps are reported as skipped. An expected failure never escapes as
a traceback: it becomes the step's error text.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any

from harness.device import DeviceSession
from harness.errors import HarnessError
from harness.run import teardown
from harness.run.context import RunContext, login_for
from harness.run.pki_store import PkiStore
from harness.run.results import ScenarioResult, StepResult
from harness.run.steps import runner_for
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import Scenario
from lab.targets import Target, TargetStartError

log = logging.getLogger(__name__)


def execute_step(step: Any, ctx: RunContext, index: int) -> StepResult:
    mark = ctx.session.transcript.mark()
    started = time.monotonic()
    try:
        outcome = runner_for(step.kind)(step, ctx)
    except HarnessError as error:
        outcome = StepOutcome(error=str(error))
    except TargetStartError as error:
        outcome = StepOutcome(error=str(error))
    except (
        Exception
    ) as error:  # an unexpected fault: reported on the step, logged with its traceback
        log.exception("step %d (%s) failed unexpectedly", index, step.kind)
        outcome = StepOutcome(
            error=f"internal error in the {step.kind} step: {type(error).__name__}: {error}"
        )
    transcript = ctx.session.transcript.text(mark, prompt="> ")
    return StepResult(
        index=index,
        kind=step.kind,
        title=step.title,
        status=outcome.status,
        duration_s=time.monotonic() - started,
        summary=outcome.summary,
        checks=tuple(outcome.checks),
        chain=outcome.chain,
        facts=outcome.facts,
        diagnoses=outcome.diagnoses,
        transcript=transcript,
        error=outcome.error,
        children=outcome.children,
    )


def _teardown_step(ctx: RunContext, prior_bindings: list[str], index: int) -> StepResult:
    started = time.monotonic()
    mark = ctx.session.transcript.mark()
    try:
        checks = teardown.restore(ctx.session, prior_bindings, ctx.scenario.cleanup)
        error = None
    except HarnessError as failure:
        checks, error = [], f"teardown failed; the shared device may need manual cleanup: {failure}"
    failed = error is not None or any(not c.passed for c in checks)
    return StepResult(
        index=index,
        kind="teardown",
        title="teardown (shared device)",
        status="error" if error else ("failed" if failed else "passed"),
        duration_s=time.monotonic() - started,
        summary="prior ssl trust-point bindings restored, cleanup lines run",
        checks=tuple(checks),
        transcript=ctx.session.transcript.text(mark, prompt="> "),
        error=error,
    )


def run_scenario(scenario: Scenario, file: Path, target: Target) -> ScenarioResult:
    started = time.monotonic()

    def finish(status: str, steps: list[StepResult], error: str | None = None) -> ScenarioResult:
        return ScenarioResult(
            name=scenario.name,
            file=str(file),
            target=target.name,
            status=status,  # type: ignore[arg-type]
            duration_s=time.monotonic() - started,
            description=scenario.description,
            tags=tuple(scenario.tags),
            steps=tuple(steps),
            error=error,
        )

    try:
        pki = PkiStore.build(scenario.pki)
    except (ValueError, HarnessError) as error:
        return finish("error", [], f"cannot build the scenario's lab PKI: {error}")
    try:
        access = target.start()
    except (TargetStartError, HarnessError) as error:
        return finish("error", [], f"target {target.name} did not start: {error}")
    steps: list[StepResult] = []
    try:
        try:
            session = DeviceSession(login_for(access)).open()
        except HarnessError as error:
            return finish("error", [], str(error))
        if not access.disposable:
            refused = teardown.refusal(target.name, scenario.cleanup)
            if refused is not None:
                session.close()
                return finish("error", [], refused)
        prior_bindings = [] if access.disposable else teardown.binding_lines(session)
        ctx = RunContext(
            scenario=scenario,
            scenario_file=file,
            access=access,
            session=session,
            pki=pki,
            reconnect=lambda: DeviceSession(login_for(access), ctx.session.transcript).open(),
        )
        stopped = False
        for index, step in enumerate(scenario.steps):
            if stopped:
                steps.append(
                    StepResult(
                        index,
                        step.kind,
                        step.title,
                        "skipped",
                        0.0,
                        "skipped: an earlier step failed",
                    )
                )
                continue
            result = execute_step(step, ctx, index)
            steps.append(result)
            stopped = result.status in ("failed", "error")
        if not access.disposable:
            steps.append(_teardown_step(ctx, prior_bindings, len(steps)))
        ctx.session.close()
    finally:
        target.stop()
    failed = [s for s in steps if s.status in ("failed", "error")]
    status = "passed" if not failed else ("error" if failed[0].status == "error" else "failed")
    return finish(status, steps)
