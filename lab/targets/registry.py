"""Targets by name: ``embedded`` (the default), ``embedded-legacy`` (9.x legacy output)."""

from __future__ import annotations

from pathlib import Path

from lab.targets.base import Target, TargetStartError
from lab.targets.embedded import EmbeddedTarget

BUILT_IN = {
    "embedded": lambda: EmbeddedTarget("embedded"),
    "embedded-legacy": lambda: EmbeddedTarget("embedded-legacy", profile="legacy"),
}


def make_target(name: str, inventory: Path | None = None) -> Target:
    factory = BUILT_IN.get(name)
    if factory is None:
        known = ", ".join(BUILT_IN)
        raise TargetStartError(f"unknown target {name!r} (built in: {known})")
    return factory()
