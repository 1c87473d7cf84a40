"""``configure`` and ``exec`` steps: lines typed as the engineer would type them."""

from __future__ import annotations

from harness.device.session import CommandOutput
from harness.errors import StepError
from harness.run.context import RunContext
from harness.run.evidence import diagnose_rejected_lines
from harness.run.steps.outcome import StepOutcome
from harness.scenario.model import ConfigureStep, ExecStep


def _lines(value: str | list[str]) -> list[str]:
    lines = value.splitlines() if isinstance(value, str) else list(value)
    return [line.rstrip() for line in lines if line.strip() and not line.lstrip().startswith("!")]


def _unanswered_message(output: CommandOutput) -> str:
    question = output.unanswered[0]
    fragment = question.split("?")[0][-30:].strip()
    return (
        f"the device asked {question!r} after {output.command.strip()!r} and the step has no "
        f"answer for it (answered 'no'); add answers: {{\"{fragment}\": yes}} to the step, or "
        "use the command's noconfirm form"
    )


def run_configure(step: ConfigureStep, ctx: RunContext) -> StepOutcome:
    outcome = StepOutcome()
    answers = list(step.answers.items())
    sent: list[tuple[str | None, CommandOutput]] = []
    parent: str | None = None
    for line in _lines(step.configure):
        if not line.startswith(" "):
            parent = None
        output = ctx.session.send(line, mode="configuration", answers=answers)
        sent.append((parent, output))
        if not line.startswith(" "):
            parent = line.strip()
        if output.unanswered:
            outcome.error = _unanswered_message(output)
            break
        if output.error is not None and not any(f.strip() in line for f in step.expect.rejected):
            outcome.check(
                f"accepted: {line.strip()}", "accepted", output.error, evidence=output.output
            )
            break
    rejected = [output for _parent, output in sent if output.error is not None]
    for fragment in step.expect.rejected:
        seen = [o for o in rejected if fragment.strip() in o.command]
        outcome.check(
            f"rejected: {fragment.strip()}",
            "rejected",
            seen[0].error if seen else "accepted",
            passed=bool(seen),
            evidence=seen[0].output if seen else "the device accepted the line",
        )
    outcome.diagnoses = diagnose_rejected_lines(sent, expected_codes=list(step.expect.diagnoses))
    found = {d.code for d in outcome.diagnoses}
    for code in step.expect.diagnoses:
        outcome.check(f"diagnosis {code}", "present", "present" if code in found else "absent")
    outcome.summary = (
        f"{len(sent)} line{'s' if len(sent) != 1 else ''} sent, {len(rejected)} rejected"
    )
    return outcome


def run_exec(step: ExecStep, ctx: RunContext) -> StepOutcome:
    outcome = StepOutcome()
    answers = list(step.answers.items())
    texts: list[str] = []
    errors: list[str] = []
    for command in _lines(step.exec):
        output = ctx.session.exec(command, answers=answers)
        if output.unanswered:
            raise StepError(_unanswered_message(output))
        texts.append(output.output)
        if output.error:
            errors.append(f"{command}: {output.error}")
    combined = "\n".join(texts)
    outcome.facts["output"] = combined
    if step.expect.error:
        outcome.check("the device reports an error", True, bool(errors), evidence="\n".join(errors))
    elif errors:
        outcome.check("no device error", "no error", errors[0], evidence=combined)
    for text in step.expect.contains:
        outcome.check(
            f"output contains {text!r}", True, text in combined, evidence=combined[-2000:]
        )
    for text in step.expect.not_contains:
        outcome.check(
            f"output lacks {text!r}", True, text not in combined, evidence=combined[-2000:]
        )
    outcome.summary = f"{len(texts)} command{'s' if len(texts) != 1 else ''}"
    return outcome
