"""Targets by name: the built-in ``embedded`` (the default) and ``embedded-legacy`` (9.x
legacy output), ``replica:PATH`` (a virtual ASA booted from a saved configuration,
docs/replica.md), and every target of an inventory file (docker, external, emulator)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lab.targets.base import Target, TargetStartError
from lab.targets.embedded import EmbeddedTarget
from lab.targets.inventory import (
    DockerEntry,
    EmulatorEntry,
    ExternalEntry,
    Inventory,
    load_inventory,
)

BUILT_IN: dict[str, Callable[[], Target]] = {
    "embedded": lambda: EmbeddedTarget("embedded"),
    "embedded-legacy": lambda: EmbeddedTarget("embedded-legacy", profile="legacy"),
}


def _from_inventory(
    entry: DockerEntry | EmulatorEntry | ExternalEntry, inventory: Inventory
) -> Target:
    if isinstance(entry, DockerEntry):
        from lab.targets.docker import DockerTarget

        return DockerTarget(entry, inventory)
    if isinstance(entry, ExternalEntry):
        from lab.targets.external import ExternalTarget

        return ExternalTarget(entry, inventory)
    return EmbeddedTarget(entry.name, profile=entry.profile)


def make_target(name: str, inventory: Path | None = None) -> Target:
    if name.startswith("replica:"):
        from lab.targets.replica import ReplicaTarget

        return ReplicaTarget.from_name(name)
    factory = BUILT_IN.get(name)
    if factory is not None:
        return factory()
    built_in = ", ".join(BUILT_IN)
    if inventory is None:
        raise TargetStartError(
            f"unknown target {name!r} (built in: {built_in}; docker and external targets are "
            "named in an inventory file: --asa-inventory FILE, see docs/labs.md)"
        )
    loaded = load_inventory(inventory, reserved=tuple(BUILT_IN))
    entry = loaded.get(name)
    if entry is None:
        listed = ", ".join(sorted(loaded.entries)) or "none"
        raise TargetStartError(
            f"unknown target {name!r} (built in: {built_in}; "
            f"in the inventory {inventory}: {listed})"
        )
    return _from_inventory(entry, loaded)
