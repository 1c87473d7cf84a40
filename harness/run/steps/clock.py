"""``clock`` step: set the device clock (skew and expiry scenarios) with ``clock set``."""

from __future__ import annotations

import datetime as dt

from harness.run.context import RunContext
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import ClockStep
from harness.timespec import parse_offset, parse_time


def clock_set_command(moment: dt.datetime) -> str:
    """``clock set HH:MM:SS MONTH DAY YEAR`` (the ASA takes its configured zone's local time)."""
    return f"clock set {moment:%H:%M:%S} {moment:%B} {moment.day} {moment.year}"


def run(step: ClockStep, ctx: RunContext) -> StepOutcome:
    payload = step.clock
    outcome = StepOutcome()
    commands: list[str] = []
    if payload.timezone:
        commands.append(f"clock timezone {payload.timezone}")
    if payload.set is not None:
        moment = parse_time(payload.set)
    elif payload.offset is not None:
        moment = dt.datetime.now(dt.UTC) + parse_offset(payload.offset)
    else:
        moment = None
    for command in commands:
        output = ctx.session.send(command, mode="configuration")
        outcome.check(command, "accepted", output.error or "accepted", evidence=output.output)
    if moment is not None:
        command = clock_set_command(moment)
        output = ctx.session.exec(command)
        outcome.check(command, "accepted", output.error or "accepted", evidence=output.output)
        shown = ctx.session.exec("show clock")
        outcome.facts["show_clock"] = shown.output
        outcome.summary = f"device clock set to {moment:%Y-%m-%d %H:%M:%S} ({shown.output.strip()})"
    return outcome
