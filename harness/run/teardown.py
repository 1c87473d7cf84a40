"""Leaving a shared device as it was found.

A ``shared`` real device (docs/labs.md) only runs scenarios that declare their teardown
(``cleanup:`` lines removing what they create). Before the steps, the device's
``ssl trust-point`` bindings are recorded; after them, bindings the scenario added are
removed, the prior ones put back, then the cleanup lines run.
"""

from __future__ import annotations

from harness.device import DeviceSession
from harness.run import config_facts
from harness.run.results import Check


def refusal(target: str, cleanup: list[str]) -> str | None:
    if cleanup:
        return None
    return (
        f"target {target} is a shared device and this scenario declares no cleanup: add "
        "'cleanup:' with the configuration lines that remove what it creates (trustpoints, "
        "keypairs, certificate maps, tunnel-groups), or run it on a disposable target"
    )


def binding_lines(session: DeviceSession) -> list[str]:
    output = session.exec("show running-config ssl")
    return [
        header
        for header, _children in config_facts.blocks(output.output.splitlines())
        if header.startswith("ssl trust-point ")
    ]


def restore(session: DeviceSession, before: list[str], cleanup: list[str]) -> list[Check]:
    """Put the prior bindings back, remove the new ones, run the cleanup; one check each."""
    checks: list[Check] = []
    after = binding_lines(session)
    lines = [f"no {line}" for line in after if line not in before]
    lines += [line for line in before if line not in after]
    lines += cleanup
    for line in lines:
        output = session.send(line, mode="configuration", answers=[("yes/no", "yes")])
        checks.append(
            Check(
                f"teardown: {line.strip()}",
                "accepted",
                output.error or "accepted",
                output.error is None,
                output.output,
            )
        )
    final = binding_lines(session)
    checks.append(
        Check("teardown: ssl trust-point bindings restored", before, final, final == before)
    )
    return checks
