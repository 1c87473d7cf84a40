"""``expect_show``: run a show command, parse it into typed records, compare with expectations."""

from __future__ import annotations

from harness.errors import StepError
from harness.parse import ParseError, parse
from harness.run.context import RunContext
from harness.run.matching import best_candidate, differences, matches, record_facts, unknown_keys
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import ExpectShowStep


def run(step: ExpectShowStep, ctx: RunContext) -> StepOutcome:
    payload = step.expect_show
    output = ctx.session.exec(payload.command)
    outcome = StepOutcome()
    if output.error:
        outcome.check(f"{payload.command} runs", "output", output.error, evidence=output.output)
        return outcome
    try:
        parsed = parse(payload.command, output.output)
    except ParseError as error:
        raise StepError(f"cannot parse the output of {payload.command!r}: {error}") from error
    records = parsed if isinstance(parsed, list | tuple) else [parsed]
    facts = [record_facts(record) for record in records]
    outcome.facts["records"] = facts
    expect = payload.expect
    for index, wanted in enumerate(expect.records):
        if facts and all(unknown_keys(wanted, f) for f in facts):
            available = ", ".join(sorted(facts[0]))
            raise StepError(
                f"expect.records[{index}] uses {', '.join(unknown_keys(wanted, facts[0]))}, which "
                f"{payload.command!r} records do not have (available: {available})"
            )
        found = any(matches(wanted, f) for f in facts)
        closest = best_candidate(wanted, facts)
        outcome.check(
            f"a record with {_describe(wanted)}",
            wanted,
            differences(wanted, closest)
            if closest is not None and not found
            else ("found" if found else "no records"),
            passed=found,
            evidence=output.output,
        )
    for wanted in expect.absent:
        present = any(matches(wanted, f) for f in facts)
        outcome.check(
            f"no record with {_describe(wanted)}",
            "absent",
            "present" if present else "absent",
            evidence=output.output,
        )
    if expect.count is not None:
        outcome.check("number of records", expect.count, len(facts), evidence=output.output)
    for text in expect.contains:
        outcome.check(
            f"output contains {text!r}", True, text in output.output, evidence=output.output
        )
    outcome.summary = f"{payload.command}: {len(facts)} record(s)"
    return outcome


def _describe(wanted: dict[str, object]) -> str:
    parts = [f"{k}={v!r}" for k, v in list(wanted.items())[:3]]
    return ", ".join(parts) + (" ..." if len(wanted) > 3 else "")
